"""The printable letter: how long one PDF takes, and how large it is.

Run: .venv/bin/python bench/bench_pdf.py
Baseline, measured in the same run: composing the same letter as text. Times are the median of
RUNS letters after one warm-up (the first pays for importing fpdf2 and Pillow, printed apart).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.drafting import DraftAnswers, LetterContent, LetterWriter, letter_pdf
from bot.i18n import Catalogs
from bot.paths import ContentPaths

RUNS = 20


def median_ms(function) -> float:
    times = []
    for _run in range(RUNS):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main() -> None:
    paths = ContentPaths.from_environment()
    writer = LetterWriter(
        LetterContent.load(paths.dialogues / "letter.yaml"), Catalogs.load(paths.locales)
    )
    answers = DraftAnswers(
        ("facebook",), ("children",), name="Camille Martin", country="FR", lang="fr"
    )
    today = dt.date(2026, 12, 1)
    started = time.perf_counter()
    first = letter_pdf(writer.compose(answers, today).document)
    print(f"first PDF, imports included: {1000 * (time.perf_counter() - started):.0f} ms")
    compose = median_ms(lambda: writer.compose(answers, today))
    pdf = median_ms(lambda: letter_pdf(writer.compose(answers, today).document))
    print(f"compose the letter (text): {compose:.2f} ms (baseline)")
    print(f"compose and print it as PDF: {pdf:.1f} ms ({pdf / compose:.0f}x the baseline)")
    print(f"PDF size: {len(first) / 1024:.0f} KB (fonts subset by fpdf2)")


if __name__ == "__main__":
    main()
