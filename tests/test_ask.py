"""`gdpr-bot ask`: the --json contract other tools rely on, and --explain."""

import json
import subprocess
import sys

from tests.support.chat import run_cli

KEYS = {"topic", "lang", "answer", "score", "alternatives", "action"}


def asked(*questions: str) -> list[dict]:
    status, out, _err = run_cli("ask", "--json", stdin="\n".join(questions) + "\n")
    assert status == 0
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_a_question_gets_its_topic_and_no_action():
    (answer,) = asked("Comment m'opposer à l'utilisation de mes données par Meta ?")
    assert set(answer) == KEYS
    assert (answer["topic"], answer["action"], answer["alternatives"]) == (
        "how_to_object",
        None,
        [],
    )


def test_a_request_is_an_action_with_no_topic_and_its_answer_is_the_dialogue_s():
    draft, small_talk = asked("can you write the letter for me", "merci !")
    assert (draft["topic"], draft["action"]) == (None, "draft_objection")
    assert "Which accounts" in draft["answer"]
    assert (small_talk["topic"], small_talk["action"]) == (None, "smalltalk")


def test_out_of_scope_gets_nothing():
    (answer,) = asked("what's the weather like in Lyon tomorrow?")
    assert (answer["topic"], answer["action"], answer["alternatives"]) == (None, None, [])


def test_explain_shows_both_channels_the_rule_and_the_nearest_examples():
    status, out, _err = run_cli("ask", "--lang", "en", "--explain", "Can Meta use my photos?")
    assert status == 0
    for part in ("verdict: topic data_used", "rule:", "lexical:", "semantic:", "nearest texts:"):
        assert part in out


def test_ask_leaves_the_telegram_adapter_unloaded_and_help_still_lists_every_command():
    """Each subcommand's module is imported only when it runs: `ask` starts faster."""
    check = (
        "import sys\n"
        "from bot.cli import build_parser\n"
        "build_parser('ask')\n"
        "assert not any(name.startswith(('telegram', 'bot.telegram')) for name in sys.modules)\n"
        "print(build_parser().format_help())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    )
    for command in ("console", "ask", "check", "catalogs", "draft", "graph", "run", "announce"):
        assert command in result.stdout
