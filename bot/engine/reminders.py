"""Reminders the users asked for, one month after their objection: found in the store, due by date.

They live in the sessions themselves (`remind_on`), so they survive restarts with no scheduler state;
an adapter calls `deliver_due` periodically and sends what it returns. Each is stepped in its own
transaction, which finds it still due or leaves it: of several processes looking at once, one
sends it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

from bot.engine.conversation import Conversation
from bot.engine.dialogue import StepResult


async def deliver_due(
    conversation: Conversation, today: dt.date
) -> AsyncIterator[tuple[str, StepResult]]:
    """Each due reminder as (user, outcome), on a store of bot/engine/async_store.py; the session is
    saved before it is yielded, so a crash never sends a reminder twice."""
    day = today.isoformat()
    for session in await conversation.store.due_reminders(day):
        outcome = await conversation.store.transact(session.user, conversation.reminder(day))
        if outcome is not None:
            yield session.user, outcome
