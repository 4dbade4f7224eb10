"""Test helpers for the Telegram adapter: simulated users who send text and press buttons by label,
and the real bot in a subprocess.

Knowing when the bot is done: it handles users concurrently, but each user's updates one at a
time, in order. To settle, a probe makes every user who acted since the last settle send /help in a
group of its own (the bot answers a group without storing anything); once the bot has answered
each of those, it has finished with everything before them. No sleeps and no guessed delays.
"""

from __future__ import annotations

import functools
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bot.engine import ButtonId, Flow, KnowledgeBase
from bot.i18n import Catalogs
from bot.paths import ContentPaths
from bot.telegram import Profile
from tests.support.fake_bot_api import ChatMessage, FakeBotAPI

_user_ids = itertools.count(1001)


def say(lang: str, key: str) -> str:
    """A message of flow.yaml as users read it in `lang`."""
    flow, catalogs = _content()
    return catalogs.translator(lang)(flow.messages[key]).strip()


def label(lang: str, button_id: str) -> str:
    """A button label of flow.yaml in `lang`."""
    flow, catalogs = _content()
    return catalogs.translator(lang)(flow.labels[ButtonId.parse(button_id)])


def profile_text(lang: str, key: str) -> str:
    """A message of telegram.yaml (the Telegram-only texts) in `lang`."""
    return _profile().message(key, lang)


def profile_description(lang: str) -> str:
    """The bot's description as registered with Telegram, in `lang`."""
    return _profile().description(lang)


@functools.cache
def _profile() -> Profile:
    flow, catalogs = _content()
    paths = ContentPaths.from_environment()
    topics = KnowledgeBase.load(paths.dialogues / "topics.yaml").topics
    return Profile.load(paths.dialogues / "telegram.yaml", catalogs, flow, topics)


def assert_nothing_refused(api: FakeBotAPI) -> None:
    """Telegram refused no call (bad HTML, a caption too long...). "Message is not modified" is
    its answer to an edit that shows what is already there: a success."""
    refused = [call for call in api.refused_calls() if "not modified" not in call.description]
    assert not refused, [(call.method, call.description) for call in refused]


def text_of(messages: list[ChatMessage]) -> str:
    return "\n".join(message.text for message in messages)


@functools.cache
def _content() -> tuple[Flow, Catalogs]:
    paths = ContentPaths.from_environment()
    return Flow.load(paths.dialogues / "flow.yaml"), Catalogs.load(paths.locales)


class Probe:
    """Each probe asks in a new group: the rate limiter allows a group 20 messages a minute."""

    def __init__(self, api: FakeBotAPI):
        self.api = api
        self.user = {"id": 999, "is_bot": False, "first_name": "Probe", "language_code": "en"}
        self._group_ids = itertools.count(-1_000_000, -1)
        self._settled = 0  # how many of api.senders are settled

    def settle(self, timeout: float = 20.0) -> None:
        """Return once the bot has handled every update injected so far."""
        with self.api.atomically():
            acted = set(self.api.senders[self._settled :]) or {self.user["id"]}
            groups = [self._ask_in_a_group(user_id) for user_id in sorted(acted)]
            self._settled = len(self.api.senders)
        self.api.wait_until(
            lambda: all(any(m.from_bot for m in self.api.chat_messages(group)) for group in groups),
            timeout,
        )

    def _ask_in_a_group(self, user_id: int) -> int:
        chat = {"id": next(self._group_ids), "type": "group", "title": "Probe"}
        sender = {**self.user, "id": user_id}
        self.api.inject_message(sender, chat, text="/help")
        return chat["id"]


