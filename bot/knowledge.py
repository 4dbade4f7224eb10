"""Map a question typed in the user's own words (French or English) to one topic id, or to none.

All matching data lives in dialogues/questions.yaml (see its header); this module holds no phrasing.
How a message is matched, with nothing trained or downloaded:

1. Normalise (bot.text_normalise): keep the head and tail of a long message, drop tags, emoji and
   control characters, casefold, strip accents, split into sentences and words. Apostrophes split
   words, so French elisions (l', qu', j') become stopwords.
2. Analyse in the message's language: correct typos against the vocabulary of the data (one
   edit away: a letter missing, extra, wrong or swapped; found through a delete index, cached),
   rewrite aliases (nicknames, SMS spellings, franglais: "insta", "jpeux", "dm"), drop stopwords,
   stem with Snowball.
3. Features: stems, pairs of neighbouring stems, and concepts (synonym groups such as children =
   kid, son, gosse, ado), weighted by TF-IDF where rarity is counted in topics, not in examples
   (a word every WhatsApp example uses is the best evidence for that topic). An unseen pair or
   concept is no evidence; an unseen word counts against the match, since it is usually off topic.
4. Rank topics: a topic scores its nearest example (cosine through an inverted index), plus a share
   of its second nearest, plus its centroid (all its phrasings at once: vocabulary no single example
   shows).
5. Decide: the out_of_scope examples (small talk, other services, account chores, near misses) are
   a class of their own. If one of them shares at least as much of the message's weight as the best
   topic's closest example does, the message is out of scope: a near miss ("delete my Facebook
   account") shares the topic's words, so ties go off topic. A message naming another company's
   service and nothing of Meta's is out of scope too. Otherwise the best topic must reach ACCEPT;
   below that, topics above SUGGEST are offered as alternatives ("Did you mean...?").
A long message is scored whole, sentence by sentence and by pairs of sentences; the piece where a
topic scores best decides, so a question that follows a paragraph of context is still found.
Measured figures: bench/bench_ask.py.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import snowballstemmer
import yaml

from bot import text_normalise
from bot.errors import ContentError

STEMMERS = {"en": "english", "fr": "french"}
OUT_OF_SCOPE = "<out of scope>"  # the class of the out_of_scope examples; never returned

# Tuned on tests/data/labelled_questions.yaml; bench/bench_ask.py prints the resulting figures.
ACCEPT = 0.22  # the best topic's score needed for an answer
SUGGEST = 0.15  # below ACCEPT, topics scoring this much are offered as alternatives
TIE = 0.02  # shares of the message this close count as equal
SECOND_BEST_SHARE = 0.25
CENTROID_SHARE = 0.4
FEATURE_WEIGHTS = {"stem": 1.0, "pair": 0.6, "concept": 0.8}
LONG_MESSAGE_WORDS = 16  # shorter messages are scored whole only
MAX_SENTENCES = 6  # the last sentences of a long message are scored one by one
MIN_STEM_LENGTH = 4  # a light suffix cut never leaves a shorter stem
MIN_TYPO_LENGTH = 4  # shorter words are too ambiguous to correct
CACHE_LIMIT = 50_000  # entries per cache; cleared when full so that memory stays bounded


@dataclass(frozen=True)
class Match:
    """The matcher's verdict: a topic to answer, or none with a few alternatives to offer."""

    topic: str | None
    alternatives: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class _Score:
    """How a class matches: `overall` ranks the topics; `explained`, the largest share of the
    message's weight that one example of the class shares, decides between a topic and off-topic
    (unlike a cosine, it does not favour short examples such as "hello")."""

    overall: float
    nearest: float
    explained: float


