"""One short coroutine per kind of update: each turns it into an Event for the dialogue, or answers
it directly (groups, errors). The session is saved inside Conversation.handle, before any reply.

Log lines carry update ids, event kinds and states: never what a user wrote, their name or a letter.
"""

from __future__ import annotations

import logging

from telegram import Bot, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.engine import Event, Reply, StepResult
from bot.i18n import negotiate
from bot.telegram.delivery import send_replies, show_in_place
from bot.telegram.logs import where
from bot.telegram.profile import drop_chat_menu, set_chat_menu
from bot.telegram.services import BotServices

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE


def session_key(user: User) -> str:
    return f"tg:{user.id}"


class Handlers:
    def __init__(self, services: BotServices):
        self.services = services

    # Private chats

    async def start(self, update: Update, context: Context) -> None:
        """/start, with the deep-link payload if any (t.me/<bot>?start=fr)."""
        payload = context.args[0] if context.args else ""
        await self._converse(update, context, Event("start", payload))

    async def command(self, update: Update, context: Context) -> None:
        """Every other /command, known or not: the dialogue knows which ones it has."""
        name = update.message.text.split(maxsplit=1)[0][1:].split("@", 1)[0]
        await self._converse(update, context, Event("command", name))

    async def text(self, update: Update, context: Context) -> None:
        await self._converse(update, context, Event("typed", update.message.text))

    async def unsupported(self, update: Update, context: Context) -> None:
        """Stickers, photos, voice and the like: the dialogue says what it can read."""
        await self._converse(update, context, Event("unsupported"))

    async def button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        try:
            await query.answer()  # first, whatever follows: it stops the spinner on the button
        except BadRequest:  # pressed long ago (e.g. while the bot was down): handle it anyway
            log.info("update %s: callback query too old to answer", update.update_id)
        message = query.message
        if message is not None and message.chat.type != ChatType.PRIVATE:
            return
        outcome = await self._step(update, query.from_user, Event("pressed", query.data or ""))
        label = self._copy_label(outcome)
        if isinstance(message, Message):
            await show_in_place(message, outcome.replies, label)
        else:  # too old to be shown to the bot: answer below instead
            await send_replies(context.bot, query.from_user.id, outcome.replies, label)
        await self._update_menu(context.bot, query.from_user.id, outcome)

    # Groups

    async def group(self, update: Update, context: Context) -> None:
        """/start or /help in a group: invite to a private chat, and store nothing."""
        lang = negotiate(update.effective_user.language_code if update.effective_user else None)
        text = self.services.translate(self.services.dialogue.flow.messages["group"], lang)
        await send_replies(context.bot, update.effective_chat.id, (Reply(text=text),), "")
        self.services.observer.updates.labels("group").inc()
        log.info("update %s: group invitation", update.update_id)

    # Jobs and errors

    async def purge_expired(self, context: Context) -> None:
        await self.services.purge_expired()

    async def send_reminders(self, context: Context) -> None:
        """The reminders due today; each session is saved before its message goes out."""
        async for user, outcome in self.services.due_reminders():
            chat_id = int(user.removeprefix("tg:"))
            try:
                await send_replies(context.bot, chat_id, outcome.replies, self._copy_label(outcome))
                self.services.observer.reminders_sent.inc()
                log.info("reminder sent -> %s", outcome.session.state)
            except TelegramError as error:  # e.g. the user blocked the bot since
                log.warning("reminder not sent: %s", type(error).__name__)

    async def error(self, update: object, context: Context) -> None:
        """Log the error's type, where it happened and the update id; apologise in private chats,
        in the session's language. Nothing may escape from here: PTB would log it with its text."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else "-"
        log.error("update %s failed: %s at %s", update_id, type(error).__name__, where(error))
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None or chat.type != ChatType.PRIVATE:
            return
        try:
            lang = await self._language_of(update.effective_user)
            apology = Reply(text=self.services.profile.message("error", lang))
            await send_replies(context.bot, chat.id, (apology,), "")
        except Exception as second:  # the last guard: log the type, go on
            log.error("update %s: apology not sent: %s", update_id, type(second).__name__)

    # Helpers

    async def _converse(self, update: Update, context: Context, event: Event) -> None:
        outcome = await self._step(update, update.effective_user, event)
        chat_id = update.effective_chat.id
        await send_replies(context.bot, chat_id, outcome.replies, self._copy_label(outcome))
        await self._update_menu(context.bot, chat_id, outcome)

    async def _step(self, update: Update, user: User, event: Event) -> StepResult:
        outcome = await self.services.handle(
            session_key(user), event, user.language_code, update.update_id
        )
        self.services.observer.updates.labels(event.kind).inc()
        if outcome.replayed:
            log.info("update %s: applied before a restart; step shown again", update.update_id)
            return outcome
        state = "erased" if outcome.erase else outcome.session.state
        log.info("update %s: %s -> %s", update.update_id, event.kind, state)
        return outcome

    async def _update_menu(self, bot: Bot, chat_id: int, outcome: StepResult) -> None:
        """After /forget, drop the chat's own menu; after a language switch, show it anew."""
        try:
            if outcome.erase:
                await drop_chat_menu(bot, chat_id)
            elif outcome.language_changed:
                await set_chat_menu(bot, chat_id, outcome.session.lang, self.services.profile)
        except TelegramError as error:
            log.warning("chat menu not updated: %s", type(error).__name__)

    async def _language_of(self, user: User | None) -> str:
        """The language the user reads the bot in: their session's, else their app's."""
        chosen = await self.services.language_of(session_key(user)) if user else None
        return chosen or negotiate(user.language_code if user else None)

    def _copy_label(self, outcome: StepResult) -> str:
        return self.services.profile.label("copy_short", outcome.session.lang)
