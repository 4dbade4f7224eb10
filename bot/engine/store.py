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

from bot.engine.model import Session, Subscription
from bot.errors import StoreError

if TYPE_CHECKING:  # the dialogue imports nothing from here; a store only passes outcomes on
    from bot.engine.dialogue import StepResult

SCHEMA_VERSION = 3
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
    # News alerts: the day asked for (the `alerts` slot), and the newest note claimed for the user.
    3: """
        ALTER TABLE sessions ADD COLUMN alerts_since TEXT;
        ALTER TABLE sessions ADD COLUMN alerts_note INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX sessions_alerts ON sessions (alerts_since) WHERE alerts_since IS NOT NULL;
    """,
}
# What an idle subscriber's session is cut down to at purge: the subscription, nothing else.
SUBSCRIBER_STATE = "menu"


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
    def subscribers_waiting(self, note: int) -> list[Subscription]: ...
    def subscriber_count(self) -> int: ...
    def claim_note(self, user: str, note: int) -> bool: ...
    def release_note(self, user: str, note: int) -> None: ...
    def unsubscribe(self, user: str) -> None: ...
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
                    "INSERT INTO sessions"
                    " (user, state, lang, slots, updated_at, remind_on, alerts_since)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user) DO UPDATE SET"
                    " state = excluded.state, lang = excluded.lang, slots = excluded.slots,"
                    " updated_at = excluded.updated_at, remind_on = excluded.remind_on,"
                    " alerts_since = excluded.alerts_since",
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
        """Delete idle sessions, except those waiting for a reminder the user asked for; cut an
        idle news-alert subscriber's down to the subscription."""
        with self._db:
            self._db.execute(
                "UPDATE sessions SET state = ?, slots = json_object('alerts', alerts_since)"
                " WHERE updated_at < ? AND remind_on IS NULL AND alerts_since IS NOT NULL"
                " AND slots != json_object('alerts', alerts_since)",  # not again every hour
                (SUBSCRIBER_STATE, older_than),
            )
            return self._db.execute(
                "DELETE FROM sessions WHERE updated_at < ? AND remind_on IS NULL"
                " AND alerts_since IS NULL",
                (older_than,),
            ).rowcount

    def subscribers_waiting(self, note: int) -> list[Subscription]:
        """News-alert subscribers who have not had note `note` claimed, oldest first."""
        rows = self._db.execute(
            "SELECT user, lang, alerts_since, alerts_note FROM sessions"
            " WHERE alerts_since IS NOT NULL AND alerts_note < ? ORDER BY alerts_since, user",
            (note,),
        ).fetchall()
        return [Subscription(*row) for row in rows]

    def subscriber_count(self) -> int:
        query = "SELECT count(*) FROM sessions WHERE alerts_since IS NOT NULL"
        return self._db.execute(query).fetchone()[0]

    def claim_note(self, user: str, note: int) -> bool:
        """Mark note `note` as on its way to the user: False if it was already, or if the user
        is no longer subscribed. One write, so two senders never both win."""
        with self._db:
            return (
                self._db.execute(
                    "UPDATE sessions SET alerts_note = ? WHERE user = ? AND alerts_note < ?"
                    " AND alerts_since IS NOT NULL",
                    (note, user, note),
                ).rowcount
                == 1
            )

    def release_note(self, user: str, note: int) -> None:
        """Undo a claim whose sending failed in a way worth trying again on the next run."""
        with self._db:
            self._db.execute(
                "UPDATE sessions SET alerts_note = ? WHERE user = ? AND alerts_note = ?",
                (note - 1, user, note),
            )

    def unsubscribe(self, user: str) -> None:
        with self._db:
            self._db.execute(
                "UPDATE sessions SET alerts_since = NULL, slots = json_remove(slots, '$.alerts')"
                " WHERE user = ?",
                (user,),
            )

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
        self._notes: dict[str, int] = {}  # the newest news-alert note claimed, by user

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
        self._notes.pop(user, None)

    def transact(self, user: str, change: Change) -> StepResult | None:
        return apply_change(self, user, change)

    def purge(self, older_than: float) -> int:
        idle = [self.load(user) for user, row in self._rows.items() if row[3] < older_than]
        idle = [session for session in idle if "remind_on" not in session.slots]
        for session in idle:
            since = session.slots.get("alerts")
            if since:
                kept = {"alerts": since}
                self.save(
                    Session(session.user, SUBSCRIBER_STATE, session.lang, kept, session.updated_at)
                )
            else:
                self.erase(session.user)
        return sum(1 for session in idle if not session.slots.get("alerts"))

    def subscribers_waiting(self, note: int) -> list[Subscription]:
        sessions = [self.load(user) for user in self._rows]
        waiting = [
            Subscription(s.user, s.lang, s.slots["alerts"], self._notes.get(s.user, 0))
            for s in sessions
            if s.slots.get("alerts") and self._notes.get(s.user, 0) < note
        ]
        return sorted(waiting, key=lambda row: (row.since, row.user))

    def subscriber_count(self) -> int:
        return sum(1 for user in self._rows if self.load(user).slots.get("alerts"))

    def claim_note(self, user: str, note: int) -> bool:
        session = self.load(user)
        if session is None or not session.slots.get("alerts") or self._notes.get(user, 0) >= note:
            return False
        self._notes[user] = note
        return True

    def release_note(self, user: str, note: int) -> None:
        if self._notes.get(user) == note:
            self._notes[user] = note - 1

    def unsubscribe(self, user: str) -> None:
        session = self.load(user)
        if session is not None and session.slots.pop("alerts", None):
            self.save(session)

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
    """A session as the columns of the sessions table: user, state, lang, slots, updated_at,
    remind_on and alerts_since (kept in columns of their own, so that due reminders and news-alert
    subscribers are found by an index)."""
    return (
        session.user,
        session.state,
        session.lang,
        dump_slots(session.slots),
        session.updated_at,
        session.slots.get("remind_on"),
        session.slots.get("alerts"),
    )
