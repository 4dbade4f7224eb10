"""Drafting: the objection (short text and full letter) and the complaint to the authority."""

from bot.drafting.complaint import (
    OUTCOMES,
    VIAS,
    ComplaintAnswers,
    ComplaintContent,
    ComplaintWriter,
)
from bot.drafting.letter import DETAIL_LIMIT, NAME_LIMIT, Draft, DraftAnswers, LetterWriter
from bot.drafting.letter_content import LetterContent

__all__ = [
    "DETAIL_LIMIT",
    "NAME_LIMIT",
    "OUTCOMES",
    "VIAS",
    "ComplaintAnswers",
    "ComplaintContent",
    "ComplaintWriter",
    "Draft",
    "DraftAnswers",
    "LetterContent",
    "LetterWriter",
]
