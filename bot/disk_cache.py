"""The cache on disk: where it lives, files written whole or not at all, and objects kept from
one start to the next (the matcher's indexes and embeddings, the parsed catalogs).

Everything in it is rebuilt from dialogues/, locales/ and the installed packages when missing, so
a folder that cannot be written only costs start-up time. Files are named by a hash of what built
them: a change to the content or to the code that reads it writes a new file rather than reading
a stale one.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import BinaryIO, TypeVar

CACHE_ENV = "GDPR_BOT_CACHE"  # a folder for the cache; default: the user's cache folder

Built = TypeVar("Built")


def cache_folder(variables: Mapping[str, str] = os.environ) -> Path:
    if variables.get(CACHE_ENV):
        return Path(variables[CACHE_ENV])
    base = variables.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "gdpr-bot"


def digest(parts: Iterable[str | bytes]) -> str:
    """A short hash of the parts, in order (a part's end is marked, so "ab","c" != "a","bc")."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8", "replace") if isinstance(part, str) else part)
        hashed.update(b"\0")
    return hashed.hexdigest()[:32]


def write_whole(path: Path, write: Callable[[BinaryIO], None], replaces: str = "") -> None:
    """Write through a temporary file renamed into place, so that a reader (another process
    starting) never sees half a file; then remove the older files matching the glob `replaces`
    (earlier versions of the same thing), so that the folder keeps one of each. An OSError is
    swallowed: the cache only saves time."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as file:
            temporary = Path(file.name)
            write(file)
        os.replace(temporary, path)
        temporary = None
        for older in path.parent.glob(replaces) if replaces else ():
            if older != path:
                older.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()


def kept_object(
    folder: Path, name: str, made_of: str, build: Callable[[], Built], code_folder: Path
) -> Built:
    """The object `build()` returns, read from `folder` when it was built from the same
    `made_of` (a digest of its input, with the versions of the libraries it depends on) by the
    same code (the modules in `code_folder`) and Python.

    Pickle is read only from the cache folder, which is as private as the user's own compiled
    Python files: whoever can write there can already change the code that runs.
    """
    modules = [sys.version, *(path.read_bytes() for path in sorted(code_folder.glob("*.py")))]
    path = Path(folder) / f"{name}-{digest([made_of, *modules])}.pickle"
    try:
        with path.open("rb") as file, no_collection():
            return pickle.load(file)
    except Exception:  # a damaged file can raise almost anything; rebuild it
        pass
    built = build()
    write_whole(
        path,
        lambda file: pickle.dump(built, file, protocol=pickle.HIGHEST_PROTOCOL),
        replaces=f"{name}-*.pickle",
    )
    return built


@contextlib.contextmanager
def no_collection():
    """The garbage collector paused while many long-lived objects are made (read back here, or
    the whole content loaded): it would otherwise walk them again and again (it halves the time
    of reading back)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
