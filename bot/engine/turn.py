"""The model the shared state machine acts on while it handles one event for one user.

Method names are the conditions and callbacks that dialogues/flow.yaml names: conditions read as
questions, callbacks as verbs. A Turn lives for one event only, so nothing stays attached to the machine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.dates import one_month_before, parse_day, reminder_day
from bot.engine.model import Session
from bot.engine.slots import Slots
from bot.i18n import other_language

# How the user objected: the form and other letters are asked whether they gave reasons.
ASKED_FOR_REASONS = ("form", "other")
# The complaint's date buttons: days before today, and whether that day is only an estimate
# ("month" is one calendar month back, an estimate; "longer" leaves the day unknown).
SENT_WHEN = {"today": (0, False), "week": (3, True)}


@dataclass(frozen=True)
class Notice:
    """A sentence from flow.yaml's `messages`, shown above the step it concerns."""

    key: str
    params: dict = field(default_factory=dict)


class Turn:
    def __init__(
        self,
        session: Session,
        machine,
        ground_ids: frozenset[str],
        today: dt.date,
        own_words_grounds: frozenset[str] = frozenset(),
    ):
        self.state = session.state
        self.session = session
        self.slots = Slots(session.slots)
        self.notices: list[Notice] = []
        self.erase = False
        self._machine = machine
        self._ground_ids = ground_ids
        self._own_words_grounds = own_words_grounds
        self._today = today

    # Conditions

    def has_both_accounts(self, event) -> bool:
        return self.slots.accounts == "both"

    def has_ground(self, event) -> bool:
        return bool(self.slots.grounds)

    def is_reviewing(self, event) -> bool:
        return self.slots.reviewed

    def came_from_section(self, event) -> bool:
        return self.slots.has("section")

    def came_from_followup(self, event) -> bool:
        return self.slots.topic_from == "followup"

    def needs_own_words(self, event) -> bool:
        """A ground that is the user's own sentence was chosen, and the sentence is missing."""
        chosen = set(self.slots.grounds) & self._own_words_grounds
        return bool(chosen) and not self.slots.detail

    def is_past_metas_month(self, event) -> bool:
        return reminder_day(dt.date.fromisoformat(self.slots.sent_on)) <= self._today

    def has_complaint_start(self, event) -> bool:
        return self.slots.complaint_from in self._machine.states

    def lacks_objection_route(self, event) -> bool:
        return not self.slots.has("objected_via")

    def asks_for_grounds(self, event) -> bool:
        return self.slots.objected_via in ASKED_FOR_REASONS

    def lacks_grounds_answer(self, event) -> bool:
        return self.asks_for_grounds(event) and not self.slots.has("stated")

    def lacks_date(self, event) -> bool:
        return not self.slots.has("sent_on")

    def lacks_outcome(self, event) -> bool:
        return self.slots.outcome in (None, "confirmed")

    def awaits_identity_answer(self, event) -> bool:
        """Meta asked to confirm the user's identity (Art. 12(6)): answer that before complaining."""
        return self.slots.outcome == "identity_request" and self.slots.identity != "answered"

    def lacks_country(self, event) -> bool:
        return not self.slots.has("country")

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
        if event.kwargs["value"] != self.slots.topic or "nearby" in event.kwargs:
            # Another topic (or the same one typed again): its own nearby topics, if any. "More"
            # on the topic on screen keeps them.
            self.slots.nearby = list(event.kwargs.get("nearby", ()))
        self.slots.topic = event.kwargs["value"]
        del self.slots.expanded
        if self.state != "topic":  # a related topic keeps the way back of the first one
            self.slots.topic_from = self.state

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
        chosen = list(self.slots.grounds)
        ground = event.kwargs["value"]
        if ground in self._ground_ids:
            chosen.remove(ground) if ground in chosen else chosen.append(ground)
        self.slots.grounds = chosen

    def ask_for_a_ground(self, event) -> None:
        self.notices.append(Notice("pick_a_ground"))

    def ask_for_own_words(self, event) -> None:
        self.notices.append(Notice("own_words_needed"))

    def note_sentence_language(self, event) -> None:
        """The chat's language when the sentence was typed: the letter may be in another one."""
        self.slots.detail_lang = self.session.lang

    def start_complaint(self, event) -> None:
        """Forget an earlier complaint's answers; keep the objection's date only when coming from
        the follow-up of an objection sent from here."""
        self.slots.unset(*Slots.COMPLAINT)
        if self.state != "complaint_via":  # pressed again on its own first step: keep the way back
            self.slots.complaint_from = self.state
        if self.state != "followup":
            self.slots.unset("sent_on", "sent_approx")

    def return_to_complaint_start(self, event) -> None:
        self._machine.set_state(self.slots.complaint_from, self)

    def normalise_complaint_date(self, event) -> None:
        """A date button, or a typed day: keep sent_on as an ISO date ("" when long ago and not
        known), with sent_approx for an estimate; drop it when it is not a past day."""
        when = self.slots.take("sent_when")
        typed = str(self.slots.take("sent_on") or "")
        self.slots.unset("sent_approx")
        if when == "longer":
            self.slots.sent_on = ""
            return
        if when == "month":
            day, approx = one_month_before(self._today), True
        elif when in SENT_WHEN:
            days, approx = SENT_WHEN[when]
            day = self._today - dt.timedelta(days=days)
        else:
            day, approx = parse_day(typed, self._today), False
        if day is not None and day <= self._today:
            self.slots.sent_on = day.isoformat()
            if approx:
                self.slots.sent_approx = True

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
        self.slots.unset("remind_on", *Slots.COMPLAINT)

    def switch_language(self, event) -> None:
        self.session.lang = other_language(self.session.lang)

    def subscribe_to_alerts(self, event) -> None:
        if not self.slots.alerts:
            self.slots.alerts = self._today.isoformat()

    def unsubscribe_from_alerts(self, event) -> None:
        del self.slots.alerts

    def forget_everything(self, event) -> None:
        self.slots.clear()
        self.erase = True
        self.notices.append(Notice("forgotten"))
