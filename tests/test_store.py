"""One behaviour suite for every store back end, as transitions reruns its suite per machine:
in memory, SQLite (a file and :memory:) and PostgreSQL, all through the asynchronous interface the
Telegram adapter uses (bot/engine/async_store.py). Then what only one back end has."""

import asyncio
import sqlite3

import psycopg
import pytest

from bot.engine import (
    Conversation,
    Event,
    InProcess,
    Session,
    StepResult,
    Subscription,
    open_async_store,
)
from bot.engine.postgres_store import PostgresStore
from bot.engine.store import MIGRATIONS, SCHEMA_VERSION, MemoryStore, SQLiteStore
from bot.errors import StoreError
from tests.support.postgres import empty_database


@pytest.fixture(params=["sqlite-file", "sqlite-memory", "memory", "postgresql"])
async def store(request, tmp_path):
    made = {
        "sqlite-file": lambda: InProcess(SQLiteStore(tmp_path / "sessions.sqlite3")),
        "sqlite-memory": lambda: InProcess(SQLiteStore(":memory:")),
        "memory": lambda: InProcess(MemoryStore()),
        "postgresql": None,
    }[request.param]
    opened = made() if made else await PostgresStore.open(empty_database())
    yield opened
    await opened.close()


def draft_session(user="tg:1", updated_at=100.0):
    slots = {"accounts": "both", "grounds": ["children"], "detail": "<b>mes enfants</b> 👶"}
    return Session(user, "draft_grounds", "fr", slots, updated_at)


async def test_a_saved_session_loads_back_identical(store):
    await store.save(draft_session())
    assert await store.load("tg:1") == draft_session()


async def test_an_unknown_user_has_no_session(store):
    assert await store.load("tg:404") is None


async def test_saving_again_replaces_the_session(store):
    await store.save(draft_session())
    await store.save(Session("tg:1", "menu", "en", {}, 200.0))
    assert await store.load("tg:1") == Session("tg:1", "menu", "en", {}, 200.0)


async def test_erase_removes_only_that_user(store):
    await store.save(draft_session("tg:1"))
    await store.save(draft_session("tg:2"))
    await store.erase("tg:1")
    assert await store.load("tg:1") is None
    assert await store.load("tg:2") is not None


async def test_purge_deletes_sessions_older_than_the_limit(store):
    await store.save(draft_session("tg:old", updated_at=10.0))
    await store.save(draft_session("tg:new", updated_at=500.0))
    assert await store.purge(older_than=100.0) == 1
    assert await store.load("tg:old") is None
    assert await store.load("tg:new") is not None
    assert await store.count_since(400.0) == 1


async def test_state_that_cannot_be_serialised_fails_in_every_back_end(store):
    with pytest.raises(TypeError):
        await store.save(Session("tg:1", "menu", "en", {"when": object()}, 1.0))


def reminder_session(user, remind_on, updated_at=10.0):
    return Session(
        user, "followup", "en", {"sent_on": "2026-10-01", "remind_on": remind_on}, updated_at
    )


async def test_due_reminders_are_those_on_or_before_the_day(store):
    await store.save(reminder_session("tg:early", "2026-11-02"))
    await store.save(reminder_session("tg:today", "2026-11-29"))
    await store.save(reminder_session("tg:later", "2026-12-30"))
    await store.save(draft_session("tg:none"))
    due = await store.due_reminders("2026-11-29")
    assert [s.user for s in due] == ["tg:early", "tg:today"]


async def test_purge_keeps_a_session_waiting_for_its_reminder(store):
    await store.save(reminder_session("tg:waiting", "2026-12-30", updated_at=10.0))
    assert await store.purge(older_than=100.0) == 0
    assert await store.load("tg:waiting") is not None


async def test_a_step_saves_its_session_and_forget_erases_it(store, dialogue):
    conversation = Conversation(dialogue, store)
    started = await conversation.handle("tg:1", Event("start"), "fr-FR", delivery=7)
    assert (await store.load("tg:1")).state == started.session.state
    again = await conversation.handle("tg:1", Event("start"), "fr-FR", delivery=7)
    assert again.replayed
    await conversation.handle("tg:1", Event("command", "forget"), "fr-FR")
    erased = await conversation.handle("tg:1", Event("pressed", f"{dialogue.flow.version}|f"))
    assert erased.erase and await store.load("tg:1") is None
    await store.ping()


async def test_a_store_answers_the_health_check(store):
    await store.ping()


# What only SQLite has


def test_the_database_survives_a_reopen_in_wal_mode(tmp_path):
    path = tmp_path / "sessions.sqlite3"
    SQLiteStore(path).save(draft_session())
    reopened = SQLiteStore(path)
    assert reopened.load("tg:1") == draft_session()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


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


def test_a_version_1_database_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[1] + "PRAGMA user_version=1;")
        db.execute("INSERT INTO sessions VALUES ('tg:1', 'menu', 'fr', '{}', 1.0)")
    store = SQLiteStore(path)
    assert store.load("tg:1") == Session("tg:1", "menu", "fr", {}, 1.0)
    store.save(reminder_session("tg:2", "2026-12-01"))
    assert [s.user for s in store.due_reminders("2026-12-31")] == ["tg:2"]
    store.save(subscriber("tg:3"))  # and it takes news-alert subscriptions (version 3)
    assert [s.user for s in store.subscribers_waiting(1)] == ["tg:3"]


