"""What every handler shares, built once in `gdpr-bot run` and passed to the handlers explicitly.

The store holds a database connection, so it opens in PTB's post_init and closes in post_shutdown,
never at import time.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator

from bot.engine import Conversation, Dialogue, Event, Outcome, deliver_due, open_store
from bot.telegram.profile import Profile

log = logging.getLogger(__name__)


class BotServices:
    def __init__(
        self, dialogue: Dialogue, profile: Profile, db_location: str, retention: dt.timedelta
    ):
        self.dialogue = dialogue
        self.profile = profile
        self.db_location = db_location
        self.retention = retention
        self._conversation: Conversation | None = None

    def open(self) -> None:
        self._conversation = Conversation(self.dialogue, open_store(self.db_location))

    def close(self) -> None:
        if self._conversation is not None:
            self._conversation.store.close()
            self._conversation = None

    @property
    def conversation(self) -> Conversation:
        if self._conversation is None:
            raise RuntimeError("the store is not open: BotServices.open() runs in post_init")
        return self._conversation

    def handle(self, user: str, event: Event, language_code: str | None, update_id: int) -> Outcome:
        """The outcome, already saved (or erased); an update Telegram sends again is not reapplied."""
        return self.conversation.handle(user, event, language_code, delivery=update_id)

    def due_reminders(self) -> Iterator[tuple[str, Outcome]]:
        return deliver_due(self.conversation, self.dialogue.today())

    def purge_expired(self) -> int:
        """Delete every session untouched for longer than the retention period."""
        cutoff = time.time() - self.retention.total_seconds()
        purged = self.conversation.store.purge(cutoff)
        log.info("sessions untouched for %d days purged: %d", self.retention.days, purged)
        return purged

    def translate(self, msgid: str, lang: str) -> str:
        return self.dialogue.content.catalogs.translator(lang)(msgid).strip()
