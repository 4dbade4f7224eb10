"""Sentence embeddings of the matching data, and how close each class is to a message.

Contract: `SemanticIndex.build(texts, encoder, cache)` embeds (class, text) pairs (example
questions, topic titles, sentences of the answers; any language: the encoder is multilingual)
through the on-disk cache; `class_scores(vector)` gives each class the cosine of its nearest text
and `nearest(vector, count)` the closest texts, for `gdpr-bot ask --explain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.matcher.sentence_encoder import SentenceEncoder, cached_encode


class SemanticIndex:
    def __init__(self, labels: Sequence[str], texts: Sequence[str], vectors: np.ndarray):
        order = sorted(range(len(labels)), key=lambda i: labels[i])
        self.labels = [labels[i] for i in order]
        self.texts = [texts[i] for i in order]
        self.vectors = vectors[order] if len(order) else vectors
        # Each class's texts are contiguous: its best cosine is one reduceat over the block.
        self.classes = sorted(set(self.labels))
        self._starts = np.array([self.labels.index(label) for label in self.classes], dtype=int)

    @classmethod
    def build(
        cls, texts: Sequence[tuple[str, str]], encoder: SentenceEncoder, cache: Path
    ) -> SemanticIndex:
        vectors = cached_encode(encoder, [text for _, text in texts], cache)
        return cls([label for label, _ in texts], [text for _, text in texts], vectors)

    def class_scores(self, vector: np.ndarray) -> dict[str, float]:
        if not self.classes:
            return {}
        best = np.maximum.reduceat(self.vectors @ vector, self._starts)
        return dict(zip(self.classes, best.tolist(), strict=True))

    def nearest(self, vector: np.ndarray, count: int) -> list[tuple[float, str, str]]:
        """The `count` closest texts: (cosine, class, text)."""
        similarities = self.vectors @ vector
        top = np.argsort(-similarities)[:count]
        return [(float(similarities[i]), self.labels[i], self.texts[i]) for i in top]