# What only PostgreSQL has: several processes on one database


async def test_postgresql_keeps_sessions_across_a_reopen_and_refuses_a_newer_schema():
    url = empty_database()
    first = await open_async_store(url)
    await first.save(draft_session())
    await first.close()
    reopened = await open_async_store(url)
    assert await reopened.load("tg:1") == draft_session()
    await reopened.close()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("INSERT INTO schema_version VALUES (99)")
    with pytest.raises(StoreError, match="schema version 99"):
        await PostgresStore.open(url)


async def test_steps_of_one_user_from_two_processes_never_overlap():
    """Two pools, as two bot processes, each apply 15 steps to one user at once; every step
    reads the count the step before it wrote, so none is lost."""
    url = empty_database()
    processes = [await PostgresStore.open(url), await PostgresStore.open(url)]

    def count_one(session):
        session = session or Session("tg:1", "menu", "en", {"count": 0}, 1.0)
        session.slots["count"] += 1
        return StepResult(session, ())

    await asyncio.gather(*(processes[n % 2].transact("tg:1", count_one) for n in range(30)))
    assert (await processes[0].load("tg:1")).slots["count"] == 30
    for process in processes:
        await process.close()


async def test_a_due_reminder_is_stepped_by_one_process_only(dialogue):
    url = empty_database()
    processes = [await PostgresStore.open(url), await PostgresStore.open(url)]
    await processes[0].save(reminder_session("tg:1", "2026-11-02"))
    outcomes = await asyncio.gather(
        *(
            process.transact("tg:1", Conversation(dialogue, process).reminder("2026-11-29"))
            for process in processes
        )
    )
    assert len([outcome for outcome in outcomes if outcome is not None]) == 1
    assert "remind_on" not in (await processes[1].load("tg:1")).slots
    for process in processes:
        await process.close()


async def test_an_unreachable_server_is_a_clear_error_without_the_password():
    with pytest.raises(StoreError) as error:
        await PostgresStore.open("postgresql://bot:s3cret-pw@127.0.0.1:1/sessions")
    assert "postgresql://bot@127.0.0.1:1/sessions" in str(error.value)
    assert "s3cret-pw" not in str(error.value)


# News alerts: the subscription is the session's `alerts` slot, kept when an idle session goes


def subscriber(user, since="2026-12-01", lang="fr", updated_at=100.0, **slots):
    return Session(user, "alerts", lang, {"alerts": since, **slots}, updated_at)


async def test_a_subscription_is_the_alerts_slot_with_the_language(store):
    await store.save(subscriber("tg:1"))
    await store.save(Session("tg:2", "menu", "en", {}, 100.0))
    assert await store.subscribers_waiting(1) == [Subscription("tg:1", "fr", "2026-12-01", 0)]
    assert await store.subscriber_count() == 1


async def test_a_note_is_claimed_once_per_subscriber_and_a_step_keeps_the_claim(store):
    await store.save(subscriber("tg:1", "2026-12-01"))
    await store.save(subscriber("tg:2", "2026-12-02"))
    assert [s.user for s in await store.subscribers_waiting(1)] == ["tg:1", "tg:2"]
    assert await store.claim_note("tg:1", 1) and not await store.claim_note("tg:1", 1)
    await store.save(subscriber("tg:1", "2026-12-01", updated_at=200.0))  # the user goes on
    assert [s.user for s in await store.subscribers_waiting(1)] == ["tg:2"]
    assert [s.user for s in await store.subscribers_waiting(2)] == ["tg:1", "tg:2"]


async def test_a_released_claim_waits_for_the_next_run(store):
    await store.save(subscriber("tg:1"))
    await store.claim_note("tg:1", 1)
    await store.release_note("tg:1", 1)
    assert [s.user for s in await store.subscribers_waiting(1)] == ["tg:1"]


async def test_unsubscribing_keeps_the_session_without_the_subscription(store):
    await store.save(subscriber("tg:1", name="Camille"))
    await store.unsubscribe("tg:1")
    assert (await store.load("tg:1")).slots == {"name": "Camille"}
    assert await store.subscribers_waiting(1) == [] and not await store.claim_note("tg:1", 1)


async def test_an_idle_subscriber_is_cut_down_to_the_subscription_not_deleted(store):
    await store.save(subscriber("tg:sub", updated_at=10.0, name="Camille", reasons=["children"]))
    await store.save(draft_session("tg:old", updated_at=10.0))
    assert await store.purge(older_than=100.0) == 1
    assert await store.load("tg:old") is None
    kept = await store.load("tg:sub")
    assert (kept.state, kept.lang, kept.slots) == ("menu", "fr", {"alerts": "2026-12-01"})
    assert [s.user for s in await store.subscribers_waiting(1)] == ["tg:sub"]
    assert await store.purge(older_than=100.0) == 0 and await store.load("tg:sub") == kept


async def test_erasing_a_user_removes_the_subscription(store):
    await store.save(subscriber("tg:1"))
    await store.erase("tg:1")
    assert await store.subscriber_count() == 0
