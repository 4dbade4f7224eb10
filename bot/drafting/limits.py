"""The sizes a draft must fit, the user's own texts within them, and the start-up proof that they fit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.errors import UsageError
from bot.i18n import LANGUAGES, Catalogs, Translator

SHORT_LIMIT = 256  # the optional box of Meta's form, and Telegram's one-tap copy button
LETTER_LIMIT = 3500  # one Telegram message (4,096) with room for a title
DETAIL_LIMIT = 500
NAME_LIMIT = 120
LABEL_LIMIT = 30  # a button on a row of its own
SAMPLE_DAY = dt.date(2000, 9, 30)  # a long date in both languages, for the start-up check


def user_texts(detail: str, name: str) -> tuple[str, str]:
    """The user's sentence and name, trimmed; UsageError when one is over its limit."""
    detail = detail.strip()
    if len(detail) > DETAIL_LIMIT:
        raise UsageError(
            f"the detail is {len(detail)} characters long; keep it to {DETAIL_LIMIT} at most"
        )
    name = " ".join(name.split())
    if len(name) > NAME_LIMIT:
        raise UsageError(f"the name is {len(name)} characters long; keep it to {NAME_LIMIT}")
    return detail, name


def first_within(texts: Iterable[str], limit: int) -> str | None:
    """The first text of at most `limit` characters: candidates go from fullest to shortest."""
    return next((text for text in texts if len(text) <= limit), None)


def languages_to_prove(catalogs: Catalogs, msgids: Iterable[str]) -> list[Translator]:
    """The translators in which a writer proves at start-up that its worst case fits the limits.

    None when an entry is missing: `gdpr-bot check` lists them all, where composing would stop at
    the first."""
    if catalogs.missing(list(msgids)):
        return []
    return [catalogs.translator(lang) for lang in LANGUAGES]
