"""The question matcher: a typed question -> a topic id, a few alternatives, or none."""

from bot.matcher.knowledge import Match, Matcher

__all__ = ["Match", "Matcher"]
