"""The classifier over sentence embeddings, on made-up vectors whose classes are known."""

import numpy as np
import pytest

from bot.matcher.topic_classifier import TopicClassifier


def _clusters(seed: int, per_class: int = 20) -> tuple[list[str], np.ndarray]:
    """Three classes of noisy unit vectors around three directions of an 8-dimensional space."""
    generator = np.random.default_rng(seed)
    labels, rows = [], []
    for direction, label in enumerate(("complaint", "minors", "timeline")):
        centre = np.eye(8)[direction]
        for _ in range(per_class):
            row = centre + 0.3 * generator.standard_normal(8)
            rows.append(row / np.linalg.norm(row))
            labels.append(label)
    return labels, np.array(rows, dtype=np.float32)


def test_it_learns_which_class_a_new_vector_belongs_to():
    classifier = TopicClassifier.train(*_clusters(seed=1))
    labels, unseen = _clusters(seed=2)
    likely = classifier.probabilities(unseen)
    predicted = [classifier.classes[i] for i in likely.argmax(axis=1)]
    assert classifier.classes == ("complaint", "minors", "timeline")
    assert np.mean([p == t for p, t in zip(predicted, labels, strict=True)]) >= 0.95
    assert likely.sum(axis=1) == pytest.approx(np.ones(len(unseen)), abs=1e-5)


def test_the_same_data_always_gives_the_same_classifier():
    labels, vectors = _clusters(seed=3)
    first, second = TopicClassifier.train(labels, vectors), TopicClassifier.train(labels, vectors)
    assert np.array_equal(first.weights, second.weights)
    assert np.array_equal(first.bias, second.bias)