class _Analyser:
    """One language's way from words to feature counts: typos, aliases, stopwords, stems."""

    def __init__(
        self,
        lang: str,
        stopwords: Iterable[str],
        aliases: Mapping[str, str],
        suffixes: Iterable[str] = (),
    ):
        self.lang = lang
        self.suffixes = tuple(sorted(suffixes, key=len, reverse=True))
        self._stemmer = snowballstemmer.stemmer(STEMMERS[lang])
        self._stems: dict[str, str] = {}
        self.stopwords = frozenset(stopwords)
        self.aliases = {tuple(_words(key)): tuple(_words(value)) for key, value in aliases.items()}
        self.aliases.pop((), None)
        self._longest_alias = max(map(len, self.aliases), default=1)
        self.concepts: dict[str, str] = {}
        self.known_words: set[str] = set(self.stopwords)
        for key, value in self.aliases.items():
            self.known_words.update(key + value)
        self._known_stems: set[str] = set()
        self._word_counts: dict[str, int] = defaultdict(int)
        self._deletes: dict[str, set[str]] = defaultdict(set)
        self._corrections: dict[str, str] = {}

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            if len(self._stems) >= CACHE_LIMIT:
                self._stems.clear()
            stem = self._stems[word] = self._strip_suffix(self._stemmer.stemWord(word))
        return stem

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

    def add_concept(self, name: str, members: Iterable[str]) -> None:
        for member in members:
            for word in _words(member):
                self.known_words.add(word)
                self.concepts[self.stem(word)] = "@" + name

    def learn(self, words: list[str]) -> None:
        """Add correctly spelt words (from the data) to the vocabulary that typos are mapped to."""
        for word in words:
            self._word_counts[word] += 1
            self.known_words.add(word)

    def seal(self) -> None:
        """Build the typo index once the data is analysed (every stem seen so far is known)."""
        self._known_stems.update(self._stems.values())
        for word in self.known_words:
            if len(word) >= MIN_TYPO_LENGTH and not word.isdigit():
                self._deletes[word].add(word)
                for variant in _deletions(word):
                    self._deletes[variant].add(word)

    def terms(self, words: list[str], correct: bool = True) -> list[str]:
        """Stems of the content words, after typo correction and alias rewriting."""
        if correct:
            words = [self._correct(word) for word in words]
        stems = []
        for word in self._expand_aliases(words):
            if word not in self.stopwords:
                stems.append(self.stem(word))
        return stems

    def counts(self, terms: list[str]) -> dict[str, tuple[str, float]]:
        """Feature -> (kind, count): stems, pairs of neighbouring stems, concepts."""
        found: dict[str, tuple[str, float]] = {}

        def add(feature: str, kind: str) -> None:
            found[feature] = (kind, found[feature][1] + 1 if feature in found else 1.0)

        for position, term in enumerate(terms):
            add(term, "stem")
            concept = self.concepts.get(term)
            if concept:
                add(concept, "concept")
            if position:
                add(terms[position - 1] + " " + term, "pair")
        return found

    def _expand_aliases(self, words: list[str]) -> list[str]:
        expanded: list[str] = []
        position = 0
        while position < len(words):
            for length in range(min(self._longest_alias, len(words) - position), 0, -1):
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
            known
            for known in candidates
            if _one_edit_apart(word, known) and not word.startswith(known)
        ]
        if not close:
            return word
        return max(close, key=lambda known: (self._word_counts.get(known, 0), known))


