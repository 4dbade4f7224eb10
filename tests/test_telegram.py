"""The Telegram adapter end to end: the real `gdpr-bot run` in a subprocess, a fake Bot API over
HTTP, and simulated users who send text and press buttons. One bot serves the whole module; the
tests that restart or kill it leave it running again.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.engine import Flow, Session, SQLiteStore
from bot.paths import ContentPaths
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.telegram_client import (
    TOKEN,
    BotProcess,
    Probe,
    SimulatedUser,
    assert_nothing_refused,
    label,
    profile_description,
    profile_text,
    say,
    text_of,
)

FLOW = Flow.load(ContentPaths.from_environment().dialogues / "flow.yaml")
DAY = 86400


@dataclass
class World:
    api: FakeBotAPI
    bot: BotProcess
    probe: Probe
    typed: list[str]

    def user(self, language_code: str | None = "en-GB") -> SimulatedUser:
        return SimulatedUser(self.api, self.probe, language_code, self.typed)

    def stored(self, user: SimulatedUser) -> int:
        with sqlite3.connect(self.bot.db) as db:
            return db.execute(
                "SELECT count(*) FROM sessions WHERE user = ?", (user.key,)
            ).fetchone()[0]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("telegram")
    db = folder / "sessions.sqlite3"
    _seed(db)
    api = FakeBotAPI(TOKEN).start()
    bot = BotProcess(api, folder, db, "--reminder-check", "0.5").start()
    yield World(api, bot, Probe(api), [])
    bot.stop()
    api.stop()


@pytest.fixture(autouse=True)
def no_refused_calls(request):
    """Whatever a test does, Telegram must never have refused a call (bad HTML, too long...)."""
    yield
    if "world" in request.fixturenames:
        assert_nothing_refused(request.getfixturevalue("world").api)


def _seed(db: Path) -> None:
    """One session idle for 40 days (to be purged at start-up) and one from today."""
    store = SQLiteStore(db)
    store.save(Session("tg:1", "menu", "en", {"name": "old"}, time.time() - 40 * DAY))
    store.save(Session("tg:2", "menu", "fr", {}, time.time()))
    store.close()


# Start-up


def test_start_up_registers_menus_and_descriptions_in_both_languages(world):
    default, french = '{"type": "default"}', "fr"
    english_menu = world.api.chats.commands[(default, "")]
    french_menu = world.api.chats.commands[(default, french)]
    names = [command["command"] for command in english_menu]
    assert {"start", "menu", "help", "language", "draft", "privacy", "forget", "cancel"} <= set(
        names
    )
    assert names == [command["command"] for command in french_menu]
    assert english_menu != french_menu
    assert world.api.chats.descriptions[""] != world.api.chats.descriptions["fr"]
    assert world.api.chats.descriptions["fr"] == profile_description("fr")  # privacy included
    assert 0 < len(world.api.chats.short_descriptions["fr"]) <= 120


def test_sessions_idle_past_the_retention_period_are_purged_at_start_up(world):
    with sqlite3.connect(world.bot.db) as db:
        users = {row[0] for row in db.execute("SELECT user FROM sessions")}
    assert "tg:1" not in users
    assert "tg:2" in users


# Greeting and language


def test_start_greets_in_french_when_the_app_is_in_french(world):
    replies = world.user("fr-FR").send("/start")
    assert say("fr", "welcome").split("\n")[0] in text_of(replies)
    labels = [button["text"] for row in replies[-1].keyboard for button in row]
    assert label("fr", "d") in labels


def test_start_greets_in_english_when_the_app_is_in_english(world):
    replies = world.user("en-GB").send("/start")
    assert say("en", "welcome").split("\n")[0] in text_of(replies)
    assert label("en", "d") in [b["text"] for row in replies[-1].keyboard for b in row]


def test_a_deep_link_payload_chooses_the_language(world):
    replies = world.user("fr-FR").send("/start en")
    assert say("en", "welcome").split("\n")[0] in text_of(replies)


def test_switching_language_mid_draft_shows_the_same_step_and_a_new_chat_menu(world):
    user = world.user("en-GB")
    user.send("/start")
    user.press(label("en", "d"))
    english = text_of(user.press(label("en", "a:both")))
    assert label("en", "a:yes") in [b["text"] for b in user.buttons("a:")]
    french = text_of(user.send("/language"))
    assert french != english
    assert [b["text"] for b in user.buttons("a:")] == [
        label("fr", f"a:{answer}") for answer in ("yes", "no", "unsure")
    ]
    scope = f'{{"chat_id": {user.id}, "type": "chat"}}'
    assert (
        world.api.chats.commands[(scope, "")]
        == world.api.chats.commands[('{"type": "default"}', "fr")]
    )


# The draft


def test_a_full_draft_ends_with_a_copy_button_the_letter_and_a_text_file(world):
    user = world.user("en-GB")
    user.send("/start")
    user.press(label("en", "d"))
    user.press(label("en", "a:both"))
    user.press(label("en", "a:yes"))
    first, second = [button["text"] for button in user.buttons("g:")[:2]]
    user.press(first)
    user.press(second)
    # A chosen ground's check mark takes the place of its icon.
    toggled = user.press("✅ " + second.split(" ", 1)[1])  # pressed again: unchosen
    assert "✅ " + first.split(" ", 1)[1] in [b["text"] for b in user.buttons("g:")]
    assert second in [b["text"] for b in user.buttons("g:")], text_of(toggled)
    user.press(label("en", "n"))
    user.press(label("en", "k"))  # no sentence of my own
    user.send("Camille Testname-Durand")
    review = user.press("France")
    assert "Camille Testname-Durand" in text_of(review)
    user.press(label("en", "el"))
    user.press(label("en", "a:fr"))

    result = user.press(label("en", "n:write"))

    short, document = _copy_button_message(result), _file(result)
    copy_text = short.keyboard[0][0]["copy_text"]["text"]
    assert 0 < len(copy_text) <= 256
    assert short.entity_texts("pre") == [copy_text]
    name, content = document.document
    assert name.endswith(".txt")
    assert "Camille Testname-Durand" in content.decode("utf-8")
    url_buttons = [b for m in result for row in m.keyboard for b in row if "url" in b]
    assert {b["url"] for b in url_buttons} >= set(FLOW.links.values())
    (letter,) = user.press(label("en", "tx"))
    assert letter.entity_texts("pre")[0].strip() == content.decode("utf-8").strip()


def _copy_button_message(messages):
    return next(m for m in messages if m.keyboard and "copy_text" in m.keyboard[0][0])


def _file(messages):
    return next(m for m in messages if m.document)


def test_a_question_in_free_text_is_answered_with_its_sources(world):
    user = world.user("en-GB")
    user.send("/start")
    (answer,) = user.send("Do they read my private messages with my friends?")
    assert answer.html.startswith("<b>")
    links = [entity for entity in answer.entities if entity["type"] == "text_link"]
    assert links and all(link["url"].startswith("https://") for link in links)
    assert "checked on" in answer.text


def test_more_edits_the_answer_in_place_with_its_details_and_one_sources_line(world):
    user = world.user("en-GB")
    user.send("/start")
    (answer,) = user.send("What's new since May 2025?")
    sources = [line for line in answer.text.splitlines() if line.startswith("Sources:")]
    assert len(sources) == 1 and sources[0].count("checked on") == 1
    assert "consumer foundation" not in answer.text
    (more,) = user.press(label("en", "v"))
    assert world.api.calls_of("editMessageText")
    assert "consumer foundation" in more.text and label("en", "v") not in str(more.keyboard)


def test_a_very_long_message_is_answered(world):
    user = world.user("en-GB")
    user.send("/start")
    question = "Does Meta use my public photos to train its AI? " * 220  # over 10,000 characters
    assert len(question) > 10_000
    assert user.send(question)


# Buttons: double taps, stale and forged data


def test_a_double_tap_moves_the_draft_on_once(world):
    user = world.user("en-GB")
    user.send("/start")
    user.press(label("en", "d"))
    message, button = user.find_button(label("en", "a:facebook"))
    world.api.inject_callback(user.user, message, button["callback_data"])
    user.press_data(button["callback_data"], message)
    assert all(world.api.chats.answered.values())
    assert user.buttons("g:"), "the second tap must not skip the grounds step"
    assert label("en", "a:facebook") not in [b["text"] for b in user.buttons()]


def test_a_button_showing_the_same_step_again_is_not_an_error(world):
    user = world.user("en-GB")
    user.send("/start")
    user.press(label("en", "d"))
    user.press(label("en", "a:facebook"))
    assert say("en", "pick_a_ground") in text_of(user.press(label("en", "n")))  # none chosen
    failures = world.bot.output().count(" failed: ")
    user.press(label("en", "n"))  # the same step with the same words: Telegram says not modified
    edits = world.api.calls_of("editMessageText")
    assert "message is not modified" in edits[-1].description
    assert world.bot.output().count(" failed: ") == failures


def test_a_forged_button_is_answered_and_says_it_expired(world):
    user = world.user("en-GB")
    user.send("/start")
    message, _button = user.find_button(label("en", "d"))
    replies = user.press_data("999|d", message)
    assert world.api.chats.answered[user.last_query] is True
    assert say("en", "expired") in text_of(replies)


def test_a_button_from_an_earlier_step_says_it_expired(world):
    user = world.user("en-GB")
    user.send("/start")
    user.press(label("en", "d"))
    message, button = user.find_button(label("en", "a:instagram"))
    user.press(label("en", "a:instagram"))
    replies = user.press_data(button["callback_data"], message)
    assert world.api.chats.answered[user.last_query] is True
    assert say("en", "expired") in text_of(replies)


# What is not text, and where the bot does not talk


FILE = {"file_id": "f1", "file_unique_id": "u1"}
MEDIA = {"width": 320, "height": 240, "duration": 3}
NOT_TEXT = {
    "sticker": {**FILE, **MEDIA, "type": "regular", "is_animated": False, "is_video": False},
    "photo": [{**FILE, "width": 320, "height": 240}],
    "voice": {**FILE, "duration": 3},
    "video": {**FILE, **MEDIA},
    "document": {**FILE, "file_name": "notes.pdf"},
    "animation": {**FILE, **MEDIA},
    "location": {"latitude": 48.85, "longitude": 2.35},
    "contact": {"phone_number": "+33100000000", "first_name": "Alex"},
    "poll": {
        "id": "p1",
        "question": "Lunch?",
        "options": [
            {"persistent_id": "o1", "text": "Yes", "voter_count": 0},
            {"persistent_id": "o2", "text": "No", "voter_count": 0},
        ],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": False,
        "members_only": False,
    },
}


@pytest.mark.parametrize("kind", NOT_TEXT)
def test_what_is_not_text_gets_the_unsupported_notice(world, kind):
    user = world.user("fr-FR")
    content = {kind: NOT_TEXT[kind]}
    if kind == "animation":  # Telegram sends an animation as a document too
        content["document"] = NOT_TEXT["document"]
    assert say("fr", "unsupported") in text_of(user.send_content(**content))


def test_in_a_group_only_start_and_help_are_answered(world):
    member = {"id": 4242, "is_bot": False, "first_name": "Dominique", "language_code": "fr"}
    group = {"id": -4242, "type": "supergroup", "title": "Famille"}
    world.typed.append("Bonjour à tous, vous avez vu ?")
    for text in ("/start", world.typed[-1], "/draft", "/help@gdpr_test_bot"):
        world.api.inject_message(member, group, text=text)
    world.probe.settle()
    answers = [m for m in world.api.chat_messages(group["id"]) if m.from_bot]
    assert [m.text for m in answers] == [say("fr", "group")] * 2


def test_edited_messages_are_ignored(world):
    user = world.user("en-GB")
    user.send("/start")
    assert user.edit("What do they use exactly?") == []


# Privacy


def test_forget_erases_the_users_row_at_once(world):
    user = world.user("en-GB")
    user.send("/start")
    user.press(label("en", "d"))
    assert world.stored(user) == 1
    user.send("/forget")
    replies = user.press(label("en", "f"))
    assert say("en", "forgotten").split(".")[0] in text_of(replies)
    assert world.stored(user) == 0
    assert any(
        c.params.get("scope", {}).get("chat_id") == user.id
        for c in world.api.calls_of("deleteMyCommands")
    )


# Restarts


def test_a_draft_continues_at_the_same_step_after_a_graceful_restart(world):
    user = world.user("en-GB")
    user.send("/start")
    user.press(label("en", "d"))
    user.press(label("en", "a:facebook"))
    assert world.bot.stop() == 0
    assert "store closed" in world.bot.output()
    world.bot.start()
    user.press(user.buttons("g:")[0]["text"])
    assert "✅" in user.buttons("g:")[0]["text"]


def test_a_draft_continues_at_the_same_step_after_kill_9(world):
    user = world.user("fr-FR")
    user.send("/start")
    user.press(label("fr", "d"))
    user.press(label("fr", "a:instagram"))
    user.press(user.buttons("g:")[0]["text"])
    user.press(label("fr", "n"))
    assert world.bot.kill() == -9
    world.bot.start()
    replies = user.send("/draft")  # resumes the draft where it was: the sentence step
    assert label("fr", "k") in [b["text"] for m in replies for row in m.keyboard for b in row]
    assert not user.buttons("g:")


# After the objection


def drafted(world, lang: str) -> SimulatedUser:
    """A user who went through the whole draft, skipping every optional step."""
    user = world.user({"fr": "fr-FR", "en": "en-GB"}[lang])
    user.send("/start")
    user.press(label(lang, "d"))
    user.press(label(lang, "a:facebook"))
    user.press(user.buttons("g:")[0]["text"])
    user.press(label(lang, "n"))
    for _step in range(3):  # sentence, name, country
        user.press(label(lang, "k"))
    user.press(label(lang, "n:write"))
    return user


def test_a_reminder_is_delivered_after_a_restart_and_only_once(world):
    user = drafted(world, "fr")
    user.press(label("fr", "o"))
    user.press(label("fr", "a:today"))
    user.press(label("fr", "a:remind"))
    assert world.bot.stop() == 0
    # A month goes by: the stored reminder day moves into the past, as the calendar would move.
    store = SQLiteStore(world.bot.db)
    session = store.load(user.key)
    session.slots["remind_on"] = "2000-01-01"
    store.save(session)
    store.close()
    before = len(user.bot_messages())
    world.bot.start()
    reminder = say("fr", "reminder").split("{date}")[0][:30]
    world.api.wait_until(lambda: len(user.bot_messages()) > before, timeout=20)
    assert reminder in text_of(user.bot_messages()[before:])
    world.bot.stop()
    world.bot.start()
    time.sleep(1.5)  # three looks for due reminders: none may send it again
    assert text_of(user.bot_messages()[before:]).count(reminder) == 1


def test_the_share_button_opens_the_bot_in_the_users_language(world):
    user = drafted(world, "en")
    user.press(label("en", "o"))
    user.press(label("en", "a:today"))
    replies = user.press(label("en", "a:no_reminder"))
    urls = [b.get("url", "") for m in replies for row in m.keyboard for b in row]
    [share] = [url for url in urls if url.startswith("https://t.me/share/url")]
    assert "start%3Den" in share


# Concurrency: users at once, each user's updates in order

BURST = ["/start", "/help", "/language", "/help", "/privacy", "/menu", "/language", "/draft"]


def test_users_are_served_at_once_and_each_users_replies_keep_their_order(world):
    """With 50 ms added to every Bot API call, four users each send eight updates at once.
    Each sees exactly what a user sending them one by one sees, in the same order; and the bot
    had answers to several chats in flight together, so nobody waited for the others."""
    alone = world.user("en-GB")
    for text in BURST:
        alone.send(text)
    expected = [message.text for message in alone.bot_messages()]
    crowd = [world.user("en-GB") for _ in range(4)]
    chats = {user.id for user in crowd}
    in_flight: dict[int, int] = {}
    most_chats_at_once = 0

    def count(call, answered):
        nonlocal most_chats_at_once
        if call.method == "sendMessage" and call.chat_id in chats:
            in_flight[call.chat_id] = in_flight.get(call.chat_id, 0) + (-1 if answered else 1)
            busy = sum(1 for calls in in_flight.values() if calls)
            most_chats_at_once = max(most_chats_at_once, busy)

    world.api.listen(count)
    world.api.latency = 0.05
    try:
        with world.api.atomically():
            for text in BURST:
                for user in crowd:
                    world.api.inject_message(user.user, user.chat, text=text)
        world.probe.settle()
    finally:
        world.api.latency = 0.0
        chats.clear()
    for user in crowd:
        assert [message.text for message in user.bot_messages()] == expected
    assert most_chats_at_once >= 2


# Flood control and errors


def test_a_retry_after_answer_is_waited_out(world):
    user = world.user("en-GB")
    world.api.fail_next("sendMessage", "Too Many Requests: retry after 1", 429, retry_after=1)
    assert user.send("/start")


def test_a_failure_is_logged_by_type_and_the_user_gets_an_apology(world):
    user = world.user("fr-FR")
    world.api.fail_next("sendMessage", "Bad Request: chat not found")
    replies = user.send("/start")
    assert text_of(replies) == profile_text("fr", "error")
    assert "failed: BadRequest at " in world.bot.output()


def test_the_apology_is_in_the_language_the_user_switched_to(world):
    user = world.user("fr-FR")
    user.send("/start")
    user.send("/language")
    world.api.fail_next("sendMessage", "Bad Request: chat not found")
    assert text_of(user.send("/help")) == profile_text("en", "error")


def test_an_apology_that_cannot_be_sent_is_logged_by_type_and_the_bot_goes_on(world):
    """The apology's own sendMessage answers a result that is no message: PTB fails with an
    error that is not a TelegramError, and the error handler still must not raise."""
    user = world.user("en-GB")
    world.api.fail_next("sendMessage", "Bad Request: chat not found")
    world.api.answer_next("sendMessage", {"message_id": 1})
    user.send("/start")
    output = world.bot.output()
    assert "apology not sent: " in output
    assert "uncaught error" not in output
    assert say("en", "welcome").split("\n")[0] in text_of(user.send("/start"))


def test_a_502_page_from_a_proxy_is_one_warning_and_the_retry_answers(world):
    user = world.user("en-GB")
    before = world.bot.output()
    world.api.fail_next_with_page("sendMessage", 502, "<html><body>502 Bad Gateway</body></html>")
    assert say("en", "welcome").split("\n")[0] in text_of(user.send("/start"))
    added = world.bot.output()[len(before) :]
    assert "Traceback" not in added and "JSON" not in added
    assert [line for line in added.splitlines() if "WARNING" in line] == [
        line for line in added.splitlines() if "sendMessage: NetworkError; trying again" in line
    ]
    assert len([line for line in added.splitlines() if "WARNING" in line]) == 1


# Logs, checked last: everything the module's users typed is known by now


def test_the_logs_hold_neither_the_token_nor_anything_users_typed(world):
    output = world.bot.output()
    assert "update" in output and TOKEN not in output
    assert TOKEN.split(":")[1] not in output
    leaked = [text for text in world.typed if len(text) > 6 and text[:40] in output]
    assert not leaked
    assert "Camille" not in output and "Dominique" not in output  # users' first names
