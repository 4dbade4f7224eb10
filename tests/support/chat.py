"""Test helpers: simulated users of the real engine and of the real terminal chat.

Scenarios read as "send, press, expect": `chat.press("Draft my objection")` presses the one button
whose label contains that text, in the last replies the user saw.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

from bot.cli import main
from bot.console import format_reply
from bot.engine import Conversation, Event, MemoryStore, Reply
from bot.env import Environment
from bot.paths import PROJECT_ROOT, ContentPaths

PROJECT = PROJECT_ROOT
TODAY = dt.date(2026, 11, 29)


def run_cli(
    *argv: str, content_root: Path = PROJECT, stdin: str = "", variables: dict | None = None
) -> tuple[int, str, str]:
    """`gdpr-bot ARGV` in this process, on string streams: (exit status, stdout, stderr)."""
    env = Environment(
        stdin=io.StringIO(stdin),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        variables=variables or {},
        content=ContentPaths(content_root / "dialogues", content_root / "locales"),
        today=lambda: TODAY,
    )
    status = main(list(argv), env)
    return status, env.stdout.getvalue(), env.stderr.getvalue()


class Chat:
    """One user talking to a Dialogue through a Conversation and a store."""

    def __init__(self, dialogue, store=None, user="tg:1", language_code="en-GB"):
        self.conversation = Conversation(dialogue, store or MemoryStore())
        self.user = user
        self.language_code = language_code
        self.replies: tuple[Reply, ...] = ()
        self.erased = False

    def start(self, payload: str = "") -> Chat:
        return self.event(Event("start", payload))

    def send(self, text: str) -> Chat:
        if text.startswith("/"):
            return self.event(Event("command", text[1:]))
        return self.event(Event("typed", text))

    def press(self, label: str) -> Chat:
        matches = [b for b in self.buttons() if label in b.label and not b.url]
        assert len(matches) == 1, f"{len(matches)} buttons match {label!r}: {self.labels()}"
        return self.press_data(matches[0].id)

    def press_data(self, data: str) -> Chat:
        return self.event(Event("pressed", data))

    def event(self, event: Event) -> Chat:
        outcome = self.conversation.handle(self.user, event, self.language_code)
        self.replies, self.erased = outcome.replies, outcome.erase
        return self

    def buttons(self):
        return [button for reply in self.replies for row in reply.buttons for button in row]

    def labels(self) -> list[str]:
        return [button.label for button in self.buttons()]

    @property
    def text(self) -> str:
        return "\n\n".join(format_reply(reply) for reply in self.replies)

    @property
    def session(self):
        return self.conversation.store.load(self.user)

    @property
    def state(self) -> str:
        return self.session.state


CHOICE = re.compile(r"(\d+)\) (.+?)(?=\s{3}\d+\) |\s*$)", re.MULTILINE)


class ConsoleProcess:
    """`gdpr-bot console` in a subprocess, driven through its piped stdin like a person would."""

    def __init__(self, *args: str, env: dict | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=PROJECT,
            env={**os.environ, **(env or {})},
        )
        self.screen = self._read_until_prompt()

    def type(self, line: str) -> str:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        self.screen = self._read_until_prompt()
        return self.screen

    def press(self, label: str) -> str:
        choices = {text.strip(): number for number, text in CHOICE.findall(self.screen)}
        matches = [number for text, number in choices.items() if label in text]
        assert len(matches) == 1, f"{len(matches)} choices match {label!r}: {list(choices)}"
        return self.type(matches[0])

    def close(self) -> int:
        self.process.stdin.write("/quit\n")
        self.process.stdin.close()
        return self.process.wait(timeout=10)

    def _read_until_prompt(self) -> str:
        output = ""
        while not output.endswith("\n> "):
            char = self.process.stdout.read(1)
            if not char:
                raise AssertionError(f"console ended: {output[-500:]}{self.process.stderr.read()}")
            output += char
        return output
