"""The baseline for bench_e2e.py: a bare python-telegram-bot echo bot, built like ours.

Every text (commands included) is answered with the same text; every button press with
answerCallbackQuery and a message holding its data. It polls the same way as `gdpr-bot run`
(the same allowed updates), so the difference is our code.

Run: TELEGRAM_BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:PORT/bot python bench/echo_bot.py
[--rate-limiter]   (the same AIORateLimiter as gdpr-bot run, to compare like with like)
[--concurrent]     (updates handled concurrently, as gdpr-bot run does; else one at a time)
[--max-messages-per-second N]   (the limiter's overall rate, as gdpr-bot run's option; default 30)
"""

from __future__ import annotations

import argparse
import os

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)


async def echo_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.bot.send_message(update.effective_chat.id, update.message.text)


async def echo_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    await context.bot.send_message(query.from_user.id, query.data or "-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate-limiter", action="store_true", help="AIORateLimiter, as ours")
    parser.add_argument("--concurrent", action="store_true", help="updates handled concurrently")
    parser.add_argument(
        "--max-messages-per-second", type=float, default=30, help="the limiter's overall rate"
    )
    args = parser.parse_args()
    builder = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_URL"])
        .concurrent_updates(args.concurrent)
    )
    if args.rate_limiter:
        rate = args.max_messages_per_second
        builder = builder.rate_limiter(AIORateLimiter(overall_max_rate=rate, max_retries=3))
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo_text))
    application.add_handler(CallbackQueryHandler(echo_press))
    application.run_polling(allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY])


if __name__ == "__main__":
    main()
