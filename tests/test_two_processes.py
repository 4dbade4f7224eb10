"""Two `gdpr-bot run` processes behind one load balancer, sharing one PostgreSQL database: the fake
Bot API delivers each user's updates to the two webhooks in turn. Every user sees exactly what one
process shows them, each update is applied once, and a kill -9 of one process mid-draft loses
nothing (the balancer sends the rest to the other)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from bot.engine import Dialogue, load_checked
from bot.engine.conversation import LAST_DELIVERY
from bot.paths import ContentPaths
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.postgres import empty_database
from tests.support.telegram_client import BotProcess, Probe, SimulatedUser, free_port, wait_for_port
from tests.test_faults import DRAFT, TOKEN, act, answers_to, reference

SECRET = "shared-by-every-process_0123"
KILLED_AFTER = 6  # steps of DRAFT before one process is killed


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    # The bot's own clock: the letter carries today's date.
    return Dialogue(load_checked(ContentPaths.from_environment()), today=dt.date.today)


def walk(api: FakeBotAPI, probe: Probe, people, version: int, steps) -> None:
    for kind, value in steps:
        for person in people:
            act(api, person, version, kind, value)
        probe.settle(timeout=30)


def one_process_run(folder: Path, version: int, users: int) -> list[list[tuple]]:
    """What each user sees from a single polling process on SQLite."""
    folder.mkdir()
    api = FakeBotAPI(TOKEN).start()
    bot = BotProcess(api, folder, folder / "sessions.sqlite3").start()
    try:
        probe = Probe(api)
        people = [SimulatedUser(api, probe, "en-GB") for _ in range(users)]
        walk(api, probe, people, version, DRAFT)
        return [answers_to(api, person) for person in people]
    finally:
        bot.stop()
        api.stop()


def stored(url: str, user: SimulatedUser) -> tuple:
    with psycopg.connect(url) as connection:
        state, lang, slots = connection.execute(
            "SELECT state, lang, slots FROM sessions WHERE user_key = %s", (user.key,)
        ).fetchone()
    answers = json.loads(slots)
    answers.pop(LAST_DELIVERY, None)
    return state, lang, answers


def test_two_processes_on_one_database_serve_each_user_once_in_order_through_a_kill_9(
    tmp_path, dialogue
):
    url = empty_database()
    version = dialogue.flow.version
    alone = one_process_run(tmp_path / "alone", version, users=3)

    api = FakeBotAPI(TOKEN).start()
    bots, hooks = [], []
    for n in range(2):
        folder, port = tmp_path / f"process-{n}", free_port()
        folder.mkdir()
        hooks.append(f"http://127.0.0.1:{port}/hook")
        bot = BotProcess(
            api, folder, url, "--webhook-url", hooks[-1], "--port", str(port),
            TELEGRAM_WEBHOOK_SECRET=SECRET,
        )  # fmt: skip
        bots.append(bot.start(ready_call="setWebhook"))
        wait_for_port(port)
    api.balance(hooks)
    try:
        probe = Probe(api)
        people = [SimulatedUser(api, probe, "en-GB") for _ in range(3)]
        walk(api, probe, people, version, DRAFT[:KILLED_AFTER])
        bots[0].kill()
        walk(api, probe, people, version, DRAFT[KILLED_AFTER:])
        shown = [answers_to(api, person) for person in people]
        sessions = [stored(url, person) for person in people]
    finally:
        bots[1].stop()
        api.stop()

    assert shown == alone
    assert sessions == [reference(dialogue, DRAFT)[-1]] * 3
    outputs = [bot.output() for bot in bots]
    handled = Counter(
        update for output in outputs for update in re.findall(r"update (\d+): \w+ -> ", output)
    )
    assert handled and set(handled.values()) == {1}, "an update applied twice"
    assert all(re.search(r"update \d+: \w+ -> ", output) for output in outputs)
