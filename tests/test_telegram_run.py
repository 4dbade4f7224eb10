"""`gdpr-bot run` as a command: its settings, refusals without a usable token, and webhook mode."""

from __future__ import annotations

import argparse
import io
import logging
import subprocess
import sys
import urllib.error
import urllib.request

import psycopg
import pytest

from bot.errors import UsageError
from bot.telegram import Settings, configure_logging, where
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.postgres import empty_database
from tests.support.telegram_client import (
    TOKEN,
    BotProcess,
    Probe,
    SimulatedUser,
    bare_environment,
    free_port,
    label,
    run_bot,
    say,
    text_of,
    wait_for_port,
)

# Running without a token


def test_run_without_a_token_exits_2_and_says_what_to_set(tmp_path):
    result = run_bot(tmp_path)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr


def test_a_malformed_token_exits_2_without_showing_it(tmp_path):
    result = run_bot(tmp_path, TELEGRAM_BOT_TOKEN="12345:too-short-secret-value")
    assert result.returncode == 2
    assert "does not look like a bot token" in result.stderr
    assert "too-short-secret-value" not in result.stderr + result.stdout


def test_a_token_the_server_rejects_exits_1_without_showing_it(tmp_path):
    rejected = "7012345678:AAAnotherTokenTheServerRejects_0123"
    api = FakeBotAPI(TOKEN).start()
    try:
        result = run_bot(
            tmp_path,
            TELEGRAM_BOT_TOKEN=rejected,
            TELEGRAM_API_URL=api.url,
            GDPR_BOT_DB=str(tmp_path / "db.sqlite3"),
        )
    finally:
        api.stop()
    assert result.returncode == 1
    assert "rejected TELEGRAM_BOT_TOKEN" in result.stderr
    assert rejected.split(":")[1] not in result.stderr + result.stdout


def test_an_unexpected_error_at_start_up_exits_1_with_its_type_and_no_traceback(tmp_path):
    """getMe answers something that is not a bot: PTB fails with a TypeError whose message
    names fields; the command says the type and where, as every other error line does."""
    api = FakeBotAPI(TOKEN).start()
    api.answer_next("getMe", {"id": 1, "is_bot": True})
    try:
        result = run_bot(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=api.url,
            GDPR_BOT_DB=str(tmp_path / "db.sqlite3"),
        )
    finally:
        api.stop()
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("gdpr-bot run: stopped by TypeError at "), last
    assert "Traceback" not in result.stderr and "first_name" not in result.stderr


@pytest.mark.parametrize("command", ["run", "console"])
def test_a_database_url_of_an_unknown_scheme_is_refused_at_start_up(tmp_path, command):
    """Never taken for a file path (which made a folder named `mysql:`)."""
    result = run_bot(
        tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, GDPR_BOT_DB="mysql://bot:pw@db.example/sessions"
    )
    if command == "console":
        result = subprocess.run(
            [sys.executable, "-m", "bot", "console", "--db", "mysql://bot:pw@db/sessions"],
            cwd=tmp_path, env=bare_environment(), input="", capture_output=True, text=True,
        )  # fmt: skip
    assert result.returncode == 2
    assert "mysql:// is not a database this command can use" in result.stderr
    assert "pw" not in result.stderr and not (tmp_path / "mysql:").exists()


