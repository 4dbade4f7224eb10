"""The objection letter: draft answers in; a short version, a full letter and guidance out.

The words come from dialogues/letter.yaml through the catalogs; this module only chooses and orders
them. The letter is an objection under GDPR Art. 21(1) to processing based on Art. 6(1)(f).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from babel.lists import format_list

from bot.drafting.letter_content import ACCOUNTS, Chosen, Ground, LetterContent
from bot.drafting.limits import (
    DETAIL_LIMIT,
    LETTER_LIMIT,
    NAME_LIMIT,
    SAMPLE_DAY,
    SHORT_LIMIT,
    first_within,
    languages_to_prove,
    user_texts,
)
from bot.drafting.paper import Blank, Letter
from bot.errors import ContentError, UsageError
from bot.i18n import Catalogs, Translator


@dataclass(frozen=True)
class DraftAnswers:
    """What the user chose; ids are those of letter.yaml. `lang` is the letter's language."""

    accounts: tuple[str, ...]
    grounds: tuple[str, ...]
    linked: bool | None = None  # in the same Accounts Center (None: unknown, or one platform)
    detail: str = ""  # the user's own sentence, quoted verbatim
    name: str = ""
    country: str = ""  # ISO 3166 alpha-2, or "" for Meta's lead authority
    lang: str = "en"
    login: str = ""  # the account's email address or username ("": a blank to fill in)


@dataclass(frozen=True)
class Draft:
    short: str  # at most SHORT_LIMIT characters, for the optional box of Meta's form
    document: Letter  # the full letter, for the .txt file and the printed page
    guidance: str  # where to use it, what happens next, what an objection does not do

    @property
    def letter(self) -> str:
        """The full letter as plain text, at most LETTER_LIMIT characters."""
        return self.document.text


