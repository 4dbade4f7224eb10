"""The store as the Telegram adapter uses it: every call awaitable, so a database across the network
(PostgreSQL) never blocks the other users' updates.

SQLite and the in-memory store answer in microseconds from this process, so they are only wrapped:
their calls run directly, with no thread. `open_async_store` picks the back end from --db.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from bot.engine.model import Session, Subscription
from bot.engine.store import Change, Store, open_store

if TYPE_CHECKING:
    from bot.engine.dialogue import StepResult

POSTGRESQL_SCHEMES = ("postgresql", "postgres")


def is_postgresql_url(location: str) -> bool:
    return location.partition("://")[0].lower() in POSTGRESQL_SCHEMES and "://" in location


class AsyncStore(Protocol):
    async def load(self, user: str) -> Session | None: ...
    async def save(self, session: Session) -> None: ...
    async def transact(self, user: str, change: Change) -> StepResult | None: ...
    async def erase(self, user: str) -> None: ...
    async def purge(self, older_than: float) -> int: ...
    async def due_reminders(self, day: str) -> list[Session]: ...
    async def count_since(self, since: float) -> int: ...
    async def subscribers_waiting(self, note: int) -> list[Subscription]: ...
    async def subscriber_count(self) -> int: ...
    async def claim_note(self, user: str, note: int) -> bool: ...
    async def release_note(self, user: str, note: int) -> None: ...
    async def unsubscribe(self, user: str) -> None: ...
    async def ping(self) -> None: ...
    async def close(self) -> None: ...


class InProcess:
    """A synchronous store behind the asynchronous interface."""

    def __init__(self, store: Store):
        self.store = store

    async def load(self, user: str) -> Session | None:
        return self.store.load(user)

    async def save(self, session: Session) -> None:
        self.store.save(session)

    async def transact(self, user: str, change: Change) -> StepResult | None:
        return self.store.transact(user, change)

    async def erase(self, user: str) -> None:
        self.store.erase(user)

    async def purge(self, older_than: float) -> int:
        return self.store.purge(older_than)

    async def due_reminders(self, day: str) -> list[Session]:
        return self.store.due_reminders(day)

    async def count_since(self, since: float) -> int:
        return self.store.count_since(since)

    async def subscribers_waiting(self, note: int) -> list[Subscription]:
        return self.store.subscribers_waiting(note)

    async def subscriber_count(self) -> int:
        return self.store.subscriber_count()

    async def claim_note(self, user: str, note: int) -> bool:
        return self.store.claim_note(user, note)

    async def release_note(self, user: str, note: int) -> None:
        self.store.release_note(user, note)

    async def unsubscribe(self, user: str) -> None:
        self.store.unsubscribe(user)

    async def ping(self) -> None:
        self.store.ping()

    async def close(self) -> None:
        self.store.close()


async def open_async_store(location: str) -> AsyncStore:
    """PostgreSQL for a postgresql:// URL; otherwise what open_store opens, wrapped."""
    if is_postgresql_url(location):
        from bot.engine.postgres_store import PostgresStore  # psycopg loads only when it is used

        return await PostgresStore.open(location)
    return InProcess(open_store(location))
