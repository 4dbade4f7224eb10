"""The question matcher: a typed message -> a topic id, an action, a few alternatives, or none."""

from bot.matcher.knowledge import Match, Matcher, Scores, explain_lines
from bot.matcher.sentence_encoder import load_in_background
from bot.matcher.word_analysis import words_of

__all__ = [
    "Match",
    "Matcher",
    "Scores",
    "explain_lines",
    "load_in_background",
    "words_of",
]
