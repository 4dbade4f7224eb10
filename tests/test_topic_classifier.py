"""The classifier over sentence embeddings, on made-up vectors whose classes are known, and how
the semantic index keeps it and trusts it."""

import numpy as np

from bot.matcher.semantic_index import SemanticIndex
from bot.matcher.topic_classifier import TopicClassifier

CLASSES = ("complaint", "minors", "timeline")


def _clusters(seed: int, per_class: int = 20) -> tuple[list[str], np.ndarray]:
    """Three classes of noisy unit vectors around three directions of an 8-dimensional space."""
    generator = np.random.default_rng(seed)
    labels, rows = [], []
    for direction, label in enumerate(CLASSES):
        for _ in range(per_class):
            row = np.eye(8)[direction] + 0.15 * generator.standard_normal(8)
            rows.append(row / np.linalg.norm(row))
            labels.append(label)
    return labels, np.array(rows, dtype=np.float32)


def test_it_learns_which_class_a_new_vector_belongs_to():
    classifier = TopicClassifier.train(*_clusters(seed=1))
    labels, unseen = _clusters(seed=2)
    likely = classifier.probabilities(unseen)
    predicted = [classifier.classes[i] for i in likely.argmax(axis=1)]
    assert classifier.classes == CLASSES
    assert np.mean([p == t for p, t in zip(predicted, labels, strict=True)]) >= 0.95


class _Encoder:
    """Stands in for the sentence encoder: each text is the vector it names."""

    name = "made-up"

    def __init__(self, vectors: dict[str, np.ndarray]):
        self.vectors = vectors

    def encode(self, texts):
        return np.array([self.vectors[text] for text in texts], dtype=np.float32)

    encode_in_bulk = encode  # what a first start calls for the matching data


def _index(labels, vectors, folder) -> SemanticIndex:
    texts = [f"text {i}" for i in range(len(labels))]
    encoder = _Encoder(dict(zip(texts, vectors, strict=True)))
    return SemanticIndex.build(list(zip(labels, texts, strict=True)), encoder, folder)


def test_the_classifier_counts_only_for_classes_near_the_message(tmp_path):
    index = _index(*_clusters(seed=3), tmp_path)
    message = np.eye(8)[1].astype(np.float32)  # right among the "minors" vectors
    assert max(index.learned_scores(message), key=index.learned_scores(message).get) == "minors"
    # Along a direction no class uses, every class is far: no probability is trusted.
    assert index.learned_scores(np.eye(8)[7].astype(np.float32)) == {}


def test_the_kept_classifier_is_trained_again_when_a_label_changes(tmp_path):
    labels, vectors = _clusters(seed=4)
    first = _index(labels, vectors, tmp_path).classifier
    again = _index(labels, vectors, tmp_path).classifier
    assert np.array_equal(first.weights, again.weights)  # read back from the cache folder
    relabelled = ["whatsapp" if label == "timeline" else label for label in labels]
    assert _index(relabelled, vectors, tmp_path).classifier.classes == (
        "complaint",
        "minors",
        "whatsapp",
    )


def test_no_text_means_no_classifier_and_no_probability(tmp_path):
    index = SemanticIndex.build([], _Encoder({}), tmp_path)
    assert index.classifier is None
    assert index.learned_scores(np.eye(8)[0].astype(np.float32)) == {}


def test_probabilities_are_in_the_classifier_s_class_order():
    labels, vectors = _clusters(seed=5)
    classifier = TopicClassifier.train(labels, vectors)
    likely = classifier.probabilities(vectors[:1])[0]  # the first vector is a "complaint" one
    assert classifier.classes[int(likely.argmax())] == "complaint"
