"""Whether a message asks the bot itself to do something ("écris-moi le courrier", "can you forget
our chat?") rather than asks about it ("how do I write my objection?").

Contract: `RequestReader(requests).asked_actions(folded)` returns the actions a folded message
(bot.text_normalise.fold) asks for: one kind's actions from dialogues/questions.yaml `requests:`,
or none. It reads words only; which of the actions is meant, and whether it wins over a topic, is
the verdict's business (bot.matcher.verdict).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.matcher import text_normalise, tuning
from bot.matcher.question_data import Requests

Phrase = tuple[str, ...]


class RequestReader:
    """One language's ways of asking the bot to act, as word sequences."""

    def __init__(self, requests: Requests) -> None:
        self._questions = _phrases(requests.questions)
        self._openers = frozenset(word for phrase in _phrases(requests.openers) for word in phrase)
        self._asking = _phrases(requests.asking)
        self._kinds = [
            (kind.actions, _phrases(kind.orders), _phrases(kind.verbs), _phrases(kind.objects))
            for kind in requests.kinds
        ]

    def asked_actions(self, folded: str) -> tuple[str, ...]:
        """The actions of the first kind the message asks for, or () when it asks for none."""
        sentences = [text_normalise.words(piece) for piece in text_normalise.sentences(folded)]
        every_word = [word for sentence in sentences for word in sentence]
        if _contains(every_word, self._questions):
            return ()
        for actions, orders, verbs, objects in self._kinds:
            if not _contains(every_word, objects):
                continue
            if any(self._ordered(sentence, orders) for sentence in sentences) or self._asked(
                every_word, verbs
            ):
                return actions
        return ()

    def _ordered(self, sentence: list[str], orders: list[Phrase]) -> bool:
        """The sentence opens with an order, after a few openers at most ("ok alors écris")."""
        start = 0
        while (
            start < min(len(sentence), tuning.MAX_REQUEST_OPENERS)
            and sentence[start] in self._openers
        ):
            start += 1
        return any(_at(sentence, start, order) for order in orders)

    def _asked(self, words: list[str], verbs: list[Phrase]) -> bool:
        """An asking phrase followed, within a few words, by one of the verbs ("tu peux me
        l'écrire", "could you please draft")."""
        for start in _ends(words, self._asking):
            window = range(start, min(len(words), start + tuning.REQUEST_WINDOW))
            if any(_at(words, place, verb) for place in window for verb in verbs):
                return True
        return False


def _phrases(texts: Iterable[str]) -> list[Phrase]:
    phrases = (tuple(text_normalise.words(text_normalise.fold(text))) for text in texts)
    return [phrase for phrase in phrases if phrase]


def _at(words: Sequence[str], place: int, phrase: Phrase) -> bool:
    return tuple(words[place : place + len(phrase)]) == phrase


def _ends(words: Sequence[str], phrases: list[Phrase]) -> Iterable[int]:
    """Where each occurrence of one of the phrases ends (the index after its last word)."""
    for place in range(len(words)):
        for phrase in phrases:
            if _at(words, place, phrase):
                yield place + len(phrase)


def _contains(words: Sequence[str], phrases: list[Phrase]) -> bool:
    """Whether one of the phrases occurs anywhere in the words."""
    return any(_at(words, place, phrase) for place in range(len(words)) for phrase in phrases)
