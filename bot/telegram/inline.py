"""Inline mode: someone types the bot's username in any chat and picks a card to post there.

A card is a topic's title, short answer and sources, with one button that opens the bot on that
topic in the card's language (a deep link). A question typed after the username puts the answer
the matcher finds first. Nothing is stored for an inline query. Telegram may cache the answer
(`cache_time`), per user, since the cards follow the language of the user's app.
"""

from __future__ import annotations

import dataclasses
import logging

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update

from bot.engine import Button, Reply, Session, StartLink
from bot.i18n import LANGUAGES, negotiate
from bot.telegram.render import render
from bot.telegram.services import BotServices

log = logging.getLogger(__name__)


class InlineCards:
    def __init__(self, services: BotServices):
        self.services = services

    async def answer(self, update: Update, _context) -> None:
        """The cards in the user's language; a query of just "en" or "fr" picks that language,
        and a question puts its answer first."""
        query = update.inline_query
        typed = query.query.strip()
        if typed.lower() in LANGUAGES:
            lang, typed = typed.lower(), ""
        else:
            lang = negotiate(query.from_user.language_code)
        await query.answer(
            self.results(lang, typed),
            cache_time=self.services.profile.inline_cache_time,
            is_personal=True,  # the cards depend on the user's language, not only on the query
        )
        log.info("inline query answered (%s)", lang)

    def results(self, lang: str, question: str = "") -> list[InlineQueryResultArticle]:
        topics = list(self.services.profile.inline_topics)
        if question:
            match = self.services.dialogue.content.matcher.match(question, lang)
            found = [topic for topic in (match.topic, *match.alternatives) if topic]
            topics = list(dict.fromkeys([*found, *topics]))
        return [self._card(topic, lang) for topic in topics]

    def _card(self, topic_id: str, lang: str) -> InlineQueryResultArticle:
        screens = self.services.dialogue.screens
        answer = screens.topic_reply(topic_id, Session("inline", "menu", lang), (), False, False)
        link = f"{screens.bot_link}?start={StartLink(lang, topic_id).payload}"
        label = self.services.profile.label("open_card", lang)
        card = dataclasses.replace(answer, buttons=((Button("url:open", label, link),),))
        [message] = render(card, copy_label="")  # a short answer: one message, checked by tests
        return InlineQueryResultArticle(
            id=f"{topic_id}.{lang}",
            title=answer.title,
            description=_first_line(answer),
            input_message_content=InputTextMessageContent(message.html),
            reply_markup=message.keyboard,
        )


def _first_line(reply: Reply) -> str:
    """The answer's first line, which answers the question on its own (topics.yaml's rule)."""
    return reply.text.split("\n", 1)[0]
