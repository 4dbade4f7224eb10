"""Map a message typed in the user's own words (French or English) to a topic id, an action, or
neither.

Public interface: `Matcher.load(path, topic_ids, topic_texts)`, `match(text, lang) -> Match(topic,
alternatives, score, action)`, `match_all` for many at once, `detect_language(text, default=...)`
and `explain_lines` (for `gdpr-bot ask --explain`). All matching data lives in
dialogues/questions.yaml (see its header); no phrasing is held in code. Nothing is downloaded.
How a message is matched:

1. Normalise (bot.text_normalise): keep the head and tail of a long message, drop tags, emoji and
   control characters, casefold, strip accents, split into sentences and words.
2. Lexical channel. Analyse in the message's language (bot.word_analysis): correct typos against
   the data's vocabulary, rewrite aliases, drop stopwords, stem, find concepts and their roles
   (bot.question_data.ROLES). Score every class (bot.example_index): the topics, the actions and
   the out-of-scope examples, by TF-IDF similarity; a long message is also scored sentence by
   sentence, and the piece where a topic scores best decides.
3. Semantic channel (bot.semantic_index): the message, and a long message's last sentences, are
   embedded by a multilingual sentence encoder (bot.sentence_encoder); each class scores the
   cosine of its nearest text: example questions of both languages, each topic's title and
   answer sentences, and the short messages of dialogues/voices/ (bot.voices). A classifier
   trained on those same embeddings (bot.topic_classifier) gives each class a probability too.
4. Decide (bot.verdict) on the sum of the channels: another organisation or a chore with no word
   of the subject gets no topic; the out-of-scope class wins when it scores best; a close
   runner-up or a middling score gives alternatives ("Did you mean"); a message that asks the
   bot to act in so many words (bot.requests) starts the action when it scored nearly as well
   as the best topic. Constants: bot.matcher.tuning. Figures: bench/bench_ask.py and
   bench/compare_channels.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from itertools import pairwise
from pathlib import Path

import numpy as np

from bot.disk_cache import cache_folder, digest, kept_object
from bot.matcher import text_normalise
from bot.matcher.example_index import ClassScore, ExampleIndex
from bot.matcher.question_data import LANGUAGES, SMALL_TALK, QuestionData, read_question_data
from bot.matcher.requests import RequestReader
from bot.matcher.semantic_index import SemanticIndex
from bot.matcher.sentence_encoder import SentenceEncoder, load_in_background, shared_encoder
from bot.matcher.tuning import (
    LONG_MESSAGE_WORDS,
    MAX_SENTENCES,
    SEMANTIC_HEAD,
    SEMANTIC_SENTENCES,
    SEMANTIC_TAIL,
)
from bot.matcher.verdict import (
    ACTION,
    OUT_OF_SCOPE,
    Evidence,
    Match,
    decide,
    weigh,
)
from bot.matcher.voices import Voiced, read_voices
from bot.matcher.word_analysis import Analyser, words_of

__all__ = ["Match", "Matcher", "Scores", "explain_lines"]

# Per language, topic id -> texts that describe the topic (its title and answer, translated).
TopicTexts = Mapping[str, Mapping[str, Iterable[str]]]


@dataclass(frozen=True)
class Scores:
    """Everything the verdict is drawn from, kept for `gdpr-bot ask --explain`."""

    lang: str
    lexical: dict[str, ClassScore]
    semantic: dict[str, float]
    evidence: Evidence
    learned: dict[str, float]  # the classifier's probability of each class
    vector: np.ndarray | None  # the message's sentence embedding


SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s*")
LANGUAGE_WORDS = 200  # words looked at to tell the language
_SMALL_TALK_CLASS = ACTION + SMALL_TALK


class Matcher:
    """Questions in, topic ids out; built once from dialogues/questions.yaml and shared."""

    def __init__(
        self,
        indexes: Mapping[str, ExampleIndex],
        meta_terms: frozenset[str],
        other_services: frozenset[str],
        requests: Mapping[str, RequestReader] | None = None,
        semantic: SemanticIndex | None = None,
        encoder: SentenceEncoder | None = None,
        acknowledgements: frozenset[str] = frozenset(),
    ):
        self._indexes = dict(indexes)
        self._acknowledgements = acknowledgements
        self._requests = dict(requests or {})
        self.semantic = semantic
        self._encoder = encoder
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
    def load(
        cls,
        path: Path,
        topic_ids: Iterable[str] | None = None,
        topic_texts: TopicTexts | None = None,
        encoder: SentenceEncoder | None = None,
        cache: Path | None = None,
        semantic: bool = True,
        voices: Path | None = None,
    ) -> Matcher:
        """Build the matcher from a questions file; ContentError names the file and key at fault.

        `topic_texts` (titles and answers) and the labelled messages of the `voices` folder
        (bot.voices) add to the semantic channel's evidence; `encoder`
        defaults to the process-wide one and `cache` to the user's cache folder. Without
        `semantic` only the lexical channel runs (a baseline for bench/bench_ask.py).
        """
        if semantic and encoder is None:
            load_in_background()  # mostly in C, while the lexical indexes are built
        path = Path(path)
        topic_ids = None if topic_ids is None else sorted(topic_ids)
        try:
            raw = path.read_bytes()
        except OSError:
            raw = None  # read_question_data says what is wrong with the file
        # Reading and analysing thousands of examples takes a few tenths of a second; a warm
        # start reads the result back (a file with a problem is never kept: it raises again).
        data, indexes = kept_object(
            cache or cache_folder(),
            "lexical",
            digest([raw or b"", repr(topic_ids), *_versions("snowballstemmer", "PyStemmer")]),
            lambda: _read_and_index(path, topic_ids, raw),
            code_folder=Path(__file__).parent,  # any of the matcher's modules
        )
        meta_terms, other_services = _names(data.meta_terms), _names(data.other_services)
        requests = {lang: RequestReader(data.requests[lang]) for lang in LANGUAGES}
        acknowledgements = frozenset().union(
            *(text_normalise.pictographs(emoji) or () for emoji in data.acknowledgements)
        )
        if not semantic:
            return cls(
                indexes, meta_terms, other_services, requests, acknowledgements=acknowledgements
            )
        heard = _semantic_voices(voices, topic_ids, cache or cache_folder())
        encoder = encoder or shared_encoder()
        texts = _semantic_texts(data, topic_texts or {}, heard)
        return cls(
            indexes,
            meta_terms=meta_terms,
            other_services=other_services,
            requests=requests,
            semantic=SemanticIndex.build(texts, encoder, cache or cache_folder()),
            encoder=encoder,
            acknowledgements=acknowledgements,
        )

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
        """The topic that answers `text` or the action it asks for, or none (with alternatives
        when a few topics are plausible)."""
        return self.match_all([(text, lang)])[0]

    def match_all(self, messages: Iterable[tuple[str, str]]) -> list[Match]:
        """`match` for many (text, lang) messages: their sentence embeddings are computed in one
        batch, several times faster than one by one."""
        messages = list(messages)
        return [
            decide(s.lexical, s.semantic, s.evidence, s.learned) if s else self._wordless(text)
            for (text, _lang), s in zip(messages, self.scores_all(messages), strict=True)
        ]

    def scores(self, text: str, lang: str) -> Scores | None:
        """Every channel's class scores and the evidence; None for a message with no word."""
        return self.scores_all([(text, lang)])[0]

    def scores_all(self, messages: Iterable[tuple[str, str]]) -> list[Scores | None]:
        messages = list(messages)
        lexical = [self._lexical(_as_text(text), lang) for text, lang in messages]
        pieces = [
            _semantic_pieces(text_normalise.bounded(_as_text(text)), len(found[2])) if found else []
            for (text, _lang), found in zip(messages, lexical, strict=True)
        ]
        vectors = iter(self._embed([piece for each in pieces for piece in each]))
        scores = []
        for found, own in zip(lexical, pieces, strict=True):
            if found is None:
                scores.append(None)
                continue
            language, class_scores, _words, evidence = found
            mine = [next(vectors) for _ in own]
            semantic: dict[str, float] = {}
            learned: dict[str, float] = {}
            # A class's cosine is its best over the whole message and its last sentences; the
            # classifier reads the whole message only (a story's sentences mislead it).
            # A closing "Thank you kindly." or an opening "Salut, je suis de Neuchâtel." is small
            # talk on its own: for that class only the whole message counts.
            for piece, vector in enumerate(mine if self.semantic is not None else ()):
                cosines = self.semantic.class_scores(vector)
                for label, value in cosines.items():
                    if piece == 0 or label != _SMALL_TALK_CLASS:
                        semantic[label] = max(value, semantic.get(label, -1.0))
                if piece == 0:
                    learned = self.semantic.learned_scores(vector, cosines)
            vector = mine[0] if mine else None
            scores.append(Scores(language, class_scores, semantic, evidence, learned, vector))
        return scores

    def _wordless(self, text: object) -> Match:
        """The verdict on a message with no word: acknowledging emoji alone ("👍", "🙏🏽")
        say what "ok" or "thanks" say; other emoji, punctuation or symbols ask nothing the bot
        can read ("😡", "❓", "...")."""
        emoji = text_normalise.pictographs(_as_text(text))
        if emoji and emoji <= self._acknowledgements:
            return Match(None, (), 0.0, action=SMALL_TALK, reason="acknowledging emoji alone")
        return Match(None, (), 0.0, reason="no word to match")

    def _embed(self, texts: list[str]) -> list[np.ndarray]:
        if self.semantic is None or self._encoder is None or not texts:
            return [None] * len(texts)
        return list(self._encoder.encode(texts))

    def _lexical(self, text: str, lang: str):
        """(language, lexical class scores, words, evidence), or None for a message with no word."""
        folded = text_normalise.fold(text)
        every_word = text_normalise.words(folded)
        if not every_word:
            return None
        language = self._language_of(every_word, str(lang)[:2].casefold())
        index = self._indexes[language]
        analyser = index.analyser
        content = analyser.content_words(every_word)
        best_scores = index.class_scores([analyser.stem(word) for word in content])
        for words in _pieces(folded, every_word)[1:]:
            scores = index.class_scores(analyser.terms(words))
            if _best_topic_score(scores) > _best_topic_score(best_scores):
                best_scores = scores
        evidence = self._evidence(analyser, every_word, content, language, folded)
        return language, best_scores, every_word, evidence

    def _evidence(
        self,
        analyser: Analyser,
        every_word: list[str],
        content: list[str],
        language: str,
        folded: str,
    ) -> Evidence:
        present = set(every_word)
        reader = self._requests.get(language)
        return Evidence(
            roles=frozenset(analyser.roles_of(analyser.stem(word) for word in content)),
            names_meta=bool(present & self._meta_terms),
            names_other_service=bool(present & self._other_services),
            names_or_numbers_only=bool(content)
            and all(word in self._names or word.isdigit() for word in content),
            requested=reader.asked_actions(folded) if reader else (),
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


def explain_lines(matcher: Matcher, text: str, lang: str, count: int = 5) -> list[str]:
    """Why `text` gets its verdict: each channel's best classes, the rule, the nearest texts."""
    scores = matcher.scores(text, lang)
    if scores is None:
        match = matcher.match(text, lang)
        return [f"no word to match; verdict: action {match.action}; rule: {match.reason}"]
    match = decide(scores.lexical, scores.semantic, scores.evidence, scores.learned)
    _close, combined = weigh(scores.lexical, scores.semantic, scores.evidence, scores.learned)
    lexical = {label: value.overall for label, value in scores.lexical.items()}
    requested = ", ".join(scores.evidence.requested) or "nothing"
    lines = [
        f"language {scores.lang}; roles {', '.join(sorted(scores.evidence.roles)) or 'none'}; "
        f"asks in so many words for {requested}",
        f"verdict: topic {match.topic}, action {match.action}, "
        f"alternatives {list(match.alternatives)}; rule: {match.reason}",
    ]
    for name, values in (
        ("combined", combined),
        ("lexical", lexical),
        ("semantic", scores.semantic),
        ("learned", scores.learned),
    ):
        best = sorted(values.items(), key=lambda item: -item[1])[:count]
        lines.append(f"{name}: " + ", ".join(f"{label} {value:.3f}" for label, value in best))
    if matcher.semantic is not None and scores.vector is not None:
        lines.append("nearest texts:")
        lines += [
            f"  {cosine:.3f} {label}: {example}"
            for cosine, label, example in matcher.semantic.nearest(scores.vector, count)
        ]
    return lines


def _read_and_index(
    path: Path, topic_ids, source: bytes | None
) -> tuple[QuestionData, dict[str, ExampleIndex]]:
    """The questions file (`source`, the bytes its cache key was made of), checked, and per
    language the examples of every class (topics, actions, out of scope), analysed."""
    data = read_question_data(path, topic_ids, source)
    names = _names(data.meta_terms) | _names(data.other_services)
    indexes = {}
    for lang in LANGUAGES:
        analyser = Analyser(lang, data.lexicons[lang], names=names)
        examples = [
            (topic, words_of(phrase))
            for topic, by_lang in data.topics.items()
            for phrase in by_lang[lang]
        ]
        examples += [
            (ACTION + action, words_of(phrase))
            for action, by_lang in data.actions.items()
            for phrase in by_lang[lang]
        ]
        examples += [(OUT_OF_SCOPE, words_of(phrase)) for phrase in data.out_of_scope[lang]]
        for _, words in examples:
            analyser.learn(words)
        indexes[lang] = ExampleIndex(analyser, examples, near_miss_class=OUT_OF_SCOPE)
        analyser.seal()
    return data, indexes


def _versions(*packages: str) -> list[str]:
    """The installed versions of the packages that shape the lexical indexes (the stemmers)."""
    found = []
    for package in packages:
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} absent")
    return found


