"""A linear classifier over sentence embeddings: how likely each class is, given a message.

Contract: `TopicClassifier.train(labels, vectors)` learns one weight vector per class from the
embeddings of the matching data (softmax regression on standardised dimensions, with an L2
penalty); `probabilities(vectors)` gives each row's probability of every class, in `classes`
order. Nearest-example voting listens to the single closest example, so it follows whoever wrote
that example; the classifier weighs all of a class's phrasings at once, and that is what carried
over to new voices on the tuning sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.matcher import tuning

# Adam's usual moment decays; the step size and the number of full passes are in tuning.
FIRST_MOMENT, SECOND_MOMENT = 0.9, 0.999


@dataclass(frozen=True)
class TopicClassifier:
    classes: tuple[str, ...]
    centre: np.ndarray  # per dimension: the training rows' mean...
    spread: np.ndarray  # ...and standard deviation, to standardise a row
    weights: np.ndarray  # dimensions x classes
    bias: np.ndarray

    @classmethod
    def train(cls, labels: Sequence[str], vectors: np.ndarray) -> TopicClassifier:
        classes = tuple(sorted(set(labels)))
        vectors = np.asarray(vectors, dtype=np.float32)
        centre = vectors.mean(axis=0)
        spread = np.maximum(vectors.std(axis=0), 1e-6)
        rows = vectors - centre
        rows /= spread  # in place: one 13 MB copy fewer at a first start's memory peak
        position = {label: i for i, label in enumerate(classes)}
        truth = np.eye(len(classes), dtype=np.float32)[[position[label] for label in labels]]
        weights = np.zeros((rows.shape[1], len(classes)), dtype=np.float32)
        bias = np.zeros(len(classes), dtype=np.float32)
        # Full-batch gradient descent from zero: the same data always gives the same weights.
        moments = [(np.zeros_like(p), np.zeros_like(p)) for p in (weights, bias)]
        for step in range(1, tuning.LEARNED_PASSES + 1):
            error = (_softmax(rows @ weights + bias) - truth) / len(rows)
            gradients = (rows.T @ error + tuning.LEARNED_PENALTY * weights, error.sum(axis=0))
            for parameter, gradient, (mean, square) in zip(
                (weights, bias), gradients, moments, strict=True
            ):
                mean += (1 - FIRST_MOMENT) * (gradient - mean)
                square += (1 - SECOND_MOMENT) * (gradient * gradient - square)
                corrected = mean / (1 - FIRST_MOMENT**step)
                scale = np.sqrt(square / (1 - SECOND_MOMENT**step)) + 1e-8
                parameter -= tuning.LEARNED_STEP * corrected / scale
        return cls(classes, centre, spread, weights, bias)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        rows = (np.asarray(vectors, dtype=np.float32) - self.centre) / self.spread
        return _softmax(rows @ self.weights + self.bias)


def _softmax(logits: np.ndarray) -> np.ndarray:
    exponentials = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=-1, keepdims=True)
