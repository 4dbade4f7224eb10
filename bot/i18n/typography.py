"""French typography rules for every French message a user reads (`gdpr-bot check` applies them).

French puts a narrow no-break space (U+202F) before ? ! ; and a no-break space (U+00A0) before :
and inside « », writes one apostrophe (’), and calls a complaint to an authority a « plainte ».
Web addresses are left alone.
"""

from __future__ import annotations

import re

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
_URL = re.compile(r"https?://\S+")
_TIME = re.compile(r"\d:\d")  # 12:30 takes no space
_WORDS = {"réclamation": "« plainte »"}


def french_problems(text: str) -> list[str]:
    """What breaks the rules in `text`, one short phrase each (empty when all is well)."""
    text = _URL.sub("", text)
    problems = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        if char in "?!;" and before != NARROW_NBSP:
            problems.append(f"{char!r} needs a narrow no-break space (U+202F) before it")
        elif char == ":" and before != NBSP and not _TIME.match(text, index - 1):
            problems.append("':' needs a no-break space (U+00A0) before it")
        elif char == "«" and text[index + 1 : index + 2] != NBSP:
            problems.append("'«' needs a no-break space (U+00A0) after it")
        elif char == "»" and before != NBSP:
            problems.append("'»' needs a no-break space (U+00A0) before it")
        elif char == "'":
            problems.append("write the apostrophe ’, not '")
        elif char in '"“”':
            problems.append(f"write French quotes « », not {char}")
    lowered = text.lower()
    problems += [
        f"write {better}, not {word!r}" for word, better in _WORDS.items() if word in lowered
    ]
    return list(dict.fromkeys(problems))