@dataclass(frozen=True)
class _Choice(Chosen):
    """DraftAnswers checked and resolved to content, in the content's order."""

    linked: bool | None
    detail: str
    name: str
    login: str


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
        _ = self.catalogs.translator(answers.lang)
        guide = self.catalogs.translator(guidance_lang or answers.lang)
        return Draft(
            short=self._short(choice, _),
            document=self._letter(choice, _, today),
            guidance=self._guidance(choice, guide),
        )

    # Assembly

    def _letter(self, choice: _Choice, _: Translator, today: dt.date) -> Letter:
        """Give the most specific grounds a paragraph each and name the others in one sentence,
        moving grounds into that sentence, least specific first, until the letter fits."""
        grounds = [r for r in choice.grounds if not (r.own_words and choice.detail)]
        letters = (
            self._assemble(choice, _, today, grounds[:count], grounds[count:])
            for count in range(len(grounds), -1, -1)
        )
        letter = next((letter for letter in letters if len(letter.text) <= LETTER_LIMIT), None)
        if letter is None:
            raise ContentError(
                f"{self.content.path}: letter: the {_.lang} letter exceeds {LETTER_LIMIT} "
                "characters even with every ground in one sentence; shorten its texts"
            )
        return letter

    def _assemble(
        self,
        choice: _Choice,
        _: Translator,
        today: dt.date,
        detailed: list[Ground],
        named: list[Ground],
    ) -> Letter:
        texts = self.content.texts["letter"]
        named_sentence = (
            [_(texts["more_grounds"], grounds=_list([_(ground.short) for ground in named], _))]
            if named
            else []
        )
        own_words = [_(texts["own_words"], detail=choice.detail)] if choice.detail else []
        account = (
            _(texts["account_line"], login=choice.login)
            if choice.login
            else Blank(_(texts["account_blank"]), _(texts["account_label"]))
        )
        blocks = [
            _(texts["recipient"]),
            _(texts["dated"], date=_.date(today)),
            _(texts["subject"]),
            _(texts["greeting"]),
            self._accounts(choice, _),
            account,
            _(texts["legal_basis"]),
            _(texts["objection"]),
            *(_(ground.paragraph) for ground in detailed),
            *named_sentence,
            *own_words,
            _(texts["burden"]),
            _(texts["requests"]),
            _(texts["erasure"]),
            _(texts["complaint"], authority=_(choice.country.authority)),
            _(texts["closing"]),
            signature(choice.name, texts, _),
        ]
        return Letter(tuple(blocks), _.lang, _(texts["subject"]))

    def _short(self, choice: _Choice, _: Translator) -> str:
        """Name every ground: by its `short` text when all fit, else by its `tag`; add the user's
        sentence when it still fits. A ground is never dropped (the start-up check proves that
        every ground's tag fits together)."""
        texts = self.content.texts["short_version"]
        objections = [
            _(texts["all_grounds"], grounds=_list([_(r.short) for r in choice.grounds], _)),
            _(texts["tagged_grounds"], tags=_list([_(r.tag) for r in choice.grounds], _)),
        ]
        quoted = (
            [_(texts["own_words"], objection=text, detail=choice.detail) for text in objections]
            if choice.detail
            else []
        )
        short = first_within([*quoted, *objections], SHORT_LIMIT)
        if short is None:
            raise ContentError(
                f"{self.content.path}: short_version: the {_.lang} short version naming every "
                f"ground by its tag exceeds {SHORT_LIMIT} characters; shorten the tags"
            )
        return short

    def _accounts(self, choice: _Choice, _: Translator) -> str:
        texts = self.content.texts["letter"]
        if len(choice.accounts) == 1:
            return _(texts["accounts_one"], account=_(choice.accounts[0].label))
        labels = _list([_(account.label) for account in choice.accounts], _)
        return _(texts[_linked_key(choice.linked)], accounts=labels)

    def _guidance(self, choice: _Choice, _: Translator) -> str:
        texts = self.content.texts["guidance"]
        where = "\n".join(_(account.form_path) for account in choice.accounts)
        accounts = _(texts[_linked_key(choice.linked)]) if len(choice.accounts) > 1 else ""
        return "\n\n".join(
            text
            for text in (
                where,
                accounts,
                _(texts["form_fields"]),
                _(texts["by_letter"], url=self.content.dpo_contact),
                _(texts["after"]),
                _(texts["limits"]),
                _(texts["complaint"], authority=_(choice.country.authority)),
            )
            if text
        )

    # Checks

    def _resolve(self, answers: DraftAnswers) -> _Choice:
        if not answers.accounts:
            raise UsageError(f"choose at least one account; valid values: {', '.join(ACCOUNTS)}")
        if not answers.grounds:
            valid = ", ".join(ground.id for ground in self.content.grounds)
            raise UsageError(f"choose at least one ground; valid values: {valid}")
        chosen = self.content.choose(answers.accounts, answers.grounds, answers.country)
        detail, name = user_texts(answers.detail, answers.name)
        login = " ".join(answers.login.split())
        if len(login) > NAME_LIMIT:
            raise UsageError(f"the login is {len(login)} characters; keep it to {NAME_LIMIT}")
        own_words = [ground.id for ground in chosen.grounds if ground.own_words]
        if own_words and not detail:
            raise UsageError(
                f"the ground {own_words[0]!r} is your own sentence: give it as the detail (--detail)"
            )
        return _Choice(**vars(chosen), linked=answers.linked, detail=detail, name=name, login=login)

    def _check_limits(self) -> None:
        """Refuse to start if a language cannot fit a limit (compose raises ContentError)."""
        every_ground = tuple(ground.id for ground in self.content.grounds)
        for _ in languages_to_prove(self.catalogs, self.content.msgids()):
            lang = _.lang
            for ground in every_ground:  # each ground's short text must fit on its own
                answers = DraftAnswers(ACCOUNTS[:1], (ground,), detail="x", lang=lang)
                self.compose(answers, SAMPLE_DAY)
            longest = self.content.longest_authority(_)
            for linked in (True, False, None):
                worst = DraftAnswers(
                    accounts=ACCOUNTS,
                    grounds=every_ground,
                    linked=linked,
                    detail="x" * DETAIL_LIMIT,
                    name="x" * NAME_LIMIT,
                    country=longest.code,
                    lang=lang,
                    login="x" * NAME_LIMIT,
                )
                self.compose(worst, SAMPLE_DAY)


def signature(name: str, texts: Mapping[str, str], _: Translator) -> Blank:
    """The name under the space to sign, or, with no name, a line saying what goes there."""
    if name:
        return Blank(name, name, signature=True)
    return Blank("\n" + _(texts["signature_line"]), _(texts["signature_label"]), signature=True)


def _linked_key(linked: bool | None) -> str:
    """The text for two accounts: linked in one Accounts Center, not linked, or not sure."""
    return {True: "accounts_linked", False: "accounts_separate"}.get(linked, "accounts_unsure")


def _list(items: list[str], _: Translator) -> str:
    """Join items as "a, b and c", the way the translator's language writes it."""
    return format_list(items, locale=_.lang)
