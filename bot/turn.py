"""The model the shared state machine acts on while it handles one event for one user.

Method names are the conditions and callbacks that dialogues/flow.yaml names: conditions read as
questions, callbacks as verbs. A Turn lives for one event only, so nothing stays attached to the machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.i18n import other_language
from bot.model import Session

DRAFT_ANSWERS = ("platforms", "linked", "reasons", "detail", "name", "country", "letter_lang")


@dataclass(frozen=True)
class Notice:
    """A sentence from flow.yaml's `messages`, shown above the step it concerns."""

    key: str
    params: dict = field(default_factory=dict)


class Turn:
    def __init__(self, session: Session, machine, ground_ids: frozenset[str]):
        self.state = session.state
        self.session = session
        self.notices: list[Notice] = []
        self.erase = False
        self._machine = machine
        self._ground_ids = ground_ids

    @property
    def slots(self) -> dict:
        return self.session.slots

    # Conditions

    def has_both_accounts(self, event) -> bool:
        return self.slots.get("platforms") == "both"

    def has_ground(self, event) -> bool:
        return bool(self.slots.get("reasons"))

    def is_reviewing(self, event) -> bool:
        return bool(self.slots.get("reviewed"))

    def came_from_section(self, event) -> bool:
        return "section" in self.slots

    def has_draft_in_progress(self, event) -> bool:
        return self.slots.get("draft_at") in self._machine.states

    # Callbacks

    def greet(self, event) -> None:
        self.notices.append(Notice("welcome"))

    def show_help(self, event) -> None:
        self.notices.append(Notice("help"))

    def remember_section(self, event) -> None:
        self.slots["section"] = event.kwargs["value"]

    def remember_topic(self, event) -> None:
        self.slots["topic"] = event.kwargs["value"]

    def remember_draft_step(self, event) -> None:
        self.slots["draft_at"] = self.state

    def mark_reviewed(self, event) -> None:
        self.slots["reviewed"] = True

    def resume_draft(self, event) -> None:
        self._machine.set_state(self.slots["draft_at"], self)

    def clear_draft(self, event) -> None:
        for key in (*DRAFT_ANSWERS, "reviewed", "draft_at"):
            self.slots.pop(key, None)

    def toggle_ground(self, event) -> None:
        chosen = list(self.slots.get("reasons", ()))
        ground = event.kwargs["value"]
        if ground in self._ground_ids:
            chosen.remove(ground) if ground in chosen else chosen.append(ground)
        self.slots["reasons"] = chosen

    def ask_for_a_ground(self, event) -> None:
        self.notices.append(Notice("pick_a_ground"))

    def switch_language(self, event) -> None:
        self.session.lang = other_language(self.session.lang)

    def forget_everything(self, event) -> None:
        self.slots.clear()
        self.erase = True
        self.notices.append(Notice("forgotten"))
