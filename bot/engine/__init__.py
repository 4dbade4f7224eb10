"""The dialogue engine: content loading, the shared state machine, screens, sessions and their store.

Adapters give it an `Event` and a user key through a `Conversation` and render the `Reply` values back."""

from bot.engine.alert_message import alert_reply
from bot.engine.async_store import (
    POSTGRESQL_SCHEMES,
    AsyncStore,
    InProcess,
    is_postgresql_url,
    open_async_store,
)
from bot.engine.buttons import ButtonId
from bot.engine.check import content_problems, load_checked
from bot.engine.content import Content
from bot.engine.conversation import Conversation
from bot.engine.diagram import mermaid
from bot.engine.dialogue import Dialogue, StepResult
from bot.engine.flow import Flow
from bot.engine.model import (
    Attachment,
    Button,
    CopyBlock,
    Event,
    Reply,
    Session,
    Source,
    Subscription,
)
from bot.engine.reminders import deliver_due
from bot.engine.start_links import StartLink
from bot.engine.store import Change, MemoryStore, SQLiteStore, Store, open_store
from bot.engine.topics import SHORT_ANSWER_LIMIT, KnowledgeBase

__all__ = [
    "POSTGRESQL_SCHEMES",
    "SHORT_ANSWER_LIMIT",
    "AsyncStore",
    "Attachment",
    "Button",
    "ButtonId",
    "Change",
    "Content",
    "Conversation",
    "CopyBlock",
    "Dialogue",
    "Event",
    "Flow",
    "InProcess",
    "KnowledgeBase",
    "MemoryStore",
    "Reply",
    "SQLiteStore",
    "Session",
    "Source",
    "StartLink",
    "StepResult",
    "Store",
    "Subscription",
    "alert_reply",
    "content_problems",
    "deliver_due",
    "is_postgresql_url",
    "load_checked",
    "mermaid",
    "open_async_store",
    "open_store",
]
