"""Question matcher figures: load time, speed, quality on the labelled, dev and blind sets.

Run: .venv/bin/python bench/bench_ask.py [--batch 1000]
Each speed figure is printed with a baseline measured in the same run (text normalisation alone,
`python -c pass` for the command start-up) and their ratio. Speeds are the best of RUNS passes, so
that other processes on the machine disturb them less. The labelled set measures the matcher
on unseen questions; the dev set is the one its settings were tuned on; the blind set was written
before the second tuning round and is only ever read in aggregate.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from itertools import cycle, islice
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.matcher import Matcher, text_normalise
from bot.paths import PROJECT_ROOT

QUESTIONS = PROJECT_ROOT / "dialogues" / "questions.yaml"
LABELLED = PROJECT_ROOT / "tests" / "data" / "labelled_questions.yaml"
DEV = PROJECT_ROOT / "tests" / "data" / "dev_questions.yaml"
BLIND = PROJECT_ROOT / "tests" / "data" / "blind_questions.yaml"
RUNS = 3


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def per_second(batch: list[dict], handle) -> float:
    seconds, _ = timed(lambda: [handle(item["q"], item["lang"]) for item in batch])
    return len(batch) / seconds


def normalise_only(text: str, lang: str) -> list[str]:
    return text_normalise.words(text_normalise.fold(text))


def quality(matcher: Matcher, items: list[dict]) -> None:
    right, total = Counter(), Counter()
    for item in items:
        key = (item["lang"], item["topic"] is not None)
        total[key] += 1
        right[key] += matcher.match(item["q"], item["lang"]).topic == item["topic"]
    for lang in ("en", "fr"):
        accuracy = right[(lang, True)] / total[(lang, True)]
        rejection = right[(lang, False)] / total[(lang, False)]
        print(
            f"  {lang}: in-scope top-1 {accuracy:6.1%} ({total[(lang, True)]} questions)   "
            f"out-of-scope rejection {rejection:6.1%} ({total[(lang, False)]} questions)"
        )


def quietly(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, check=False)


def command_start_up(runs: int = 5) -> None:
    executable = shutil.which("gdpr-bot", path=str(Path(sys.executable).parent))
    probe = [executable, "ask", "--help"] if executable else None
    if not probe or quietly(probe).returncode != 0:
        print("  gdpr-bot ask: not available yet, skipped")
        return
    ask = [executable, "ask", "--json", "Comment m'opposer ?"]
    baseline = [sys.executable, "-c", "pass"]
    ask_s = statistics.median(timed(quietly, ask)[0] for _ in range(runs))
    pass_s = statistics.median(timed(quietly, baseline)[0] for _ in range(runs))
    print(f"  gdpr-bot ask --json: {ask_s * 1000:.0f} ms wall clock (median of {runs})")
    print(f"  python -c pass:      {pass_s * 1000:.0f} ms   ratio {ask_s / pass_s:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1000, help="questions per timed batch")
    args = parser.parse_args()
    sets = {
        path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in (LABELLED, DEV, BLIND)
    }
    batch = list(islice(cycle([item for items in sets.values() for item in items]), args.batch))

    print("Load (Matcher.load of dialogues/questions.yaml)")
    loads = [timed(Matcher.load, QUESTIONS) for _ in range(5)]
    matcher = loads[0][1]
    median_ms = statistics.median(seconds for seconds, _ in loads) * 1000
    print(f"  first {loads[0][0] * 1000:.0f} ms, median of 5 {median_ms:.0f} ms")

    print(f"Speed ({args.batch} questions, the three sets cycled, best of {RUNS})")
    # A freshly loaded matcher has empty caches (stems and typo fixes of unseen words).
    cold = max(per_second(batch, Matcher.load(QUESTIONS).match) for _ in range(RUNS))
    warm = max(per_second(batch, matcher.match) for _ in range(RUNS))
    baseline = max(per_second(batch, normalise_only) for _ in range(RUNS))
    print(f"  matcher, fresh caches: {cold:9.0f} q/s")
    print(f"  matcher, warm caches:  {warm:9.0f} q/s")
    print(f"  baseline, normalisation only: {baseline:9.0f} q/s")
    print(f"  ratio baseline / matcher (fresh): {baseline / cold:.1f}x")
    long_text = "Je me pose des questions sur mes photos. " * 250 + "Comment m'opposer ?"
    seconds, _ = timed(matcher.match, long_text, "fr")
    print(f"  one {len(long_text):,}-character message: {seconds * 1000:.2f} ms")

    for path, items in sets.items():
        print(f"Quality ({path.relative_to(PROJECT_ROOT)})")
        quality(matcher, items)

    print("Command start-up")
    command_start_up()


if __name__ == "__main__":
    main()
