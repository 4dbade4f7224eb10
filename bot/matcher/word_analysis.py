"""One language's way from words to matching features: typos, aliases, stopwords, stems, concepts.

Contract: `Analyser.content_words(words)` keeps the words that carry meaning (typos corrected,
aliases rewritten, stopwords dropped) and `terms(words)` their stems; `features(terms)` counts
stems, pairs of neighbouring stems and concepts; `roles_of(terms)` says what the concepts present
tell about the message (see bot.question_data.ROLES) and `domain_features` which features show
the bot's subject. Caches are bounded, so memory stays flat whatever users type.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import snowballstemmer

from bot.matcher import text_normalise
from bot.matcher.question_data import DOMAIN, Lexicon
from bot.matcher.tuning import (
    LONG_WORD,
    MIN_INSERTION_LENGTH,
    MIN_STEM_LENGTH,
    MIN_SUBSTITUTION_LENGTH,
    MIN_TYPO_LENGTH,
)

STEMMERS = {"en": "english", "fr": "french"}
CACHE_LIMIT = 50_000  # entries per cache; cleared when full so that memory stays bounded

Features = dict[str, tuple[str, float]]  # feature -> (kind: stem, pair or concept; count)


def words_of(phrase: str) -> list[str]:
    """The words of a phrase as the analyser expects them: folded, split, no accents."""
    return text_normalise.words(text_normalise.fold(phrase))


class Analyser:
    """Built from one language's lexicon; `learn` the data's words, then `seal` before use."""

    def __init__(self, lang: str, lexicon: Lexicon, names: Iterable[str] = ()):
        self.lang = lang
        # Brand names are not inflected; stemming would merge "Meta" with French "mets" (put).
        self._names = frozenset(names)
        self.suffixes = tuple(sorted(lexicon.suffixes, key=len, reverse=True))
        self._stemmer = snowballstemmer.stemmer(STEMMERS[lang])
        self._stems: dict[str, str] = {}
        self.stopwords = frozenset(w for phrase in lexicon.stopwords for w in words_of(phrase))
        self.aliases = {
            tuple(words_of(key)): tuple(words_of(value)) for key, value in lexicon.aliases.items()
        }
        self.aliases.pop((), None)
        # Longest alias first for each first word, so that a word with no alias costs one lookup.
        self._alias_lengths: dict[str, tuple[int, ...]] = {}
        for key in self.aliases:
            lengths = {*self._alias_lengths.get(key[0], ()), len(key)}
            self._alias_lengths[key[0]] = tuple(sorted(lengths, reverse=True))
        self.known_words: set[str] = set(self.stopwords)
        for key, value in self.aliases.items():
            self.known_words.update(key + value)
        concepts: dict[str, list[str]] = defaultdict(list)
        roles: dict[str, set[str]] = defaultdict(set)
        for concept in lexicon.concepts:
            for word in (w for member in concept.members for w in words_of(member)):
                self.known_words.add(word)
                stem = self.stem(word)
                if "@" + concept.name not in concepts[stem]:
                    concepts[stem].append("@" + concept.name)
                if concept.role:
                    roles[stem].add(concept.role)
        self.concepts = dict(concepts)  # stem -> concept features
        self.roles = dict(roles)  # stem -> roles of its concepts
        self._known_stems: set[str] = set()
        self._word_counts: dict[str, int] = defaultdict(int)
        self._deletes: dict[str, set[str]] = defaultdict(set)
        self._corrections: dict[str, str] = {}

    def __getstate__(self) -> dict:
        """What a cached copy keeps (bot/disk_cache.py): all but the stemmer, a C object."""
        return {key: value for key, value in vars(self).items() if key != "_stemmer"}

    def __setstate__(self, state: dict) -> None:
        vars(self).update(state)
        self._stemmer = snowballstemmer.stemmer(STEMMERS[self.lang])

    def stem(self, word: str) -> str:
        if word in self._names:
            return word
        stem = self._stems.get(word)
        if stem is None:
            if len(self._stems) >= CACHE_LIMIT:
                self._stems.clear()
            stem = self._stems[word] = self._strip_suffix(self._stemmer.stemWord(word))
        return stem

    def learn(self, words: Iterable[str]) -> None:
        """Add correctly spelt words (from the data) to the vocabulary that typos are mapped to."""
        for word in words:
            self._word_counts[word] += 1
            self.known_words.add(word)

    def seal(self) -> None:
        """Build the typo index once the data is learnt (every stem seen so far is known)."""
        self._known_stems.update(self._stems.values())
        for word in self.known_words:
            if len(word) >= MIN_TYPO_LENGTH and not word.isdigit():
                self._deletes[word].add(word)
                for variant in _deletions(word):
                    self._deletes[variant].add(word)

    def content_words(self, words: list[str], correct: bool = True) -> list[str]:
        """The words that carry meaning, after typo correction and alias rewriting."""
        if correct:
            words = [self._correct(word) for word in words]
        return [word for word in self._expand_aliases(words) if word not in self.stopwords]

    def terms(self, words: list[str], correct: bool = True) -> list[str]:
        """Stems of the content words (see content_words)."""
        return [self.stem(word) for word in self.content_words(words, correct)]

    def features(self, terms: list[str]) -> Features:
        """Stems, pairs of neighbouring stems and concepts, with their counts."""
        found: Features = {}

        def add(feature: str, kind: str) -> None:
            found[feature] = (kind, found[feature][1] + 1 if feature in found else 1.0)

        for position, term in enumerate(terms):
            add(term, "stem")
            for concept in self.concepts.get(term, ()):
                add(concept, "concept")
            if position:
                add(terms[position - 1] + " " + term, "pair")
        return found

    def domain_features(self, features: Features) -> set[str]:
        """The features that show the message is about the bot's subject: stems of concepts with
        the domain role, and those concepts."""
        found = set()
        for feature, (kind, _) in features.items():
            if kind == "stem" and DOMAIN in self.roles.get(feature, ()):
                found.add(feature)
                found.update(self.concepts.get(feature, ()))
        return found

    def roles_of(self, terms: Iterable[str]) -> set[str]:
        """The roles (bot.question_data.ROLES) of the concepts these terms belong to."""
        found: set[str] = set()
        for term in terms:
            found.update(self.roles.get(term, ()))
        return found

    def _strip_suffix(self, stem: str) -> str:
        # Snowball expects accents and skips some verb endings ("acceptent"); text here has no
        # accents, so a last light cut makes "utilisees", "utilise" and "utilis" agree.
        for suffix in self.suffixes:
            # The longer the cut, the more must remain: "comment" keeps its "ent".
            if stem.endswith(suffix) and len(stem) - len(suffix) >= max(
                MIN_STEM_LENGTH, len(suffix) + 2
            ):
                return stem[: -len(suffix)]
        return stem

    def _expand_aliases(self, words: list[str]) -> list[str]:
        if self._alias_lengths.keys().isdisjoint(words):
            return words
        expanded: list[str] = []
        position = 0
        while position < len(words):
            for length in self._alias_lengths.get(words[position], ()):
                replacement = self.aliases.get(tuple(words[position : position + length]))
                if replacement is not None:
                    expanded.extend(replacement)
                    position += length
                    break
            else:
                expanded.append(words[position])
                position += 1
        return expanded

    def _correct(self, word: str) -> str:
        if (
            len(word) < MIN_TYPO_LENGTH
            or word in self.known_words
            or not word.isalpha()
            or self.stem(word) in self._known_stems
        ):
            return word
        correction = self._corrections.get(word)
        if correction is None:
            if len(self._corrections) >= CACHE_LIMIT:
                self._corrections.clear()
            correction = self._corrections[word] = self._nearest_known(word)
        return correction

    def _nearest_known(self, word: str) -> str:
        candidates = set(self._deletes.get(word, ()))
        for variant in _deletions(word):
            candidates.update(self._deletes.get(variant, ()))
        # A word one letter longer than a known word at its end is an inflection ("later",
        # "games"), not a typo: leave it to the stemmer.
        close = [
            known for known in candidates if _is_typo_of(word, known) and not word.startswith(known)
        ]
        if not close:
            return word
        return max(close, key=lambda known: (self._word_counts.get(known, 0), known))


def _deletions(word: str) -> Iterable[str]:
    return (word[:i] + word[i + 1 :] for i in range(len(word)))


def _is_typo_of(typed: str, known: str) -> bool:
    """Whether `typed` is `known` with two neighbouring letters swapped, one letter missing or
    extra, or one letter replaced, each only in words long enough (see MIN_*_LENGTH)."""
    shortest = min(len(typed), len(known))
    if shortest < MIN_TYPO_LENGTH or typed == known or abs(len(typed) - len(known)) > 1:
        return False
    start = 0
    while start < shortest and typed[start] == known[start]:
        start += 1
    if len(typed) != len(known):
        longer, shorter = (typed, known) if len(typed) > len(known) else (known, typed)
        return shortest >= MIN_INSERTION_LENGTH and longer[start + 1 :] == shorter[start:]
    swapped = typed[start + 1 : start + 2] + typed[start : start + 1] + typed[start + 2 :]
    if swapped == known[start:]:
        return True
    replaced = typed[start + 1 :] == known[start + 1 :]
    last_letter = start == len(typed) - 1
    return (
        replaced
        and len(typed) >= MIN_SUBSTITUTION_LENGTH
        and (len(typed) >= LONG_WORD or not last_letter)
    )
