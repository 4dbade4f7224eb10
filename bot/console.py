"""The dialogue in a terminal: replies as plain text, buttons as numbered choices, typing a number presses it.

`format_reply` also serves the `ask` command."""

from __future__ import annotations

from typing import TextIO

from bot.engine import Conversation, Event, Reply

QUIT = ("/quit", "/exit")
RULE = "─" * 40


class Console:
    def __init__(self, conversation: Conversation, user: str, stdout: TextIO):
        self.conversation = conversation
        self.user = user
        self.stdout = stdout
        self._choices: list[str] = []

    def run(self, lines, language_code: str | None, prompt: str = "> ") -> None:
        replies = self.conversation.resume(self.user)
        if replies is None:
            replies = self.conversation.handle(self.user, Event("start"), language_code).replies
        self.show(replies)
        while True:
            self.stdout.write(prompt)
            self.stdout.flush()
            line = lines.readline()
            if not line or line.strip().lower() in QUIT:
                self.stdout.write("\n")
                return
            event = self.event_for(line.strip())
            if event is not None:
                self.show(self.conversation.handle(self.user, event, language_code).replies)

    def event_for(self, line: str) -> Event | None:
        if not line:
            return None
        if line.isdigit():
            number = int(line)
            # A number that is not on screen is a stale button: the engine says so kindly.
            in_range = 1 <= number <= len(self._choices)
            return Event("pressed", self._choices[number - 1] if in_range else "")
        if line.startswith("/") and len(line) > 1 and " " not in line:
            return Event("command", line[1:].split("@", 1)[0])
        return Event("typed", line)

    def show(self, replies: tuple[Reply, ...]) -> None:
        self._choices = []
        for reply in replies:
            self.stdout.write("\n" + format_reply(reply) + "\n")
            for row in reply.buttons:
                self.stdout.write(self._row(row) + "\n")
        self.stdout.flush()

    def _row(self, row) -> str:
        cells = []
        for button in row:
            if button.url:
                cells.append(f"[{button.label}: {button.url}]")
            else:
                self._choices.append(button.id)
                cells.append(f"{len(self._choices)}) {button.label}")
        return "   ".join(cells)


def format_reply(reply: Reply) -> str:
    parts = []
    if reply.title:
        parts.append(f"■ {reply.title}")
    parts.append(reply.text)
    if reply.sources:
        links = " · ".join(f"{s.title} <{s.url}>" for s in reply.sources)
        parts.append(f"{reply.sources_label} {links} ({reply.checked})")
    if reply.copy:
        parts.append(f"{RULE}\n{reply.copy.text}\n{RULE}")
    if reply.attachment:
        parts.append(f"📎 {reply.attachment.filename}")
    return "\n\n".join(part for part in parts if part)
