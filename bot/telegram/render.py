"""A Reply as Telegram messages: HTML text with every string escaped, and an inline keyboard.

Layout: the title in bold, the text, the sources (one line: a bold heading, the links, the date they
were checked), then the copy block in <pre>. Telegram allows 4096 characters per message once the
HTML is parsed (counted here in UTF-16 code units, as Telegram counts entity offsets); a longer
reply is cut at paragraph boundaries, a <pre> block into several, and only the last message
carries the keyboard.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine import Button, Reply

TEXT_LIMIT = 4096
COPY_TEXT_LIMIT = 256
PARAGRAPH = "\n\n"


@dataclass(frozen=True)
class Outgoing:
    """One message to send: its HTML and, on the last message of a reply, the keyboard."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


@dataclass(frozen=True)
class _Unit:
    """A piece kept in one message: its HTML, its parsed length, what joins it to the one before."""

    html: str
    length: int
    joiner: str = PARAGRAPH


def render(reply: Reply, copy_label: str, limit: int = TEXT_LIMIT) -> list[Outgoing]:
    """The messages for one reply; `copy_label` names the copy-to-clipboard button."""
    units = [*_title(reply), *_text(reply.text, limit), *_sources(reply), *_copy(reply, limit)]
    pages = _pack(units, limit)
    keyboard = _keyboard(reply, copy_label)
    return [Outgoing(page) for page in pages[:-1]] + [Outgoing(pages[-1], keyboard)]


def escape(text: str) -> str:
    """Text between tags needs only <, > and & escaped (attribute values get html.escape whole)."""
    return html.escape(text, quote=False)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# Units


def _title(reply: Reply) -> list[_Unit]:
    return (
        [_Unit(f"<b>{escape(reply.title)}</b>", utf16_length(reply.title))] if reply.title else []
    )


def _text(text: str, limit: int) -> list[_Unit]:
    return [_Unit(escape(chunk), utf16_length(chunk)) for chunk in _chunks(text.strip(), limit)]


def _sources(reply: Reply) -> list[_Unit]:
    if not reply.sources:
        return []
    # One line: the heading brings its own punctuation from the catalogs ("Sources:", « Sources : »).
    links = " · ".join(
        f'<a href="{html.escape(source.url)}">{escape(source.title)}</a>'
        for source in reply.sources
    )
    titles = " · ".join(source.title for source in reply.sources)
    label, checked = reply.sources_label, f"({reply.checked})"
    line = f"<b>{escape(label)}</b> {links} {escape(checked)}"
    return [_Unit(line, utf16_length(f"{label} {titles} {checked}"))]


def _copy(reply: Reply, limit: int) -> list[_Unit]:
    if reply.copy is None:
        return []
    return [
        _Unit(f"<pre>{escape(chunk)}</pre>", utf16_length(chunk))
        for chunk in _chunks(reply.copy.text.strip("\n"), limit)
    ]


# Packing and cutting


def _pack(units: list[_Unit], limit: int) -> list[str]:
    pages: list[list[str]] = [[]]
    used = 0
    for unit in units:
        cost = unit.length + (utf16_length(unit.joiner) if pages[-1] else 0)
        if pages[-1] and used + cost > limit:
            pages.append([])
            used, cost = 0, unit.length
        pages[-1].append((unit.joiner if pages[-1] else "") + unit.html)
        used += cost
    return ["".join(page) for page in pages]


def _chunks(text: str, limit: int) -> list[str]:
    """Cut text into pieces of at most `limit`: between paragraphs, else lines, else anywhere."""
    if utf16_length(text) <= limit:
        return [text] if text else []
    for separator in (PARAGRAPH, "\n", " "):
        parts = text.split(separator)
        if len(parts) > 1:
            return _regroup(parts, separator, limit)
    return _hard_cut(text, limit)


def _regroup(parts: list[str], separator: str, limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{separator}{part}" if current else part
        if utf16_length(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        if utf16_length(part) <= limit:
            current = part
        else:
            *whole, current = _chunks(part, limit)
            chunks += whole
    if current:
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()]


def _hard_cut(text: str, limit: int) -> list[str]:
    chunks, current, used = [], [], 0
    for char in text:
        size = utf16_length(char)
        if used + size > limit:
            chunks.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += size
    chunks.append("".join(current))
    return chunks


# Keyboard


def _keyboard(reply: Reply, copy_label: str) -> InlineKeyboardMarkup | None:
    rows = []
    if reply.copy and reply.copy.one_tap and 0 < utf16_length(reply.copy.text) <= COPY_TEXT_LIMIT:
        rows.append([InlineKeyboardButton(copy_label, copy_text=CopyTextButton(reply.copy.text))])
    rows += [[_button(button) for button in row] for row in reply.buttons if row]
    return InlineKeyboardMarkup(rows) if rows else None


def _button(button: Button) -> InlineKeyboardButton:
    if button.url:
        return InlineKeyboardButton(button.label, url=button.url)
    if button.inline_query is not None:
        return InlineKeyboardButton(button.label, switch_inline_query=button.inline_query)
    return InlineKeyboardButton(button.label, callback_data=button.id)
