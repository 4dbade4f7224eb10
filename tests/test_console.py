"""`gdpr-bot console` in a subprocess with piped stdin, as a person in a terminal would use it."""

import pytest

from bot.engine import load_checked
from bot.paths import ContentPaths
from tests.support.chat import ConsoleProcess

CONTENT = load_checked(ContentPaths.from_environment())


def titles(lang):
    _ = CONTENT.catalogs.translator(lang)
    sections = CONTENT.knowledge.sections.values()
    return [
        (_(s.title), [(t, _(CONTENT.knowledge.topics[t].title)) for t in s.topics])
        for s in sections
    ]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_walk_through_the_menus_reaches_every_topic(lang):
    _ = CONTENT.catalogs.translator(lang)
    console = ConsoleProcess("--lang", lang, "--db", "memory")
    reached = set()
    for section_title, topics in titles(lang):
        console.press(section_title)
        for topic_id, topic_title in topics:
            screen = console.press(topic_title)
            answer = _(CONTENT.knowledge.topics[topic_id].answer).strip()
            assert answer.splitlines()[0] in screen
            reached.add(topic_id)
            console.press(_("⬅️ Back"))
        console.press(_("🏠 Menu"))
    screen = console.press(_("🔒 About this bot and privacy"))
    reached.add("bot_privacy")
    assert reached == set(CONTENT.knowledge.topics)
    assert console.close() == 0


def test_switching_language_mid_way_shows_the_same_step_in_french():
    console = ConsoleProcess("--lang", "en", "--db", "memory")
    console.press("Draft my objection")
    console.press("Instagram")
    screen = console.type("/language")
    assert "Étape 2 sur 5" in screen
    screen = console.type("/language")
    assert "Step 2 of 5" in screen
    assert console.close() == 0


def test_the_console_keeps_a_draft_across_runs(tmp_path):
    db = str(tmp_path / "console.sqlite3")
    first = ConsoleProcess("--lang", "en", "--db", db)
    first.press("Draft my objection")
    first.press("Facebook")
    assert first.close() == 0
    second = ConsoleProcess("--db", db)
    assert "Step 2 of 5" in second.screen
    assert second.close() == 0


def test_end_of_input_ends_the_chat_cleanly():
    console = ConsoleProcess("--db", "memory")
    console.process.stdin.close()
    assert console.process.wait(timeout=10) == 0
