"""dialogues/flow.yaml as typed values: the machine configuration, screens, labels and messages."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

from bot.engine.buttons import ButtonId
from bot.engine.slots import Slots
from bot.errors import ContentError
from bot.yaml_io import read_yaml

DRAFT_PREFIX = "draft_"
CALLBACK_KEYS = ("conditions", "unless", "prepare", "before", "after")


@dataclass(frozen=True)
class TextInput:
    sets: str
    limit: int


@dataclass(frozen=True)
class Screen:
    """What one state shows: a text or a renderer (`show`), button rows and a footer row."""

    state: str
    text: str = ""
    show: str = ""
    rows: tuple[tuple[ButtonId, ...], ...] = ()
    footer: tuple[ButtonId, ...] = ()
    sets: str = ""
    input: TextInput | None = None

    @property
    def is_draft_step(self) -> bool:
        return self.state.startswith(DRAFT_PREFIX)


@dataclass(frozen=True)
class NumberedStep:
    """A step of the draft counted in "Step 2 of 5"; `when` names a condition of the model."""

    state: str
    when: str = ""


@dataclass(frozen=True)
class Flow:
    path: Path
    version: int
    machine: dict
    triggers_by_code: dict[str, str]
    anywhere: frozenset[str]
    commands: dict[str, ButtonId]
    labels: dict[ButtonId, str]
    screens: dict[str, Screen]
    messages: dict[str, str]
    links: dict[str, str]
    numbered_steps: tuple[NumberedStep, ...] = ()

    @classmethod
    def load(cls, path: Path) -> Flow:
        data = _read_mapping(path)
        try:
            screens = {state: _screen(state, spec or {}) for state, spec in data["screens"].items()}
            return cls(
                path=path,
                version=int(data["version"]),
                machine=data["machine"],
                triggers_by_code=dict(data["buttons"]),
                anywhere=frozenset(data["anywhere"]),
                commands={
                    name: ButtonId.parse(str(button)) for name, button in data["commands"].items()
                },
                labels={ButtonId.parse(key): label for key, label in data["labels"].items()},
                screens=screens,
                messages=dict(data["messages"]),
                links=dict(data["links"]),
                numbered_steps=tuple(
                    NumberedStep(step) if isinstance(step, str) else NumberedStep(**step)
                    for step in data.get("numbered_steps") or ()
                ),
            )
        except KeyError as missing:
            raise ContentError(
                f"{path}: the key {missing} is missing; see the file's header"
            ) from None
        except (TypeError, ValueError, AttributeError) as error:
            raise ContentError(f"{path}: {error}") from None

    @property
    def states(self) -> list[str]:
        return [
            state if isinstance(state, str) else state["name"] for state in self.machine["states"]
        ]

    def problems(self, model: type, renderers: type) -> list[str]:
        """Broken transitions, states and screens, one line each.

        `model` must have a method for every condition and callback, `renderers` a `show_<name>`
        method for every `show: <name>`."""
        return [
            *_machine_problems(self, model),
            *_screen_problems(self, renderers),
            *_numbered_step_problems(self, model),
        ]

    def button_problems(self, button: ButtonId) -> list[str]:
        """What is wrong with a button that content outside flow.yaml (a topic) offers."""
        return _button_problems(self, button)

    def msgids(self) -> list[str]:
        texts = [screen.text for screen in self.screens.values() if screen.text]
        return [*texts, *self.labels.values(), *self.messages.values()]


def _screen(state: str, spec: dict) -> Screen:
    text_input = spec.get("input")
    return Screen(
        state=state,
        text=spec.get("text", ""),
        show=spec.get("show", ""),
        rows=tuple(tuple(map(ButtonId.parse, row)) for row in spec.get("buttons", ())),
        footer=tuple(map(ButtonId.parse, spec.get("footer", ()))),
        sets=spec.get("sets", ""),
        input=TextInput(text_input["sets"], int(text_input["limit"])) if text_input else None,
    )


def _read_mapping(path: Path) -> dict:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    return data


def _machine_problems(flow: Flow, model: type) -> list[str]:
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
        problems += [f"{where}: {p}" for p in _unknown_callbacks(transition, CALLBACK_KEYS, model)]
    for spec in flow.machine["states"]:
        if isinstance(spec, dict):
            problems += [
                f"state {spec['name']!r}: {p}"
                for p in _unknown_callbacks(spec, ("on_enter", "on_exit"), model)
            ]
    unreachable = states - reachable(flow)
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


def _unknown_callbacks(spec: dict, keys, model: type) -> list[str]:
    names = []
    for key in keys:
        value = spec.get(key) or []
        names += [(key, name) for name in ([value] if isinstance(value, str) else value)]
    return [
        f"{key} {name!r} is not a method of {model.__name__}"
        for key, name in names
        if not callable(getattr(model, name, None))
    ]


def reachable(flow: Flow) -> set[str]:
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


def _screen_problems(flow: Flow, renderers: type) -> list[str]:
    problems = [
        f"state {state!r} has no entry under screens"
        for state in flow.states
        if state not in flow.screens
    ]
    for screen in flow.screens.values():
        where = f"screens.{screen.state}"
        if screen.show and not hasattr(renderers, f"show_{screen.show}"):
            problems.append(f"{where}: no renderer show_{screen.show} in {renderers.__name__}")
        for sets in {screen.sets, screen.input.sets if screen.input else ""} - {""}:
            if sets not in Slots.names():
                problems.append(f"{where}: sets {sets!r}, not a slot of Slots")
        for button in [b for row in screen.rows for b in row] + list(screen.footer):
            problems += [f"{where}: {p}" for p in _button_problems(flow, button)]
    for name, button in flow.commands.items():
        problems += [f"commands.{name}: {p}" for p in _button_problems(flow, button, False)]
    problems += [
        f"anywhere: unknown code {c!r}" for c in flow.anywhere - set(flow.triggers_by_code)
    ]
    return problems


def _numbered_step_problems(flow: Flow, model: type) -> list[str]:
    problems = []
    for step in flow.numbered_steps:
        if step.state not in flow.screens:
            problems.append(f"numbered_steps: unknown state {step.state!r}")
        if step.when and not callable(getattr(model, step.when, None)):
            problems.append(
                f"numbered_steps: when {step.when!r} is not a method of {model.__name__}"
            )
    return problems


def _button_problems(flow: Flow, button: ButtonId, needs_label: bool = True) -> list[str]:
    if button.code == ButtonId.MORE:
        button = ButtonId(ButtonId.MORE)  # one label serves every topic's "More"
    if button.code not in flow.triggers_by_code:
        return [f"button {str(button)!r}: unknown code {button.code!r}; see `buttons`"]
    named = button.code in (ButtonId.SECTION, ButtonId.TOPIC)  # by topics.yaml
    if needs_label and not named and button not in flow.labels:
        return [f"button {str(button)!r} has no entry under labels"]
    return []
