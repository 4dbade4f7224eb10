"""Reading a printed letter back: the PDF parsed by pypdf, one string per page."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, with runs of spaces (justified lines) and line breaks made single spaces."""
    reader = PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def flat(text: str) -> str:
    """A text as pdf_pages gives it: every run of whitespace, the no-break ones included, one space."""
    return " ".join(text.split())
