"""What operators meet: the webhook's answers to bad requests, /healthz and /metrics over HTTP, and
a start-up that does not depend on cosmetic calls. The real `gdpr-bot run` in a subprocess."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request

import pytest

from tests.support.fake_bot_api import FakeBotAPI, FaultPlan
from tests.support.telegram_client import (
    TOKEN,
    BotProcess,
    Probe,
    SimulatedUser,
    free_port,
    say,
    text_of,
    wait_for_port,
)

SECRET = "operations-secret_0123456789"


def http(url: str, body: bytes | None = None, secret: str | None = None) -> tuple[int, str]:
    """(status, body) of a GET, or of a POST when there is a body."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def webhook(tmp_path_factory):
    """A bot in webhook mode with /metrics, and the server's root URL."""
    folder = tmp_path_factory.mktemp("webhook")
    api = FakeBotAPI(TOKEN).start()
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    bot = BotProcess(
        api, folder, folder / "db.sqlite3", "--webhook-url", f"{root}/hook", "--port", str(port),
        "--metrics", TELEGRAM_WEBHOOK_SECRET=SECRET,
    )  # fmt: skip
    bot.start(ready_call="setWebhook")
    wait_for_port(port)
    yield api, bot, root
    bot.stop()
    api.stop()


BAD_BODIES = {
    "not JSON": b"{this is not json",
    "a JSON list": b"[1, 2, 3]",
    "a JSON string": b'"update"',
    "an object without update_id": b'{"message": {"text": "hi"}}',
    "an update whose message is a string": b'{"update_id": 7, "message": "hi"}',
}


@pytest.mark.parametrize("kind", BAD_BODIES)
def test_the_webhook_answers_malformed_input_with_400_and_one_warning(webhook, kind):
    _api, bot, root = webhook
    before = bot.output()
    status, _body = http(f"{root}/hook", BAD_BODIES[kind], SECRET)
    assert status == 400
    added = bot.output()[len(before) :]
    assert added.count("\n") == 1 and "WARNING" in added and "400" in added, added
    assert "Traceback" not in added and "CRITICAL" not in added


def test_the_webhook_refuses_a_body_over_1_mb_with_413(webhook):
    _api, bot, root = webhook
    before = bot.output()
    update = {"update_id": 8, "padding": "x" * (5 * 1024 * 1024)}
    status, _body = http(f"{root}/hook", json.dumps(update).encode(), SECRET)
    assert status == 413
    added = bot.output()[len(before) :]
    assert added.count("\n") == 1 and "413" in added and "Traceback" not in added


def test_health_and_metrics_over_http_without_user_data(webhook):
    api, _bot, root = webhook
    user = SimulatedUser(api, Probe(api), "en-GB", first_name="Dominique")
    user.send("/start")
    user.send("Can Meta use my photos to train its AI?")
    assert http(f"{root}/healthz") == (200, "ok")
    status, metrics = http(f"{root}/metrics")
    assert status == 200
    assert re.search(r'gdpr_bot_updates_total\{kind="start"\} [1-9]', metrics)
    assert re.search(r'gdpr_bot_updates_total\{kind="typed"\} [1-9]', metrics)
    assert re.search(r"gdpr_bot_handler_seconds_count [1-9]", metrics)
    assert re.search(r"gdpr_bot_active_sessions [1-9]", metrics)
    for name in ("gdpr_bot_bot_api_errors", "gdpr_bot_bot_api_retries", "gdpr_bot_reminders"):
        assert f"# TYPE {name}" in metrics
    for private in (str(user.id), "Dominique", "photos", TOKEN.split(":")[1], SECRET):
        assert private not in metrics


def test_polling_mode_serves_health_on_its_port_and_says_503_when_the_bot_api_fails(tmp_path):
    """Menus that cannot be set cost one warning, not the start. Then every Bot API call fails
    (500): once no answer is recent (0.5 s here), /healthz says 503; when calls succeed, 200."""
    api = FakeBotAPI(TOKEN).start()
    api.fail_next("setMyCommands", "Bad Request: method is not available on this server")
    port = free_port()
    bot = BotProcess(
        api, tmp_path, tmp_path / "db.sqlite3", "--metrics-port", str(port),
        GDPR_BOT_HEALTH_WINDOW="0.5",
    )  # fmt: skip
    try:
        bot.start()
        wait_for_port(port)
        user = SimulatedUser(api, Probe(api), "en-GB")
        assert say("en", "welcome").split("\n")[0] in text_of(user.send("/start"))
        warnings = [line for line in bot.output().splitlines() if "WARNING" in line]
        assert len(warnings) == 1 and "commands and descriptions not set" in warnings[0]
        assert http(f"http://127.0.0.1:{port}/healthz")[0] == 200
        api.inject_faults(FaultPlan(share=1, kinds=("500",), transient=False))
        assert _health_becomes(port, 503)
        api.inject_faults(None)
        assert _health_becomes(port, 200)
        assert http(f"http://127.0.0.1:{port}/metrics")[0] == 200
    finally:
        bot.stop()
        api.stop()


def _health_becomes(port: int, status: int, tries: int = 100) -> bool:
    """Ask /healthz until it answers `status` (each answer may take the bot's retries)."""
    for _try in range(tries):
        if http(f"http://127.0.0.1:{port}/healthz")[0] == status:
            return True
        time.sleep(0.1)
    return False
