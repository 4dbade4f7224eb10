"""Question matcher figures: load time, speed, quality on the labelled, dev and blind sets.

Run: .venv/bin/python bench/bench_ask.py [--batch 1000] [--sets dev,labelled,blind,blind_v2,...]
     [--quality-only] [--configurations]
Each speed figure is printed with a baseline measured in the same run (the lexical channel alone,
text normalisation alone, `python -c pass` and `import numpy` for the start-up) and their ratio.
Batch speeds are the best of RUNS passes, so that other processes disturb them less.
Tuning sets: dev (read item by item), labelled and the first blind set (read in aggregate),
blind_v2 and blind_v3 (each spent after its second measurement, a tuning set since). The newest blind set (blind_v4, written outside the team) was measured once before and once
after a matcher change, in aggregate only; it is spent too: the next change needs a new one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from itertools import cycle, islice
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.disk_cache import CACHE_ENV
from bot.engine import Content
from bot.matcher import Matcher, text_normalise
from bot.paths import PROJECT_ROOT, ContentPaths

QUESTIONS = PROJECT_ROOT / "dialogues" / "questions.yaml"
DATA = PROJECT_ROOT / "tests" / "data"
VOICES = PROJECT_ROOT / "dialogues" / "voices"  # spent blind sets, now matching data
SETS = {
    "dev": DATA / "dev_questions.yaml",
    "labelled": DATA / "labelled_questions.yaml",
    "blind": DATA / "blind_questions.yaml",
    **{f"blind_v{n}": VOICES / f"blind_v{n}_questions.yaml" for n in range(2, 11)},
    "blind_v11": DATA / "blind_v11_questions.yaml",
    "blind_v12": DATA / "blind_v12_questions.yaml",
    "blind_v13": DATA / "blind_v13_questions.yaml",
}
RUNS = 3


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def normalise_only(text: str, lang: str) -> list[str]:
    return text_normalise.words(text_normalise.fold(text))


def quality(matcher: Matcher, items: list[dict]) -> None:
    """Aggregate outcomes per language; an item may name other acceptable topics in `also`.

    in scope: the topic answered (top-1), or answered or offered among the buttons: "Did you
    mean" with no answer, or the nearby topics under another answer ("under a wrong answer" counts
    these apart); out of scope: no topic and no action (small talk allowed where the set labels no
    action); actions: the action recognised. "clarify" is the share of messages answered with
    buttons instead of an answer.
    """
    counts: dict[str, Counter] = {lang: Counter() for lang in ("en", "fr")}
    # Sets without actions labelled small talk out of scope: a friendly reply rejects it too.
    labels_actions = any(item.get("action") for item in items)
    rejecting = (None,) if labels_actions else (None, "smalltalk")
    for item in items:
        match = matcher.match(item["q"], item["lang"])
        action = getattr(match, "action", None)
        tally = counts[item["lang"]]
        tally["clarify"] += match.topic is None and action is None and bool(match.alternatives)
        tally["all"] += 1
        expected_action = item.get("action")
        if expected_action:
            tally["actions"] += 1
            tally["action_right"] += action == expected_action
        elif item["topic"] is not None:
            accepted = {item["topic"], *(item.get("also") or ())}
            tally["in"] += 1
            tally["top1"] += match.topic in accepted
            offered = bool(accepted & set(match.alternatives))
            tally["offered"] += match.topic in accepted or offered
            tally["nearby"] += match.topic is not None and match.topic not in accepted and offered
        else:
            tally["out"] += 1
            tally["rejected"] += match.topic is None and action in rejecting

    def share(right: int, total: int) -> str:
        return f"{right / total:6.1%} ({right}/{total})" if total else "     - (0)"

    for lang, tally in counts.items():
        print(
            f"  {lang}: in-scope top-1 {share(tally['top1'], tally['in'])}"
            f"   answered or offered {share(tally['offered'], tally['in'])}"
            f"   out-of-scope rejected {share(tally['rejected'], tally['out'])}"
        )
        print(f"      of the offered, under a wrong answer {share(tally['nearby'], tally['in'])}")
        if tally["actions"] or tally["clarify"]:
            print(
                f"      actions recognised {share(tally['action_right'], tally['actions'])}"
                f"   clarify (buttons, no answer) {share(tally['clarify'], tally['all'])}"
            )


# Runs a command from a small process, so that the peak memory reported for its child is the
# command's own (a child forked from this bench would start with the bench's memory counted).
MEASURE = (
    "import resource, subprocess, sys, time; started = time.perf_counter(); "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(time.perf_counter() - started, "
    "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)"
)


def run_measured(command: list[str], env: dict) -> tuple[float, int]:
    """Wall-clock seconds and peak resident memory (MB) of one command."""
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], env=env, capture_output=True, check=True
    ).stdout.split()
    return float(output[0]), int(output[1])


def start_up(runs: int = 3) -> None:
    executable = shutil.which("gdpr-bot", path=str(Path(sys.executable).parent))
    if not executable:
        print("  gdpr-bot: not installed in this environment, skipped")
        return
    ask = [executable, "ask", "--json", "Comment m'opposer ?"]
    with tempfile.TemporaryDirectory() as folder:
        # As on a user's machine: Python keeps the compiled modules (some sandboxes turn that off).
        env = {**os.environ, CACHE_ENV: folder}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cold, cold_rss = run_measured(ask, env)  # encodes every example into the empty cache
        warm = [run_measured(ask, env) for _ in range(runs)]
    warm_s = statistics.median(seconds for seconds, _ in warm)
    rss = max(peak for _, peak in warm)
    bare = statistics.median(
        run_measured([sys.executable, "-c", "pass"], dict(os.environ))[0] for _ in range(runs)
    )
    numpy_s, numpy_rss = run_measured([sys.executable, "-c", "import numpy"], dict(os.environ))
    print(f"  gdpr-bot ask --json, empty cache folder: {cold * 1000:6.0f} ms, {cold_rss} MB")
    print(
        f"  gdpr-bot ask --json, warm cache (median of {runs}): {warm_s * 1000:6.0f} ms, {rss} MB"
    )
    print(f"  baseline python -c pass: {bare * 1000:.0f} ms   ratio {warm_s / bare:.1f}x")
    print(f"  baseline python -c 'import numpy': {numpy_s * 1000:.0f} ms, {numpy_rss} MB")


def latencies(handle, items: list[dict]) -> list[float]:
    timings = []
    for item in items:
        started = time.perf_counter()
        handle(item["q"], item["lang"])
        timings.append(time.perf_counter() - started)
    return sorted(timings)


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


def speed(matcher: Matcher, lexical_only: Matcher, items: list[dict], batch_size: int) -> None:
    batch = list(islice(cycle(items), batch_size))
    print(f"Speed per question ({len(items)} questions of the sets, one at a time)")
    for name, handle in (
        ("matcher (every channel)", matcher.match),
        ("baseline: lexical channel alone", lexical_only.match),
        ("baseline: text normalisation alone", normalise_only),
    ):
        timings = latencies(handle, items)
        p50, p99 = percentile(timings, 0.5) * 1000, percentile(timings, 0.99) * 1000
        print(f"  {name:36s} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")
    long_text = "Je me pose des questions sur mes photos. " * 250 + "Comment m'opposer ?"
    seconds, _ = timed(matcher.match, long_text, "fr")
    print(f"  one {len(long_text):,}-character message: {seconds * 1000:.1f} ms")
    print(f"Speed in batch ({batch_size} questions, best of {RUNS})")
    messages = [(item["q"], item["lang"]) for item in batch]
    both = max(len(batch) / timed(matcher.match_all, messages)[0] for _ in range(RUNS))
    lexical = max(len(batch) / timed(lexical_only.match_all, messages)[0] for _ in range(RUNS))
    print(f"  matcher.match_all: {both:8.0f} q/s")
    print(f"  baseline, lexical channel alone: {lexical:8.0f} q/s   ratio {lexical / both:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1000, help="questions per timed batch")
    parser.add_argument(
        "--sets", default="dev,labelled,blind", help="comma-separated sets to measure quality on"
    )
    parser.add_argument("--quality-only", action="store_true", help="skip the speed figures")
    parser.add_argument(
        "--configurations",
        action="store_true",
        help="measure the lexical channel alone on each set too (a second configuration)",
    )
    args = parser.parse_args()
    chosen = [name for name in args.sets.split(",") if name]
    sets = {
        name: yaml.safe_load(SETS[name].read_text(encoding="utf-8"))
        for name in chosen
        if SETS[name].exists()
    }

    print("Load (all content, the matcher with every channel, in this process)")
    seconds, content = timed(Content.load, ContentPaths.from_environment())
    print(f"  Content.load: {seconds * 1000:.0f} ms (encoder loaded, embeddings from the cache)")
    matcher = content.matcher
    lexical_only = Matcher.load(QUESTIONS, semantic=False)
    if not args.quality_only:
        tuning_items = [
            item for name in ("dev", "labelled", "blind") for item in sets.get(name, ())
        ]
        speed(
            matcher,
            lexical_only,
            tuning_items or yaml.safe_load(SETS["dev"].read_text()),
            args.batch,
        )

    for name, items in sets.items():
        # The spent blind sets teach the semantic channel now: their figures are not a measure.
        taught = " (matching data: not a measure)" if SETS[name].is_relative_to(VOICES) else ""
        print(f"Quality ({SETS[name].relative_to(PROJECT_ROOT)}, {len(items)} questions){taught}")
        quality(matcher, items)
        if args.configurations:
            print("  the lexical channel alone, same verdict rules:")
            quality(lexical_only, items)

    if not args.quality_only:
        print("Command start-up (a new process; peak resident memory)")
        start_up()


if __name__ == "__main__":
    main()
