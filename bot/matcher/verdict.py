"""From class scores and what a message is about to the matcher's verdict: a topic, or none.

Contract: `decide(scores, evidence)` returns a Match with a topic, or with no topic and at most three
alternatives (never both). A message is left unanswered when it is about another organisation, is
an everyday chore or a task on an account, is explained better by an out-of-scope example, or
scores too low.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.matcher.example_index import ClassScore
from bot.matcher.question_data import DOMAIN, ELSEWHERE, HINT, OFF_DOMAIN, TASK

OUT_OF_SCOPE = "<out of scope>"  # the class of the out_of_scope examples; never returned

# Tuned on tests/data/dev_questions.yaml; bench/bench_ask.py prints the resulting figures.
ACCEPT = 0.22  # the best topic's score needed for an answer
# A message with no domain nor hint word ("What about Canada?") must match an example more closely.
ACCEPT_WITHOUT_DOMAIN = 0.3
SUGGEST = 0.15  # below ACCEPT, topics scoring this much are offered as alternatives
TIE = 0.02  # shares of the message this close count as equal
# How much closer (cosine) an out-of-scope example must be to win a tie against a topic when the
# message names Meta and the bot's subject.
ON_SUBJECT_MARGIN = 0.1


@dataclass(frozen=True)
class Match:
    """The matcher's verdict: a topic to answer, or none with a few alternatives to offer."""

    topic: str | None
    alternatives: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class Evidence:
    """What a message is about, beyond its similarity to the examples."""

    roles: frozenset[str]  # roles of its concepts (bot.question_data.ROLES)
    names_meta: bool  # it names Meta or one of its services
    names_other_service: bool  # it names another company's service
    # It is nothing but service names or numbers ("Facebook?", "Meta AI", "12"): it asks nothing yet.
    names_or_numbers_only: bool = False


def decide(scores: Mapping[str, ClassScore], evidence: Evidence) -> Match:
    """The topic to answer, or none with up to three alternatives."""
    ranked = sorted(
        ((score.overall, label) for label, score in scores.items() if label != OUT_OF_SCOPE),
        reverse=True,
    )
    if not ranked or _about_someone_else(evidence) or _a_chore(evidence):
        return Match(None, (), 0.0)
    best, topic = ranked[0]
    off_topic = scores.get(OUT_OF_SCOPE)
    if off_topic and _closer_to_off_topic(off_topic, scores[topic], _on_subject(evidence)):
        return Match(None, (), round(best, 4))
    threshold = ACCEPT if evidence.roles & {DOMAIN, HINT} else ACCEPT_WITHOUT_DOMAIN
    if best >= threshold and not (evidence.names_or_numbers_only and DOMAIN not in evidence.roles):
        return Match(topic, (), round(best, 4))
    # A bare name or number asks nothing yet: offer what is plausible rather than guess.
    alternatives = tuple(label for value, label in ranked[:3] if value >= SUGGEST)
    return Match(None, alternatives, round(best, 4))


def _about_someone_else(evidence: Evidence) -> bool:
    """A message naming another company or organisation, unless it is also about Meta's AI
    ("Can my employer see my objection?"): "Can the police read my Facebook messages?" is not."""
    elsewhere = evidence.names_other_service or ELSEWHERE in evidence.roles
    return elsewhere and not _on_subject(evidence)


def _a_chore(evidence: Evidence) -> bool:
    """An everyday chore or subject ("reset my password") with no word of the bot's subject, or
    a task on an account or app ("change my email") with not even a hint of it."""
    if OFF_DOMAIN in evidence.roles:
        return DOMAIN not in evidence.roles
    return TASK in evidence.roles and not evidence.roles & {DOMAIN, HINT}


def _on_subject(evidence: Evidence) -> bool:
    """It names Meta and uses a word of the bot's subject ("Meta's AI", "object to Meta")."""
    return evidence.names_meta and DOMAIN in evidence.roles


def _closer_to_off_topic(off_topic: ClassScore, topic: ClassScore, on_subject: bool) -> bool:
    """Whether an out-of-scope example explains more of the message than the topic does.

    A near miss ("delete my Facebook account") shares the topic's words; when both explain about
    as much, the example closer to the whole message (cosine) decides. When the message is plainly
    on the bot's subject, a generic example ("how does AI work") must be clearly closer.
    """
    lead = off_topic.explained - topic.explained
    if abs(lead) > TIE:
        return lead > 0
    return off_topic.nearest >= topic.nearest + (ON_SUBJECT_MARGIN if on_subject else 0.0)
