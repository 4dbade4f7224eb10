"""The objection letter: the user's draft answers in, a short version, a full letter and guidance out.

The words come from dialogues/letter.yaml through the catalogs; this module only chooses and orders
them. The letter is an objection under GDPR Art. 21(1) to processing based on Art. 6(1)(f).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.lists import format_list

from bot.errors import ContentError, UsageError
from bot.i18n import LANGUAGES, Catalogs, Translator
from bot.letter_content import PLATFORMS, Country, LetterContent, Platform, Reason

__all__ = [
    "DETAIL_LIMIT",
    "LETTER_LIMIT",
    "NAME_LIMIT",
    "PLATFORMS",
    "SHORT_LIMIT",
    "Country",
    "Draft",
    "DraftAnswers",
    "LetterContent",
    "LetterWriter",
    "Platform",
    "Reason",
]

SHORT_LIMIT = 256  # the optional box of Meta's form, and Telegram's one-tap copy button
LETTER_LIMIT = 3500  # one Telegram message (4,096) with room for a title
DETAIL_LIMIT = 500
NAME_LIMIT = 120
SAMPLE_DAY = dt.date(2000, 9, 30)  # a long date in both languages, for the start-up check


@dataclass(frozen=True)
class DraftAnswers:
    """What the user chose; ids are those of letter.yaml. `lang` is the letter's language."""

    platforms: tuple[str, ...]
    reasons: tuple[str, ...]
    linked: bool | None = None  # in the same Accounts Center (None: unknown, or one platform)
    detail: str = ""  # the user's own sentence, quoted verbatim
    name: str = ""
    country: str = ""  # ISO 3166 alpha-2, or "" for Meta's lead authority
    lang: str = "en"


@dataclass(frozen=True)
class Draft:
    short: str  # at most SHORT_LIMIT characters, for the optional box of Meta's form
    letter: str  # the full letter, at most LETTER_LIMIT characters
    guidance: str  # where to use it, what happens next, what an objection does not do


@dataclass(frozen=True)
class _Choice:
    """DraftAnswers checked and resolved to content, in the content's order."""

    platforms: tuple[Platform, ...]
    reasons: tuple[Reason, ...]
    linked: bool | None
    detail: str
    name: str
    country: Country