def test_the_console_refuses_postgresql_and_says_what_serves_it(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--db", "postgresql://bot@db/sessions"],
        cwd=tmp_path, env=bare_environment(), input="", capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 2
    assert "PostgreSQL serves `gdpr-bot run`" in result.stderr


def test_an_unreachable_postgresql_stops_run_with_one_line_and_no_password(tmp_path):
    api = FakeBotAPI(TOKEN).start()
    try:
        result = run_bot(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=api.url,
            GDPR_BOT_DB="postgresql://bot:s3cret-pw@127.0.0.1:1/sessions",
        )
    finally:
        api.stop()
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("gdpr-bot run: cannot open the database postgresql://bot@127.0.0.1:1/")
    assert "s3cret-pw" not in result.stderr and "Traceback" not in result.stderr


def test_on_postgresql_a_step_is_stored_and_forget_erases_the_row(tmp_path):
    url = empty_database()
    api = FakeBotAPI(TOKEN).start()
    bot = BotProcess(api, tmp_path, url)  # a postgresql:// URL
    try:
        bot.start()
        user = SimulatedUser(api, Probe(api), "fr-FR")
        user.send("/start")
        assert _rows_of(url, user.key) == 1
        user.send("/forget")
        user.press(label("fr", "f"))
        assert _rows_of(url, user.key) == 0
    finally:
        bot.stop()
        api.stop()


def _rows_of(url: str, key: str) -> int:
    with psycopg.connect(url) as connection:
        query = "SELECT count(*) FROM sessions WHERE user_key = %s"
        return connection.execute(query, (key,)).fetchone()[0]


# Logging


@pytest.fixture
def log_stream():
    """configure_logging() on a string stream; the root logger is restored afterwards."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging(stream, (TOKEN,))
    yield stream
    root.handlers[:], level = saved
    root.setLevel(level)


def test_the_error_location_is_found_by_package_not_by_folder_name():
    """A library installed under a folder named `bot` is not our code; our module calling it is."""
    library = {"__name__": "somelib"}
    exec(compile("def fail():\n    raise KeyError(1)\n", "/srv/bot/lib/lib.py", "exec"), library)
    ours = {"__name__": "bot.caller", "fail": library["fail"]}
    exec(compile("def call():\n    fail()\n", "/srv/app/caller.py", "exec"), ours)
    with pytest.raises(KeyError) as raised:
        ours["call"]()
    assert where(raised.value) == "caller.py:2 ... lib.py:2"


def test_logs_keep_our_lines_and_withhold_library_values_and_exception_messages(log_stream):
    user_text = "Camille wrote: please stop using my photos"
    try:
        raise TypeError(user_text)  # tracebacks show this line of code, not the value
    except TypeError as error:
        parsing = logging.getLogger("telegram.ext.ExtBot")
        parsing.critical("Received data was %r", {"text": "Camille's letter"}, exc_info=error)
    logging.getLogger("bot.telegram.handlers").info("update %s: %s -> %s", 7, "typed", "menu")
    logging.getLogger("telegram.ext.Updater").warning(f"GET /bot{TOKEN}/getMe failed")
    output = log_stream.getvalue()
    assert "update 7: typed -> menu" in output
    assert "Received data was %r [values withheld]" in output
    assert "TypeError [message withheld]" in output
    assert "Camille" not in output and TOKEN not in output


# Settings


def _settings(variables=None, **options) -> Settings:
    args = dict(
        api_url=None,
        webhook_url=None,
        listen=None,
        port=None,
        retention_days=None,
        reminder_check=None,
        max_messages_per_second=None,
        metrics=False,
        metrics_port=None,
    )
    return Settings.from_args(
        argparse.Namespace(**{**args, **options}),
        {"TELEGRAM_BOT_TOKEN": TOKEN, **(variables or {})},
    )


def test_the_api_url_may_be_the_server_root_or_ptbs_prefix():
    for given in (
        "http://127.0.0.1:8081",
        "http://127.0.0.1:8081/bot",
        "http://127.0.0.1:8081/bot/",
    ):
        settings = _settings(api_url=given)
        assert settings.base_url == "http://127.0.0.1:8081/bot"
        assert settings.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert _settings().base_url == "https://api.telegram.org/bot"


@pytest.mark.parametrize(
    "options",
    [
        {"api_url": "127.0.0.1:8081"},
        {"retention_days": 0},
        {"port": 8443},
        {"webhook_url": "example.org/hook"},
        {"max_messages_per_second": 0},
        {"listen": "0.0.0.0"},
        {"metrics_port": 9100, "webhook_url": "https://example.org/hook"},
    ],
)
def test_wrong_options_are_usage_errors_that_name_the_option(options):
    with pytest.raises(UsageError) as error:
        _settings(**options)
    assert any(name.replace("_", "-") in str(error.value) for name in options)


def test_the_overall_sending_rate_is_30_unless_raised():
    assert _settings().max_messages_per_second == 30
    assert _settings(max_messages_per_second=100).max_messages_per_second == 100
    raised = _settings({"GDPR_BOT_MAX_MESSAGES_PER_SECOND": "1000"})
    assert raised.max_messages_per_second == 1000


def test_a_webhook_secret_with_forbidden_characters_is_refused_without_showing_it():
    with pytest.raises(UsageError) as error:
        _settings(
            {"TELEGRAM_WEBHOOK_SECRET": "not/allowed"}, webhook_url="https://example.org/hook"
        )
    assert "not/allowed" not in str(error.value)


# Webhook mode


def test_the_webhook_refuses_requests_without_the_secret_token(tmp_path):
    api = FakeBotAPI(TOKEN).start()
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram-updates"
    bot = BotProcess(
        api, tmp_path, tmp_path / "db.sqlite3", "--webhook-url", url, "--port", str(port)
    )
    try:
        bot.start(ready_call="setWebhook")
        wait_for_port(port)  # PTB sets the webhook, then starts serving it
        secret = api.webhook["secret_token"]
        assert api.webhook["url"] == url and len(secret) >= 32
        forged = urllib.request.Request(
            url,
            data=b'{"update_id": 1}',
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forged, timeout=5)
        assert refused.value.code == 403
        user = SimulatedUser(api, Probe(api), "en-GB")
        assert say("en", "welcome").split("\n")[0] in text_of(user.send("/start"))
        assert set(api.webhook_statuses) == {200}
    finally:
        bot.stop()
        api.stop()
    assert secret not in bot.output()
    assert "secret token set (generated)" in bot.output()
