"""The small values that cross boundaries: an Event in, a Session stored, Replies out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.drafting import Letter

EventKind = Literal["start", "command", "pressed", "typed", "unsupported", "reminder"]


@dataclass(frozen=True)
class Event:
    """What the user did: pressed a button (value = button id), typed text, sent a command..."""

    kind: EventKind
    value: str = ""


@dataclass
class Session:
    """Everything stored about one user: where they are, their language, their draft answers."""

    user: str
    state: str
    lang: str
    slots: dict = field(default_factory=dict)
    updated_at: float = 0.0


@dataclass(frozen=True)
class Subscription:
    """A user who asked for news alerts: stored with the session (its `alerts` slot), and kept,
    cut down to this, when an idle session is purged. `last_note`: the newest note claimed."""

    user: str
    lang: str
    since: str  # ISO date
    last_note: int = 0


@dataclass(frozen=True)
class Button:
    """A choice offered to the user; `id` is stable and short enough for Telegram callback data.
    A button with a `url` opens it; one with an `inline_query` lets the user pick a chat and post
    one of the bot's cards there (Telegram's inline mode), the query typed in already."""

    id: str
    label: str
    url: str | None = None
    inline_query: str | None = None


@dataclass(frozen=True)
class Source:
    """A cited document: a short title shown as a link."""

    title: str
    url: str


@dataclass(frozen=True)
class CopyBlock:
    """Text meant to be copied as is; `one_tap` means it fits Telegram's copy button."""

    text: str
    one_tap: bool = False


@dataclass(frozen=True)
class Attachment:
    """A file: plain text, or a letter the adapter prints as PDF. The engine does not print it:
    that takes a tenth of a second, which an adapter can spend off its event loop."""

    filename: str
    content: str | Letter


@dataclass(frozen=True)
class Reply:
    """One message, platform-neutral: adapters decide how to show each part. A reply that is only
    a text and an attachment is the file with that text as its caption."""

    text: str
    title: str = ""
    sources: tuple[Source, ...] = ()
    sources_label: str = ""  # e.g. "Sources:"
    checked: str = ""  # the whole phrase, e.g. "checked on 1 December 2026"
    copy: CopyBlock | None = None
    attachment: Attachment | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()
