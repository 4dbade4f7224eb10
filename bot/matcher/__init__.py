"""The question matcher: a typed message -> a topic id, an action, a few alternatives, or none.

Each name below is imported from its module on first use (PEP 562): `gdpr-bot` starts loading the
sentence encoder as soon as numpy and the encoder's module are imported, without waiting for the
rest of the matcher's modules (a warm start was 30-55 ms faster for it).
"""

from bot.lazy_names import names_getter

_MODULE_OF = {
    "Match": "knowledge",
    "Matcher": "knowledge",
    "Scores": "knowledge",
    "explain_lines": "knowledge",
    "load_in_background": "sentence_encoder",
    "words_of": "word_analysis",
}
__all__ = sorted(_MODULE_OF)

__getattr__ = names_getter(__name__, _MODULE_OF)
