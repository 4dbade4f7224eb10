"""Everything a command touches outside itself, in one object that tests can build on string streams."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TextIO

from bot.paths import ContentPaths


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


@dataclass
class Environment:
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    variables: Mapping[str, str]
    content: ContentPaths
    today: Callable[[], dt.date] = field(default=dt.date.today)

    @classmethod
    def from_process(cls) -> Environment:
        return cls(
            stdin=sys.stdin,
            stdout=sys.stdout,
            stderr=sys.stderr,
            variables=os.environ,
            content=ContentPaths.from_environment(),
        )
