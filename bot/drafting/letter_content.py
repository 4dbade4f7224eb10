"""dialogues/letter.yaml as typed values: the grounds, countries, platforms and texts of the letter.

Everything is checked when the file loads, so a mistake shows up at start-up with the file and the
key, not when a user happens to choose the ground that holds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.drafting.reader import ContentReader
from bot.errors import ContentError, UsageError
from bot.yaml_io import read_yaml

# Ids are structure (the dialogue stores them, the CLI takes them); the words live in letter.yaml,
# which must define exactly these platforms.
ACCOUNTS = ("facebook", "instagram")

# Every text of each section, with the {placeholders} bot/drafting/letter.py fills in.
SECTIONS: Mapping[str, Mapping[str, frozenset[str]]] = {
    "letter": {
        "recipient": frozenset(),
        "dated": frozenset({"date"}),
        "subject": frozenset(),
        "greeting": frozenset(),
        "accounts_one": frozenset({"account"}),
        "accounts_linked": frozenset({"accounts"}),
        "accounts_separate": frozenset({"accounts"}),
        "accounts_unsure": frozenset({"accounts"}),
        "account_line": frozenset({"login"}),
        "account_blank": frozenset(),
        "account_label": frozenset(),
        "legal_basis": frozenset(),
        "objection": frozenset(),
        "more_grounds": frozenset({"grounds"}),
        "own_words": frozenset({"detail"}),
        "burden": frozenset(),
        "requests": frozenset(),
        "erasure": frozenset(),
        "complaint": frozenset({"authority"}),
        "closing": frozenset(),
        "signature_line": frozenset(),
        "signature_label": frozenset(),
    },
    "short_version": {
        "all_grounds": frozenset({"grounds"}),
        "tagged_grounds": frozenset({"tags"}),
        "own_words": frozenset({"objection", "detail"}),
    },
    "guidance": {
        "accounts_linked": frozenset(),
        "accounts_separate": frozenset(),
        "accounts_unsure": frozenset(),
        "form_fields": frozenset(),
        "by_letter": frozenset({"url"}),
        "after": frozenset(),
        "limits": frozenset(),
        "complaint": frozenset({"authority"}),
    },
    "headings": {
        "short": frozenset({"count"}),
        "letter": frozenset({"count"}),
        "guidance": frozenset(),
    },
}

GROUND_LABEL_LIMIT = 20  # a ground's label: a button that must fit a phone without "…"


@dataclass(frozen=True)
class Account:
    id: str
    label: str
    form_path: str  # where the objection form is in the app


@dataclass(frozen=True)
class Ground:
    """A ground relating to the user's particular situation (Art. 21(1))."""

    id: str
    label: str  # button text, at most GROUND_LABEL_LIMIT characters
    summary: str  # one line, so that users recognise themselves
    paragraph: str  # the letter's paragraph, first person
    short: str  # completes "…because ___" in the short version
    tag: str = ""  # two or three words naming the ground when the short texts do not fit
    icon: str = ""  # one emoji, on the button and before the summary
    own_words: bool = False  # the user's sentence is this ground: required, replaces the paragraph


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166 alpha-2
    label: str
    authority: str  # completes "I will lodge a complaint ___" (preposition included)


@dataclass(frozen=True)
class Chosen:
    """What a draft is about, resolved to content: see LetterContent.choose."""

    accounts: tuple[Account, ...]
    grounds: tuple[Ground, ...]
    country: Country
    to_lead_authority: bool
    given_country: bool