class SimulatedUser:
    """One person in a private chat with the bot. Every action returns the bot messages it caused
    (new ones, and edited ones as they look now)."""

    def __init__(
        self,
        api: FakeBotAPI,
        probe: Probe,
        language_code: str | None = "en",
        typed: list[str] | None = None,
        first_name: str = "Camille",
    ):
        self.api, self.probe = api, probe
        self.id = next(_user_ids)
        self.user = {"id": self.id, "is_bot": False, "first_name": first_name}
        if language_code:
            self.user["language_code"] = language_code
        self.chat = {"id": self.id, "type": "private", "first_name": first_name}
        self.typed = typed if typed is not None else []  # what they wrote, to search the logs for

    @property
    def key(self) -> str:
        return f"tg:{self.id}"

    # Actions

    def send(self, text: str) -> list[ChatMessage]:
        if not text.startswith("/"):
            self.typed.append(text)
        return self._act(lambda: self.api.inject_message(self.user, self.chat, text=text))

    def send_content(self, **content) -> list[ChatMessage]:
        """Anything but text, e.g. sticker={...} or photo=[...]."""
        return self._act(lambda: self.api.inject_message(self.user, self.chat, **content))

    def edit(self, text: str) -> list[ChatMessage]:
        self.typed.append(text)
        return self._act(
            lambda: self.api.inject_message(self.user, self.chat, edited=True, text=text)
        )

    def press(self, label: str) -> list[ChatMessage]:
        """Press the newest button with this label (exact, or a unique part of it)."""
        message, button = self.find_button(label)
        return self.press_data(button["callback_data"], message)

    def press_data(self, data: str, message: ChatMessage | None) -> list[ChatMessage]:
        self.last_query = None

        def inject():
            self.last_query = self.api.inject_callback(self.user, message, data)

        return self._act(inject)

    # Reading

    def bot_messages(self) -> list[ChatMessage]:
        return [m for m in self.api.chat_messages(self.id) if m.from_bot]

    def find_button(self, label: str) -> tuple[ChatMessage, dict]:
        """Look where a person would: the message the bot sent or edited last, then older ones."""
        for message in self.api.recently_shown(self.id):
            buttons = [b for row in message.keyboard for b in row if "callback_data" in b]
            exact = [b for b in buttons if b["text"] == label]
            near = [b for b in buttons if label.casefold() in b["text"].casefold()]
            found = exact or near
            if len(found) > 1 and not exact:
                raise AssertionError(
                    f"{label!r} matches several buttons: {[b['text'] for b in found]}"
                )
            if found:
                return message, found[0]
        recent = self.api.recently_shown(self.id)[:3]
        shown = [b["text"] for m in recent for row in m.keyboard for b in row]
        raise AssertionError(f"no button {label!r}; the last messages offer {shown}")

    def buttons(self, code: str = "") -> list[dict]:
        """Callback buttons of the last keyboard shown whose id (after the version) starts with
        code."""
        for message in self.api.recently_shown(self.id):
            if message.keyboard:
                return [
                    b
                    for row in message.keyboard
                    for b in row
                    if b.get("callback_data", "").partition("|")[2].startswith(code)
                ]
        return []

    def _act(self, action) -> list[ChatMessage]:
        mark = self.api.activity_mark()
        action()
        self.probe.settle()
        return self.api.shown_since(self.id, mark)


TOKEN = "7012345678:AAFakeTokenForTests_0123456789-abcd"  # well-formed, never valid


def bare_environment() -> dict[str, str]:
    """This process's environment without the bot's own settings, which a developer may have set."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "GDPR_BOT_"))}


def run_bot(folder: Path, **variables: str) -> subprocess.CompletedProcess:
    """`gdpr-bot run` to its end, in `folder`, with only the given settings."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=folder,
        env={**bare_environment(), **variables},
        capture_output=True,
        text=True,
        timeout=30,
    )


class BotProcess:
    """The real `gdpr-bot run` in a subprocess, talking to `api`; its output goes to one file.
    A subclass may run another program (its arguments after the interpreter) the same way."""

    program: tuple[str, ...] = ("-m", "bot", "run")

    def __init__(self, api: FakeBotAPI, folder: Path, db: Path | str, *args: str, **variables: str):
        self.api, self.folder, self.db, self.args = api, folder, db, args
        self.variables = variables
        self.log = folder / "bot-output.txt"
        self.process: subprocess.Popen | None = None

    def start(self, ready_call: str = "getUpdates") -> BotProcess:
        env = bare_environment()
        env.update(
            TELEGRAM_BOT_TOKEN=self.api.token,
            TELEGRAM_API_URL=self.api.url,
            GDPR_BOT_DB=str(self.db),
            **self.variables,
        )
        before = len(self.api.calls_of(ready_call))
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, *self.program, *self.args],
                cwd=self.folder,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.api.wait_until(
            lambda: len(self.api.calls_of(ready_call)) > before or self.process.poll() is not None
        )
        assert self.process.poll() is None, f"the bot exited at start:\n{self.output()}"
        return self

    def stop(self) -> int:
        """SIGTERM, as systemd or docker stop would send; returns the exit status."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=20)

    def kill(self) -> int:
        self.process.kill()
        return self.process.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    """A loopback port nothing listens on now (for a webhook server to bind)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    """Return once something accepts connections on the loopback port."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)
