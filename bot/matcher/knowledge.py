"""Map a question typed in the user's own words (French or English) to one topic id, or to none.

Public interface: `Matcher.load(path, topic_ids)`, `match(text, lang) -> Match(topic,
alternatives, score)` and `detect_language(text, default=...)`. All matching data lives in
dialogues/questions.yaml (see its header); no phrasing is held in code. Nothing is trained or
downloaded. How a message is matched:

1. Normalise (bot.text_normalise): keep the head and tail of a long message, drop tags, emoji and
   control characters, casefold, strip accents, split into sentences and words.
2. Analyse in the message's language (bot.word_analysis): correct typos against the data's
   vocabulary, rewrite aliases (SMS spellings, franglais, regional words, idioms), drop stopwords,
   stem (brand names excepted), and find concepts: synonym groups, some of which also say what
   the message is about (the bot's subject, a hint of it, a chore, a task on an account or app,
   another organisation).
3. Score every class (bot.example_index): the topics and the out-of-scope examples, by TF-IDF
   similarity to their nearest examples and to all their phrasings at once. When the message uses
   words of the bot's subject, only out-of-scope examples sharing one of them compete.
4. Long messages are also scored sentence by sentence and by pairs of sentences, each weighed
   with the whole message; the piece where a topic scores best decides, so a question after a
   paragraph of context is still found.
5. Decide (bot.verdict): a chore or another organisation without the bot's subject, or a task on
   an account without even a hint of it, gets no answer; an out-of-scope example that explains
   the message better wins; a message with no word of the subject nor hint of it must match an
   example more closely ("Since when?"); bare names or numbers and scores below the answer
   threshold get plausible topics as alternatives.
Measured figures: bench/bench_ask.py; tuning set: tests/data/dev_questions.yaml (the labelled and
blind sets are only read in aggregate).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise
from pathlib import Path

from bot.i18n import LANGUAGES
from bot.matcher import text_normalise
from bot.matcher.example_index import ExampleIndex
from bot.matcher.question_data import read_question_data
from bot.matcher.verdict import OUT_OF_SCOPE, Evidence, Match, decide
from bot.matcher.word_analysis import Analyser, words_of

__all__ = ["Match", "Matcher"]

LONG_MESSAGE_WORDS = 16  # shorter messages are scored whole only
MAX_SENTENCES = 4  # the last sentences of a long message are scored one by one
LANGUAGE_WORDS = 200  # words looked at to tell the language


class Matcher:
    """Questions in, topic ids out; built once from dialogues/questions.yaml and shared."""

    def __init__(
        self,
        indexes: Mapping[str, ExampleIndex],
        meta_terms: frozenset[str],
        other_services: frozenset[str],
    ):
        self._indexes = dict(indexes)
        self._meta_terms = meta_terms
        self._other_services = other_services
        self._names = meta_terms | other_services
        self._markers = {
            lang: index.analyser.known_words.difference(
                *(other.analyser.known_words for o, other in indexes.items() if o != lang)
            )
            for lang, index in indexes.items()
        }

    @classmethod
    def load(cls, path: Path, topic_ids: Iterable[str] | None = None) -> Matcher:
        """Build the matcher from a questions file; ContentError names the file and key at fault."""
        data = read_question_data(Path(path), topic_ids)
        meta_terms = frozenset(w for phrase in data.meta_terms for w in words_of(phrase))
        other_services = frozenset(w for phrase in data.other_services for w in words_of(phrase))
        indexes = {}
        for lang in LANGUAGES:
            analyser = Analyser(lang, data.lexicons[lang], names=meta_terms | other_services)
            examples = [
                (topic, words_of(phrase))
                for topic, by_lang in data.topics.items()
                for phrase in by_lang[lang]
            ]
            examples += [(OUT_OF_SCOPE, words_of(phrase)) for phrase in data.out_of_scope[lang]]
            for _, words in examples:
                analyser.learn(words)
            indexes[lang] = ExampleIndex(analyser, examples, near_miss_class=OUT_OF_SCOPE)
            analyser.seal()
        return cls(indexes, meta_terms=meta_terms, other_services=other_services)

    def detect_language(self, text: str, default: str = "en") -> str:
        """ "fr" or "en": the language whose own words the text uses most; `default` on a tie."""
        votes = self._language_votes(text_normalise.words(text_normalise.fold(_as_text(text))))
        if text_normalise.has_accents(_as_text(text)):
            votes["fr"] = votes.get("fr", 0) + 2
        fallback = default if default in self._indexes else "en"
        return max(
            sorted(votes), key=lambda lang: (votes[lang], lang == fallback), default=fallback
        )

    def match(self, text: str, lang: str) -> Match:
        """The topic that answers `text`, or none (with alternatives when a few are plausible)."""
        folded = text_normalise.fold(_as_text(text))
        every_word = text_normalise.words(folded)
        if not every_word:
            return Match(None, (), 0.0)
        index = self._indexes[self._language_of(every_word, str(lang)[:2].casefold())]
        analyser = index.analyser
        content = analyser.content_words(every_word)
        best_scores = index.class_scores([analyser.stem(word) for word in content])
        for words in _pieces(folded, every_word)[1:]:
            scores = index.class_scores(analyser.terms(words))
            if _best_topic_score(scores) > _best_topic_score(best_scores):
                best_scores = scores
        return decide(best_scores, self._evidence(analyser, every_word, content))

    def _evidence(self, analyser: Analyser, every_word: list[str], content: list[str]) -> Evidence:
        present = set(every_word)
        return Evidence(
            roles=frozenset(analyser.roles_of(analyser.stem(word) for word in content)),
            names_meta=bool(present & self._meta_terms),
            names_other_service=bool(present & self._other_services),
            names_or_numbers_only=bool(content)
            and all(word in self._names or word.isdigit() for word in content),
        )

    def _language_of(self, words: list[str], declared: str) -> str:
        """The declared language unless the words clearly belong to the other one."""
        votes = self._language_votes(words)
        if declared not in self._indexes:
            return max(sorted(votes), key=votes.__getitem__)
        rival = max(votes, key=votes.__getitem__)
        return rival if votes[rival] > 2 * votes[declared] else declared

    def _language_votes(self, words: list[str]) -> dict[str, int]:
        votes = dict.fromkeys(self._markers, 0)
        for word in words[:LANGUAGE_WORDS]:
            for lang, markers in self._markers.items():
                if word in markers:
                    votes[lang] += 1
        return votes


def _pieces(folded: str, every_word: list[str]) -> list[list[str]]:
    """The whole message, then its last sentences one by one and by neighbouring pairs, each
    followed by the whole message again: the piece's words weigh more, and the context still
    counts ("I run a bakery [...] Is my business content part of it?")."""
    pieces = [every_word]
    if len(every_word) < LONG_MESSAGE_WORDS:
        return pieces
    sentences = [text_normalise.words(s) for s in text_normalise.sentences(folded)]
    sentences = [s for s in sentences if s][-MAX_SENTENCES:]
    if len(sentences) > 1:
        pieces += [sentence + every_word for sentence in sentences]
        pieces += [a + b + every_word for a, b in pairwise(sentences)]
    return pieces


def _best_topic_score(scores: Mapping) -> float:
    return max((v.overall for label, v in scores.items() if label != OUT_OF_SCOPE), default=0.0)


def _as_text(text: object) -> str:
    return text if isinstance(text, str) else ""
