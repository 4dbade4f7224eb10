"""TF-IDF vectors of one language's example questions, and how well each class matches a message.

Contract: `ExampleIndex(analyser, examples, near_miss_class)` indexes (class, words) pairs, where a
class is a topic id or the out-of-scope class; `class_scores(terms)` scores every class that shares
a feature with the message. Rarity is counted in classes, not examples: a word that every WhatsApp
example uses is the best evidence for that topic, not a common word.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from bot.matcher.tuning import CENTROID_SHARE, EXPLAINED_SHARE, FEATURE_WEIGHTS, SECOND_BEST_SHARE
from bot.matcher.word_analysis import Analyser


@dataclass(frozen=True)
class ClassScore:
    """How a class matches a message.

    `overall` ranks the topics: nearest example, a share of the second nearest, the centroid
    (all the class's phrasings at once: vocabulary no single example shows) and `explained`.
    `nearest` is the cosine to the closest example. `explained` is the largest share of the
    message's weight that one example shares; unlike a cosine it does not favour short examples
    such as "hello".
    """

    overall: float
    nearest: float
    explained: float


class ExampleIndex:
    """One language's examples, searchable through an inverted index."""

    def __init__(
        self,
        analyser: Analyser,
        examples: list[tuple[str, list[str]]],
        near_miss_class: str | None = None,
    ):
        self.analyser = analyser
        self.near_miss_class = near_miss_class
        self.classes = [label for label, _ in examples]
        documents = [
            analyser.features(analyser.terms(words, correct=False)) for _, words in examples
        ]
        classes_using: dict[str, set[str]] = defaultdict(set)
        for label, document in zip(self.classes, documents, strict=True):
            for feature in document:
                classes_using[feature].add(label)
        total = len(set(self.classes))
        self.idf = {f: math.log((total + 1) / (len(c) + 1)) + 1 for f, c in classes_using.items()}
        self.unseen_idf = math.log(total + 1) + 1
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        # The near-miss examples using each feature (see class_scores).
        self.near_misses_with: dict[str, set[int]] = defaultdict(set)
        centroids: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for number, document in enumerate(documents):
            vector = _unit({f: self._weight(f, kind, n) for f, (kind, n) in document.items()})
            for feature, weight in vector.items():
                self.postings[feature].append((number, weight))
                if self.classes[number] == near_miss_class:
                    self.near_misses_with[feature].add(number)
                centroids[self.classes[number]][feature] += weight
        self.centroid_postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for label, centroid in centroids.items():
            for feature, weight in _unit(centroid).items():
                self.centroid_postings[feature].append((label, weight))

    def class_scores(self, terms: list[str]) -> dict[str, ClassScore]:
        """How well each class matches the message's terms; classes sharing nothing are absent.

        When the message uses words of the bot's subject, an example of the near-miss class counts
        only if it shares one of them: "can hackers read my chats" is no near miss of "does Meta
        read my chats for its AI".
        """
        features = self.analyser.features(terms)
        # Unseen pairs and concepts are no evidence either way; an unseen word is probably off
        # topic, so it stays in the query and dilutes the match, unless it belongs to a concept:
        # then the concept speaks for it ("Montreal" is a place abroad, like "Canada").
        query = {
            f: self._weight(f, kind, n)
            for f, (kind, n) in features.items()
            if f in self.idf or (kind == "stem" and f not in self.analyser.concepts)
        }
        norm = math.sqrt(sum(w * w for w in query.values()))
        if not norm:
            return {}
        subject = self.analyser.domain_features(features)
        similarity: dict[int, float] = defaultdict(float)
        explained: dict[int, float] = defaultdict(float)  # query weight an example shares
        on_subject: set[int] = set()
        to_centroid: dict[str, float] = defaultdict(float)
        postings, centroid_postings = self.postings, self.centroid_postings
        for feature, weight in query.items():
            square = weight * weight
            for number, example_weight in postings.get(feature, ()):
                similarity[number] += weight * example_weight
                explained[number] += square
            if feature in subject:
                on_subject.update(self.near_misses_with.get(feature, ()))
            for label, centroid_weight in centroid_postings.get(feature, ()):
                to_centroid[label] += weight * centroid_weight
        first: dict[str, float] = {}
        second: dict[str, float] = defaultdict(float)
        share: dict[str, float] = defaultdict(float)
        skip_near_misses = bool(subject) and self.near_miss_class is not None
        for number, value in similarity.items():
            label = self.classes[number]
            if skip_near_misses and label == self.near_miss_class and number not in on_subject:
                continue
            best = first.get(label, 0.0)
            if value > best:
                first[label], second[label] = value, best
            elif value > second[label]:
                second[label] = value
            if explained[number] > share[label]:
                share[label] = explained[number]
        squared_norm = norm * norm
        return {
            label: ClassScore(
                overall=(
                    (1 - CENTROID_SHARE - EXPLAINED_SHARE)
                    * (nearest + SECOND_BEST_SHARE * second[label])
                    / norm
                    + CENTROID_SHARE * to_centroid[label] / norm
                    + EXPLAINED_SHARE * share[label] / squared_norm
                ),
                nearest=nearest / norm,
                explained=share[label] / squared_norm,
            )
            for label, nearest in first.items()
        }

    def _weight(self, feature: str, kind: str, count: float) -> float:
        idf = self.idf.get(feature, self.unseen_idf)
        return (1 + math.log(count)) * idf * FEATURE_WEIGHTS[kind]


def _unit(vector: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {feature: weight / norm for feature, weight in vector.items()}
