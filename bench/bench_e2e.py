"""End-to-end figures for `gdpr-bot run` against the fake Bot API, each beside its baseline.

Run: .venv/bin/python bench/bench_e2e.py [--users 200] [--profile FILE]
     .venv/bin/python bench/bench_e2e.py --latency-ms 50 [--users 60] [--steps 5]

With --latency-ms, every Bot API call is answered that much later, as from a server in Europe,
and only the comparison that matters then runs: `gdpr-bot run` against a concurrent echo bot with
the same AIORateLimiter (the best a bot can do under Telegram's 30 messages a second), N users
walking the first `--steps` steps of SCRIPT at once; every user must get every reply once.

Without it:

1. The fake server's own capacity (a client in another process hammering sendMessage), so that
   it is known not to be the bottleneck.
2. Start-up: from launching `gdpr-bot run` to its first getUpdates, and the same for the bare
   echo bot (bench/echo_bot.py); median of a few starts each.
3. Throughput and latency: N simulated users at once, each through SCRIPT (/start, a section, a
   topic, a typed question, a language switch, the draft through to the letter). A user sends
   their next update as soon as the bot has answered the last one, as a person with no think
   time would. Latency runs from injecting an update to the first answering call (sendMessage,
   editMessageText, sendDocument) the server sees for that chat. Then the echo bot gets the very
   same updates, with and without the rate limiter `gdpr-bot run` uses.
Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import pstats
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Flow, load_checked  # noqa: E402
from bot.paths import ContentPaths  # noqa: E402
from tests.support.fake_bot_api import Call, FakeBotAPI  # noqa: E402
from tests.support.telegram_client import BotProcess, Probe, SimulatedUser, say  # noqa: E402

TOKEN = "7012345678:AAFakeTokenForBenches_0123456789-ab"
ANSWERS = {"sendMessage", "editMessageText", "sendDocument"}
# What every simulated user does, in order: ("text", what they type) or ("press", button id).
SCRIPT = [
    ("text", "/start"),
    ("press", "s:uses"),
    ("press", "t:data_used"),
    ("text", "Can they use the photos of my kids?"),
    ("text", "/language"),
    ("text", "/draft"),
    ("press", "a:both"),
    ("press", "a:yes"),
    ("press", "g:children"),
    ("press", "g:old_content"),
    ("press", "n"),
    ("text", "My children appear in many of my public photos."),
    ("text", "Camille Martin"),
    ("press", "a:FR"),
    ("press", "el"),
    ("press", "a:fr"),
    ("press", "n:write"),
]
FIRST_USER_ID = 100_000


class EchoProcess(BotProcess):
    program = (str(ROOT / "bench" / "echo_bot.py"),)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# The fake server's capacity


def _hammer(url: str, chat_id: int, seconds: float, connections: int, out) -> None:
    """In a child process: sendMessage as fast as possible on keep-alive connections."""
    parts = urlsplit(url)
    body = json.dumps({"chat_id": chat_id, "text": "capacity"}).encode()
    counts = [0] * connections
    deadline = time.monotonic() + seconds

    def loop(slot: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port)
        while time.monotonic() < deadline:
            connection.request(
                "POST",
                f"{parts.path}{TOKEN}/sendMessage",
                body,
                {"Content-Type": "application/json"},
            )
            connection.getresponse().read()
            counts[slot] += 1
        connection.close()

    threads = [threading.Thread(target=loop, args=(slot,)) for slot in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(sum(counts) / seconds)


def server_capacity(connections: int, seconds: float = 2.0) -> float:
    """sendMessage calls per second the fake server answers, the client in its own process."""
    api = FakeBotAPI(TOKEN).start()
    try:
        user = {"id": 7, "is_bot": False, "first_name": "Load"}
        api.inject_message(user, {"id": 7, "type": "private"}, text="hi")
        context = multiprocessing.get_context("spawn")
        out = context.Queue()
        child = context.Process(target=_hammer, args=(api.url, 7, seconds, connections, out))
        child.start()
        rate = out.get(timeout=seconds + 30)
        child.join()
        return rate
    finally:
        api.stop()


# Start-up


def start_up_seconds(process_class, folder: Path, runs: int, *args: str) -> float:
    """Median time from launching the program to its first getUpdates."""
    timings = []
    for run in range(runs):
        api = FakeBotAPI(TOKEN).start()
        bot = process_class(api, folder, folder / f"start-{run}.sqlite3", *args)
        launched = time.monotonic()
        bot.start()
        timings.append(api.calls_of("getUpdates")[0].at - launched)
        bot.stop()
        api.stop()
    return statistics.median(timings)


# The crowd


@dataclass
class Walker:
    """One simulated user going through SCRIPT."""

    user: dict
    step: int = -1
    answers: int = 0  # answering calls seen for the current step
    injected_at: float = 0.0
    answered_first: bool = False
    latencies: list[float] = field(default_factory=list)
    last_message: int | None = None
    message_of_button: dict[str, int] = field(default_factory=dict)

    @property
    def chat(self) -> dict:
        return {"id": self.user["id"], "type": "private", "first_name": self.user["first_name"]}


class Crowd:
    """Walkers driven by the server's own call listener: the moment a user's step is answered
    (as many answering calls as the calibration counted), their next update goes in."""

    def __init__(
        self, api: FakeBotAPI, walkers: list[Walker], expected: list[int], version, script
    ):
        self.api, self.expected, self.version, self.script = api, expected, version, script
        self.walkers = {walker.user["id"]: walker for walker in walkers}
        self.finished = threading.Event()
        self.left = len(walkers)
        self.started_at = self.ended_at = 0.0
        api.listen(self._heard)

    def run(self, timeout: float) -> float:
        """Every walker's first update at once; returns the seconds until the last is answered."""
        with self.api.atomically():  # all first updates in one go, before the bot sees any
            self.started_at = time.monotonic()
            for walker in self.walkers.values():
                self._next(walker)
        if not self.finished.wait(timeout):
            stuck = [w.step for w in self.walkers.values() if w.step < len(self.script)]
            raise RuntimeError(f"{len(stuck)} users still walking; their steps: {stuck[:20]}")
        return self.ended_at - self.started_at

    def latencies(self) -> list[float]:
        return [value for walker in self.walkers.values() for value in walker.latencies]

    def _heard(self, call: Call, answered: bool) -> None:
        walker = self.walkers.get(call.chat_id) if call.method in ANSWERS else None
        if walker is None or walker.step >= len(self.script):
            return
        if not answered:
            if not walker.answered_first:
                walker.answered_first = True
                walker.latencies.append(call.at - walker.injected_at)
            return
        if not call.ok:
            return
        message = call.result
        walker.last_message = message["message_id"]
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                if "callback_data" in button:
                    walker.message_of_button[button["callback_data"]] = message["message_id"]
        walker.answers += 1
        if walker.answers >= self.expected[walker.step]:
            self._next(walker)

    def _next(self, walker: Walker) -> None:
        walker.step += 1
        if walker.step == len(self.script):
            self.left -= 1
            if self.left == 0:
                self.ended_at = time.monotonic()
                self.finished.set()
            return
        walker.answers, walker.answered_first = 0, False
        walker.injected_at = time.monotonic()
        kind, value = self.script[walker.step]
        if kind == "text":
            self.api.inject_message(walker.user, walker.chat, text=value)
            return
        data = f"{self.version}|{value}"
        message_id = walker.message_of_button.get(data, walker.last_message)
        message = self.api.chats.messages.get((walker.user["id"], message_id))
        self.api.inject_callback(walker.user, message, data)


