"""The complaint to a data protection authority (GDPR Art. 77) when Meta ignores or refuses an objection.

The words come from dialogues/complaint.yaml, and the platforms, grounds, authorities and formal parts
from dialogues/letter.yaml, through the catalogs; this module only chooses and orders them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from babel.lists import format_list

from bot.dates import one_month_after
from bot.drafting import limits
from bot.drafting.complaint_content import NO_ANSWER, OUTCOMES, VIAS, ComplaintContent, Outcome
from bot.drafting.letter import Draft, signature
from bot.drafting.letter_content import ACCOUNTS, Chosen, LetterContent
from bot.drafting.paper import Letter
from bot.errors import ContentError, UsageError
from bot.i18n import Catalogs, Translator


@dataclass(frozen=True)
class ComplaintAnswers:
    """What the user told us; ids are those of complaint.yaml and letter.yaml."""

    accounts: tuple[str, ...]  # may be empty: the user did not say which accounts
    grounds: tuple[str, ...]  # the grounds given in the objection; may be empty
    outcome: str  # one of OUTCOMES
    sent_on: dt.date | None  # when the objection was sent (None: unknown)
    country: str = ""  # ISO 3166 alpha-2, or "" for Meta's lead authority
    name: str = ""
    detail: str = ""  # the user's own sentence, quoted verbatim
    lang: str = "en"
    objected_via: str = "letter"  # one of VIAS
    own_grounds: bool = False  # the objection gave reasons in the user's words, not listed here
    sent_approx: bool = False  # sent_on is the user's estimate ("this week", "about a month ago")


@dataclass(frozen=True)
class _Choice(Chosen):
    """ComplaintAnswers checked and resolved to content, in the content's order."""

    outcome: Outcome
    sent_on: dt.date | None
    sent_approx: bool
    objected_via: str
    own_grounds: bool
    name: str
    detail: str

    @property
    def asked_erasure(self) -> bool:
        return self.objected_via == "letter"


