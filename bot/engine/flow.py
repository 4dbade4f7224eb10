"""dialogues/flow.yaml as typed values: the machine configuration, screens, labels and messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.engine.buttons import ButtonId
from bot.errors import ContentError
from bot.yaml_io import read_yaml

DRAFT_PREFIX = "draft_"


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