@dataclass(frozen=True)
class LetterContent:
    """Every msgid the letter uses, grouped the way bot/drafting/letter.py assembles them."""

    path: Path
    accounts: tuple[Account, ...]
    grounds: tuple[Ground, ...]  # most specific first
    countries: tuple[Country, ...]
    lead_authority: Country  # when the user's country is not given
    texts: Mapping[str, Mapping[str, str]]  # section -> name -> msgid, as in SECTIONS
    dpo_contact: str = ""  # the URL of Meta's contact form for its Data Protection Officer

    @classmethod
    def load(cls, path: Path) -> LetterContent:
        """Read and check letter.yaml; ContentError names the file, the key and what to fix."""
        data = read_yaml(path)
        reader = ContentReader(path)
        root = reader.mapping(data, "the top level")
        countries = tuple(
            Country(
                code=reader.text(item, "code", where),
                label=reader.text(item, "label", where),
                authority=reader.nested_text(item, "authority", where),
            )
            for where, item in reader.items(root, "countries")
        )
        content = cls(
            path=path,
            accounts=tuple(
                Account(
                    id=reader.text(item, "id", where),
                    label=reader.text(item, "label", where),
                    form_path=reader.nested_text(item, "form_path", where),
                )
                for where, item in reader.items(root, "accounts")
            ),
            grounds=tuple(
                Ground(
                    id=reader.text(item, "id", where),
                    label=reader.text(item, "label", where),
                    summary=reader.text(item, "summary", where),
                    # A ground that is the user's own sentence has no paragraph: the letter quotes it.
                    paragraph=""
                    if item.get("own_words")
                    else reader.text(item, "paragraph", where),
                    short=reader.text(item, "short", where),
                    tag=reader.nested_text(item, "tag", where),
                    icon=str(item.get("icon", "")),
                    own_words=bool(item.get("own_words", False)),
                )
                for where, item in reader.items(root, "grounds")
            ),
            countries=countries,
            lead_authority=_lead_authority(root, countries, path),
            texts=reader.sections(root, SECTIONS),
            dpo_contact=reader.text(root, "dpo_contact", "the top level"),
        )
        content._check(reader)
        return content

    # Look-ups by id raise UsageError, naming the valid ids.

    def ground(self, ground_id: str) -> Ground:
        return _find(self.grounds, "id", ground_id, "ground")

    def country(self, code: str) -> Country:
        """`fr` and `FR` are the same country."""
        return _find(self.countries, "code", code.upper(), "country")

    def account(self, account_id: str) -> Account:
        return _find(self.accounts, "id", account_id, "account")

    def choose(self, accounts, grounds, country: str) -> Chosen:
        """The user's accounts and grounds, in this content's order, and the authority of their
        country (Meta's lead authority when none is given); UsageError names an unknown id."""
        account_ids = {self.account(p).id for p in accounts}
        ground_ids = {self.ground(r).id for r in grounds}
        to = self.country(country) if country else self.lead_authority
        return Chosen(
            accounts=tuple(p for p in self.accounts if p.id in account_ids),
            grounds=tuple(r for r in self.grounds if r.id in ground_ids),
            country=to,
            to_lead_authority=to.code == self.lead_authority.code,
            given_country=bool(country),
        )

    def longest_authority(self, _) -> Country:
        """The country whose authority's name is longest in the translator's language."""
        return max(self.countries, key=lambda country: len(_(country.authority)))

    def msgids(self) -> Iterable[str]:
        """Every msgid the letter can use, so that `gdpr-bot check` verifies both catalogs."""
        for account in self.accounts:
            yield from (account.label, account.form_path)
        for ground in self.grounds:
            yield from (ground.label, ground.summary, ground.short, ground.tag)
            if ground.paragraph:
                yield ground.paragraph
        for country in self.countries:
            yield from (country.label, country.authority)
        for section in self.texts.values():
            yield from section.values()

    def _check(self, reader: ContentReader) -> None:
        reader.ids("accounts", [account.id for account in self.accounts], ACCOUNTS)
        reader.ids("grounds", [ground.id for ground in self.grounds])
        reader.ids("countries", [country.code for country in self.countries])
        reader.labels("grounds", self.grounds, GROUND_LABEL_LIMIT)


def _lead_authority(root: dict, countries: tuple[Country, ...], path: Path) -> Country:
    code = root.get("lead_authority")
    for country in countries:
        if country.code == code:
            return country
    raise ContentError(f"{path}: lead_authority: {code!r} is not one of the listed countries")


def _find(items, attribute: str, value: str, kind: str):
    for item in items:
        if getattr(item, attribute) == value:
            return item
    valid = ", ".join(getattr(item, attribute) for item in items)
    raise UsageError(f"unknown {kind} {value!r}; valid values: {valid}")