def _names(phrases: Iterable[str]) -> frozenset[str]:
    return frozenset(word for phrase in phrases for word in words_of(phrase))


def _semantic_voices(folder: Path | None, topic_ids: list[str] | None, cache: Path) -> list[Voiced]:
    """The folder's labelled messages that the semantic channel reads (the short ones), kept in
    the cache: parsing 5,000 of them took a twentieth of a second, counting their words a tenth."""
    if folder is None:
        return []
    files = sorted(Path(folder).glob("*.yaml"))
    sources = {str(path): path.read_bytes() for path in files}
    return kept_object(
        cache,
        "voices",
        digest([repr(topic_ids), *(part for item in sources.items() for part in item)]),
        lambda: [message for message in read_voices(sources, topic_ids) if _short(message.text)],
        code_folder=Path(__file__).parent,  # any of the matcher's modules
    )


def _short(text: str) -> bool:
    """Whether a voice is short enough to teach the semantic channel. A long story's embedding is
    mostly the story, while its label is what its last sentence asks: such a voice drew "...I am
    a bit lost with all of this. So where is the form to object?" to what Meta uses. Short and
    medium messages only: as much gain on the held-out spent sets, without that."""
    return len(text_normalise.words(text_normalise.fold(text))) < LONG_MESSAGE_WORDS


