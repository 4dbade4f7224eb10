"""dialogues/questions.yaml as checked, typed data: example questions and word knowledge per language.

Contract: `read_question_data(path, topic_ids)` returns a QuestionData or raises ContentError naming
the file, the key at fault and the fix. Nothing here knows how matching works.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.errors import ContentError
from bot.i18n import LANGUAGES

SMALL_TALK = "smalltalk"  # the action of greetings and thanks: a short reply and the menu
SWITCH_LANGUAGE = "language"  # the action of "in English please": the chat's language changes
# What a typed message may ask the bot to do rather than to explain (ids of `actions:`).
ACTIONS = ("draft_objection", "draft_complaint", SWITCH_LANGUAGE, "forget", SMALL_TALK)
DOMAIN = "domain"
HINT = "hint"
OFF_DOMAIN = "off_domain"
TASK = "task"
ELSEWHERE = "elsewhere"
# What the `role` of a concept in dialogues/questions.yaml says about a message that uses one of
# its words. This is the one definition: the file's header and bot.verdict refer to it.
ROLES = {
    DOMAIN: "the bot's own subject (AI, training, objecting, complaining to an authority): needed "
    "to answer a message that also uses an off_domain word or names another organisation; "
    "out-of-scope examples compete with such a message lexically only if they share one",
    HINT: "the wider subject (personal data, the law) or words that refer to it in this "
    'conversation ("used", "public", "concerned", "Meta"); a message with neither domain nor '
    "hint words must score higher to be answered",
    OFF_DOMAIN: "an everyday chore or subject the bot does not answer (passwords, ads, devices): "
    "no topic without a domain word",
    TASK: 'something done to an account, a post or an app ("change", "delete", "download"): no '
    "topic without a domain or hint word",
    ELSEWHERE: "another organisation (a bank, an employer): no topic unless the message also "
    "names Meta and uses a domain word",
}


@dataclass(frozen=True)
class Concept:
    """A synonym group of one language; `role` is one of ROLES or None."""

    name: str
    role: str | None
    members: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """One language's word knowledge."""

    aliases: dict[str, str]
    stopwords: tuple[str, ...]
    suffixes: tuple[str, ...]
    concepts: tuple[Concept, ...]


@dataclass(frozen=True)
class RequestKind:
    """One kind of thing a message may ask the bot to do, in one language (see `requests:`)."""

    actions: tuple[str, ...]  # the ACTIONS it starts; the best scoring one is chosen
    orders: tuple[str, ...]  # imperatives that open a sentence ("écris")
    verbs: tuple[str, ...]  # verbs after an `asking` phrase ("rédiger" in "tu peux rédiger")
    objects: tuple[str, ...]  # what is to be done: one must be named ("lettre")


@dataclass(frozen=True)
class Requests:
    """How a message asks the bot itself to do something, in one language."""

    questions: tuple[str, ...]  # words of a question: a message with one asks, it does not order
    openers: tuple[str, ...]  # words that may come before an order ("ok", "alors")
    asking: tuple[str, ...]  # ways of asking someone to do something ("tu peux", "can you")
    kinds: tuple[RequestKind, ...]


@dataclass(frozen=True)
class QuestionData:
    topics: dict[str, dict[str, tuple[str, ...]]]  # topic id -> language -> example questions
    actions: dict[str, dict[str, tuple[str, ...]]]  # action (ACTIONS) -> language -> requests
    out_of_scope: dict[str, tuple[str, ...]]  # language -> questions the bot must not answer
    lexicons: dict[str, Lexicon]  # language -> word knowledge
    requests: dict[str, Requests]  # language -> how a message asks the bot to act
    meta_terms: tuple[str, ...]  # words naming Meta or its services
    other_services: tuple[str, ...]  # other companies' services
    acknowledgements: tuple[str, ...]  # emoji that, sent alone, are small talk ("👍")


def read_question_data(
    path: Path, topic_ids: Iterable[str] | None = None, source: bytes | None = None
) -> QuestionData:
    """The questions file, checked against the knowledge base's topic ids when given; `source`
    is the file's content when the caller has read it already."""
    path = Path(path)
    data = _read_yaml(path, source)
    known = None if topic_ids is None else set(topic_ids)
    lexicon = _mapping(path, data.get("lexicon"), "lexicon")
    out_of_scope = _mapping(path, data.get("out_of_scope"), "out_of_scope")
    return QuestionData(
        topics=_topics(path, data["topics"], known),
        actions=_actions(path, _mapping(path, data.get("actions"), "actions")),
        out_of_scope={
            lang: tuple(_strings(path, out_of_scope.get(lang), f"out_of_scope.{lang}"))
            for lang in LANGUAGES
        },
        lexicons={lang: _lexicon(path, lexicon, lang) for lang in LANGUAGES},
        requests={
            lang: _requests(path, _mapping(path, data.get("requests"), "requests"), lang)
            for lang in LANGUAGES
        },
        meta_terms=tuple(_strings(path, lexicon.get("meta_terms"), "lexicon.meta_terms")),
        other_services=tuple(
            _strings(path, lexicon.get("other_services"), "lexicon.other_services")
        ),
        acknowledgements=tuple(
            _strings(path, lexicon.get("acknowledgements"), "lexicon.acknowledgements")
        ),
    )


