"""The model the shared state machine acts on while it handles one event for one user.

Method names are the conditions and callbacks that dialogues/flow.yaml names: conditions read as
questions, callbacks as verbs. A Turn lives for one event only, so nothing stays attached to the machine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.dates import parse_day, reminder_day
from bot.engine.model import Session
from bot.engine.slots import Slots
from bot.i18n import other_language


@dataclass(frozen=True)
class Notice:
    """A sentence from flow.yaml's `messages`, shown above the step it concerns."""

    key: str
    params: dict = field(default_factory=dict)


class Turn:
    def __init__(self, session: Session, machine, ground_ids: frozenset[str], today: dt.date):
        self.state = session.state
        self.session = session
        self.slots = Slots(session.slots)
        self.notices: list[Notice] = []
        self.erase = False
        self._machine = machine
        self._ground_ids = ground_ids
        self._today = today

    # Conditions

    def has_both_accounts(self, event) -> bool:
        return self.slots.platforms == "both"

    def has_ground(self, event) -> bool:
        return bool(self.slots.reasons)

    def is_reviewing(self, event) -> bool:
        return self.slots.reviewed

    def came_from_section(self, event) -> bool:
        return self.slots.has("section")

    def has_valid_sent_on(self, event) -> bool:
        return self.slots.has("sent_on")

    def was_confirmed(self, event) -> bool:
        return self.slots.outcome == "confirmed"

    def has_draft_in_progress(self, event) -> bool:
        return self.slots.draft_at in self._machine.states

    # Callbacks

    def greet(self, event) -> None:
        self.notices.append(Notice("welcome"))

    def show_help(self, event) -> None:
        self.notices.append(Notice("help"))

    def remember_section(self, event) -> None:
        self.slots.section = event.kwargs["value"]

    def remember_topic(self, event) -> None:
        self.slots.topic = event.kwargs["value"]
        del self.slots.expanded

    def expand_topic(self, event) -> None:
        """Show the details too, until another topic is chosen (a language switch keeps them)."""
        self.slots.expanded = True

    def remember_draft_step(self, event) -> None:
        self.slots.draft_at = self.state

    def mark_reviewed(self, event) -> None:
        self.slots.reviewed = True

    def resume_draft(self, event) -> None:
        self._machine.set_state(self.slots.draft_at, self)

    def clear_draft(self, event) -> None:
        self.slots.unset(*Slots.DRAFT, *Slots.FOLLOW_UP)

    def toggle_ground(self, event) -> None:
        chosen = list(self.slots.reasons)
        ground = event.kwargs["value"]
        if ground in self._ground_ids:
            chosen.remove(ground) if ground in chosen else chosen.append(ground)
        self.slots.reasons = chosen

    def ask_for_a_ground(self, event) -> None:
        self.notices.append(Notice("pick_a_ground"))

    def normalise_sent_on(self, event) -> None:
        """Keep the typed or pressed day as an ISO date, or drop it when it is not a past day."""
        day = parse_day(str(self.slots.take("sent_on") or ""), self._today)
        if day is not None and day <= self._today:
            self.slots.sent_on = day.isoformat()

    def ask_for_a_date(self, event) -> None:
        self.notices.append(Notice("bad_date"))

    def schedule_reminder(self, event) -> None:
        if self.slots.take("remind") == "remind":
            sent_on = dt.date.fromisoformat(self.slots.sent_on)
            # The day after the month Meta has to answer (Art. 12(3)), so a silence is a breach.
            self.slots.remind_on = reminder_day(sent_on).isoformat()

    def note_confirmed(self, event) -> None:
        self.notices.append(Notice("confirmed"))

    def cancel_reminder(self, event) -> None:
        del self.slots.remind_on

    def clear_reminder(self, event) -> None:
        self.slots.unset("remind_on", "outcome")

    def switch_language(self, event) -> None:
        self.session.lang = other_language(self.session.lang)

    def forget_everything(self, event) -> None:
        self.slots.clear()
        self.erase = True
        self.notices.append(Notice("forgotten"))
