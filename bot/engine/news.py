"""The change notes of dialogues/alerts.yaml: what a news alert says, newest last."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ContentError
from bot.yaml_io import read_yaml


@dataclass(frozen=True)
class Note:
    version: int
    date: dt.date
    topic: str  # the answer it affects, a topic of topics.yaml
    text: str  # msgid


@dataclass(frozen=True)
class News:
    path: Path
    notes: tuple[Note, ...]  # oldest first
    stop: str  # msgid: the line under every note

    @classmethod
    def load(cls, path: Path) -> News:
        """Read the notes; ContentError names the file, the note and what to fix."""
        data = read_yaml(path) or {}
        try:
            notes = tuple(
                Note(int(item["version"]), _date(item["date"]), item["topic"], item["text"])
                for item in data["notes"]
            )
            news = cls(path, notes, data["messages"]["stop"])
        except (KeyError, TypeError, ValueError) as error:
            raise ContentError(f"{path}: {error!r}; see the file's header for its shape") from None
        versions = [note.version for note in notes]
        if not notes or versions != sorted(set(versions)) or versions[0] < 1:
            raise ContentError(
                f"{path}: notes: versions {versions}; give at least one note, versions from 1 up,"
                " each higher than the one before"
            )
        return news

    @property
    def newest(self) -> Note:
        return self.notes[-1]

    def problems(self, topics) -> list[str]:
        return [
            f"notes: version {note.version}: no topic {note.topic!r} in topics.yaml"
            for note in self.notes
            if note.topic not in topics
        ]

    def msgids(self) -> list[str]:
        return [*(note.text for note in self.notes), self.stop]


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