class _Index:
    """TF-IDF vectors of one language's examples, searchable through an inverted index."""

    def __init__(self, analyser: _Analyser, examples: list[tuple[str, list[str]]]):
        self.analyser = analyser
        self.classes = [label for label, _ in examples]
        documents = [analyser.counts(analyser.terms(words, correct=False)) for _, words in examples]
        # Rarity is counted in classes, not examples: a word that every WhatsApp example uses is
        # the best evidence for that topic, not a common word.
        classes_using: dict[str, set[str]] = defaultdict(set)
        for label, document in zip(self.classes, documents, strict=True):
            for feature in document:
                classes_using[feature].add(label)
        total = len(set(self.classes))
        self.idf = {f: math.log((total + 1) / (len(c) + 1)) + 1 for f, c in classes_using.items()}
        self.unseen_idf = math.log(total + 1) + 1
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        centroids: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for number, document in enumerate(documents):
            vector = _unit({f: self._weight(f, kind, n) for f, (kind, n) in document.items()})
            for feature, weight in vector.items():
                self.postings[feature].append((number, weight))
                centroids[self.classes[number]][feature] += weight
        # A class's centroid holds its whole vocabulary: evidence that no single example shows.
        self.centroid_postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for label, centroid in centroids.items():
            for feature, weight in _unit(centroid).items():
                self.centroid_postings[feature].append((label, weight))

    def _weight(self, feature: str, kind: str, count: float) -> float:
        idf = self.idf.get(feature, self.unseen_idf)
        return (1 + math.log(count)) * idf * FEATURE_WEIGHTS[kind]

    def class_scores(self, words: list[str]) -> dict[str, _Score]:
        """How well each class (topic or OUT_OF_SCOPE) matches these words; zero scores absent."""
        counts = self.analyser.counts(self.analyser.terms(words))
        # Unseen pairs and concepts are no evidence either way; an unseen word is probably off
        # topic, so it stays in the query and dilutes the match.
        query = {
            f: self._weight(f, kind, n)
            for f, (kind, n) in counts.items()
            if kind == "stem" or f in self.idf
        }
        norm = math.sqrt(sum(w * w for w in query.values()))
        if not norm:
            return {}
        similarity: dict[int, float] = defaultdict(float)
        explained: dict[int, float] = defaultdict(float)  # query weight an example shares
        to_centroid: dict[str, float] = defaultdict(float)
        for feature, weight in query.items():
            for number, example_weight in self.postings.get(feature, ()):
                similarity[number] += weight * example_weight
                explained[number] += weight * weight
            for label, centroid_weight in self.centroid_postings.get(feature, ()):
                to_centroid[label] += weight * centroid_weight
        best: dict[str, list[float]] = {}
        for number, value in similarity.items():
            value /= norm
            top = best.setdefault(self.classes[number], [0.0, 0.0, 0.0])
            if value > top[0]:
                top[0], top[1] = value, top[0]
            elif value > top[1]:
                top[1] = value
            top[2] = max(top[2], explained[number] / (norm * norm))
        return {
            label: _Score(
                overall=(1 - CENTROID_SHARE) * (first + SECOND_BEST_SHARE * second)
                + CENTROID_SHARE * to_centroid[label] / norm,
                nearest=first,
                explained=share,
            )
            for label, (first, second, share) in best.items()
        }


