"""Wiring: the PTB Application, its handlers, lifecycle hooks and purge job, and how it runs."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import signal
import time

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from tornado.httpserver import HTTPServer

from bot.telegram.handlers import Handlers
from bot.telegram.inline import InlineCards
from bot.telegram.observe import ACTIVE, ObservedRequest
from bot.telegram.ordering import OneUserAtATime
from bot.telegram.profile import register_profile
from bot.telegram.retries import RetryingRateLimiter
from bot.telegram.services import BotServices
from bot.telegram.settings import Settings, Webhook
from bot.telegram.web import Health, serve

log = logging.getLogger(__name__)

# Only what the bot uses: edited messages, reactions, channel posts... are never even received.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
PURGE_EVERY = dt.timedelta(hours=1)
REMINDERS_FIRST_CHECK = dt.timedelta(seconds=1)
RETRIES_AFTER_FLOOD = 3  # RetryAfter answers the rate limiter waits out before giving up
CONNECTIONS = 256  # to the Bot API at once: PTB's default, and as many updates handled at once

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE  # new messages, never edits
GROUPS = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
UNSUPPORTED = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VOICE
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.AUDIO
    | filters.Document.ALL
    | filters.ANIMATION
    | filters.LOCATION
    | filters.VENUE
    | filters.CONTACT
    | filters.POLL
    | filters.Dice.ALL
    | filters.STORY
)


def build_application(settings: Settings, services: BotServices) -> Application:
    async def opened(application: Application) -> None:
        await services.open()
        await services.purge_expired()  # at once; then every PURGE_EVERY (the job's first run)
        # Share links open this very bot: its username is known once get_me has run, and so is
        # whether inline mode is on (@BotFather's /setinline), which the share button then uses.
        services.dialogue.screens.bot_link = f"https://t.me/{application.bot.username}"
        services.dialogue.screens.inline_sharing = application.bot.supports_inline_queries
        try:  # cosmetic: a self-hosted Bot API server may refuse it, and the bot works without
            await register_profile(application.bot, services.profile)
            log.info("store open, commands and descriptions registered")
        except TelegramError as error:
            log.warning("store open; commands and descriptions not set: %s", type(error).__name__)
        if settings.webhook is None and settings.metrics_port:
            web.append(
                serve_endpoints(application, services, settings.listen, settings.metrics_port)
            )

    async def closed(application: Application) -> None:
        for server in web:
            server.stop()
        await services.close()
        log.info("store closed")

    web = []  # the HTTP server of polling mode, when it has one

    application = (
        ApplicationBuilder()
        .token(settings.token)
        .request(ObservedRequest(services.observer, connection_pool_size=CONNECTIONS))
        .get_updates_request(ObservedRequest(services.observer))
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        # Every text is HTML built by render.py; link previews would repeat the cited sources.
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(
            RetryingRateLimiter(
                services.observer,
                overall_max_rate=settings.max_messages_per_second,
                max_retries=RETRIES_AFTER_FLOOD,
            )
        )
        # Users concurrently, each user's updates one at a time and in order: a double tap finds
        # the step already moved on. The store is used between awaits only, never across one.
        .concurrent_updates(OneUserAtATime(services.observer, CONNECTIONS))
        .post_init(opened)
        .post_shutdown(closed)
        .build()
    )
    handlers = Handlers(services)
    # Order matters: in one group the first matching handler wins. Groups get only the invitation;
    # /start comes before the catch-all for commands, and commands before plain text.
    application.add_handlers(
        [
            CommandHandler(["start", "help"], handlers.group, filters=GROUPS),
            CommandHandler("start", handlers.start, filters=PRIVATE),
            MessageHandler(PRIVATE & filters.COMMAND, handlers.command),
            MessageHandler(PRIVATE & filters.TEXT, handlers.text),
            MessageHandler(PRIVATE & UNSUPPORTED, handlers.unsupported),
            CallbackQueryHandler(handlers.button),
            InlineQueryHandler(InlineCards(services).answer),
        ]
    )
    application.add_error_handler(handlers.error)
    application.job_queue.run_repeating(
        handlers.purge_expired, interval=PURGE_EVERY, first=PURGE_EVERY, name="purge"
    )
    # Reminders live in the store, so a restart loses none: each run sends whatever is due.
    application.job_queue.run_repeating(
        handlers.send_reminders,
        interval=settings.reminder_check,
        first=REMINDERS_FIRST_CHECK,
        name="reminders",
    )
    return application


def run_application(application: Application, settings: Settings, services: BotServices) -> None:
    """Poll, or serve the webhook, until SIGINT or SIGTERM; post_shutdown closes the store."""
    if settings.webhook is None:
        log.info("starting: long polling")
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
        return
    asyncio.run(_serve_webhook(application, settings, services))


async def _serve_webhook(
    application: Application, settings: Settings, services: BotServices
) -> None:
    """PTB's run_webhook, with our own server (bot/telegram/web.py) in place of PTB's."""
    hook = settings.webhook
    stopping = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stopping.set)
    try:
        await application.initialize()
        await application.post_init(application)
        await application.bot.set_webhook(
            hook.url, secret_token=hook.secret, allowed_updates=ALLOWED_UPDATES
        )
        await application.start()
        server = serve_endpoints(application, services, hook.listen, hook.port, hook)
        log.info(
            "starting: webhook server on %s:%d; secret token set%s",
            hook.listen,
            hook.port,
            " (generated)" if hook.secret_generated else "",
        )
        await stopping.wait()
        server.stop()
        await application.stop()
    finally:
        await application.shutdown()
        await application.post_shutdown(application)


def serve_endpoints(
    application: Application,
    services: BotServices,
    listen: str,
    port: int,
    hook: Webhook | None = None,
) -> HTTPServer:
    """/healthz, /metrics when asked for, and the webhook in webhook mode."""
    conversation = services.conversation
    health = Health(application, services.observer, lambda: conversation.store.ping())
    return serve(
        application,
        health,
        listen,
        port,
        metrics=services.metrics,
        active_sessions=lambda: conversation.store.count_since(time.time() - ACTIVE),
        webhook=(hook.path, hook.secret) if hook else None,
    )