def calibrate(api: FakeBotAPI, version, checked: bool, script) -> list[int]:
    """Answering calls per step of SCRIPT, counted on one user walking it step by step; with
    `checked`, a button the bot calls expired or a missing button stops the bench."""
    probe = Probe(api)
    user = SimulatedUser(api, probe, "en-GB")
    counts = []
    for kind, value in script:
        before = len(_answers_to(api, user.id))
        if kind == "text":
            user.send(value)
        else:
            data = f"{version}|{value}"
            holders = [
                m
                for m in api.recently_shown(user.id)
                if any(b.get("callback_data") == data for row in m.keyboard for b in row)
            ]
            if checked and not holders:
                raise RuntimeError(f"SCRIPT: no button {value!r} on screen at this step")
            shown = api.recently_shown(user.id)
            replies = user.press_data(data, holders[0] if holders else (shown or [None])[0])
            expired = {say(lang, "expired") for lang in ("en", "fr")}
            if checked and any(notice in m.text for m in replies for notice in expired):
                raise RuntimeError(f"SCRIPT: button {value!r} expired at this step")
        counts.append(len(_answers_to(api, user.id)) - before)
    return counts


def _answers_to(api: FakeBotAPI, chat_id: int) -> list[Call]:
    with api.atomically():
        return [c for c in api.calls if c.method in ANSWERS and c.chat_id == chat_id and c.ok]


