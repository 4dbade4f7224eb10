"""Compare configurations of the matcher on the tuning sets (dev, labelled, first blind set).

Run: .venv/bin/python bench/compare_channels.py
Configurations: the semantic channel alone (nearest class wins, the out-of-scope class included),
both channels indexing example questions only, and both channels also indexing each topic's
title and answer sentences (what ships). Never run on tests/data/blind_v2_questions.yaml.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.engine import Content
from bot.matcher import Match, Matcher
from bot.matcher.verdict import ACTION, OUT_OF_SCOPE
from bot.paths import PROJECT_ROOT, ContentPaths

SETS = ("dev", "labelled", "blind")


def semantic_only(matcher: Matcher, messages: list[tuple[str, str]]) -> list[Match]:
    matches = []
    for scores in matcher.scores_all(messages):
        best = max(scores.semantic, key=scores.semantic.get) if scores else OUT_OF_SCOPE
        if best == OUT_OF_SCOPE:
            matches.append(Match(None, (), 0.0))
        elif best.startswith(ACTION):
            matches.append(Match(None, (), 0.0, action=best.removeprefix(ACTION)))
        else:
            matches.append(Match(best, (), 0.0))
    return matches


def figures(matches: list[Match], items: list[dict]) -> str:
    tally = Counter()
    for item, match in zip(items, matches, strict=True):
        lang = item["lang"]
        if item["topic"]:
            tally[lang, "in"] += 1
            tally[lang, "top1"] += match.topic == item["topic"]
        elif not item.get("action"):
            tally[lang, "out"] += 1
            tally[lang, "rejected"] += match.topic is None and match.action in (None, "smalltalk")
    return "  ".join(
        f"{lang} top-1 {tally[lang, 'top1'] / tally[lang, 'in']:6.1%}"
        f" rejected {tally[lang, 'rejected'] / tally[lang, 'out']:6.1%}"
        for lang in ("en", "fr")
    )


def main() -> None:
    content = Content.load(ContentPaths.from_environment())
    examples_only = Matcher.load(PROJECT_ROOT / "dialogues" / "questions.yaml")
    configurations = {
        "semantic channel alone": lambda messages: semantic_only(content.matcher, messages),
        "both channels, examples only": examples_only.match_all,
        "both, examples + titles + answers": content.matcher.match_all,
    }
    for name in SETS:
        items = yaml.safe_load(
            (PROJECT_ROOT / "tests" / "data" / f"{name}_questions.yaml").read_text()
        )
        messages = [(item["q"], item["lang"]) for item in items]
        print(f"{name} ({len(items)} questions)")
        for label, run in configurations.items():
            print(f"  {label:36s} {figures(run(messages), items)}")


if __name__ == "__main__":
    main()
