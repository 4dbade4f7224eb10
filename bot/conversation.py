"""One event for one user, end to end: load the session, step the dialogue, save or erase, reply."""

from __future__ import annotations

from bot.dialogue import Dialogue, Outcome
from bot.model import Event, Reply
from bot.store import Store


class Conversation:
    def __init__(self, dialogue: Dialogue, store: Store):
        self.dialogue = dialogue
        self.store = store

    def handle(self, user: str, event: Event, language_code: str | None = None) -> Outcome:
        """The session is saved (or erased) before the outcome is returned: a crash after it loses nothing."""
        session = self.store.load(user) or self.dialogue.new_session(user, language_code)
        outcome = self.dialogue.step(session, event)
        if outcome.erase:
            self.store.erase(user)
        else:
            self.store.save(outcome.session)
        return outcome

    def resume(self, user: str) -> tuple[Reply, ...] | None:
        """The current step of a stored session, or None for a user the bot does not know."""
        session = self.store.load(user)
        return None if session is None else tuple(self.dialogue.render(session))
