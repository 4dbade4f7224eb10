"""Where sessions live between events: a small interface, SQLite by default, and an in-memory twin.

Only what the dialogue needs is kept (state, language, draft answers, last update time). A session
untouched for longer than the retention period is deleted by `purge`, draft answers included.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bot.engine.model import Session
from bot.errors import StoreError

if TYPE_CHECKING:  # the dialogue imports nothing from here; a store only passes outcomes on
    from bot.engine.dialogue import StepResult

SCHEMA_VERSION = 2
# Each step upgrades the schema from the version before it; a fresh database runs them all.
MIGRATIONS = {
    1: """
        CREATE TABLE sessions (
            user TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            lang TEXT NOT NULL,
            slots TEXT NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE INDEX sessions_updated_at ON sessions (updated_at);
    """,
    2: """
        ALTER TABLE sessions ADD COLUMN remind_on TEXT;
        CREATE INDEX sessions_remind_on ON sessions (remind_on) WHERE remind_on IS NOT NULL;
    """,
}


# A step for a store to apply: the stored session (None: none yet) -> the StepResult to write, or None
# to write nothing. The StepResult's session is saved, or erased when it says so; a replayed StepResult
# (an event delivered again) is not written at all.
Change = Callable[[Session | None], "StepResult | None"]


class Store(Protocol):
    def load(self, user: str) -> Session | None: ...
    def save(self, session: Session) -> None: ...
    def transact(self, user: str, change: Change) -> StepResult | None: ...
    def erase(self, user: str) -> None: ...
    def purge(self, older_than: float) -> int: ...
    def due_reminders(self, day: str) -> list[Session]: ...
    def count_since(self, since: float) -> int: ...
    def ping(self) -> None: ...
    def close(self) -> None: ...


class SQLiteStore:
    """Sessions in one SQLite file (WAL, so a crash never loses a committed step)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
            self._check_writable()
        except (OSError, sqlite3.Error) as error:
            reason = f"{error.strerror}: {error.filename}" if isinstance(error, OSError) else error
            raise StoreError(
                f"cannot open the database {self.path}: {reason}; it must be writable and no"
                " other program may hold it locked, or choose another file with --db"
            ) from None

    def _check_writable(self) -> None:
        """Take the write lock and let it go (a lock held elsewhere is waited for `timeout`
        seconds): a read-only or locked file fails here, at start-up, not at a user's step."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute("DELETE FROM sessions WHERE 0")
        finally:
            self._db.execute("ROLLBACK")

    def _migrate(self) -> None:
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this bot ({SCHEMA_VERSION});"
                " upgrade the bot or point --db elsewhere"
            )
        for step in range(version + 1, SCHEMA_VERSION + 1):
            self._db.executescript(f"BEGIN; {MIGRATIONS[step]} PRAGMA user_version={step}; COMMIT;")

    def load(self, user: str) -> Session | None:
        row = self._db.execute(
            "SELECT state, lang, slots, updated_at FROM sessions WHERE user = ?", (user,)
        ).fetchone()
        if row is None:
            return None
        state, lang, slots, updated_at = row
        return Session(user, state, lang, json.loads(slots), updated_at)

    def save(self, session: Session) -> None:
        try:
            with self._db:
                self._db.execute(
                    "INSERT INTO sessions (user, state, lang, slots, updated_at, remind_on)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user) DO UPDATE SET"
                    " state = excluded.state, lang = excluded.lang, slots = excluded.slots,"
                    " updated_at = excluded.updated_at, remind_on = excluded.remind_on",
                    session_row(session),
                )
        except sqlite3.Error as error:
            raise StoreError(f"cannot save to {self.path}: {error}") from None

    def erase(self, user: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM sessions WHERE user = ?", (user,))

    def transact(self, user: str, change: Change) -> StepResult | None:
        """Load, change and write with nothing in between: this process's one connection is used
        between awaits only, so no other step interleaves (the write commits on its own)."""
        return apply_change(self, user, change)

    def purge(self, older_than: float) -> int:
        """Delete idle sessions, except those waiting for a reminder the user asked for."""
        with self._db:
            return self._db.execute(
                "DELETE FROM sessions WHERE updated_at < ? AND remind_on IS NULL", (older_than,)
            ).rowcount

    def due_reminders(self, day: str) -> list[Session]:
        """Sessions whose reminder day (ISO date) is `day` or earlier."""
        rows = self._db.execute(
            "SELECT user, state, lang, slots, updated_at FROM sessions"
            " WHERE remind_on IS NOT NULL AND remind_on <= ? ORDER BY remind_on",
            (day,),
        ).fetchall()
        return [
            Session(user, state, lang, json.loads(slots), at)
            for user, state, lang, slots, at in rows
        ]

    def count_since(self, since: float) -> int:
        """Sessions updated at `since` or later (seconds since the epoch)."""
        query = "SELECT count(*) FROM sessions WHERE updated_at >= ?"
        return self._db.execute(query, (since,)).fetchone()[0]

    def ping(self) -> None:
        """Raise StoreError unless the database answers a query."""
        try:
            self._db.execute("SELECT count(*) FROM sessions WHERE 0").fetchone()
        except sqlite3.Error as error:
            raise StoreError(f"the database {self.path} does not answer: {error}") from None

    def close(self) -> None:
        self._db.close()


class MemoryStore:
    """Sessions in a dict, serialised like the database so unsavable state fails here too."""

    def __init__(self):
        self._rows: dict[str, tuple] = {}

    def load(self, user: str) -> Session | None:
        row = self._rows.get(user)
        return None if row is None else Session(user, row[0], row[1], json.loads(row[2]), row[3])

    def save(self, session: Session) -> None:
        self._rows[session.user] = (
            session.state,
            session.lang,
            dump_slots(session.slots),
            session.updated_at,
        )

    def erase(self, user: str) -> None:
        self._rows.pop(user, None)

    def transact(self, user: str, change: Change) -> StepResult | None:
        return apply_change(self, user, change)

    def purge(self, older_than: float) -> int:
        stale = [
            user
            for user, row in self._rows.items()
            if row[3] < older_than and "remind_on" not in json.loads(row[2])
        ]
        for user in stale:
            del self._rows[user]
        return len(stale)

    def due_reminders(self, day: str) -> list[Session]:
        sessions = [self.load(user) for user in self._rows]
        due = [s for s in sessions if s.slots.get("remind_on") and s.slots["remind_on"] <= day]
        return sorted(due, key=lambda session: session.slots["remind_on"])

    def count_since(self, since: float) -> int:
        return sum(1 for row in self._rows.values() if row[3] >= since)

    def ping(self) -> None:
        pass  # a dict always answers

    def close(self) -> None:
        self._rows.clear()


def open_store(location: str | Path) -> Store:
    """`memory` for a throw-away store, anything else is an SQLite path."""
    return MemoryStore() if str(location) == "memory" else SQLiteStore(location)


def apply_change(store: Store, user: str, change: Change) -> StepResult | None:
    """Load, change, then save or erase: the steps of a transaction, for a store that needs no
    more (one connection in one thread)."""
    outcome = change(store.load(user))
    if outcome is None or outcome.replayed:
        return outcome
    if outcome.erase:
        store.erase(user)
    else:
        store.save(outcome.session)
    return outcome


def dump_slots(slots: dict) -> str:
    return json.dumps(slots, ensure_ascii=False, separators=(",", ":"))


def session_row(session: Session) -> tuple:
    """A session as the columns of the sessions table: user, state, lang, slots, updated_at and
    remind_on (kept in a column of its own, so that due reminders are found by an index)."""
    return (
        session.user,
        session.state,
        session.lang,
        dump_slots(session.slots),
        session.updated_at,
        session.slots.get("remind_on"),
    )
