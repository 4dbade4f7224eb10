"""Logging for `gdpr-bot run`: our own lines only, and never a secret.

httpx logs every request URL at INFO, and a Bot API URL contains the token; PTB and tornado log
updates and request paths, transitions every callback, at DEBUG or INFO. Those loggers are raised
to WARNING, and every formatted line (tracebacks included) is scrubbed of the token and the
webhook secret as a second guard.
"""

from __future__ import annotations

import logging
from typing import TextIO

CHATTY_LOGGERS = ("httpx", "httpcore", "telegram", "apscheduler", "tornado", "transitions")
REDACTED = "<secret>"


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
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
