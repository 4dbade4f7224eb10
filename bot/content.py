"""All content, loaded and checked once at start-up: the flow, the knowledge base, the letter, the catalogs."""

from __future__ import annotations

from dataclasses import dataclass

from bot.complaint import ComplaintContent, ComplaintWriter
from bot.errors import ContentError
from bot.flow import Flow
from bot.i18n import Catalogs
from bot.knowledge import Matcher
from bot.letter import LetterContent, LetterWriter
from bot.paths import ContentPaths
from bot.topics import KnowledgeBase


@dataclass(frozen=True)
class Content:
    flow: Flow
    knowledge: KnowledgeBase
    letters: LetterContent
    writer: LetterWriter
    complaints: ComplaintContent
    complaint_writer: ComplaintWriter
    catalogs: Catalogs
    matcher: Matcher

    @classmethod
    def load(cls, paths: ContentPaths, *, checked: bool = True) -> Content:
        """Load every file; with `checked`, refuse content that `gdpr-bot check` would reject."""
        knowledge = KnowledgeBase.load(paths.dialogues / "topics.yaml")
        letters = LetterContent.load(paths.dialogues / "letter.yaml")
        catalogs = Catalogs.load(paths.locales)
        complaints = ComplaintContent.load(paths.dialogues / "complaint.yaml")
        content = cls(
            flow=Flow.load(paths.dialogues / "flow.yaml"),
            knowledge=knowledge,
            letters=letters,
            writer=LetterWriter(letters, catalogs),
            complaints=complaints,
            complaint_writer=ComplaintWriter(complaints, letters, catalogs),
            catalogs=catalogs,
            matcher=Matcher.load(paths.dialogues / "questions.yaml", knowledge.topics),
        )
        if checked:
            from bot.check import content_problems

            problems = content_problems(content)
            if problems:
                raise ContentError("the content has problems:\n" + "\n".join(problems))
        return content
