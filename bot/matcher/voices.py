"""Messages written in voices other than the team's, each labelled with the topic or action that
answers it, or as out of scope (dialogues/voices/*.yaml): more evidence for the semantic channel.

Contract: `read_voices(sources, topic_ids)` takes each file's name and bytes and returns every
labelled message, or raises ContentError naming the file, the item and the fix. Nothing here
knows how matching works. Most files are spent blind sets: independent helpers wrote them to
measure the matcher, and once measured for the last time they teach it; the others were written
by helpers as matching data from the start (helpers_*.yaml).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import yaml

from bot.errors import ContentError
from bot.matcher.question_data import ACTIONS, LANGUAGES


@dataclass(frozen=True)
class Voiced:
    """One message and what answers it; topic and action both None: out of scope."""

    text: str
    lang: str
    topic: str | None
    action: str | None


def read_voices(sources: Mapping[str, bytes], topic_ids: Iterable[str] | None) -> list[Voiced]:
    """The messages of every file; `topic_ids`, when given, are the only topics allowed."""
    known = None if topic_ids is None else set(topic_ids)
    messages = []
    for name, raw in sources.items():
        try:
            items = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as error:
            raise ContentError(f"{name}: not valid YAML ({error}); fix the syntax") from error
        if not isinstance(items, list):
            raise ContentError(f"{name}: expected a list of messages, one mapping per line")
        messages += [_voiced(name, number, item, known) for number, item in enumerate(items, 1)]
    return messages


def _voiced(name: str, number: int, item: object, known: set[str] | None) -> Voiced:
    where = f"{name}: message {number}"
    if not isinstance(item, dict) or not isinstance(item.get("q"), str):
        raise ContentError(f"{where}: expected a mapping with the message as `q`")
    lang, topic, action = item.get("lang"), item.get("topic"), item.get("action")
    if lang not in LANGUAGES:
        raise ContentError(f"{where}: lang {lang!r}; use one of {', '.join(LANGUAGES)}")
    if topic is not None and known is not None and topic not in known:
        raise ContentError(f"{where}: unknown topic {topic!r}; use a topic id of topics.yaml")
    if action is not None and action not in ACTIONS:
        raise ContentError(f"{where}: unknown action {action!r}; use one of {', '.join(ACTIONS)}")
    if topic is not None and action is not None:
        raise ContentError(f"{where}: a message has a topic or an action, not both")
    return Voiced(item["q"], lang, topic, action)
