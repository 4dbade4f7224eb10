"""Where the content lives: next to the package in a checkout, overridable for tests and editors."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ContentPaths:
    dialogues: Path
    locales: Path

    @classmethod
    def from_environment(cls) -> ContentPaths:
        """GDPR_BOT_CONTENT points at a folder holding dialogues/ and locales/ (default: the checkout)."""
        root = Path(os.environ.get("GDPR_BOT_CONTENT", PROJECT_ROOT))
        return cls(dialogues=root / "dialogues", locales=root / "locales")