class LetterWriter:
    """Composes drafts; checks at construction that every language stays within the limits."""

    def __init__(self, content: LetterContent, catalogs: Catalogs):
        self.content = content
        self.catalogs = catalogs
        self._check_limits()

    def compose(
        self, answers: DraftAnswers, today: dt.date, guidance_lang: str | None = None
    ) -> Draft:
        """Write the draft in answers.lang (guidance in guidance_lang, by default the same).

        Raises UsageError for an unknown id or language, or a detail or name over its limit.
        """
        choice = self._resolve(answers)
        _ = self._translator(answers.lang)
        guide = self._translator(guidance_lang or answers.lang)
        return Draft(
            short=self._short(choice, _),
            letter=self._letter(choice, _, today),
            guidance=self._guidance(choice, guide),
        )

    # Assembly

    def _letter(self, choice: _Choice, _: Translator, today: dt.date) -> str:
        texts = self.content.texts["letter"]
        grounds = [
            _(reason.paragraph)
            for reason in choice.reasons
            if not (reason.own_words and choice.detail)
        ]
        own_words = [_(texts["own_words"], detail=choice.detail)] if choice.detail else []
        signature = choice.name or "\n" + _(texts["signature_line"])
        paragraphs = [
            _(texts["recipient"]),
            _(texts["dated"], date=_.date(today)),
            _(texts["subject"]),
            _(texts["greeting"]),
            self._accounts(choice, _),
            _(texts["legal_basis"]),
            _(texts["objection"]),
            *grounds,
            *own_words,
            _(texts["burden"]),
            _(texts["requests"]),
            _(texts["erasure"]),
            _(texts["complaint"], authority=_(choice.country.authority)),
            _(texts["closing"]),
            signature,
        ]
        return "\n\n".join(paragraphs)

    def _short(self, choice: _Choice, _: Translator) -> str:
        """Name the grounds, most specific first, dropping the least specific until it fits."""
        texts = self.content.texts["short_version"]
        fragments = [_(reason.short) for reason in choice.reasons]
        for count in range(len(fragments), 0, -1):
            template = texts["all_reasons" if count == len(fragments) else "some_reasons"]
            short = _(template, reasons=format_list(fragments[:count], locale=_.lang))
            if len(short) <= SHORT_LIMIT:
                break
        else:
            raise ContentError(
                f"{self.content.path}: short_version: the {_.lang} short version of "
                f"{choice.reasons[0].id!r} alone exceeds {SHORT_LIMIT} characters; shorten it"
            )
        if choice.detail:
            with_detail = _(texts["own_words"], objection=short, detail=choice.detail)
            if len(with_detail) <= SHORT_LIMIT:
                return with_detail
        return short

    def _accounts(self, choice: _Choice, _: Translator) -> str:
        texts = self.content.texts["letter"]
        if len(choice.platforms) == 1:
            return _(texts["accounts_one"], platform=_(choice.platforms[0].label))
        labels = format_list([_(platform.label) for platform in choice.platforms], locale=_.lang)
        return _(texts[_linked_key(choice.linked)], platforms=labels)

    def _guidance(self, choice: _Choice, _: Translator) -> str:
        texts = self.content.texts["guidance"]
        where = "\n".join(_(platform.form_path) for platform in choice.platforms)
        accounts = _(texts[_linked_key(choice.linked)]) if len(choice.platforms) > 1 else ""
        return "\n\n".join(
            text
            for text in (
                where,
                accounts,
                _(texts["form_fields"]),
                _(texts["by_letter"]),
                _(texts["after"]),
                _(texts["limits"]),
                _(texts["complaint"], authority=_(choice.country.authority)),
            )
            if text
        )

    # Checks

    def _resolve(self, answers: DraftAnswers) -> _Choice:
        if not answers.platforms:
            raise UsageError(f"choose at least one platform; valid values: {', '.join(PLATFORMS)}")
        if not answers.reasons:
            valid = ", ".join(reason.id for reason in self.content.reasons)
            raise UsageError(f"choose at least one reason; valid values: {valid}")
        chosen_platforms = {self.content.platform(p).id for p in answers.platforms}
        chosen_reasons = {self.content.reason(r).id for r in answers.reasons}
        detail = answers.detail.strip()
        if len(detail) > DETAIL_LIMIT:
            raise UsageError(
                f"the detail is {len(detail)} characters long; keep it to {DETAIL_LIMIT} at most"
            )
        name = " ".join(answers.name.split())
        if len(name) > NAME_LIMIT:
            raise UsageError(f"the name is {len(name)} characters long; keep it to {NAME_LIMIT}")
        country = (
            self.content.country(answers.country)
            if answers.country
            else self.content.lead_authority
        )
        return _Choice(
            platforms=tuple(p for p in self.content.platforms if p.id in chosen_platforms),
            reasons=tuple(r for r in self.content.reasons if r.id in chosen_reasons),
            linked=answers.linked,
            detail=detail,
            name=name,
            country=country,
        )

    def _translator(self, lang: str) -> Translator:
        if lang not in LANGUAGES:
            raise UsageError(f"unknown language {lang!r}; valid values: {', '.join(LANGUAGES)}")
        return self.catalogs.translator(lang)

    def _check_limits(self) -> None:
        """Refuse to start if any language can exceed a limit, or lacks a translation."""
        every_reason = tuple(reason.id for reason in self.content.reasons)
        for lang in LANGUAGES:
            _ = self._translator(lang)
            for reason in every_reason:  # each ground's short text must fit on its own
                self.compose(DraftAnswers(PLATFORMS[:1], (reason,), lang=lang), SAMPLE_DAY)
            longest = max(self.content.countries, key=lambda country: len(_(country.authority)))
            for linked in (True, False, None):
                worst = DraftAnswers(
                    platforms=PLATFORMS,
                    reasons=every_reason,
                    linked=linked,
                    detail="x" * DETAIL_LIMIT,
                    name="x" * NAME_LIMIT,
                    country=longest.code,
                    lang=lang,
                )
                size = len(self.compose(worst, SAMPLE_DAY).letter)
                if size > LETTER_LIMIT:
                    raise ContentError(
                        f"{self.content.path}: the {lang} letter reaches {size} characters with "
                        f"every ground and the longest answers; the limit is {LETTER_LIMIT}: "
                        "shorten its paragraphs"
                    )


def _linked_key(linked: bool | None) -> str:
    """The text for two accounts: linked in one Accounts Center, not linked, or not sure."""
    return {True: "accounts_linked", False: "accounts_separate"}.get(linked, "accounts_unsure")
