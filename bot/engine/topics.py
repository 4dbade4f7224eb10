"""dialogues/topics.yaml as typed values: the menu's sections and the answer to each topic."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ContentError
from bot.yaml_io import read_yaml

# The short answer shown before "More", in every language: about one phone screen.
SHORT_ANSWER_LIMIT = 650
MIN_SENTENCE_WORDS = 4  # shorter pieces of an answer are not indexed for matching


@dataclass(frozen=True)
class SourceRef:
    title: str
    url: str


@dataclass(frozen=True)
class Topic:
    """One answer: a short `answer` whose first line answers the question, `details` behind "More",
    the sources and the day they were last checked, buttons for what the answer offers to do
    (`actions`, flow.yaml button ids) and related topics. `opens_with` names a message of
    flow.yaml shown before the answer (a text shared with other screens)."""

    id: str
    title: str
    answer: str
    details: str
    sources: tuple[SourceRef, ...]
    checked: dt.date
    actions: tuple[str, ...]
    related: tuple[str, ...]
    opens_with: str = ""


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    text: str
    topics: tuple[str, ...]
    actions: tuple[str, ...] = ()  # flow.yaml button ids offered under the topics


@dataclass(frozen=True)
class KnowledgeBase:
    sections: dict[str, Section]
    topics: dict[str, Topic]

    @classmethod
    def load(cls, path: Path) -> KnowledgeBase:
        data = read_yaml(path)
        try:
            sections = {spec["id"]: _section(spec) for spec in data["sections"]}
            topics = {spec["id"]: _topic(spec) for spec in data["topics"]}
        except (KeyError, TypeError) as error:
            raise ContentError(f"{path}: a section or topic lacks the key {error}") from None
        return cls(sections, topics)

    def section_of(self, topic_id: str) -> str | None:
        return next((s.id for s in self.sections.values() if topic_id in s.topics), None)

    @property
    def last_checked(self) -> dt.date:
        """The newest `checked` day: the date the content as a whole was last checked."""
        return max(topic.checked for topic in self.topics.values())

    def descriptions(self, translate) -> dict[str, list[str]]:
        """Each topic's title and the sentences of its answer and details, in `translate`'s
        language: what the matcher's semantic channel counts as describing the topic."""
        return {
            topic.id: [
                translate(topic.title),
                *(
                    sentence
                    for text in (topic.answer, topic.details)
                    if text
                    for sentence in _sentences(translate(text))
                ),
            ]
            for topic in self.topics.values()
        }

    def msgids(self) -> list[str]:
        ids = [text for s in self.sections.values() for text in (s.title, s.text)]
        for topic in self.topics.values():
            ids += [topic.title, topic.answer, *(source.title for source in topic.sources)]
            ids += [topic.details] if topic.details else []
        return ids

    def problems(self) -> list[str]:
        """Broken references and sourceless topics, one line each."""
        problems = []
        for section in self.sections.values():
            problems += [
                f"section {section.id!r}: unknown topic {topic!r}"
                for topic in section.topics
                if topic not in self.topics
            ]
        for topic in self.topics.values():
            if not topic.sources:
                problems.append(f"topic {topic.id!r}: no source; add one with title and url")
            problems += [
                f"topic {topic.id!r}: related topic {other!r} does not exist"
                for other in topic.related
                if other not in self.topics
            ]
        return problems


def _sentences(text: str) -> list[str]:
    """The sentences of an answer long enough to say something (a bare "Yes." says nothing)."""
    pieces = re.split(r"\n\s*\n|(?<=[.?!])\s+", text)
    return [piece.strip() for piece in pieces if len(piece.split()) >= MIN_SENTENCE_WORDS]


def _section(spec: dict) -> Section:
    return Section(
        spec["id"],
        spec["title"],
        spec["text"],
        tuple(spec["topics"]),
        tuple(spec.get("actions") or ()),
    )


def _topic(spec: dict) -> Topic:
    sources = tuple(SourceRef(s["title"], s["url"]) for s in spec.get("sources") or ())
    return Topic(
        id=spec["id"],
        title=spec["title"],
        answer=spec["answer"],
        details=spec.get("details") or "",
        sources=sources,
        checked=_date(spec),
        actions=tuple(spec.get("actions") or ()),
        related=tuple(spec.get("related") or ()),
        opens_with=spec.get("opens_with") or "",
    )


def _date(spec: dict) -> dt.date:
    checked = spec.get("checked")
    if not isinstance(checked, dt.date):
        raise ContentError(
            f"topic {spec.get('id')!r}: needs `checked: YYYY-MM-DD`, the day its facts were checked"
        )
    return checked
