"""dialogues/topics.yaml as typed values: the menu's sections and the answer to each topic."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ContentError
from bot.yaml_io import read_yaml


@dataclass(frozen=True)
class SourceRef:
    title: str
    url: str
    checked: dt.date


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    answer: str
    sources: tuple[SourceRef, ...]
    related: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    text: str
    topics: tuple[str, ...]


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

    def msgids(self) -> list[str]:
        ids = [text for s in self.sections.values() for text in (s.title, s.text)]
        for topic in self.topics.values():
            ids += [topic.title, topic.answer, *(source.title for source in topic.sources)]
        return ids

    def problems(self) -> list[str]:
        """Broken references and undated sources, one line each."""
        problems = []
        for section in self.sections.values():
            problems += [
                f"section {section.id!r}: unknown topic {topic!r}"
                for topic in section.topics
                if topic not in self.topics
            ]
        for topic in self.topics.values():
            if not topic.sources:
                problems.append(f"topic {topic.id!r}: no source; add one with title, url, checked")
            problems += [
                f"topic {topic.id!r}: related topic {other!r} does not exist"
                for other in topic.related
                if other not in self.topics
            ]
        return problems


def _section(spec: dict) -> Section:
    return Section(spec["id"], spec["title"], spec["text"], tuple(spec["topics"]))


def _topic(spec: dict) -> Topic:
    sources = tuple(
        SourceRef(source["title"], source["url"], _date(spec["id"], source))
        for source in spec.get("sources") or ()
    )
    return Topic(
        spec["id"], spec["title"], spec["answer"], sources, tuple(spec.get("related") or ())
    )


def _date(topic_id: str, source: dict) -> dt.date:
    checked = source.get("checked")
    if not isinstance(checked, dt.date):
        raise ContentError(
            f"topic {topic_id!r}: source {source.get('url')!r} needs `checked: YYYY-MM-DD`"
        )
    return checked
