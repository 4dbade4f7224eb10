"""Logging for `gdpr-bot run`: our own lines, and never a secret or what a user wrote.

httpx logs every request URL at INFO, and a Bot API URL contains the token; PTB and tornado log
updates and request paths, transitions every callback, at DEBUG or INFO. Those loggers are raised
to WARNING. What still gets through is scrubbed: a library's line keeps its wording but not its
values (PTB logs an update it cannot parse, names and texts included, at CRITICAL), exceptions
show their type and frames but not their message, and the token and webhook secret are blanked
from every formatted line as a last guard.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import TextIO

OUR_PACKAGE = "bot"
OUR_LOGGERS = f"{OUR_PACKAGE}."
CHATTY_LOGGERS = ("httpx", "httpcore", "telegram", "apscheduler", "tornado", "transitions")
REDACTED = "<secret>"


# PTB logs this with a traceback when a server answers with a page, not JSON (a proxy's 502);
# the retry that follows logs one line of its own, which is enough.
UNPARSABLE_ANSWER = "Can not load invalid JSON data"


class WithholdValues(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith(UNPARSABLE_ANSWER):
            return False
        if record.args and not record.name.startswith(OUR_LOGGERS):
            record.msg, record.args = f"{record.msg} [values withheld]", None
        if record.exc_info and record.exc_info[1] is not None:
            kind, _error, frames = record.exc_info
            record.exc_text = (
                "Traceback (most recent call last):\n"
                + "".join(traceback.format_tb(frames))
                + f"{kind.__name__} [message withheld]"
            )
        return True


class RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str, secrets: tuple[str, ...]):
        super().__init__(fmt)
        self._secrets = tuple(secret for secret in secrets if secret)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        for secret in self._secrets:
            line = line.replace(secret, REDACTED)
        return line


def configure_logging(stream: TextIO, secrets: tuple[str, ...]) -> None:
    handler = logging.StreamHandler(stream)
    handler.addFilter(WithholdValues())
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def where(error: BaseException | None) -> str:
    """Our innermost frame and the innermost of all, as file:line: no message, which may quote a
    user's text. Ours are told by their module's package, whatever folder holds the checkout."""
    frames = list(traceback.walk_tb(error.__traceback__)) if error else []
    if not frames:
        return "-"
    ours = [place for place in frames if _is_ours(place[0])]
    places = [ours[-1], frames[-1]] if ours and ours[-1] is not frames[-1] else [frames[-1]]
    return " ... ".join(f"{Path(frame.f_code.co_filename).name}:{line}" for frame, line in places)


def _is_ours(frame) -> bool:
    module = frame.f_globals.get("__name__", "")
    return module == OUR_PACKAGE or module.startswith(OUR_LOGGERS)
