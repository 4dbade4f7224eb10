"""Sessions in PostgreSQL, for several bot processes serving one bot (psycopg 3, its async pool).

Each step runs in one transaction that first takes an advisory lock on the user: two processes
handed the same user's updates apply them one after the other, each seeing the other's write, and
a reminder found due by two processes is stepped by the first and found already sent by the
second. The schema is versioned like the SQLite one and migrated at start-up, under a lock, so
processes starting together do not migrate twice.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import AsyncConnectionPool

from bot.engine.model import Session, Subscription
from bot.engine.store import SUBSCRIBER_STATE, Change, session_row
from bot.errors import StoreError

if TYPE_CHECKING:
    from bot.engine.dialogue import StepResult

SCHEMA_VERSION = 2
MIGRATIONS = {
    1: """
        CREATE TABLE sessions (
            user_key TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            lang TEXT NOT NULL,
            slots TEXT NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL,
            remind_on TEXT
        );
        CREATE INDEX sessions_updated_at ON sessions (updated_at);
        CREATE INDEX sessions_remind_on ON sessions (remind_on) WHERE remind_on IS NOT NULL
    """,
    # News alerts: the day asked for (the `alerts` slot), and the newest note claimed for the user.
    2: """
        ALTER TABLE sessions ADD COLUMN alerts_since TEXT;
        ALTER TABLE sessions ADD COLUMN alerts_note INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX sessions_alerts ON sessions (alerts_since) WHERE alerts_since IS NOT NULL
    """,
}
MIGRATION_LOCK = 0x6764_7072  # any number of our own: "gdpr"
POOL_SIZE = 10  # connections per process; a step holds one for a few milliseconds
CONNECT_TIMEOUT = 10  # seconds
COLUMNS = "user_key, state, lang, slots, updated_at"


class PostgresStore:
    def __init__(self, pool: AsyncConnectionPool, where: str):
        self._pool = pool
        self.where = where  # the URL without its password, for messages

    @classmethod
    async def open(cls, url: str) -> PostgresStore:
        where = _without_password(url)
        try:
            async with await psycopg.AsyncConnection.connect(
                url, connect_timeout=CONNECT_TIMEOUT
            ) as connection:
                await _migrate(connection, where)
            pool = AsyncConnectionPool(url, min_size=1, max_size=POOL_SIZE, open=False)
            await pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        except psycopg.Error as error:
            raise StoreError(f"cannot open the database {where}: {_reason(error)}") from None
        return cls(pool, where)

    async def load(self, user: str) -> Session | None:
        async with self._pool.connection() as connection:
            return await _load(connection, user)

    async def save(self, session: Session) -> None:
        async with self._pool.connection() as connection:
            await _save(connection, session)

    async def transact(self, user: str, change: Change) -> StepResult | None:
        """Lock the user, load, change and write, in one transaction."""
        try:
            async with self._pool.connection() as connection, connection.transaction():
                await connection.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (user,)
                )
                outcome = change(await _load(connection, user))
                if outcome is None or outcome.replayed:
                    return outcome
                if outcome.erase:
                    await connection.execute("DELETE FROM sessions WHERE user_key = %s", (user,))
                else:
                    await _save(connection, outcome.session)
                return outcome
        except psycopg.Error as error:
            raise StoreError(f"cannot save to {self.where}: {_reason(error)}") from None

    async def erase(self, user: str) -> None:
        async with self._pool.connection() as connection:
            await connection.execute("DELETE FROM sessions WHERE user_key = %s", (user,))

    async def purge(self, older_than: float) -> int:
        """Delete idle sessions, except those waiting for a reminder the user asked for; cut an
        idle news-alert subscriber's down to the subscription."""
        async with self._pool.connection() as connection, connection.transaction():
            await connection.execute(
                "UPDATE sessions SET state = %s,"
                " slots = json_build_object('alerts', alerts_since)::text"
                " WHERE updated_at < %s AND remind_on IS NULL AND alerts_since IS NOT NULL"
                " AND slots != json_build_object('alerts', alerts_since)::text",  # not every hour
                (SUBSCRIBER_STATE, older_than),
            )
            cursor = await connection.execute(
                "DELETE FROM sessions WHERE updated_at < %s AND remind_on IS NULL"
                " AND alerts_since IS NULL",
                (older_than,),
            )
            return cursor.rowcount

    async def subscribers_waiting(self, note: int) -> list[Subscription]:
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT user_key, lang, alerts_since, alerts_note FROM sessions"
                " WHERE alerts_since IS NOT NULL AND alerts_note < %s"
                " ORDER BY alerts_since, user_key",
                (note,),
            )
            return [Subscription(*row) for row in await cursor.fetchall()]

    async def subscriber_count(self) -> int:
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT count(*) FROM sessions WHERE alerts_since IS NOT NULL"
            )
            return (await cursor.fetchone())[0]

    async def claim_note(self, user: str, note: int) -> bool:
        """One UPDATE: of two processes claiming the same copy, one wins."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "UPDATE sessions SET alerts_note = %s WHERE user_key = %s AND alerts_note < %s"
                " AND alerts_since IS NOT NULL",
                (note, user, note),
            )
            return cursor.rowcount == 1

    async def release_note(self, user: str, note: int) -> None:
        async with self._pool.connection() as connection:
            await connection.execute(
                "UPDATE sessions SET alerts_note = %s WHERE user_key = %s AND alerts_note = %s",
                (note - 1, user, note),
            )

    async def unsubscribe(self, user: str) -> None:
        async with self._pool.connection() as connection:
            await connection.execute(
                "UPDATE sessions SET alerts_since = NULL, slots = (slots::jsonb - 'alerts')::text"
                " WHERE user_key = %s",
                (user,),
            )

    async def due_reminders(self, day: str) -> list[Session]:
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                f"SELECT {COLUMNS} FROM sessions"
                " WHERE remind_on IS NOT NULL AND remind_on <= %s ORDER BY remind_on",
                (day,),
            )
            return [_session(row) for row in await cursor.fetchall()]

    async def count_since(self, since: float) -> int:
        try:
            async with self._pool.connection(timeout=CONNECT_TIMEOUT) as connection:
                cursor = await connection.execute(
                    "SELECT count(*) FROM sessions WHERE updated_at >= %s", (since,)
                )
                return (await cursor.fetchone())[0]
        except (psycopg.Error, TimeoutError) as error:
            raise StoreError(
                f"the database {self.where} does not answer: {_reason(error)}"
            ) from None

    async def ping(self) -> None:
        try:
            async with self._pool.connection(timeout=CONNECT_TIMEOUT) as connection:
                await connection.execute("SELECT 1")
        except (psycopg.Error, TimeoutError) as error:
            raise StoreError(
                f"the database {self.where} does not answer: {_reason(error)}"
            ) from None

    async def close(self) -> None:
        await self._pool.close()


async def _migrate(connection: psycopg.AsyncConnection, where: str) -> None:
    async with connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        await connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
        cursor = await connection.execute("SELECT max(version) FROM schema_version")
        version = (await cursor.fetchone())[0] or 0
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{where} has schema version {version}, newer than this bot ({SCHEMA_VERSION});"
                " upgrade the bot or point --db elsewhere"
            )
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[step].split(";"):
                await connection.execute(statement)
            await connection.execute("INSERT INTO schema_version VALUES (%s)", (step,))


async def _load(connection: psycopg.AsyncConnection, user: str) -> Session | None:
    cursor = await connection.execute(
        f"SELECT {COLUMNS} FROM sessions WHERE user_key = %s", (user,)
    )
    row = await cursor.fetchone()
    return None if row is None else _session(row)


async def _save(connection: psycopg.AsyncConnection, session: Session) -> None:
    await connection.execute(
        "INSERT INTO sessions (user_key, state, lang, slots, updated_at, remind_on, alerts_since)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (user_key) DO UPDATE SET"
        " state = excluded.state, lang = excluded.lang, slots = excluded.slots,"
        " updated_at = excluded.updated_at, remind_on = excluded.remind_on,"
        " alerts_since = excluded.alerts_since",
        session_row(session),
    )


def _session(row) -> Session:
    user, state, lang, slots, updated_at = row
    return Session(user, state, lang, json.loads(slots), updated_at)


def _without_password(url: str) -> str:
    try:
        parts = conninfo_to_dict(url)
    except psycopg.Error:
        return "(an unreadable postgresql:// URL)"
    host = parts.get("host", "localhost")
    port = f":{parts['port']}" if "port" in parts else ""
    user = f"{parts['user']}@" if "user" in parts else ""
    return f"postgresql://{user}{host}{port}/{parts.get('dbname', '')}"


def _reason(error: BaseException) -> str:
    """The server's or the driver's first line; psycopg never puts the password in it."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
