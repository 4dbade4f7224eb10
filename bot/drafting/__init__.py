"""Drafting: the objection (short text and full letter) and the complaint to the authority."""

from bot.drafting.complaint import ComplaintAnswers, ComplaintWriter
from bot.drafting.complaint_content import OUTCOMES, VIAS, ComplaintContent
from bot.drafting.letter import Draft, DraftAnswers, LetterWriter
from bot.drafting.letter_content import ACCOUNTS, LetterContent
from bot.drafting.limits import DETAIL_LIMIT, NAME_LIMIT
from bot.drafting.paper import Blank, Letter
from bot.drafting.pdf import letter_pdf

__all__ = [
    "ACCOUNTS",
    "DETAIL_LIMIT",
    "NAME_LIMIT",
    "OUTCOMES",
    "VIAS",
    "Blank",
    "ComplaintAnswers",
    "ComplaintContent",
    "ComplaintWriter",
    "Draft",
    "DraftAnswers",
    "Letter",
    "LetterContent",
    "LetterWriter",
    "letter_pdf",
]
