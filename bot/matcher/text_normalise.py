"""Turn anything a user may type into plain lowercase ASCII words, in bounded time.

Contract: every function here accepts any `str` (emoji, HTML, control characters, lone surrogates,
megabytes of text) and never raises. Work is bounded because only the head and the tail of a long
message are kept: people who write a lot usually give context first and ask last.
"""

from __future__ import annotations

import html
import re
import unicodedata

HEAD_CHARS = 400
TAIL_CHARS = 800

_TAG = re.compile(r"<[^<>]{0,300}>")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_NOT_A_WORD = re.compile(r"[^a-z0-9]+")
# Emoji are "other symbols" to Unicode. What may come with them adds nothing to what they say:
# skin tones (modifier symbols), the variation selector and the zero-width joiner that glue a
# sequence ("❤️", "👨‍👩‍👧"; non-spacing marks and format characters), and punctuation ("👍!").
# Broad on purpose: a message of these alone has no word either way, and only the emoji listed as
# acknowledgements make it small talk.
_PICTOGRAPH = "So"
_BESIDE_PICTOGRAPHS = ("Sk", "Mn", "Cf", "Po", "Pd", "Zs")
# Letters that Unicode decomposition keeps whole; spelled out so that "cœur" stays a word.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})


def bounded(text: str) -> str:
    """Keep the first HEAD_CHARS and the last TAIL_CHARS characters of a long message."""
    if len(text) <= HEAD_CHARS + TAIL_CHARS:
        return text
    return text[:HEAD_CHARS] + "\n" + text[-TAIL_CHARS:]


def fold(text: str) -> str:
    """Bounded, tag-free, casefolded text without accents; sentence punctuation is kept."""
    text = _TAG.sub(" ", bounded(text))
    text = _URL.sub(" ", html.unescape(text))
    text = text.casefold().translate(_LIGATURES)
    if not text.isascii():
        # Decomposition splits "é" into "e" + accent; the ASCII encoder then drops the accent,
        # emoji, control characters and anything else that cannot be part of a word here.
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return text


def sentences(folded: str) -> list[str]:
    """Split folded text at sentence punctuation and line breaks; empty pieces are dropped."""
    return [piece for piece in _SENTENCE_END.split(folded) if piece.strip()]


def words(folded: str) -> list[str]:
    """Split folded text into words; apostrophes and hyphens separate ("l'ia" -> "l", "ia")."""
    return [word for word in _NOT_A_WORD.split(folded) if word]


def pictographs(text: str) -> frozenset[str] | None:
    """The emoji (or other pictographs) of a message made of nothing else, skin tones and
    punctuation aside ("👍🏽!" -> {"👍"}); None when it has anything more, or none."""
    found = set()
    for char in bounded(text):
        kind = unicodedata.category(char)
        if kind == _PICTOGRAPH:
            found.add(char)
        elif kind not in _BESIDE_PICTOGRAPHS and not char.isspace():
            return None
    return frozenset(found) or None


def has_accents(text: str) -> bool:
    """Whether the raw text carries French diacritics (a hint for language detection)."""
    return any(char in "éèêàâçùûîïôëœ" for char in text[: HEAD_CHARS + TAIL_CHARS].casefold())
