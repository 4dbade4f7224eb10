"""Replies as plain text, for the terminal and the `ask` command."""

from __future__ import annotations

from bot.model import Reply

RULE = "─" * 40


def format_reply(reply: Reply) -> str:
    parts = []
    if reply.title:
        parts.append(f"■ {reply.title}")
    parts.append(reply.text)
    if reply.sources:
        lines = [f"  • {s.title}, {s.checked} — {s.url}" for s in reply.sources]
        parts.append("\n".join([reply.sources_label, *lines]))
    if reply.copy:
        parts.append(f"{RULE}\n{reply.copy.text}\n{RULE}")
    return "\n\n".join(part for part in parts if part)