class Matcher:
    """Questions in, topic ids out; built once from dialogues/questions.yaml and shared."""

    def __init__(
        self,
        indexes: Mapping[str, _Index],
        meta_terms: frozenset[str],
        other_services: frozenset[str],
    ):
        self._indexes = dict(indexes)
        self._meta_terms = meta_terms
        self._other_services = other_services
        self._markers = {
            lang: index.analyser.known_words.difference(
                *(other.analyser.known_words for o, other in indexes.items() if o != lang)
            )
            for lang, index in indexes.items()
        }

    @classmethod
    def load(cls, path: Path, topic_ids: Iterable[str] | None = None) -> Matcher:
        """Build the matcher from a questions file; ContentError names the file and key at fault."""
        data = _read_yaml(Path(path))
        topics = _checked_topics(path, data, None if topic_ids is None else set(topic_ids))
        lexicon = _mapping(path, data.get("lexicon", {}), "lexicon")
        out_of_scope = _mapping(path, data.get("out_of_scope", {}), "out_of_scope")
        indexes = {}
        for lang in STEMMERS:
            analyser = _build_analyser(path, lexicon, lang)
            examples = [
                (topic, _words(phrase))
                for topic, by_lang in topics.items()
                for phrase in by_lang[lang]
            ]
            extra = _string_list(path, out_of_scope.get(lang, []), f"out_of_scope.{lang}")
            examples += [(OUT_OF_SCOPE, _words(phrase)) for phrase in extra]
            for _, words in examples:
                analyser.learn(words)
            indexes[lang] = _Index(analyser, examples)
            analyser.seal()
        return cls(
            indexes,
            meta_terms=_word_set(path, lexicon, "meta_terms"),
            other_services=_word_set(path, lexicon, "other_services"),
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
        """The topic that answers `text`, or none (with alternatives when a few are plausible)."""
        folded = text_normalise.fold(_as_text(text))
        every_word = text_normalise.words(folded)
        if not every_word:
            return Match(None, (), 0.0)
        index = self._indexes[self._language_of(every_word, str(lang)[:2].casefold())]
        if self._names_only_another_service(every_word):
            return Match(None, (), 0.0)
        best_scores: dict[str, float] = {}
        for words in _pieces(folded, every_word):
            scores = index.class_scores(words)
            if _best_topic_score(scores) > _best_topic_score(best_scores):
                best_scores = scores
        return _decide(best_scores)

    def _language_of(self, words: list[str], declared: str) -> str:
        """The declared language unless the words clearly belong to the other one."""
        votes = self._language_votes(words)
        if declared not in self._indexes:
            return max(sorted(votes), key=votes.__getitem__)
        rival = max(votes, key=votes.__getitem__)
        return rival if votes[rival] > 2 * votes[declared] else declared

    def _language_votes(self, words: list[str]) -> dict[str, int]:
        votes = dict.fromkeys(self._markers, 0)
        for word in words[:200]:
            for lang, markers in self._markers.items():
                if word in markers:
                    votes[lang] += 1
        return votes

    def _names_only_another_service(self, words: list[str]) -> bool:
        present = set(words)
        return bool(present & self._other_services) and not present & self._meta_terms


def _pieces(folded: str, every_word: list[str]) -> list[list[str]]:
    """The whole message, then its last sentences one by one and by neighbouring pairs."""
    pieces = [every_word]
    if len(every_word) < LONG_MESSAGE_WORDS:
        return pieces
    sentences = [text_normalise.words(s) for s in text_normalise.sentences(folded)]
    sentences = [s for s in sentences if s][-MAX_SENTENCES:]
    if len(sentences) > 1:
        pieces += sentences
        pieces += [a + b for a, b in pairwise(sentences)]
    return pieces


def _best_topic_score(scores: Mapping[str, _Score]) -> float:
    return max((v.overall for label, v in scores.items() if label != OUT_OF_SCOPE), default=0.0)


def _decide(scores: Mapping[str, _Score]) -> Match:
    ranked = sorted(
        ((score.overall, label) for label, score in scores.items() if label != OUT_OF_SCOPE),
        reverse=True,
    )
    if not ranked:
        return Match(None, (), 0.0)
    best, topic = ranked[0]
    off_topic = scores.get(OUT_OF_SCOPE)
    if off_topic and _closer_to_off_topic(off_topic, scores[topic]):
        return Match(None, (), round(best, 4))
    if best >= ACCEPT:
        return Match(topic, (), round(best, 4))
    alternatives = tuple(label for value, label in ranked[:3] if value >= SUGGEST)
    return Match(None, alternatives, round(best, 4))


def _closer_to_off_topic(off_topic: _Score, topic: _Score) -> bool:
    """Whether an out-of-scope example explains more of the message than the topic does.

    A near miss ("delete my Facebook account") shares the topic's words; when both explain about
    as much, the example closer to the whole message (cosine) decides.
    """
    lead = off_topic.explained - topic.explained
    if abs(lead) > TIE:
        return lead > 0
    return off_topic.nearest >= topic.nearest


# --- loading -------------------------------------------------------------------------------------


def _as_text(text: object) -> str:
    return text if isinstance(text, str) else ""


def _unit(vector: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {feature: weight / norm for feature, weight in vector.items()}


def _words(phrase: str) -> list[str]:
    return text_normalise.words(text_normalise.fold(phrase))


def _deletions(word: str) -> Iterable[str]:
    return (word[:i] + word[i + 1 :] for i in range(len(word)))


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether b is a, with one letter removed, added, replaced, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        swapped = a[start + 1 : start + 2] + a[start : start + 1] + a[start + 2 :]
        return a[start + 1 :] == b[start + 1 :] or swapped == b[start:]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[start + 1 :] == shorter[start:]


class _WordsLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader keeping yes/no/on/off/y/n as words: here they are vocabulary, not booleans."""


_WordsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path) -> dict:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError(f"{path}: cannot read the matcher's questions file ({error})") from error
    try:
        data = yaml.load(source, Loader=_WordsLoader)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f":{where.line + 1}" if where else ""
        raise ContentError(f"{path}{line}: not valid YAML ({error}); fix the syntax") from error
    if not isinstance(data, dict) or not isinstance(data.get("topics"), dict):
        raise ContentError(f"{path}: expected a mapping with a 'topics' key (see the file header)")
    return data


def _checked_topics(path: Path, data: dict, topic_ids: set[str] | None) -> dict[str, dict]:
    topics = data["topics"]
    for topic, by_lang in topics.items():
        if topic_ids is not None and topic not in topic_ids:
            raise ContentError(
                f"{path}: topics.{topic}: unknown topic id; use one of the knowledge base's ids "
                f"({', '.join(sorted(topic_ids))}) or add the topic there first"
            )
        by_lang = _mapping(path, by_lang, f"topics.{topic}")
        for lang in STEMMERS:
            phrases = _string_list(path, by_lang.get(lang), f"topics.{topic}.{lang}")
            if not phrases:
                raise ContentError(
                    f"{path}: topics.{topic}.{lang}: no example phrasing; add at least one question"
                )
    missing = sorted((topic_ids or set()) - set(topics))
    if missing:
        raise ContentError(
            f"{path}: no example phrasings for topic(s) {', '.join(missing)}; add them under topics"
        )
    return {topic: {lang: by_lang[lang] for lang in STEMMERS} for topic, by_lang in topics.items()}


def _build_analyser(path: Path, lexicon: dict, lang: str) -> _Analyser:
    aliases = {}
    for group in ("common", lang):
        entries = _mapping(
            path,
            _mapping(path, lexicon.get("aliases", {}), "lexicon.aliases").get(group, {}),
            f"lexicon.aliases.{group}",
        )
        aliases.update({str(key): str(value) for key, value in entries.items()})
    stopwords = _string_list(
        path,
        _mapping(path, lexicon.get("stopwords", {}), "lexicon.stopwords").get(lang, []),
        f"lexicon.stopwords.{lang}",
    )
    suffixes = _string_list(
        path,
        _mapping(path, lexicon.get("suffixes", {}), "lexicon.suffixes").get(lang, []),
        f"lexicon.suffixes.{lang}",
    )
    analyser = _Analyser(
        lang, (w for phrase in stopwords for w in _words(phrase)), aliases, suffixes
    )
    concepts = _mapping(path, lexicon.get("concepts", {}), "lexicon.concepts")
    for name, by_lang in concepts.items():
        members = _mapping(path, by_lang, f"lexicon.concepts.{name}").get(lang, [])
        analyser.add_concept(
            str(name), _string_list(path, members, f"lexicon.concepts.{name}.{lang}")
        )
    return analyser


def _word_set(path: Path, lexicon: dict, key: str) -> frozenset[str]:
    phrases = _string_list(path, lexicon.get(key, []), f"lexicon.{key}")
    return frozenset(word for phrase in phrases for word in _words(phrase))


def _mapping(path: Path, value: object, where: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ContentError(f"{path}: {where}: expected a mapping of keys to values")
    return value


def _string_list(path: Path, value: object, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise ContentError(f"{path}: {where}: expected a list of strings")
    return [str(item) for item in value]
