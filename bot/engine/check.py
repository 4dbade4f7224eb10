"""Content validation (`gdpr-bot check`, and every start-up): one line per problem, with the fix."""

from __future__ import annotations

from collections import deque

from bot.engine.buttons import ButtonId
from bot.engine.content import Content
from bot.engine.screens import Screens
from bot.engine.slots import Slots
from bot.engine.turn import Turn
from bot.errors import ContentError
from bot.i18n import placeholders
from bot.paths import ContentPaths

CALLBACK_DATA_LIMIT = 64
CALLBACK_KEYS = ("conditions", "unless", "prepare", "before", "after")


def load_checked(paths: ContentPaths) -> Content:
    """Load all content and refuse it, naming every problem, where `gdpr-bot check` would."""
    content = Content.load(paths)
    problems = content_problems(content)
    if problems:
        raise ContentError("the content has problems:\n" + "\n".join(problems))
    return content


def content_problems(content: Content) -> list[str]:
    flow = content.flow
    return [
        *(f"{flow.path.name}: {p}" for p in _machine_problems(flow)),
        *(f"{flow.path.name}: {p}" for p in _screen_problems(content)),
        *(f"topics.yaml: {p}" for p in content.knowledge.problems()),
        *(f"topics.yaml: {p}" for p in _unreachable_topics(content)),
        *(f"locales: {p}" for p in _catalog_problems(content)),
    ]


def _machine_problems(flow) -> list[str]:
    states = set(flow.states)
    problems = []
    for number, transition in enumerate(flow.machine["transitions"], 1):
        where = f"transition {number} ({transition.get('trigger')})"
        sources = transition["source"]
        for source in [sources] if isinstance(sources, str) else sources:
            if source != "*" and source not in states:
                problems.append(f"{where}: unknown source state {source!r}")
        dest = transition.get("dest")
        if dest is not None and dest not in states:
            problems.append(f"{where}: unknown destination {dest!r}; add it to machine.states")
        problems += [f"{where}: {p}" for p in _unknown_callbacks(transition, CALLBACK_KEYS)]
    for spec in flow.machine["states"]:
        if isinstance(spec, dict):
            problems += [
                f"state {spec['name']!r}: {p}"
                for p in _unknown_callbacks(spec, ("on_enter", "on_exit"))
            ]
    unreachable = states - _reachable(flow)
    problems += [
        f"state {s!r} cannot be reached from {flow.machine['initial']!r}"
        for s in sorted(unreachable)
    ]
    triggers = {t["trigger"] for t in flow.machine["transitions"]}
    problems += [
        f"buttons: code {code!r} fires {trigger!r}, which no transition handles"
        for code, trigger in flow.triggers_by_code.items()
        if trigger not in triggers
    ]
    return problems


def _unknown_callbacks(spec: dict, keys) -> list[str]:
    names = []
    for key in keys:
        value = spec.get(key) or []
        names += [(key, name) for name in ([value] if isinstance(value, str) else value)]
    return [
        f"{key} {name!r} is not a method of bot/engine/turn.py:Turn"
        for key, name in names
        if not callable(getattr(Turn, name, None))
    ]


def _reachable(flow) -> set[str]:
    seen, queue = set(), deque([flow.machine["initial"]])
    while queue:
        state = queue.popleft()
        if state in seen:
            continue
        seen.add(state)
        for transition in flow.machine["transitions"]:
            sources = transition["source"]
            sources = [sources] if isinstance(sources, str) else sources
            if ("*" in sources or state in sources) and transition.get("dest"):
                queue.append(transition["dest"])
    return seen


def _screen_problems(content) -> list[str]:
    flow, problems = content.flow, []
    for state in flow.states:
        if state not in flow.screens:
            problems.append(f"state {state!r} has no entry under screens")
    for screen in flow.screens.values():
        if screen.show and not hasattr(Screens, f"show_{screen.show}"):
            problems.append(
                f"screens.{screen.state}: no renderer show_{screen.show} in bot/engine/screens.py"
            )
        for sets in {screen.sets, screen.input.sets if screen.input else ""} - {""}:
            if sets not in Slots.names():
                problems.append(f"screens.{screen.state}: sets {sets!r}, not a slot of Slots")
        for button_id in [b for row in screen.rows for b in row] + list(screen.footer):
            problems += [
                f"screens.{screen.state}: {p}" for p in _button_problems(content, button_id)
            ]
    for name, button_id in flow.commands.items():
        problems += [
            f"commands.{name}: {p}" for p in _button_problems(content, button_id, needs_label=False)
        ]
    problems += [
        f"anywhere: unknown code {c!r}" for c in flow.anywhere - set(flow.triggers_by_code)
    ]
    for button in _every_button(content):
        if len(button.callback_data(flow.version).encode()) > CALLBACK_DATA_LIMIT:
            problems.append(
                f"button {str(button)!r}: callback data over {CALLBACK_DATA_LIMIT} bytes"
            )
    return problems


def _button_problems(content, button: ButtonId, needs_label: bool = True) -> list[str]:
    flow, knowledge = content.flow, content.knowledge
    code, value, where = button.code, button.value, f"button {str(button)!r}"
    if code not in flow.triggers_by_code:
        return [f"{where}: unknown code {code!r}; see `buttons`"]
    if code == ButtonId.SECTION and value not in knowledge.sections:
        return [f"{where}: no section {value!r} in topics.yaml"]
    if code == ButtonId.TOPIC and value not in knowledge.topics:
        return [f"{where}: no topic {value!r} in topics.yaml"]
    named = code in (ButtonId.SECTION, ButtonId.TOPIC)
    if needs_label and not named and button not in flow.labels:
        return [f"{where} has no entry under labels"]
    return []


def _every_button(content) -> list[ButtonId]:
    flow = content.flow
    buttons = [b for screen in flow.screens.values() for row in screen.rows for b in row]
    buttons += [ButtonId.topic(topic) for topic in content.knowledge.topics]
    buttons += [ButtonId.ground(reason.id) for reason in content.letters.reasons]
    buttons += [ButtonId.answer(country.code) for country in content.letters.countries]
    return buttons


def _unreachable_topics(content) -> list[str]:
    shown = {t for section in content.knowledge.sections.values() for t in section.topics}
    shown |= {
        b.value
        for s in content.flow.screens.values()
        for row in s.rows
        for b in row
        if b.code == ButtonId.TOPIC
    }
    return [
        f"topic {t!r} is in no section and no menu"
        for t in content.knowledge.topics
        if t not in shown
    ]


def _catalog_problems(content) -> list[str]:
    msgids = [
        *content.flow.msgids(),
        *content.knowledge.msgids(),
        *content.letters.msgids(),
        *content.complaints.msgids(),
    ]
    problems = content.catalogs.missing(msgids)
    for lang in ("en", "fr"):
        translator = content.catalogs.translator(lang)
        for msgid in msgids:
            text = translator.messages.get(msgid)
            if text is not None and placeholders(text) != placeholders(msgid):
                problems.append(f"{lang}: the placeholders of {msgid[:50]!r} differ in translation")
    return problems