def _semantic_texts(
    data: QuestionData, topic_texts: TopicTexts, voices: Iterable[Voiced] = ()
) -> list[tuple[str, str]]:
    """(class, text) pairs of both languages: the encoder is multilingual, so a French example
    is evidence for an English message too."""
    texts = [(_class_of(message), message.text) for message in voices]
    for lang in LANGUAGES:
        texts += [(t, q) for t, by_lang in data.topics.items() for q in by_lang[lang]]
        texts += [(ACTION + a, q) for a, by_lang in data.actions.items() for q in by_lang[lang]]
        texts += [(OUT_OF_SCOPE, q) for q in data.out_of_scope[lang]]
        for topic, described in topic_texts.get(lang, {}).items():
            if topic in data.topics:
                texts += [(topic, text) for text in described]
    return texts


def _class_of(message: Voiced) -> str:
    if message.topic:
        return message.topic
    return ACTION + message.action if message.action else OUT_OF_SCOPE


def _semantic_pieces(text: str, word_count: int) -> list[str]:
    """The message, then for a long one its last sentences: a question after a story is
    embedded on its own too, so the story does not drown it. Only the head and the tail of a
    long message are embedded whole: the encoder's time grows with the length. A message
    written in capitals is embedded in lower case: the encoder reads shouted words as others."""
    if sum(c.isupper() for c in text) > sum(c.islower() for c in text):
        text = text.lower()
    if word_count < LONG_MESSAGE_WORDS:
        return [text]
    sentences = [s.strip() for s in SENTENCE_END.split(text) if len(s.split()) >= 2]
    if len(text) > SEMANTIC_HEAD + SEMANTIC_TAIL:
        text = text[:SEMANTIC_HEAD] + " … " + text[-SEMANTIC_TAIL:]
    return [text, *sentences[-SEMANTIC_SENTENCES:]]


def _pieces(folded: str, every_word: list[str]) -> list[list[str]]:
    """The whole message, then its last sentences one by one and by neighbouring pairs, each
    followed by the whole message again: the piece's words weigh more, and the context still
    counts ("I run a bakery [...] Is my business content part of it?")."""
    pieces = [every_word]
    if len(every_word) < LONG_MESSAGE_WORDS:
        return pieces
    sentences = [text_normalise.words(s) for s in text_normalise.sentences(folded)]
    sentences = [s for s in sentences if s][-MAX_SENTENCES:]
    # The context counts each word once: a story that repeats itself must not drown the question.
    context = list(dict.fromkeys(every_word))
    if len(sentences) > 1:
        pieces += [sentence + context for sentence in sentences]
        pieces += [a + b + context for a, b in pairwise(sentences)]
    return pieces


def _best_topic_score(scores: Mapping) -> float:
    return max((v.overall for label, v in scores.items() if label != OUT_OF_SCOPE), default=0.0)


def _as_text(text: object) -> str:
    return text if isinstance(text, str) else ""
