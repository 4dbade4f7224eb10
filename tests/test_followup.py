"""After the objection: when it was sent, the reminder one month later, what if, the complaint."""

import datetime as dt

import pytest

from bot.dates import parse_day
from bot.engine import Conversation, Dialogue, InProcess, SQLiteStore, deliver_due
from tests.conftest import TODAY
from tests.support.chat import Chat


def drafted(dialogue, store=None, language_code="en"):
    chat = Chat(dialogue, store=store, language_code=language_code).start()
    chat.press("✍️").press("Facebook")
    chat.press(chat.labels()[0]).press(chat.labels()[-2])  # the first ground, then continue
    for _ in range(3):  # sentence, name, country: skipped, second to last
        chat.press(chat.labels()[-2])
    chat.press("📝")
    assert chat.state == "draft_result"
    return chat


@pytest.fixture
def chat(dialogue):
    return drafted(dialogue)


def test_sent_today_offers_a_reminder_the_day_after_metas_month(chat):
    chat.press("I've sent it").press("Today")
    assert chat.state == "followup_reminder"
    assert "30 December 2026" in chat.text


def test_a_typed_date_is_understood_and_a_bad_one_explained(chat):
    chat.press("I've sent it")
    chat.send("yesterday-ish")
    assert chat.state == "followup_sent" and "could not read that date" in chat.text
    chat.send("30/12/2026")
    assert chat.state == "followup_sent" and "still to come" in chat.text
    chat.send("20/11/2026")
    assert chat.state == "followup_reminder"
    assert chat.session.slots["sent_on"] == "2026-11-20"


def test_a_date_more_than_a_month_back_asks_whether_meta_answered_instead_of_a_reminder(chat):
    chat.press("I've sent it")
    chat.send("15/10/2026")
    assert chat.state == "followup_check"
    assert "remind_on" not in chat.session.slots
    assert "15 October 2026" in chat.text and "Did Meta confirm it?" in chat.text
    assert "two more months" in chat.text  # Art. 12(3): an extension Meta announced
    chat.press("No answer after a month").press("This bot's letter")
    assert chat.state == "complaint_country"  # the date and what Meta did are known already


def test_the_follow_up_page_shows_the_reminder_and_what_if_topics(chat):
    chat.press("I've sent it").press("Today").press("Yes, remind me")
    assert chat.state == "followup"
    assert "I will write to you on 30 December 2026" in chat.text
    assert {"Meta's confirmation", "Can Meta refuse?", "Me in Meta AI's answers"} <= set(
        chat.labels()
    )
    chat.press("Cancel the reminder")
    assert "remind_on" not in chat.session.slots
    assert "I will write to you" not in chat.text


async def due(dialogue, store, today) -> list:
    """What deliver_due yields on `today`, the store seen as the Telegram adapter sees it."""
    conversation = Conversation(dialogue, InProcess(store))
    return [delivered async for delivered in deliver_due(conversation, today)]


async def test_a_reminder_survives_a_restart_and_is_delivered_once(dialogue, tmp_path):
    path = tmp_path / "sessions.sqlite3"
    chat = drafted(dialogue, SQLiteStore(path), language_code="fr")
    chat.press("Je l’ai envoyée").press("Aujourd’hui").press("Oui, rappelez-le-moi")
    restarted = SQLiteStore(path)
    assert await due(dialogue, restarted, TODAY + dt.timedelta(days=30)) == []
    [(user, outcome)] = await due(dialogue, restarted, TODAY + dt.timedelta(days=31))
    assert user == "tg:1"
    assert "Plus d’un mois s’est écoulé" in outcome.replies[0].text
    assert "29 novembre 2026" in outcome.replies[0].text
    assert await due(dialogue, restarted, TODAY + dt.timedelta(days=32)) == []


