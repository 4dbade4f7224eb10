"""Engine and store figures: per-event latency, memory per session, SQLite throughput and size.

Run: .venv/bin/python bench/bench_engine.py [--users 100000]
Each figure is printed with a baseline measured in the same run, and their ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transitions import Machine

from bot.engine import Dialogue, Event, Session, SQLiteStore, load_checked
from bot.paths import ContentPaths

SCRIPT = [
    ("start", ""),
    ("pressed", "s:uses"),
    ("pressed", "t:data_used"),
    ("pressed", "t:minors"),
    ("command", "language"),
    ("pressed", "s:limits"),
    ("pressed", "t:already_trained"),
    ("typed", "can they use photos of my kids?"),
    ("command", "menu"),
    ("pressed", "d"),
    ("pressed", "a:both"),
    ("pressed", "a:yes"),
    ("pressed", "g:children"),
    ("pressed", "g:old_content"),
    ("command", "language"),
    ("pressed", "n"),
    ("typed", "My children appear in many of my public photos."),
    ("pressed", "k"),
    ("pressed", "a:FR"),
    ("pressed", "el"),
    ("pressed", "a:fr"),
    ("pressed", "n:write"),
    ("command", "menu"),
]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def event_for(dialogue, kind, value):
    if kind == "pressed":
        return Event(kind, f"{dialogue.flow.version}|{value}")
    return Event(kind, value)


def bench_latency(dialogue, rounds):
    timings = []
    for round_number in range(rounds):
        session = dialogue.new_session(f"u{round_number}", "en")
        for kind, value in SCRIPT:
            started = time.perf_counter()
            session = dialogue.step(session, event_for(dialogue, kind, value)).session
            timings.append(time.perf_counter() - started)
    machine = Machine(
        model=None,
        states=["a", "b"],
        initial="a",
        auto_transitions=False,
        transitions=[{"trigger": "go", "source": "*", "dest": "b"}],
    )

    class Model:
        state = "a"

    bare = []
    for _ in range(len(timings)):
        model = Model()
        started = time.perf_counter()
        machine.events["go"].trigger(model)
        bare.append(time.perf_counter() - started)
    return timings, bare


def bench_memory(dialogue, count):
    template = dialogue.new_session("u", "fr")
    for kind, value in SCRIPT[:17]:
        template = dialogue.step(template, event_for(dialogue, kind, value)).session
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    sessions = [dialogue.step(template, Event("command", "language")).session for _ in range(count)]
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del sessions
    return held


def bench_store(users):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        store = SQLiteStore(path)
        slots = {
            "accounts": "both",
            "linked": "yes",
            "grounds": ["children", "old_content"],
            "detail": "My children appear in many of my public photos.",
            "country": "FR",
            "draft_at": "draft_review",
            "reviewed": True,
        }
        started = time.perf_counter()
        for number in range(users):
            store.save(Session(f"tg:{number}", "draft_review", "fr", slots, 1.0))
        write_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for number in range(0, users, 7):
            store.load(f"tg:{number}")
        read_seconds = (time.perf_counter() - started) / len(range(0, users, 7)) * users
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = path.stat().st_size
        store.close()
        raw_path = Path(folder) / "raw.sqlite3"
        import sqlite3

        raw = sqlite3.connect(raw_path)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=NORMAL")
        raw.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
        started = time.perf_counter()
        for number in range(users):
            with raw:
                raw.execute("INSERT OR REPLACE INTO t VALUES (?, ?)", (f"tg:{number}", "x" * 180))
        raw_seconds = time.perf_counter() - started
        raw.close()
    return write_seconds, read_seconds, size, raw_seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=10_000)
    args = parser.parse_args()
    started = time.perf_counter()
    content = load_checked(ContentPaths.from_environment())
    dialogue = Dialogue(content, today=lambda: dt.date(2026, 11, 29))
    print(f"start-up (load and check all content): {(time.perf_counter() - started) * 1e3:.0f} ms")

    timings, bare = bench_latency(dialogue, args.rounds)
    p50, p99 = statistics.median(timings), percentile(timings, 0.99)
    bare_p50 = statistics.median(bare)
    print(
        f"engine, {len(timings)} events of a scripted dialogue (menu, topics, a question, a full"
        " draft, language switches):"
    )
    print(f"  per event: p50 {p50 * 1e6:.0f} us, p99 {p99 * 1e6:.0f} us (target p99 < 1000 us)")
    print(
        f"  baseline, a bare transitions trigger: p50 {bare_p50 * 1e6:.1f} us;"
        f" ratio engine/bare {p50 / bare_p50:.0f}x"
    )

    held = bench_memory(dialogue, args.sessions)
    print(
        f"memory for {args.sessions} sessions held in memory mid-draft: {held / 2**20:.1f} MB"
        f" ({held / args.sessions:.0f} bytes each; target < 50 MB)"
    )

    write_seconds, read_seconds, size, raw_seconds = bench_store(args.users)
    print(
        f"SQLite store, {args.users} users: {args.users / write_seconds:,.0f} saves/s,"
        f" {args.users / read_seconds:,.0f} loads/s, database {size / 2**20:.1f} MB"
    )
    print(
        f"  baseline, raw sqlite3 upserts of a 180-byte row: {args.users / raw_seconds:,.0f}/s;"
        f" ratio store/raw {raw_seconds / write_seconds:.2f}"
    )
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
