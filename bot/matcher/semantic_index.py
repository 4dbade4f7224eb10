"""Sentence embeddings of the matching data, and how close each class is to a message.

Contract: `SemanticIndex.build(texts, encoder, cache)` embeds (class, text) pairs (example
questions, topic titles, sentences of the answers; any language: the encoder is multilingual)
through the on-disk cache and trains a classifier on them (kept in the cache too);
`class_scores(vector)` gives each class the cosine of its nearest text, `learned_scores(vector)`
the classifier's probability of each class near enough to trust it, and `nearest(vector, count)`
the closest texts, for `gdpr-bot ask --explain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.disk_cache import digest, kept_object
from bot.matcher.sentence_encoder import SentenceEncoder, cached_encode
from bot.matcher.topic_classifier import TopicClassifier
from bot.matcher.tuning import LEARNED_NEAR


class SemanticIndex:
    def __init__(
        self,
        labels: Sequence[str],
        texts: Sequence[str],
        vectors: np.ndarray,
        classifier: TopicClassifier | None = None,
    ):
        order = sorted(range(len(labels)), key=lambda i: labels[i])
        self.labels = [labels[i] for i in order]
        self.texts = [texts[i] for i in order]
        self.vectors = vectors[order] if len(order) else vectors
        # Each class's texts are contiguous: its best cosine is one reduceat over the block.
        self.classes = sorted(set(self.labels))
        self._starts = np.array([self.labels.index(label) for label in self.classes], dtype=int)
        self.classifier = classifier

    @classmethod
    def build(
        cls, texts: Sequence[tuple[str, str]], encoder: SentenceEncoder, cache: Path
    ) -> SemanticIndex:
        labels, sentences = [label for label, _ in texts], [text for _, text in texts]
        vectors = cached_encode(encoder, sentences, cache)
        if not texts:
            return cls([], [], vectors)
        # About 1.5 s of training on a first start; later starts read it back.
        classifier = kept_object(
            cache,
            "classifier",
            digest([encoder.name, *labels, *sentences]),
            lambda: TopicClassifier.train(labels, vectors),
            code_folder=Path(__file__).parent,  # any of the matcher's modules
        )
        return cls(labels, sentences, vectors, classifier)

    def class_scores(self, vector: np.ndarray) -> dict[str, float]:
        if not self.classes:
            return {}
        best = np.maximum.reduceat(self.vectors @ vector, self._starts)
        return dict(zip(self.classes, best.tolist(), strict=True))

    def learned_scores(
        self, vector: np.ndarray, cosines: dict[str, float] | None = None
    ) -> dict[str, float]:
        """The classifier's probability of each class that has a text at cosine LEARNED_NEAR or
        closer (`cosines`: `class_scores(vector)`, when the caller has it already): far from all
        of a class's texts, the classifier can still be sure of it."""
        if self.classifier is None:
            return {}
        cosines = self.class_scores(vector) if cosines is None else cosines
        near = {label for label, cosine in cosines.items() if cosine >= LEARNED_NEAR}
        likely = self.classifier.probabilities(vector[np.newaxis])[0]
        return {
            label: value
            for label, value in zip(self.classifier.classes, likely.tolist(), strict=True)
            if label in near
        }

    def nearest(self, vector: np.ndarray, count: int) -> list[tuple[float, str, str]]:
        """The `count` closest texts: (cosine, class, text)."""
        similarities = self.vectors @ vector
        top = np.argsort(-similarities)[:count]
        return [(float(similarities[i]), self.labels[i], self.texts[i]) for i in top]
