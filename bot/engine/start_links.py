"""What a link t.me/<bot>?start=<payload> opens: "<lang>" (the menu in that language) or
"<lang>-<topic>" (that topic's answer). Telegram passes the payload to /start as is; it allows 1 to
64 of A-Z, a-z, 0-9, _ and -, which topic ids (a-z, 0-9, _) keep to."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import LANGUAGES

PAYLOAD_LIMIT = 64


@dataclass(frozen=True)
class StartLink:
    lang: str
    topic: str = ""

    @property
    def payload(self) -> str:
        return f"{self.lang}-{self.topic}" if self.topic else self.lang

    @classmethod
    def parse(cls, payload: str) -> StartLink | None:
        """The link's language and topic, or None for a payload this bot never made."""
        lang, _dash, topic = payload.partition("-")
        return cls(lang, topic) if lang in LANGUAGES and len(payload) <= PAYLOAD_LIMIT else None
