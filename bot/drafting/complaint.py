"""The complaint to a data protection authority (GDPR Art. 77) when Meta ignores or refuses an objection.

The words come from dialogues/complaint.yaml, and the platforms, grounds, authorities and formal parts
from dialogues/letter.yaml, through the catalogs; this module only chooses and orders them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.lists import format_list

from bot.dates import one_month_after
from bot.drafting.letter import (
    DETAIL_LIMIT,
    LETTER_LIMIT,
    NAME_LIMIT,
    SAMPLE_DAY,
    SHORT_LIMIT,
    Country,
    Draft,
    LetterContent,
    Platform,
    Reason,
    user_texts,
)
from bot.drafting.letter_content import LABEL_LIMIT, PLATFORMS, ContentReader
from bot.errors import ContentError, UsageError
from bot.i18n import LANGUAGES, Catalogs, Translator
from bot.yaml_io import read_yaml

# Ids are structure (the dialogue stores them, the CLI takes them); complaint.yaml holds the words.
OUTCOMES = ("no_answer", "refused", "identity_request", "justification_request", "other")
NO_ANSWER = "no_answer"
# How the user objected: Meta's form in the app, the bot's letter, another letter or email. Only the
# bot's letter is known to have asked for erasure; only the form is known to need no reasons.
VIAS = ("form", "letter", "other")

# Every text of each section, with the {placeholders} this module fills in.
SECTIONS: Mapping[str, Mapping[str, frozenset[str]]] = {
    "letter": {
        "subject": frozenset(),
        "greeting": frozenset(),
        "lodged": frozenset({"authority"}),
        "account_one": frozenset({"platform"}),
        "accounts": frozenset({"platforms"}),
        "account_unknown": frozenset(),
        "when_dated": frozenset({"date"}),
        "when_around": frozenset({"date"}),
        "when_undated": frozenset(),
        **{f"via_{via}": frozenset({"when"}) for via in VIAS},
        "grounds": frozenset({"reasons"}),
        "grounds_some": frozenset({"reasons"}),
        "grounds_own": frozenset(),
        "form_empty": frozenset(),
        "asked": frozenset(),
        "cooperation": frozenset(),
        "requests": frozenset(),
        "requests_erasure": frozenset(),
        "documents": frozenset({"answer"}),
        "identity": frozenset(),
    },
    "short_version": {"request": frozenset(), "request_erasure": frozenset()},
    "guidance": {
        "route_other": frozenset({"authority"}),
        "elsewhere": frozenset(),
        "how": frozenset(),
        "free": frozenset(),
        "copies": frozenset(),
        "time_lead": frozenset(),
        "time_other": frozenset(),
    },
    "headings": {
        "short": frozenset({"count"}),
        "letter": frozenset({"count"}),
        "guidance": frozenset(),
    },
}


@dataclass(frozen=True)
class Outcome:
    """What Meta did with the objection."""

    id: str
    label: str  # button text, at most LABEL_LIMIT characters
    paragraph: str  # what happened, with the articles it breaches
    document: str  # Meta's answer, as an item of the list of documents attached
    short_dated: str  # the short version's first sentence, with {date}
    short_undated: str  # the same when the date is unknown


@dataclass(frozen=True)
class ComplaintContent:
    """Every msgid of complaint.yaml, grouped the way ComplaintWriter assembles them."""

    path: Path
    outcomes: tuple[Outcome, ...]
    routes: Mapping[str, str]  # country code -> where and how to file there, with {url}
    route_urls: Mapping[str, str]  # country code -> the authority's complaint page
    texts: Mapping[str, Mapping[str, str]]  # section -> name -> msgid, as in SECTIONS
    in_french: frozenset[str] = frozenset()  # complaint in French there, for a French chat

    @classmethod
    def load(cls, path: Path) -> ComplaintContent:
        """Read and check complaint.yaml; ContentError names the file, the key and what to fix."""
        data = read_yaml(path)
        reader = ContentReader(path)
        root = reader.mapping(data, "the top level")
        guidance = reader.mapping(root.get("guidance"), "guidance")
        routes = [
            (
                reader.text(item, "country", where).upper(),
                reader.text(item, "text", where, {"url"}),
                reader.text(item, "url", where),
            )
            for where, item in reader.items(guidance, "routes")
        ]
        content = cls(
            path=path,
            outcomes=tuple(
                Outcome(
                    id=reader.text(item, "id", where),
                    label=reader.text(item, "label", where),
                    paragraph=reader.text(item, "paragraph", where),
                    document=reader.nested_text(item, "document", where),
                    short_dated=reader.nested_text(item, "short_dated", where, {"date"}),
                    short_undated=reader.nested_text(item, "short_undated", where),
                )
                for where, item in reader.items(root, "outcomes")
            ),
            routes={code: text for code, text, _url in routes},
            route_urls={code: url for code, _text, url in routes},
            texts={
                section: {
                    name: reader.nested_text(
                        reader.mapping(root.get(section), section), name, section, params
                    )
                    for name, params in expected.items()
                }
                for section, expected in SECTIONS.items()
            },
            in_french=frozenset(str(code).upper() for code in root.get("in_french") or ()),
        )
        ids = tuple(outcome.id for outcome in content.outcomes)
        if ids != OUTCOMES:
            reader.fail("outcomes", f"has {ids}; define exactly {OUTCOMES}, in this order")
        for outcome in content.outcomes:
            if len(outcome.label) > LABEL_LIMIT:
                reader.fail(
                    f"outcomes.{outcome.id}.label",
                    f"is {len(outcome.label)} characters; a button takes at most {LABEL_LIMIT}",
                )
        if len(routes) != len(content.routes):
            reader.fail("guidance.routes", "names a country twice; give each one route")
        return content

    def outcome(self, outcome_id: str) -> Outcome:
        """Raises UsageError, naming the valid ids, for an unknown one."""
        for outcome in self.outcomes:
            if outcome.id == outcome_id:
                return outcome
        raise UsageError(f"unknown outcome {outcome_id!r}; valid values: {', '.join(OUTCOMES)}")

    def default_language(self, country: str, chat_lang: str) -> str:
        """The complaint's language unless the user chooses: French for the authorities listed in
        `in_french` when the chat is French, English otherwise."""
        return "fr" if chat_lang == "fr" and country.upper() in self.in_french else "en"

    def msgids(self) -> Iterable[str]:
        """Every msgid of complaint.yaml, so that `gdpr-bot check` verifies both catalogs."""
        for outcome in self.outcomes:
            yield from (
                outcome.label,
                outcome.paragraph,
                outcome.document,
                outcome.short_dated,
                outcome.short_undated,
            )
        yield from self.routes.values()
        for section in self.texts.values():
            yield from section.values()


@dataclass(frozen=True)
class ComplaintAnswers:
    """What the user told us; ids are those of complaint.yaml and letter.yaml."""

    platforms: tuple[str, ...]  # may be empty: the user did not say which accounts
    reasons: tuple[str, ...]  # the grounds given in the objection; may be empty
    outcome: str  # one of OUTCOMES
    sent_on: dt.date | None  # when the objection was sent (None: unknown)
    country: str = ""  # ISO 3166 alpha-2, or "" for Meta's lead authority
    name: str = ""
    detail: str = ""  # the user's own sentence, quoted verbatim
    lang: str = "en"
    objected_via: str = "letter"  # one of VIAS
    own_reasons: bool = False  # the objection gave reasons in the user's words, not listed here
    sent_approx: bool = False  # sent_on is the user's estimate ("this week", "about a month ago")


@dataclass(frozen=True)
class _Choice:
    """ComplaintAnswers checked and resolved to content, in the content's order."""

    platforms: tuple[Platform, ...]
    reasons: tuple[Reason, ...]
    outcome: Outcome
    sent_on: dt.date | None
    sent_approx: bool
    objected_via: str
    own_reasons: bool
    country: Country
    to_lead_authority: bool
    given_country: bool
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
            letter=self._letter(choice, _, today),
            guidance=self._guidance(
                choice, self.catalogs.translator(guidance_lang or answers.lang)
            ),
        )

    # Assembly

    def _letter(self, choice: _Choice, _: Translator, today: dt.date) -> str:
        """State every ground if the complaint fits, otherwise the most specific ones that do:
        the objection, attached, states them all."""
        counts = range(len(choice.reasons), 0, -1) if choice.reasons else [0]
        letters = (self._assemble(choice, _, today, count) for count in counts)
        letter = next((letter for letter in letters if len(letter) <= LETTER_LIMIT), None)
        if letter is None:
            raise ContentError(
                f"{self.content.path}: letter: the {_.lang} complaint exceeds {LETTER_LIMIT} "
                "characters even with a single ground; shorten its texts"
            )
        return letter

    def _assemble(self, choice: _Choice, _: Translator, today: dt.date, grounds: int) -> str:
        texts = self.content.texts["letter"]
        formal = self.letters.texts["letter"]
        signature = choice.name or "\n" + _(formal["signature_line"])
        paragraphs = [
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
            signature,
        ]
        return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)

    def _facts(self, choice: _Choice, _: Translator, grounds: int) -> str:
        """The accounts, how and when the user objected, its first `grounds` grounds, and what it
        asked for: only what the user told us."""
        texts = self.content.texts["letter"]
        labels = [_(platform.label) for platform in choice.platforms]
        if not labels:
            accounts = _(texts["account_unknown"])
        elif len(labels) == 1:
            accounts = _(texts["account_one"], platform=labels[0])
        else:
            accounts = _(texts["accounts"], platforms=format_list(labels, locale=_.lang))
        if choice.sent_on is None:
            when = _(texts["when_undated"])
        else:
            key = "when_around" if choice.sent_approx else "when_dated"
            when = _(texts[key], date=_.date(choice.sent_on))
        sentences = [accounts, _(texts[f"via_{choice.objected_via}"], when=when)]
        shorts = [_(reason.short) for reason in choice.reasons[:grounds]]
        if shorts:
            key = "grounds" if grounds == len(choice.reasons) else "grounds_some"
            sentences.append(_(texts[key], reasons=format_list(shorts, locale=_.lang)))
        elif choice.own_reasons:
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
        with_request = f"{what_happened} {_(request)}"
        for short in (with_request, what_happened):
            if len(short) <= SHORT_LIMIT:
                return short
        raise ContentError(
            f"{self.content.path}: outcomes.{outcome.id}: the {_.lang} short version is "
            f"{len(what_happened)} characters, over {SHORT_LIMIT}; shorten it"
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
        letters = self.letters
        if answers.objected_via not in VIAS:
            raise UsageError(
                f"unknown way of objecting {answers.objected_via!r}; valid values: {', '.join(VIAS)}"
            )
        outcome = self.content.outcome(answers.outcome)
        chosen_platforms = {letters.platform(p).id for p in answers.platforms}
        chosen_reasons = {letters.reason(r).id for r in answers.reasons}
        detail, name = user_texts(answers.detail, answers.name)
        country = letters.country(answers.country) if answers.country else letters.lead_authority
        _check_dates(outcome, answers.sent_on, answers.sent_approx, today)
        return _Choice(
            platforms=tuple(p for p in letters.platforms if p.id in chosen_platforms),
            reasons=tuple(r for r in letters.reasons if r.id in chosen_reasons),
            outcome=outcome,
            sent_on=answers.sent_on,
            sent_approx=answers.sent_approx,
            objected_via=answers.objected_via,
            own_reasons=answers.own_reasons and not chosen_reasons,
            country=country,
            to_lead_authority=country.code == letters.lead_authority.code,
            given_country=bool(answers.country),
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
        if self.catalogs.missing(msgids):
            return  # `gdpr-bot check` lists them all, where this would stop at the first
        every_reason = tuple(reason.id for reason in self.letters.reasons)
        today = SAMPLE_DAY + dt.timedelta(days=90)
        for lang in LANGUAGES:
            _ = self.catalogs.translator(lang)
            longest = max(self.letters.countries, key=lambda country: len(_(country.authority)))
            for outcome, country, via in itertools.product(OUTCOMES, ("", longest.code), VIAS):
                worst = ComplaintAnswers(
                    platforms=PLATFORMS,
                    reasons=every_reason,
                    outcome=outcome,
                    sent_on=SAMPLE_DAY,
                    country=country,
                    name="x" * NAME_LIMIT,
                    detail="x" * DETAIL_LIMIT,
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