def test_forget_removes_a_pending_reminder(dialogue, tmp_path):
    store = SQLiteStore(tmp_path / "sessions.sqlite3")
    chat = drafted(dialogue, store)
    chat.press("I've sent it").press("Today").press("Yes, remind me")
    chat.send("/forget").press("Yes, erase everything")
    assert store.due_reminders("2099-01-01") == []


def later(dialogue, days):
    return Dialogue(dialogue.content, today=lambda: TODAY + dt.timedelta(days=days))


async def test_after_the_reminder_a_complaint_is_drafted_for_no_answer(dialogue, tmp_path):
    store = SQLiteStore(tmp_path / "sessions.sqlite3")
    chat = drafted(dialogue, store)
    chat.press("I've sent it").press("Today").press("Yes, remind me")
    month_later = Chat(later(dialogue, 31), store=store)
    [(_user, outcome)] = await due(later(dialogue, 31), store, TODAY + dt.timedelta(days=31))
    month_later.replies = outcome.replies
    month_later.press("No answer").press("This bot's letter").press("Skip")
    assert month_later.state == "complaint_result"
    complaint = month_later.replies[1].attachment.content
    assert "12(3)" in complaint and "77" in complaint
    assert len(month_later.replies[0].copy.text) <= 256


def test_no_answer_is_not_offered_before_metas_month_is_over(chat):
    chat.press("I've sent it").press("Today").press("No, thank you")
    chat.press("Draft a complaint").press("This bot's letter")
    assert chat.state == "complaint_outcome"  # the date given after sending is kept
    assert "No answer" not in " ".join(chat.labels())
    chat.press("refused").press("Skip")
    assert chat.state == "complaint_result"


@pytest.mark.parametrize(("lang", "expected"), [("en", "start%3Den"), ("fr", "start%3Dfr")])
def test_the_share_link_opens_the_bot_in_the_users_language(dialogue, lang, expected):
    linked = Dialogue(dialogue.content, today=lambda: TODAY, bot_link="https://t.me/gdpr_test_bot")
    chat = drafted(linked, language_code=lang)
    chat.press("📮")  # I've sent it
    chat.press(chat.labels()[0])  # today
    chat.press(chat.labels()[1])  # no reminder
    [share] = [b for b in chat.buttons() if b.id == "url:share"]
    assert share.url.startswith("https://t.me/share/url?url=https%3A%2F%2Ft.me%2Fgdpr_test_bot%3F")
    assert expected in share.url


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("hier", dt.date(2026, 11, 28)),
        ("aujourd'hui", dt.date(2026, 11, 29)),
        ("yesterday", dt.date(2026, 11, 28)),
        ("15/09", dt.date(2026, 9, 15)),
        ("15 septembre", dt.date(2026, 9, 15)),
        ("le 15/09/2026", dt.date(2026, 9, 15)),
        ("Sept 15", dt.date(2026, 9, 15)),
        ("3 days ago", dt.date(2026, 11, 26)),
        ("il y a 3 jours", dt.date(2026, 11, 26)),
        ("2026-11-29", dt.date(2026, 11, 29)),
        ("03/04/2025", dt.date(2025, 4, 3)),  # day first
        ("15 December", dt.date(2025, 12, 15)),  # no year: the last such day, not a future one
    ],
)
def test_days_are_read_as_people_type_them_in_both_languages(typed, day):
    assert parse_day(typed, TODAY) == day


@pytest.mark.parametrize("typed", ["demain", "tomorrow", "30/12/2026", "12/05/2023", "", "bof"])
def test_a_future_day_a_day_before_2024_or_no_day_is_refused(typed):
    assert parse_day(typed, TODAY) is None


def test_a_date_typed_in_french_moves_the_dialogue_on(dialogue):
    chat = drafted(dialogue, language_code="fr")
    chat.press("Je l’ai envoyée")
    chat.send("le 15 novembre")
    assert chat.state == "followup_reminder"
    assert chat.session.slots["sent_on"] == "2026-11-15"
