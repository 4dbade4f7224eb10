"""All content, loaded and checked once at start-up: the flow, the knowledge base, the letter, the catalogs."""

from __future__ import annotations

import gc
from dataclasses import dataclass

from bot.disk_cache import no_collection
from bot.drafting import ComplaintContent, ComplaintWriter, LetterContent, LetterWriter
from bot.engine.flow import Flow
from bot.engine.news import News
from bot.engine.topics import KnowledgeBase
from bot.i18n import LANGUAGES, Catalogs
from bot.matcher import Matcher
from bot.paths import ContentPaths


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
    news: News

    @classmethod
    def load(cls, paths: ContentPaths) -> Content:
        """Load every file, raising ContentError on the first one that cannot be read.

        Cross-file problems (unknown topics, missing translations...) are `bot.engine.check`'s job."""
        # Loading makes hundreds of thousands of objects that live as long as the process
        # (indexes, embeddings, catalogs): the collector, run meanwhile, only walked them again and
        # again (a tenth of a warm `gdpr-bot ask`). Frozen afterwards, later collections in a
        # long-running bot skip them too; a collection first would cost what the pause saved, so
        # the few cycles made while loading, if any, stay.
        with no_collection():
            content = cls._read(paths)
        gc.freeze()
        return content

    @classmethod
    def _read(cls, paths: ContentPaths) -> Content:
        knowledge = KnowledgeBase.load(paths.dialogues / "topics.yaml")
        letters = LetterContent.load(paths.dialogues / "letter.yaml")
        catalogs = Catalogs.load(paths.locales)
        complaints = ComplaintContent.load(paths.dialogues / "complaint.yaml")
        return cls(
            flow=Flow.load(paths.dialogues / "flow.yaml"),
            knowledge=knowledge,
            letters=letters,
            writer=LetterWriter(letters, catalogs),
            complaints=complaints,
            complaint_writer=ComplaintWriter(complaints, letters, catalogs),
            catalogs=catalogs,
            matcher=Matcher.load(
                paths.dialogues / "questions.yaml",
                knowledge.topics,
                topic_texts={
                    lang: knowledge.descriptions(catalogs.translator(lang)) for lang in LANGUAGES
                },
                voices=paths.dialogues / "voices",
            ),
            news=News.load(paths.dialogues / "alerts.yaml"),
        )