class ComplaintWriter:
    """Composes complaints; checks at construction that the content fits every limit."""

    def __init__(self, content: ComplaintContent, letters: LetterContent, catalogs: Catalogs):
        self.content = content
        self.letters = letters
        self.catalogs = catalogs
        self._check_routes()
        self._check_limits()

    def compose(
        self, answers: ComplaintAnswers, today: dt.date, guidance_lang: str | None = None
    ) -> Draft:
        """Write the complaint in answers.lang (guidance in guidance_lang, by default the same).

        Raises UsageError for an unknown id or language, a detail or name over its limit, a date
        after today, or "no answer" before the month Meta has to answer is over.
        """
        choice = self._resolve(answers, today)
        _ = self.catalogs.translator(answers.lang)
        return Draft(
            short=self._short(choice, _),
            document=self._letter(choice, _, today),
            guidance=self._guidance(
                choice, self.catalogs.translator(guidance_lang or answers.lang)
            ),
        )

    # Assembly

    def _letter(self, choice: _Choice, _: Translator, today: dt.date) -> Letter:
        """State every ground if the complaint fits, otherwise the most specific ones that do:
        the objection, attached, states them all."""
        counts = range(len(choice.grounds), 0, -1) if choice.grounds else [0]
        letters = (self._assemble(choice, _, today, count) for count in counts)
        letter = next((each for each in letters if len(each.text) <= limits.LETTER_LIMIT), None)
        if letter is None:
            raise ContentError(
                f"{self.content.path}: letter: the {_.lang} complaint exceeds {limits.LETTER_LIMIT} "
                "characters even with a single ground; shorten its texts"
            )
        return letter

    def _assemble(self, choice: _Choice, _: Translator, today: dt.date, grounds: int) -> Letter:
        texts = self.content.texts["letter"]
        formal = self.letters.texts["letter"]
        blocks = [
            _(formal["dated"], date=_.date(today)),
            _(texts["subject"]),
            _(texts["greeting"]),
            _(texts["lodged"], authority=_(choice.country.authority)),
            self._facts(choice, _, grounds),
            _(choice.outcome.paragraph),
            _(formal["own_words"], detail=choice.detail) if choice.detail else "",
            "" if choice.to_lead_authority else _(texts["cooperation"]),
            _(texts["requests_erasure" if choice.asked_erasure else "requests"]),
            _(texts["documents"], answer=_(choice.outcome.document)),
            _(texts["identity"]),
            _(formal["closing"]),
            signature(choice.name, formal, _),
        ]
        return Letter(tuple(block for block in blocks if block), _.lang, _(texts["subject"]))

    def _facts(self, choice: _Choice, _: Translator, grounds: int) -> str:
        """The accounts, how and when the user objected, its first `grounds` grounds, and what it
        asked for: only what the user told us."""
        texts = self.content.texts["letter"]
        labels = [_(account.label) for account in choice.accounts]
        if not labels:
            accounts = _(texts["account_unknown"])
        elif len(labels) == 1:
            accounts = _(texts["account_one"], account=labels[0])
        else:
            accounts = _(texts["accounts"], accounts=format_list(labels, locale=_.lang))
        if choice.sent_on is None:
            when = _(texts["when_undated"])
        else:
            key = "when_around" if choice.sent_approx else "when_dated"
            when = _(texts[key], date=_.date(choice.sent_on))
        sentences = [accounts, _(texts[f"via_{choice.objected_via}"], when=when)]
        shorts = [_(ground.short) for ground in choice.grounds[:grounds]]
        if shorts:
            key = "grounds" if grounds == len(choice.grounds) else "grounds_some"
            sentences.append(_(texts[key], grounds=format_list(shorts, locale=_.lang)))
        elif choice.own_grounds:
            sentences.append(_(texts["grounds_own"]))
        elif choice.objected_via == "form":
            sentences.append(_(texts["form_empty"]))
        if choice.asked_erasure:
            sentences.append(_(texts["asked"]))
        return " ".join(sentences)

    def _short(self, choice: _Choice, _: Translator) -> str:
        """The outcome's sentence, then the request when both fit."""
        outcome = choice.outcome
        what_happened = (
            _(outcome.short_dated, date=_.date(choice.sent_on))
            if choice.sent_on and not choice.sent_approx
            else _(outcome.short_undated)
        )
        request = self.content.texts["short_version"][
            "request_erasure" if choice.asked_erasure else "request"
        ]
        short = limits.first_within(
            [f"{what_happened} {_(request)}", what_happened], limits.SHORT_LIMIT
        )
        if short is not None:
            return short
        raise ContentError(
            f"{self.content.path}: outcomes.{outcome.id}: the {_.lang} short version is "
            f"{len(what_happened)} characters, over {limits.SHORT_LIMIT}; shorten it"
        )

    def _guidance(self, choice: _Choice, _: Translator) -> str:
        texts = self.content.texts["guidance"]
        code = choice.country.code
        where = (
            _(self.content.routes[code], url=self.content.route_urls[code])
            if code in self.content.routes
            else _(texts["route_other"], authority=_(choice.country.authority))
        )
        paragraphs = [
            where,
            "" if choice.given_country else _(texts["elsewhere"]),
            _(texts["how"]),
            f"{_(texts['free'])} {_(texts['copies'])}",
            _(texts["time_lead" if choice.to_lead_authority else "time_other"]),
        ]
        return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)

    # Checks

    def _resolve(self, answers: ComplaintAnswers, today: dt.date) -> _Choice:
        if answers.objected_via not in VIAS:
            raise UsageError(
                f"unknown way of objecting {answers.objected_via!r}; valid values: {', '.join(VIAS)}"
            )
        outcome = self.content.outcome(answers.outcome)
        chosen = self.letters.choose(answers.accounts, answers.grounds, answers.country)
        detail, name = limits.user_texts(answers.detail, answers.name)
        _check_dates(outcome, answers.sent_on, answers.sent_approx, today)
        return _Choice(
            **vars(chosen),
            outcome=outcome,
            sent_on=answers.sent_on,
            sent_approx=answers.sent_approx,
            objected_via=answers.objected_via,
            own_grounds=answers.own_grounds and not chosen.grounds,
            name=name,
            detail=detail,
        )

    def _check_routes(self) -> None:
        codes = {country.code for country in self.letters.countries}
        for code in self.content.routes:
            if code not in codes:
                raise ContentError(
                    f"{self.content.path}: guidance.routes: {code!r} is not a country of "
                    f"{self.letters.path.name}; use one of its codes"
                )
        lead = self.letters.lead_authority.code
        if lead not in self.content.routes:
            raise ContentError(
                f"{self.content.path}: guidance.routes: add a route for {lead!r}, the lead "
                "authority's country, used when the user gives none"
            )

    def _check_limits(self) -> None:
        """Refuse to start if a language cannot fit a limit (compose raises ContentError)."""
        msgids = [*self.content.msgids(), *self.letters.msgids()]
        every_ground = tuple(ground.id for ground in self.letters.grounds)
        today = limits.SAMPLE_DAY + dt.timedelta(days=90)
        for _ in limits.languages_to_prove(self.catalogs, msgids):
            lang = _.lang
            longest = self.letters.longest_authority(_)
            for outcome, country, via in itertools.product(OUTCOMES, ("", longest.code), VIAS):
                worst = ComplaintAnswers(
                    accounts=ACCOUNTS,
                    grounds=every_ground,
                    outcome=outcome,
                    sent_on=limits.SAMPLE_DAY,
                    country=country,
                    name="x" * limits.NAME_LIMIT,
                    detail="x" * limits.DETAIL_LIMIT,
                    lang=lang,
                    objected_via=via,
                )
                self.compose(worst, today)


def _check_dates(outcome: Outcome, sent_on: dt.date | None, approx: bool, today: dt.date) -> None:
    if sent_on is None:
        return
    if sent_on > today:
        raise UsageError(f"the objection's date {sent_on.isoformat()} is after today")
    # An estimate ("about a month ago") is the user's word: "no answer after a month" is theirs too.
    if outcome.id == NO_ANSWER and not approx and today <= one_month_after(sent_on):
        raise UsageError(
            f"Meta has until {one_month_after(sent_on).isoformat()} to answer an objection sent on "
            f"{sent_on.isoformat()} (Art. 12(3) GDPR); complain of no answer after that day"
        )
