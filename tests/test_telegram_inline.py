"""Inline mode through the fake Bot API: cards in the user's language that open the bot at the right
place, and the share button that offers them (switch_inline_query). Also, on the same running bot,
news alerts end to end: asked for on Telegram, sent by `gdpr-bot announce`, stopped from the note."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from bot.engine import Content, SQLiteStore
from bot.paths import ContentPaths
from bot.yaml_io import read_yaml
from tests.support.chat import run_cli
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.telegram_client import (
    TOKEN,
    BotProcess,
    Probe,
    SimulatedUser,
    assert_nothing_refused,
    label,
    say,
    text_of,
)

PATHS = ContentPaths.from_environment()
CONTENT = Content.load(PATHS)
INLINE = read_yaml(PATHS.dialogues / "telegram.yaml")["inline"]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inline")
    api = FakeBotAPI(TOKEN)
    api.me["supports_inline_queries"] = True  # as after @BotFather's /setinline
    api.start()
    bot = BotProcess(api, folder, folder / "sessions.sqlite3").start()
    yield api, Probe(api), bot.db
    bot.stop()
    api.stop()


@pytest.fixture(autouse=True)
def no_refused_calls(world):
    yield
    assert_nothing_refused(world[0])


def cards(world, language_code: str, query: str = "") -> dict:
    api, _probe, _db = world
    sender = {"id": 4242, "is_bot": False, "first_name": "Alex", "language_code": language_code}
    return api.inline_answer(api.inject_inline_query(sender, query))


def title(lang: str, topic: str) -> str:
    return CONTENT.catalogs.translator(lang)(CONTENT.knowledge.topics[topic].title)


def start_payload(card: dict) -> str:
    [[button]] = card["reply_markup"]["inline_keyboard"]
    url = urlsplit(button["url"])
    assert (url.netloc, url.path) == ("t.me", "/gdpr_test_bot")
    return parse_qs(url.query)["start"][0]


@pytest.mark.parametrize("lang, language_code", [("fr", "fr-FR"), ("en", "en-GB")])
def test_an_inline_query_offers_the_cards_in_the_users_language(world, lang, language_code):
    answer = cards(world, language_code)
    results = answer["results"]
    assert [result["title"] for result in results] == [title(lang, t) for t in INLINE["topics"]]
    assert answer["cache_time"] == INLINE["cache_time"] and answer["is_personal"]
    for topic, result in zip(INLINE["topics"], results, strict=True):
        assert len(result["id"].encode()) <= 64  # the fake refuses longer ids and texts too
        answer_text = CONTENT.catalogs.translator(lang)(CONTENT.knowledge.topics[topic].answer)
        first_line = answer_text.strip().split("\n")[0]
        assert result["description"] == first_line
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML" and first_line in content["message_text"]
        assert start_payload(result) == f"{lang}-{topic}"
        [[button]] = result["reply_markup"]["inline_keyboard"]
        assert button["text"] == label_open(lang)


def label_open(lang: str) -> str:
    profile = read_yaml(PATHS.dialogues / "telegram.yaml")["labels"]["open_card"]
    return CONTENT.catalogs.translator(lang)(profile)


def test_a_question_after_the_username_puts_its_answer_first(world):
    results = cards(world, "en-GB", query="do they read my private messages")["results"]
    assert results[0]["title"] == title("en", "private_messages")
    assert [r["title"] for r in results[1:]] == [title("en", t) for t in INLINE["topics"]]


def test_typing_a_language_after_the_username_picks_it(world):
    results = cards(world, "fr-FR", query="en")["results"]
    assert results[0]["title"] == title("en", INLINE["topics"][0])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_cards_link_opens_the_bot_on_its_topic_in_the_cards_language(world, lang):
    api, probe, _db = world
    card = cards(world, "fr-FR" if lang == "fr" else "en-GB")["results"][-1]
    other = "en-GB" if lang == "fr" else "fr-FR"  # the reader's app is in the other language
    reader = SimulatedUser(api, probe, other)
    shown = reader.send(f"/start {start_payload(card)}")
    assert title(lang, INLINE["topics"][-1]) in text_of(shown)
    menu = reader.send("/menu")  # and the language stays the card's
    assert label(lang, "d") in [b["text"] for m in menu for row in m.keyboard for b in row]


def inline_shares(messages) -> list[dict]:
    buttons = [b for m in messages for row in m.keyboard for b in row]
    return [b for b in buttons if "switch_inline_query" in b]


def test_the_share_button_offers_the_cards_in_any_chat(world):
    api, probe, _db = world
    user = SimulatedUser(api, probe, "en-GB")
    user.send("/start")
    [share] = inline_shares(user.send("/menu"))
    assert share["switch_inline_query"] == "" and "url" not in share
    user.press(label("en", "d"))
    user.press(label("en", "a:facebook"))
    ground = CONTENT.letters.grounds[0]
    user.press(f"{ground.icon} {CONTENT.catalogs.translator('en')(ground.label)}")
    user.press(label("en", "n"))
    for _step in range(3):  # the sentence, the name, the country
        user.press(label("en", "k"))
    result = user.press(label("en", "n:write"))
    assert len(inline_shares(result)) == 1  # the result screen's share button


def test_news_alerts_asked_for_on_telegram_arrive_once_and_stop_from_the_note(world):
    api, probe, db = world
    user = SimulatedUser(api, probe, "fr-FR")
    user.send("/start")
    user.send("/alerts")
    user.press(label("fr", "as"))
    variables = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.url}
    status, out, err = run_cli("announce", "--db", str(db), variables=variables)
    assert status == 0 and "fr 1" in out, err
    note = CONTENT.catalogs.translator("fr")(CONTENT.news.newest.text).strip()
    [received] = [m for m in user.bot_messages() if note[:60] in m.text]
    assert label("fr", "au") in [b["text"] for row in received.keyboard for b in row]
    shown = user.press(label("fr", "au"))  # the button under the note
    assert say("fr", "alerts_offer").split("\n")[0][:40] in text_of(shown)
    store = SQLiteStore(db)
    assert store.subscriber_count() == 0 and "alerts" not in store.load(user.key).slots
    store.close()
