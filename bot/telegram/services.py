"""What every handler shares, built once in `gdpr-bot run` and passed to the handlers explicitly.

The store holds database connections, so it opens in PTB's post_init and closes in post_shutdown,
never at import time. It is the asynchronous store (bot/engine/async_store.py): PostgreSQL's round trips
never hold up other users' updates.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import AsyncIterator

from bot.engine import Conversation, Dialogue, Event, StepResult, deliver_due, open_async_store
from bot.telegram.observe import Observer
from bot.telegram.profile import Profile

log = logging.getLogger(__name__)


class BotServices:
    def __init__(
        self,
        dialogue: Dialogue,
        profile: Profile,
        db_location: str,
        retention: dt.timedelta,
        metrics: bool = False,
        health_window: float = 60,
    ):
        self.dialogue = dialogue
        self.profile = profile
        self.db_location = db_location
        self.retention = retention
        self.metrics = metrics  # serve /metrics
        self.observer = Observer(fresh=health_window)
        self._conversation: Conversation | None = None

    async def open(self) -> None:
        self._conversation = Conversation(self.dialogue, await open_async_store(self.db_location))

    async def close(self) -> None:
        if self._conversation is not None:
            await self._conversation.store.close()
            self._conversation = None

    @property
    def conversation(self) -> Conversation:
        if self._conversation is None:
            raise RuntimeError("the store is not open: BotServices.open() runs in post_init")
        return self._conversation

    async def handle(
        self, user: str, event: Event, language_code: str | None, update_id: int
    ) -> StepResult:
        """The outcome, already saved (or erased); an update Telegram sends again is not reapplied."""
        return await self.conversation.handle(user, event, language_code, delivery=update_id)

    async def language_of(self, user: str) -> str | None:
        session = await self.conversation.store.load(user)
        return session.lang if session else None

    def due_reminders(self) -> AsyncIterator[tuple[str, StepResult]]:
        return deliver_due(self.conversation, self.dialogue.today())

    async def purge_expired(self) -> int:
        """Delete every session untouched for longer than the retention period."""
        cutoff = time.time() - self.retention.total_seconds()
        purged = await self.conversation.store.purge(cutoff)
        log.info("sessions untouched for %d days purged: %d", self.retention.days, purged)
        return purged

    def translate(self, msgid: str, lang: str) -> str:
        return self.dialogue.content.catalogs.translator(lang)(msgid).strip()
