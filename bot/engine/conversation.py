"""One event for one user, end to end: load the session, step the dialogue, save or erase, reply."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.engine.dialogue import Dialogue, StepResult
from bot.engine.model import Event, Reply, Session
from bot.engine.store import Change, Store

# A platform may deliver an event again when the bot stopped before confirming it (Telegram resends
# an update after a crash). The session keeps the id of the last delivery applied to it, in the
# same write as the step; Telegram keeps updates 24 hours at most, so ids compare within a day.
LAST_DELIVERY = "delivery"
REDELIVERY_WINDOW = 24 * 3600  # seconds


class Conversation:
    def __init__(self, dialogue: Dialogue, store: Store, clock: Callable[[], float] = time.time):
        self.dialogue = dialogue
        self.store = store
        self._clock = clock

    def handle(
        self, user: str, event: Event, language_code: str | None = None, delivery: int | None = None
    ) -> StepResult:
        """The outcome, saved (or erased) before it is returned: a crash after it loses nothing.

        `delivery` is the platform's increasing id of this event, if it has one: an event delivered
        again changes nothing and shows the current step once more (its reply may never have left).
        With an asynchronous store (bot/engine/async_store.py) this is its awaitable of the outcome.
        """
        return self.store.transact(user, self.change(user, event, language_code, delivery))

    def change(
        self, user: str, event: Event, language_code: str | None, delivery: int | None
    ) -> Change:
        """What the event does to the user's session, for a store to apply in one transaction."""

        def apply(session: Session | None) -> StepResult:
            if session is not None and self._applied_already(session, delivery):
                return StepResult(session, tuple(self.dialogue.render(session)), replayed=True)
            outcome = self.dialogue.step(
                session or self.dialogue.new_session(user, language_code), event
            )
            if delivery is not None and not outcome.erase:
                outcome.session.slots[LAST_DELIVERY] = {"id": delivery, "at": self._clock()}
            return outcome

        return apply

    def reminder(self, day: str) -> Change:
        """The reminder, for a session still due on `day` (ISO date); None for any other: it was
        sent already (by another process, a moment ago), cancelled, or erased."""

        def apply(session: Session | None) -> StepResult | None:
            due = session.slots.get("remind_on") if session else None
            if not due or due > day:
                return None
            return self.dialogue.step(session, Event("reminder"))

        return apply

    def resume(self, user: str) -> tuple[Reply, ...] | None:
        """The current step of a stored session, or None for a user the bot does not know."""
        session = self.store.load(user)
        return None if session is None else tuple(self.dialogue.render(session))

    def _applied_already(self, session, delivery: int | None) -> bool:
        applied = session.slots.get(LAST_DELIVERY)
        if delivery is None or not applied:
            return False
        return applied["at"] >= self._clock() - REDELIVERY_WINDOW and delivery <= applied["id"]
