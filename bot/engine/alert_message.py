"""A news alert as a Reply: the note's date, its text, the line on how to stop, and two buttons (the
answer it affects, and stop the alerts). Buttons carry the flow's version like any other."""

from __future__ import annotations

from bot.engine.buttons import ButtonId
from bot.engine.content import Content
from bot.engine.model import Button, Reply
from bot.engine.news import Note

STOP = ButtonId(ButtonId.UNSUBSCRIBE)


def alert_reply(content: Content, note: Note, lang: str) -> Reply:
    _ = content.catalogs.translator(lang)
    topic = ButtonId.topic(note.topic)
    version = content.flow.version
    return Reply(
        title=_.date(note.date),
        text=f"{_(note.text).strip()}\n\n{_(content.news.stop).strip()}",
        buttons=(
            (Button(topic.callback_data(version), _(content.knowledge.topics[note.topic].title)),),
            (Button(STOP.callback_data(version), _(content.flow.labels[STOP])),),
        ),
    )