@dataclass
class Figures:
    updates: int
    seconds: float
    latencies: list[float]
    cpu: float  # CPU seconds the bot used during the run
    server_cpu: float  # CPU seconds this process (fake server and walkers) used
    calls: int  # Bot API calls the server answered during the run

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def line(self, name: str) -> str:
        p50, p99 = statistics.median(self.latencies), percentile(self.latencies, 0.99)
        return (
            f"  {name:<34} {self.rate:4.0f} updates/s; latency p50 {p50 * 1e3:5.0f} ms,"
            f" p99 {p99 * 1e3:6.0f} ms; bot CPU {self.cpu / self.updates * 1e3:.1f} ms/update;"
            f" server {self.calls / self.seconds:.0f} calls/s,"
            f" {self.server_cpu / self.seconds * 100:.0f}% of a core"
        )


def crowd_run(
    process_class,
    folder: Path,
    users: int,
    name: str,
    *args: str,
    checked=False,
    latency: float = 0.0,
    script=SCRIPT,
):
    api = FakeBotAPI(TOKEN, latency).start()
    bot = process_class(api, folder, folder / f"{name}.sqlite3", *args).start()
    try:
        version = Flow.load(ContentPaths.from_environment().dialogues / "flow.yaml").version
        # The echo bot answers every update with one message, by construction; calibrating it
        # would need it to keep each user's order, which a plain concurrent bot does not.
        is_echo = issubclass(process_class, EchoProcess)
        expected = [1] * len(script) if is_echo else calibrate(api, version, checked, script)
        person = {"is_bot": False, "first_name": "Camille", "language_code": "en-GB"}
        walkers = [Walker({"id": FIRST_USER_ID + n, **person}) for n in range(users)]
        crowd = Crowd(api, walkers, expected, version, script)
        cpu_before, server_before = cpu_seconds(bot.process.pid), time.process_time()
        calls_before = len(api.calls)
        seconds = crowd.run(timeout=300)
        figures = Figures(
            users * len(script),
            seconds,
            crowd.latencies(),
            cpu_seconds(bot.process.pid) - cpu_before,
            time.process_time() - server_before,
            len(api.calls) - calls_before,
        )
        refused = [c for c in api.calls if not c.ok and c.method != "getUpdates"]
        if refused:
            print(f"  ({name}: {len(refused)} calls refused, e.g. {refused[0].description})")
        if not is_echo:  # the echo bot answers once by construction; ours is checked
            Probe(api).settle(timeout=120)  # whatever was still on its way has arrived
            wrong = [w for w in walkers if len(_answers_to(api, w.user["id"])) != sum(expected)]
            if wrong:
                print(f"  ({name}: {len(wrong)} users got more or fewer replies than one alone)")
            else:
                print(f"  ({name}: each of the {users} users got as many replies as one alone)")
        return figures, expected
    finally:
        bot.stop()
        api.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="end-to-end figures for gdpr-bot run")
    parser.add_argument("--users", type=int, help="simulated users (default 200; 60 with latency)")
    parser.add_argument(
        "--latency-ms", type=float, default=0, help="added to every Bot API call (e.g. 50)"
    )
    parser.add_argument(
        "--steps", type=int, default=5, help="with --latency-ms: the first N steps of SCRIPT"
    )
    parser.add_argument("--starts", type=int, default=3, help="start-ups to time, each bot")
    parser.add_argument(
        "--profile", help="profile the rate-limit-lifted gdpr-bot run with cProfile, into FILE"
    )
    args = parser.parse_args()
    began = time.monotonic()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    if args.latency_ms:
        with tempfile.TemporaryDirectory() as temporary:
            under_latency(Path(temporary), args.users or 60, args.steps, args.latency_ms / 1e3)
        print(f"(bench took {time.monotonic() - began:.0f} s)")
        return
    args.users = args.users or 200

    one, four = server_capacity(1), server_capacity(4)
    print(
        f"fake Bot API capacity (sendMessage, client in its own process): {one:,.0f} calls/s"
        f" on one connection, {four:,.0f} calls/s on four"
    )
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        ours = start_up_seconds(BotProcess, folder, args.starts)
        echo = start_up_seconds(EchoProcess, folder, args.starts)
        print(
            f"start-up to the first getUpdates (median of {args.starts}): gdpr-bot run"
            f" {ours * 1e3:.0f} ms, echo bot {echo * 1e3:.0f} ms; ratio {ours / echo:.2f}"
        )
        loading = time.perf_counter()
        load_checked(ContentPaths.from_environment())
        print(
            "  of which loading and checking dialogues/ and locales/ (cold, timed in this process):"
            f" {(time.perf_counter() - loading) * 1e3:.0f} ms"
        )

        print(f"{args.users} users x {len(SCRIPT)} updates each, all at once:")
        shipped, expected = crowd_run(BotProcess, folder, args.users, "gdpr", checked=True)
        print(shipped.line("gdpr-bot run"))
        bare, _ = crowd_run(EchoProcess, folder, args.users, "echo")
        print(bare.line("echo bot"))
        print(
            f"throughput ratio gdpr-bot/echo: {shipped.rate / bare.rate:.2f} (target >= 0.9);"
            f" answering calls per user: gdpr-bot {sum(expected)}, echo bot {len(SCRIPT)}"
        )

        few = max(1, args.users // 8)
        print(f"why, with {few} users (throughput does not depend on their number once saturated):")
        limited, _ = crowd_run(EchoProcess, folder, few, "echo-limited", "--rate-limiter")
        print(limited.line("echo bot + our AIORateLimiter"))
        lifted_class = _lifted(args.profile)
        lifted, _ = crowd_run(lifted_class, folder, few, "gdpr-lifted", checked=True)
        print(lifted.line("gdpr-bot run, overall cap lifted"))
        print(
            f"  with the same rate limiter: ratio {shipped.rate / limited.rate:.2f}; both send at"
            f" its cap of {LIMITER_CAP} chat calls/s, so the ratio is"
            f" {len(SCRIPT)}/{sum(expected)} answering calls per user ="
            f" {len(SCRIPT) / sum(expected):.2f}"
        )
        print(
            f"  without the cap: ratio {lifted.rate / bare.rate:.2f}; CPU per update"
            f" {lifted.cpu / lifted.updates * 1e3:.1f} ms against the echo bot's"
            f" {bare.cpu / bare.updates * 1e3:.1f} ms"
        )
    if args.profile:
        print_profile(args.profile)
    print(f"(bench took {time.monotonic() - began:.0f} s)")


def under_latency(folder: Path, users: int, steps: int, latency: float) -> None:
    """Both bots concurrent and rate-limited alike, every call `latency` seconds away."""
    script = SCRIPT[:steps]
    print(
        f"every Bot API call answered {latency * 1e3:.0f} ms late; {users} users x"
        f" {len(script)} updates each ({', '.join(value for _kind, value in script)}), all at once:"
    )
    echo, _ = crowd_run(
        EchoProcess, folder, users, "echo", "--concurrent", "--rate-limiter",
        latency=latency, script=script,
    )  # fmt: skip
    print(echo.line("echo bot, concurrent, AIORateLimiter"))
    ours, expected = crowd_run(
        BotProcess, folder, users, "gdpr", checked=True, latency=latency, script=script
    )
    print(ours.line("gdpr-bot run"))
    print(
        f"throughput ratio gdpr-bot/echo: {ours.rate / echo.rate:.2f} (target >= 0.9);"
        f" answering calls per user: gdpr-bot {sum(expected)}, echo bot {len(script)}"
    )
    raised = ("--max-messages-per-second", str(RAISED_CAP))
    print(f"both with the overall rate raised to {RAISED_CAP}/s (Telegram's paid broadcasts):")
    echo_raised, _ = crowd_run(
        EchoProcess, folder, users, "echo-raised", "--concurrent", "--rate-limiter", *raised,
        latency=latency, script=script,
    )  # fmt: skip
    print(echo_raised.line("echo bot, concurrent, AIORateLimiter"))
    ours_raised, _ = crowd_run(
        BotProcess, folder, users, "gdpr-raised", *raised, latency=latency, script=script
    )
    print(ours_raised.line("gdpr-bot run"))
    print(f"throughput ratio gdpr-bot/echo: {ours_raised.rate / echo_raised.rate:.2f}")


RAISED_CAP = 1000  # messages a second: no longer the limit, so the bots' own speed shows
LIMITER_CAP = 30  # AIORateLimiter's default overall rate: Telegram's ~30 messages a second


def _lifted(profile: str | None) -> type[BotProcess]:
    """`gdpr-bot run --max-messages-per-second` with a rate no crowd here reaches (the limiter's
    retries stay), so that the figure shows what our code and PTB can do; with a profile file,
    under cProfile."""
    argv = ["run", "--max-messages-per-second", str(UNREACHED_RATE)]
    if not profile:

        class LiftedBot(BotProcess):
            program = ("-m", "bot", *argv)

        return LiftedBot
    path = str(Path(profile).resolve())
    statement = f"main({argv!r})"
    code = f"import cProfile; from bot.cli import main; cProfile.run({statement!r}, {path!r})"

    class ProfiledBot(BotProcess):
        program = ("-c", code)

    return ProfiledBot


UNREACHED_RATE = 100_000  # messages a second


PACKAGES = {
    "bot/ (our code)": ("/bot/",),
    "telegram (PTB)": ("site-packages/telegram/",),
    "httpx, httpcore, h11, anyio": ("httpx", "httpcore", "h11", "anyio"),
    "asyncio": ("asyncio",),
    "imports at run time": ("importlib", "<frozen"),
}


def print_profile(path: str) -> None:
    """Own time per package, then our own functions by cumulative time."""
    stats = pstats.Stats(path)
    spent: dict[str, float] = {}
    for (file, _line, function), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        if "epoll" in function:
            group = "waiting (epoll)"
        else:
            found = (g for g, marks in PACKAGES.items() if any(m in file for m in marks))
            group = next(found, "other (stdlib, builtins)")
        spent[group] = spent.get(group, 0.0) + own
    total = sum(spent.values())
    print(f"profile of the lifted run ({path}): own time by package, start-up included")
    for group, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {group:<30} {seconds:6.2f} s  {seconds / total * 100:3.0f}%")
    stats.sort_stats("cumulative").print_stats("/bot/", 12)


if __name__ == "__main__":
    main()
