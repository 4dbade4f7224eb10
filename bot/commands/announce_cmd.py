"""`gdpr-bot announce`: send the newest change note of dialogues/alerts.yaml to the users who asked
for news alerts, in their language, and print how many were sent, skipped and failed.

Run it again after a crash: nobody gets the note twice. `--dry-run` only counts.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.commands.common import add_db_option, db_location
from bot.env import ExitStatus
from bot.errors import BotError, UsageError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "announce",
        help="send the newest change note to news-alert subscribers (token in $TELEGRAM_BOT_TOKEN)",
    )
    add_db_option(parser, postgresql=True)
    parser.add_argument(
        "--api-url",
        help="Bot API server (default: $TELEGRAM_API_URL or Telegram's public server)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="count who would get it; send nothing, change nothing",
    )
    parser.set_defaults(run=run)


def run(args, env) -> int:
    from telegram.error import InvalidToken, TelegramError

    from bot.engine import is_postgresql_url, load_checked, open_async_store
    from bot.telegram import Settings, announce

    settings = Settings.for_sending(args.api_url, env.variables)  # usage errors first
    location = db_location(args, env, postgresql=True)
    if not is_postgresql_url(location) and not Path(location).is_file():  # a typo: nobody
        raise UsageError(
            f"no database at {location!r}; give the one `gdpr-bot run` uses, with --db or GDPR_BOT_DB"
        )
    content = load_checked(env.content)
    note = content.news.newest

    async def announce_with_the_store():
        store = await open_async_store(location)
        try:
            return await announce(settings, store, content, args.dry_run)
        finally:
            await store.close()

    try:
        counts = asyncio.run(announce_with_the_store())
    except InvalidToken:
        raise BotError("the Bot API server rejected TELEGRAM_BOT_TOKEN; check it") from None
    except TelegramError as error:
        raise BotError(f"cannot work with the Bot API server: {type(error).__name__}") from None
    env.stdout.write(f"note {note.version} of {note.date}: {counts.summary(args.dry_run)}\n")
    return ExitStatus.OK
