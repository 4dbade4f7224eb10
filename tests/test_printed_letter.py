"""The printable letter and complaint: `gdpr-bot draft --pdf`, read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from bot.drafting import Blank, DraftAnswers, LetterContent, LetterWriter, letter_pdf
from bot.env import ExitStatus
from bot.i18n import Catalogs
from bot.paths import ContentPaths
from tests.support.chat import run_cli
from tests.support.printed import flat, pdf_pages

PATHS = ContentPaths.from_environment()
A4_POINTS = (595.28, 841.89)
OBJECTION = ("--account", "facebook", "--ground", "children", "--country", "FR")
COMPLAINT = ("--kind", "complaint", "--objected-via", "form", "--outcome", "no_answer",
             "--sent-on", "2026-09-01", "--country", "FR")  # fmt: skip


@pytest.fixture(scope="module")
def writer():
    return LetterWriter(
        LetterContent.load(PATHS.dialogues / "letter.yaml"), Catalogs.load(PATHS.locales)
    )


def drafted(tmp_path, lang: str, *argv: str) -> tuple[str, bytes]:
    """The letter `gdpr-bot draft --json` prints, and the PDF the same call writes."""
    path = tmp_path / "letter.pdf"
    status, out, err = run_cli("draft", "--lang", lang, *argv, "--json", "--pdf", str(path))
    assert status == ExitStatus.OK, err
    return json.loads(out)["letter"], path.read_bytes()


def paragraphs(letter: str) -> list[str]:
    """The letter's paragraphs, except the blanks to fill in by hand (underscores)."""
    return [flat(p) for p in letter.split("\n\n") if "__" not in p]


@pytest.mark.parametrize("kind", [OBJECTION, COMPLAINT], ids=["objection", "complaint"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_typical_letter_prints_on_one_a4_page_with_all_its_text(tmp_path, kind, lang):
    letter, pdf = drafted(tmp_path, lang, *kind, "--name", "Camille Martin")
    [page] = pdf_pages(pdf)
    assert all(paragraph in page for paragraph in paragraphs(letter))
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4_POINTS
    assert flat(letter.split("\n\n")[1 if kind == OBJECTION else 0]) in page  # the date line
    assert page.endswith("Camille Martin")  # the signature block closes the page


@pytest.mark.parametrize("kind", [OBJECTION, COMPLAINT], ids=["objection", "complaint"])
def test_the_printed_letter_leaves_lines_to_write_on_not_placeholder_text(tmp_path, kind):
    letter, pdf = drafted(tmp_path, "en", *kind)
    assert "____" in letter  # the .txt keeps its marked blanks
    page = " ".join(pdf_pages(pdf))
    assert "__" not in page and "to fill in" not in page
    assert "Name and signature" in page


def test_french_typography_survives_printing(tmp_path):
    _letter, pdf = drafted(tmp_path, "fr", *COMPLAINT, "--detail", "Pourquoi mes photos\u202f?")
    page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for character in ("’", "«", "»", "é", "à", "\u202f"):
        assert character in page, repr(character)
    # The no-break spaces hold: no line starts with the sign they bind to the word before.
    assert not [line for line in page.splitlines() if line.lstrip()[:1] in (":", ";", "?", "»")]
    fonts = {str(font) for font in _fonts(PdfReader(io.BytesIO(pdf)))}
    assert any("DejaVuSerif" in font for font in fonts), fonts  # embedded, not a stock font


def _fonts(reader: PdfReader):
    resources = reader.pages[0]["/Resources"]["/Font"]
    return [resources[name].get_object()["/BaseFont"] for name in resources]


def test_the_narrow_no_break_space_has_a_glyph_in_the_font():
    from fontTools.ttLib import TTFont

    from bot.drafting.pdf import FONTS

    cmap = TTFont(FONTS / "DejaVuSerif.ttf").getBestCmap()
    assert all(ord(c) in cmap for c in "\u202f\u00a0’«»éèàçœÉÀ“”łŁßøå")
    assert (FONTS / "LICENSE").read_text().startswith("DejaVuSerif.ttf")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_longest_letter_still_prints_whole(writer, lang):
    answers = DraftAnswers(
        accounts=("facebook", "instagram"),
        grounds=tuple(ground.id for ground in writer.content.grounds),
        detail=("My former partner still looks me up online. " * 12)[:500].strip(),
        name="Camille Martin",
        lang=lang,
    )
    draft = writer.compose(answers, dt.date(2026, 12, 1))
    pages = pdf_pages(letter_pdf(draft.document))
    assert len(pages) <= 2
    text = " ".join(pages)
    assert all(paragraph in text for paragraph in paragraphs(draft.letter))
    assert not any(isinstance(b, Blank) and "__" in b.label for b in draft.document.blocks)


def test_a_pdf_that_cannot_be_written_is_a_clear_error(tmp_path):
    target = tmp_path / "missing-folder" / "letter.pdf"
    status, _out, err = run_cli("draft", *OBJECTION, "--pdf", str(target))
    assert status == ExitStatus.ERROR
    assert "missing-folder" in err and "--pdf" in err
