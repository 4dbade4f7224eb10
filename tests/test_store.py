"""One behaviour suite for every store back end, as transitions reruns its suite per machine."""

import sqlite3

import pytest

from bot.engine import Session
from bot.engine.store import MIGRATIONS, MemoryStore, SQLiteStore
from bot.errors import StoreError


@pytest.fixture(params=["sqlite-file", "sqlite-memory", "memory"])
def store(request, tmp_path):
    made = {
        "sqlite-file": lambda: SQLiteStore(tmp_path / "sessions.sqlite3"),
        "sqlite-memory": lambda: SQLiteStore(":memory:"),
        "memory": MemoryStore,
    }[request.param]()
    yield made
    made.close()


def draft_session(user="tg:1", updated_at=100.0):
    slots = {"platforms": "both", "reasons": ["children"], "detail": "<b>mes enfants</b> 👶"}
    return Session(user, "draft_grounds", "fr", slots, updated_at)


def test_a_saved_session_loads_back_identical(store):
    store.save(draft_session())
    assert store.load("tg:1") == draft_session()


def test_an_unknown_user_has_no_session(store):
    assert store.load("tg:404") is None


def test_saving_again_replaces_the_session(store):
    store.save(draft_session())
    store.save(Session("tg:1", "menu", "en", {}, 200.0))
    assert store.load("tg:1") == Session("tg:1", "menu", "en", {}, 200.0)


def test_erase_removes_only_that_user(store):
    store.save(draft_session("tg:1"))
    store.save(draft_session("tg:2"))
    store.erase("tg:1")
    assert store.load("tg:1") is None
    assert store.load("tg:2") is not None


def test_purge_deletes_sessions_older_than_the_limit(store):
    store.save(draft_session("tg:old", updated_at=10.0))
    store.save(draft_session("tg:new", updated_at=500.0))
    assert store.purge(older_than=100.0) == 1
    assert store.load("tg:old") is None
    assert store.load("tg:new") is not None


def test_state_that_cannot_be_serialised_fails_in_every_back_end(store):
    with pytest.raises(TypeError):
        store.save(Session("tg:1", "menu", "en", {"when": object()}, 1.0))


def test_the_database_survives_a_reopen_in_wal_mode(tmp_path):
    path = tmp_path / "sessions.sqlite3"
    SQLiteStore(path).save(draft_session())
    reopened = SQLiteStore(path)
    assert reopened.load("tg:1") == draft_session()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA user_version").fetchone() == (2,)


def test_a_newer_schema_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "sessions.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version=99")
    with pytest.raises(StoreError, match="schema version 99"):
        SQLiteStore(path)


def test_an_unwritable_location_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises((StoreError, OSError)):
        SQLiteStore(blocker / "sessions.sqlite3")


def reminder_session(user, remind_on, updated_at=10.0):
    return Session(
        user, "followup", "en", {"sent_on": "2026-10-01", "remind_on": remind_on}, updated_at
    )


def test_due_reminders_are_those_on_or_before_the_day(store):
    store.save(reminder_session("tg:early", "2026-11-02"))
    store.save(reminder_session("tg:today", "2026-11-29"))
    store.save(reminder_session("tg:later", "2026-12-30"))
    store.save(draft_session("tg:none"))
    assert [s.user for s in store.due_reminders("2026-11-29")] == ["tg:early", "tg:today"]


def test_purge_keeps_a_session_waiting_for_its_reminder(store):
    store.save(reminder_session("tg:waiting", "2026-12-30", updated_at=10.0))
    assert store.purge(older_than=100.0) == 0
    assert store.load("tg:waiting") is not None


def test_a_version_1_database_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[1] + "PRAGMA user_version=1;")
        db.execute("INSERT INTO sessions VALUES ('tg:1', 'menu', 'fr', '{}', 1.0)")
    store = SQLiteStore(path)
    assert store.load("tg:1") == Session("tg:1", "menu", "fr", {}, 1.0)
    store.save(reminder_session("tg:2", "2026-12-01"))
    assert [s.user for s in store.due_reminders("2026-12-31")] == ["tg:2"]
