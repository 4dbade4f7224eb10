"""Translations: the PO catalogs loaded per language, one Translator carried by each session.

The catalogs are read from the .po files themselves (no compiled .mo to forget), and a missing,
empty or fuzzy entry is an error, never a silent fall-back to English.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import babel
from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.dates import format_date

from bot.disk_cache import cache_folder, digest, kept_object
from bot.errors import ContentError, MissingMessage, UsageError

LANGUAGES = ("en", "fr")
# Our readers are in Europe: British English writes "29 November 2026", not "November 29, 2026".
DATE_LOCALES = {"en": "en_GB"}
DEFAULT_LANGUAGE = "en"


def negotiate(language_code: str | None) -> str:
    """Pick our language for a client code such as `fr`, `fr-CA`, `en-GB`, `de` or nothing."""
    if not language_code:
        return DEFAULT_LANGUAGE
    code = language_code.replace("_", "-")
    try:
        Locale.parse(code, sep="-")
    except (ValueError, UnknownLocaleError):
        return DEFAULT_LANGUAGE
    return negotiate_locale([code], LANGUAGES, sep="-") or _by_prefix(code)


def _by_prefix(code: str) -> str:
    prefix = code.split("-", 1)[0].lower()
    return prefix if prefix in LANGUAGES else DEFAULT_LANGUAGE


def placeholders(text: str) -> set[str]:
    """The {names} that str.format fills in; a lone brace counts as a problem to report."""
    try:
        return {
            name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None
        }
    except ValueError:
        return {"<unbalanced braces>"}


def collation_key(text: str) -> str:
    """Sort key for names in alphabetical order as French and English readers expect it: accents
    and case do not count (« Équateur » sorts with E, « Tchéquie » after « Suède »)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def other_language(lang: str) -> str:
    return "fr" if lang == "en" else "en"


@dataclass(frozen=True)
class Translator:
    """Turns msgids into one language's text, and formats dates the way that language writes them."""

    lang: str
    messages: dict[str, str]

    def __call__(self, msgid: str, **params) -> str:
        try:
            text = self.messages[msgid]
        except KeyError:
            raise MissingMessage(f"no {self.lang} translation for {msgid[:60]!r}") from None
        return text.format(**params) if params else text

    def date(self, day: dt.date) -> str:
        return _long_date(day, self.lang)


@functools.lru_cache(maxsize=1024)
def _long_date(day: dt.date, lang: str) -> str:
    """Babel parses its pattern on every call; the same few days recur (today, deadlines)."""
    if lang == "fr" and day.day == 1:
        return format_date(day, "d'er' MMMM y", locale="fr")  # French writes « 1er octobre »
    return format_date(day, format="long", locale=DATE_LOCALES.get(lang, lang))


class Catalogs:
    """Every language's messages, loaded once at start-up from locales/<lang>/LC_MESSAGES/*.po."""

    def __init__(self, messages_by_lang: dict[str, dict[str, str]]):
        self._translators = {
            lang: Translator(lang, messages) for lang, messages in messages_by_lang.items()
        }

    @classmethod
    def load(cls, locales_dir: Path, cache: Path | None = None) -> Catalogs:
        """Every language's .po files; `cache` (by default the user's cache folder) keeps them
        parsed: Babel takes a twentieth of a second to parse them, on every start."""
        sources = {}
        for lang in LANGUAGES:
            folder = locales_dir / lang / "LC_MESSAGES"
            sources[lang] = {path.name: path.read_bytes() for path in sorted(folder.glob("*.po"))}
            if not sources[lang]:
                raise ContentError(
                    f"{folder}: no .po catalog; run `gdpr-bot catalogs` to create it"
                )
        made_of = [babel.__version__]
        for lang, files in sources.items():
            made_of += [part for name, raw in files.items() for part in (lang, name, raw)]
        messages_by_lang = kept_object(
            cache or cache_folder(),
            "catalogs",
            digest(made_of),
            lambda: {
                lang: {
                    msgid: text for raw in files.values() for msgid, text in _usable_entries(raw)
                }
                for lang, files in sources.items()
            },
            code_folder=Path(__file__).parent,  # the i18n package's modules
        )
        return cls(messages_by_lang)

    def translator(self, lang: str) -> Translator:
        try:
            return self._translators[lang]
        except KeyError:
            valid = ", ".join(LANGUAGES)
            raise UsageError(f"unknown language {lang!r}; valid values: {valid}") from None

    def problems(self, msgids) -> list[str]:
        """What `gdpr-bot check` reports about the catalogs: missing entries, changed placeholders."""
        msgids = list(msgids)
        problems = self.missing(msgids)
        for lang, translator in self._translators.items():
            problems += [
                f"{lang}: the placeholders of {msgid[:50]!r} differ in translation"
                for msgid in msgids
                if msgid in translator.messages
                and placeholders(translator.messages[msgid]) != placeholders(msgid)
            ]
        return problems

    def missing(self, msgids) -> list[str]:
        """Problems for msgids that some language cannot show, one line each."""
        return [
            f"{lang}: no translation for {msgid[:70]!r}"
            for msgid in msgids
            for lang, translator in self._translators.items()
            if msgid not in translator.messages
        ]


def _usable_entries(raw: bytes) -> list[tuple[str, str]]:
    """The entries of a .po file's bytes with a non-empty, non-fuzzy translation; the others
    count as missing."""
    # Imported here, on a cache miss only: Babel's .po reader takes about 40 ms to import.
    from babel.messages.pofile import read_po

    return [
        (message.id, message.string)
        for message in read_po(io.BytesIO(raw))
        if message.id and message.string and not message.fuzzy and isinstance(message.id, str)
    ]
