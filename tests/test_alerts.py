"""News alerts: the dialogue around the subscription, and `gdpr-bot announce` sending the newest
change note through the fake Bot API. The subscription in each store back end: tests/test_store.py."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import pytest

from bot.engine import MemoryStore, Session, SQLiteStore
from bot.engine.postgres_store import PostgresStore
from tests.support.chat import PROJECT, TODAY, Chat, run_cli
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.postgres import empty_database
from tests.support.telegram_client import TOKEN, bare_environment

# In the dialogue


@pytest.fixture
def chat(dialogue):
    return Chat(dialogue)


def subscription(chat):
    waiting = chat.conversation.store.subscribers_waiting(1)
    return next((s for s in waiting if s.user == chat.user), None)


def test_alerts_from_the_menu_subscribe_and_stop_in_one_tap_each(chat, dialogue):
    chat.start().press("🔔 News alerts")
    assert "Shall I write to you" in chat.text
    chat.press("🔔 Tell me if something changes")
    assert subscription(chat).since == TODAY.isoformat()
    assert f"news alerts on {dialogue.content.catalogs.translator('en').date(TODAY)}" in chat.text
    chat.send("/alerts").press("🔕 Stop the alerts")
    assert subscription(chat) is None and "Shall I write to you" in chat.text


def test_the_subscription_follows_the_users_language(chat):
    chat.start().send("/alerts").press("🔔 Tell me if something changes")
    chat.send("/language")
    assert subscription(chat).lang == "fr"
    assert "Je vous écrirai" in chat.text


def test_forget_removes_the_subscription(chat):
    chat.start().send("/alerts").press("🔔 Tell me if something changes")
    chat.send("/forget").press("Yes, erase everything")
    assert subscription(chat) is None and chat.conversation.store.subscriber_count() == 0


def test_a_subscription_outlives_the_purge_of_an_idle_session(dialogue):
    store = MemoryStore()
    chat = Chat(dialogue, store).start().send("/alerts").press("🔔 Tell me if")
    chat.send("/draft").press("Facebook")
    store.purge(older_than=float("inf"))
    assert store.load("tg:1").slots == {"alerts": TODAY.isoformat()}  # the draft is gone
    back = Chat(dialogue, store).start().send("/alerts")
    assert "🔕 Stop the alerts" in back.labels()


def test_the_result_screen_offers_the_alerts(dialogue):
    chat = Chat(dialogue).start()
    chat.press("✍️").press("Facebook")
    chat.press(chat.labels()[0]).press(chat.labels()[-2])  # the first ground, then continue
    for _ in range(3):  # sentence, name, country: skipped
        chat.press(chat.labels()[-2])
    chat.press("📝").press("🔔 Tell me if something changes")
    assert subscription(chat) is not None


# gdpr-bot announce


@pytest.fixture
def api():
    api = FakeBotAPI(TOKEN).start()
    yield api
    api.stop()


def subscribe(dialogue, db, api, *languages: str) -> list[int]:
    """Users who talked to the bot and asked for alerts in these languages; their chat ids."""
    store = SQLiteStore(db)
    ids = []
    for number, lang in enumerate(languages, start=100):
        user = {"id": number, "is_bot": False, "first_name": "U"}
        api.inject_message(user, {"id": number, "type": "private", "first_name": "U"}, text="hi")
        code = "fr-FR" if lang == "fr" else "en-GB"
        Chat(dialogue, store, f"tg:{number}", code).start().send("/alerts").press("🔔")
        ids.append(number)
    store.close()
    return ids


def announce(api, db, *flags: str) -> tuple[int, str, str]:
    variables = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.url}
    return run_cli("announce", "--db", str(db), *flags, variables=variables)


def notes_in(api, chat_id: int) -> list[str]:
    return [m.text for m in api.chat_messages(chat_id) if m.from_bot]


def note_text(dialogue, lang: str) -> str:
    _ = dialogue.content.catalogs.translator(lang)
    return _(dialogue.content.news.newest.text).strip().split(". ")[0]


def test_subscribers_get_the_newest_note_once_in_their_language(dialogue, api, tmp_path):
    db = tmp_path / "bot.sqlite3"
    french, english = subscribe(dialogue, db, api, "fr", "en")
    bystander = {"id": 300, "is_bot": False, "first_name": "B"}
    api.inject_message(bystander, {"id": 300, "type": "private", "first_name": "B"}, text="hi")
    status, out, err = announce(api, db)
    assert status == 0, err
    assert "sent 2 (en 1, fr 1), skipped 0, failed 0" in out
    [french_note] = notes_in(api, french)
    [english_note] = notes_in(api, english)
    assert note_text(dialogue, "fr") in french_note and note_text(dialogue, "en") in english_note
    assert notes_in(api, 300) == []  # no message to anyone who did not subscribe
    status, out, _err = announce(api, db)  # again: nobody gets it twice
    assert "sent 0 (none), skipped 2" in out and len(notes_in(api, french)) == 1


def test_a_dry_run_sends_nothing_and_changes_nothing(dialogue, api, tmp_path):
    db = tmp_path / "bot.sqlite3"
    subscribe(dialogue, db, api, "fr", "en", "en")
    status, out, _err = announce(api, db, "--dry-run")
    assert status == 0 and "would send 3 (en 2, fr 1)" in out
    assert api.calls_of("sendMessage") == []
    _status, out, _err = announce(api, db)
    assert "sent 3" in out


def test_a_user_who_blocked_the_bot_is_unsubscribed_not_retried(dialogue, api, tmp_path):
    db = tmp_path / "bot.sqlite3"
    blocked, _other = subscribe(dialogue, db, api, "en", "fr")
    api.fail_next("sendMessage", "Forbidden: bot was blocked by the user", 403)
    _status, out, _err = announce(api, db)
    assert "unsubscribed (blocked the bot) 1" in out and "sent 1" in out
    store = SQLiteStore(db)
    assert [s.user for s in store.subscribers_waiting(2)] == [f"tg:{_other}"]
    assert "alerts" not in store.load(f"tg:{blocked}").slots
    store.close()


def test_announce_refuses_a_database_that_does_not_exist(api, tmp_path):
    status, _out, err = announce(api, tmp_path / "typo.sqlite3")
    assert status == 2 and "typo.sqlite3" in err and "--db" in err
    assert not (tmp_path / "typo.sqlite3").exists()


def test_a_crash_mid_announce_resumes_without_sending_twice(dialogue, api, tmp_path):
    db = tmp_path / "bot.sqlite3"
    chats = subscribe(dialogue, db, api, "en", "fr", "en", "fr", "en")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "announce", "--db", str(db)],
        cwd=PROJECT,
        env={**bare_environment(), "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )

    def kill_at_the_second_message(call, answered):
        if call.method == "sendMessage" and not answered and len(api.calls_of("sendMessage")) == 2:
            os.kill(process.pid, signal.SIGKILL)

    api.listen(kill_at_the_second_message)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    status, out, err = announce(api, db)
    assert status == 0, err
    received = [len(notes_in(api, chat)) for chat in chats]
    assert received == [1, 1, 1, 1, 1], (received, out)


def test_announce_works_on_a_postgresql_database(dialogue, api):
    url = empty_database()  # skips without a server (required in .ci/run)

    async def two_subscribers():
        store = await PostgresStore.open(url)
        for number, lang in ((100, "fr"), (101, "en")):
            slots = {"alerts": TODAY.isoformat()}
            await store.save(Session(f"tg:{number}", "alerts", lang, slots, 1.0))
            user = {"id": number, "is_bot": False, "first_name": "U"}
            api.inject_message(
                user, {"id": number, "type": "private", "first_name": "U"}, text="hi"
            )
        await store.close()

    asyncio.run(two_subscribers())
    status, out, err = announce(api, url)
    assert status == 0 and "sent 2 (en 1, fr 1)" in out, err
    _status, out, _err = announce(api, url)
    assert "sent 0 (none), skipped 2" in out
    assert [len(notes_in(api, chat)) for chat in (100, 101)] == [1, 1]