class _WordsLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader keeping yes/no/on/off/y/n as words: here they are vocabulary, not booleans."""


_WordsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path, source: bytes | None) -> dict:
    try:
        source = path.read_text(encoding="utf-8") if source is None else source.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError(f"{path}: cannot read the matcher's questions file ({error})") from error
    try:
        data = yaml.load(source, Loader=_WordsLoader)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f":{where.line + 1}" if where else ""
        raise ContentError(f"{path}{line}: not valid YAML ({error}); fix the syntax") from error
    if not isinstance(data, dict) or not isinstance(data.get("topics"), dict):
        raise ContentError(f"{path}: expected a mapping with a 'topics' key (see the file header)")
    return data


def _topics(path: Path, topics: dict, known: set[str] | None) -> dict[str, dict]:
    checked = {}
    for topic, by_lang in topics.items():
        if known is not None and topic not in known:
            raise ContentError(
                f"{path}: topics.{topic}: unknown topic id; use one of the knowledge base's ids "
                f"({', '.join(sorted(known))}) or add the topic there first"
            )
        by_lang = _mapping(path, by_lang, f"topics.{topic}")
        checked[topic] = {}
        for lang in LANGUAGES:
            phrases = _strings(path, by_lang.get(lang), f"topics.{topic}.{lang}")
            if not phrases:
                raise ContentError(
                    f"{path}: topics.{topic}.{lang}: no example phrasing; add at least one question"
                )
            checked[topic][lang] = tuple(phrases)
    missing = sorted((known or set()) - set(topics))
    if missing:
        raise ContentError(
            f"{path}: no example phrasings for topic(s) {', '.join(missing)}; add them under topics"
        )
    return checked


def _actions(path: Path, actions: dict) -> dict[str, dict]:
    checked = {}
    for action, by_lang in actions.items():
        if action not in ACTIONS:
            raise ContentError(
                f"{path}: actions.{action}: unknown action; use one of {', '.join(ACTIONS)}"
            )
        by_lang = _mapping(path, by_lang, f"actions.{action}")
        checked[action] = {
            lang: tuple(_strings(path, by_lang.get(lang), f"actions.{action}.{lang}"))
            for lang in LANGUAGES
        }
    return checked


def _lexicon(path: Path, lexicon: dict, lang: str) -> Lexicon:
    aliases_by_group = _mapping(path, lexicon.get("aliases"), "lexicon.aliases")
    aliases = {}
    for group in ("common", lang):
        entries = _mapping(path, aliases_by_group.get(group), f"lexicon.aliases.{group}")
        aliases.update({str(key): str(value) for key, value in entries.items()})
    stopwords = _mapping(path, lexicon.get("stopwords"), "lexicon.stopwords").get(lang)
    suffixes = _mapping(path, lexicon.get("suffixes"), "lexicon.suffixes").get(lang)
    return Lexicon(
        aliases=aliases,
        stopwords=tuple(_strings(path, stopwords, f"lexicon.stopwords.{lang}")),
        suffixes=tuple(_strings(path, suffixes, f"lexicon.suffixes.{lang}")),
        concepts=tuple(_concepts(path, lexicon, lang)),
    )


def _concepts(path: Path, lexicon: dict, lang: str) -> Iterable[Concept]:
    for name, entry in _mapping(path, lexicon.get("concepts"), "lexicon.concepts").items():
        where = f"lexicon.concepts.{name}"
        entry = _mapping(path, entry, where)
        role = entry.get("role")
        if role is not None and role not in ROLES:
            raise ContentError(
                f"{path}: {where}.role: {role!r} is not a role; use one of {', '.join(ROLES)} "
                "or leave it out"
            )
        members = _strings(path, entry.get(lang), f"{where}.{lang}")
        yield Concept(name=str(name), role=role, members=tuple(members))


def _requests(path: Path, requests: dict, lang: str) -> Requests:
    def phrases(entry: dict, key: str, where: str) -> tuple[str, ...]:
        by_lang = _mapping(path, entry.get(key), f"{where}.{key}")
        return tuple(_strings(path, by_lang.get(lang), f"{where}.{key}.{lang}"))

    kinds = []
    for name, entry in _mapping(path, requests.get("kinds"), "requests.kinds").items():
        where = f"requests.kinds.{name}"
        entry = _mapping(path, entry, where)
        actions = tuple(_strings(path, entry.get("actions"), f"{where}.actions"))
        unknown = sorted(set(actions) - set(ACTIONS)) or ([] if actions else ["(none)"])
        if unknown:
            raise ContentError(
                f"{path}: {where}.actions: {', '.join(unknown)}: list one or more of "
                f"{', '.join(ACTIONS)}"
            )
        kinds.append(
            RequestKind(
                actions=actions,
                orders=phrases(entry, "orders", where),
                verbs=phrases(entry, "verbs", where),
                objects=phrases(entry, "objects", where),
            )
        )
    return Requests(
        questions=phrases(requests, "questions", "requests"),
        openers=phrases(requests, "openers", "requests"),
        asking=phrases(requests, "asking", "requests"),
        kinds=tuple(kinds),
    )


def _mapping(path: Path, value: object, where: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ContentError(f"{path}: {where}: expected a mapping of keys to values")
    return value


def _strings(path: Path, value: object, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise ContentError(f"{path}: {where}: expected a list of strings")
    return [str(item) for item in value]
