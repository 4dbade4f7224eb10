"""Which of the current step's buttons a typed message names ("belgique", "les deux", "skip").

Contract: `button_named(text, buttons, whole_only)` takes the step's buttons as (id, label)
pairs, labels in every language the user may type in, and returns the id of the one button the
text names, or None. With `whole_only` (a step that also takes free text, such as the user's own
sentence) only the whole label counts, so a sentence that happens to contain "skip" is kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.matcher import words_of

MIN_WORD = 3  # shorter typed words ("de", "le") name no button on their own


def button_named(text: str, buttons: Iterable[tuple[str, str]], whole_only: bool) -> str | None:
    typed = _words(text)
    if not typed:
        return None
    buttons = [(button_id, _words(label)) for button_id, label in buttons]
    exact = {button_id for button_id, words in buttons if words == typed}
    if exact or whole_only:
        return exact.pop() if len(exact) == 1 else None
    # Every meaningful typed word is in the label, and only one button's label has them all.
    meaningful = {word for word in typed if len(word) >= MIN_WORD}
    named = {
        button_id
        for button_id, words in buttons
        if meaningful and len(typed) <= len(words) + 1 and meaningful <= set(words)
    }
    return named.pop() if len(named) == 1 else None


def _words(text: str) -> list[str]:
    return words_of(text)
