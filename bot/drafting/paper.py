"""A letter as blocks, so that one text serves both the .txt file and the printed page.

Most blocks are paragraphs. A `Blank` is what the writer leaves to the user's hand: the account
line when the user did not give it, and the signature. In the .txt it is a line of underscores with
a note; on paper it is a label and a ruled line, so the printout carries no placeholder text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Blank:
    """`text` in the plain letter; on paper, `label` beside a line to write on (or, for the
    signature, under the space where the user signs)."""

    text: str
    label: str
    signature: bool = False


@dataclass(frozen=True)
class Letter:
    """The letter's blocks in order, in language `lang`; `title` (its subject line) names the
    printed document."""

    blocks: tuple[str | Blank, ...]
    lang: str
    title: str

    @property
    def text(self) -> str:
        """The plain letter, paragraphs separated by a blank line."""
        return "\n\n".join(
            block.text if isinstance(block, Blank) else block for block in self.blocks
        )
