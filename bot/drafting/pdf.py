"""The printable letter: a Letter laid out on A4 in DejaVu Serif, as PDF bytes.

The font ships in bot/drafting/fonts/ (with its licence) and carries every character the letters
use, French accents, ’, « », the no-break space and the narrow one (U+202F) included.
"""

from __future__ import annotations

from pathlib import Path

from bot.drafting.paper import Blank, Letter

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSerif"
SIZE = 10.5  # points
LINE = 5.0  # mm between lines of a paragraph
GAP = 2.6  # mm after a paragraph
MARGIN = 22  # mm on every side
SIGNING_SPACE = 16  # mm left blank above the signature line
RULE = 70  # mm, the length of the signature line


def letter_pdf(letter: Letter) -> bytes:
    """The letter as a PDF document: A4, one column, its title and language in its properties."""
    # fpdf and Pillow take about half a second to import: only printing pays for them.
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_font(FAMILY, "", FONTS / "DejaVuSerif.ttf")
    pdf.set_title(letter.title)
    pdf.set_lang(letter.lang)
    pdf.set_creator("gdpr-bot")
    pdf.add_page()
    pdf.set_font(FAMILY, size=SIZE)
    for block in letter.blocks:
        if isinstance(block, Blank) and block.signature:
            _signature(pdf, block)
        elif isinstance(block, Blank):
            _field(pdf, block)
        else:
            pdf.multi_cell(0, LINE, block, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(GAP)
    return bytes(pdf.output())


def _field(pdf, blank: Blank) -> None:
    """The label, then a ruled line to the right margin to write on."""
    pdf.cell(pdf.get_string_width(blank.label) + 2, LINE, blank.label)
    y = pdf.get_y() + LINE - 0.8
    pdf.line(pdf.get_x(), y, pdf.w - pdf.r_margin, y)
    pdf.ln(LINE)


def _signature(pdf, blank: Blank) -> None:
    """Room to sign, a line, and the name (or what to write there) under it."""
    if pdf.will_page_break(SIGNING_SPACE + 2 * LINE):
        pdf.add_page()
    pdf.ln(SIGNING_SPACE)
    y = pdf.get_y()
    pdf.line(pdf.l_margin, y, pdf.l_margin + RULE, y)
    pdf.ln(1)
    pdf.multi_cell(RULE, LINE, blank.label, new_x="LMARGIN", new_y="NEXT")
