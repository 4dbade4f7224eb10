"""Reminders the users asked for, one month after their objection: found in the store, due by date.

They live in the sessions themselves (`remind_on`), so they survive restarts with no scheduler state;
an adapter calls `deliver_due` periodically and sends what it returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from bot.engine.conversation import Conversation
from bot.engine.dialogue import Outcome
from bot.engine.model import Event


def deliver_due(conversation: Conversation, today: dt.date) -> Iterator[tuple[str, Outcome]]:
    """Each due reminder as (user, outcome); the session is saved before it is yielded, so a crash
    never sends a reminder twice."""
    for session in conversation.store.due_reminders(today.isoformat()):
        yield session.user, conversation.handle(session.user, Event("reminder"))
