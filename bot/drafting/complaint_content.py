"""dialogues/complaint.yaml as typed values: what Meta did, where to complain, the complaint's texts.

Checked when the file loads, like letter.yaml; the platforms, grounds and authorities come from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.drafting.limits import LABEL_LIMIT
from bot.drafting.reader import ContentReader
from bot.errors import UsageError
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
        "account_one": frozenset({"account"}),
        "accounts": frozenset({"accounts"}),
        "account_unknown": frozenset(),
        "when_dated": frozenset({"date"}),
        "when_around": frozenset({"date"}),
        "when_undated": frozenset(),
        **{f"via_{via}": frozenset({"when"}) for via in VIAS},
        "grounds": frozenset({"grounds"}),
        "grounds_some": frozenset({"grounds"}),
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
            texts=reader.sections(root, SECTIONS),
            in_french=frozenset(str(code).upper() for code in root.get("in_french") or ()),
        )
        reader.ids("outcomes", [outcome.id for outcome in content.outcomes], OUTCOMES)
        reader.labels("outcomes", content.outcomes, LABEL_LIMIT)
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
