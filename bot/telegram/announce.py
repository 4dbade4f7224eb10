"""Sending the newest change note to the users who asked for news alerts (`gdpr-bot announce`).

Each subscriber's copy is claimed in the store before it goes out, so a run that crashes and
is started again never sends anyone the same note twice (one claimed just before a crash is
skipped rather than risked twice). Sending goes through the bot's rate limiter, within Telegram's
limits. A user who blocked the bot (403) is unsubscribed; another failure is left for the next
run, except a timeout, after which the message may have arrived.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError, TimedOut
from telegram.ext import Defaults, ExtBot

from bot.engine import AsyncStore, Content, alert_reply
from bot.telegram.observe import Observer
from bot.telegram.render import render
from bot.telegram.retries import RetryingRateLimiter
from bot.telegram.settings import Settings

TELEGRAM_USER = "tg:"


@dataclass
class Counts:
    sent: int = 0
    skipped: int = 0  # had this note already, or not reachable on Telegram
    failed: int = 0
    unsubscribed: int = 0  # had blocked the bot
    languages: dict[str, int] = field(default_factory=dict)  # sent (or to send), by language

    def count_sent(self, lang: str) -> None:
        self.sent += 1
        self.languages[lang] = self.languages.get(lang, 0) + 1

    def summary(self, dry_run: bool) -> str:
        by_language = ", ".join(f"{lang} {n}" for lang, n in sorted(self.languages.items()))
        if dry_run:
            return (
                f"dry run, nothing sent: would send {self.sent} ({by_language or 'none'}),"
                f" skipped {self.skipped}"
            )
        return (
            f"sent {self.sent} ({by_language or 'none'}), skipped {self.skipped},"
            f" failed {self.failed}, unsubscribed (blocked the bot) {self.unsubscribed}"
        )


async def announce(
    settings: Settings, store: AsyncStore, content: Content, dry_run: bool
) -> Counts:
    note = content.news.newest
    waiting = await store.subscribers_waiting(note.version)
    counts = Counts(skipped=await store.subscriber_count() - len(waiting))
    bot = ExtBot(
        settings.token,
        base_url=settings.base_url,
        defaults=Defaults(parse_mode=ParseMode.HTML),
        rate_limiter=RetryingRateLimiter(
            Observer(), overall_max_rate=settings.max_messages_per_second
        ),
    )
    messages = {}
    async with bot:
        for subscriber in waiting:
            if not subscriber.user.startswith(TELEGRAM_USER):
                counts.skipped += 1
                continue
            if dry_run:
                counts.count_sent(subscriber.lang)
                continue
            if not await store.claim_note(subscriber.user, note.version):  # claimed elsewhere
                counts.skipped += 1
                continue
            if subscriber.lang not in messages:
                [messages[subscriber.lang]] = render(
                    alert_reply(content, note, subscriber.lang), ""
                )
            message = messages[subscriber.lang]
            chat_id = int(subscriber.user.removeprefix(TELEGRAM_USER))
            try:
                await bot.send_message(chat_id, message.html, reply_markup=message.keyboard)
                counts.count_sent(subscriber.lang)
            except Forbidden:
                await store.unsubscribe(subscriber.user)
                counts.unsubscribed += 1
            except TimedOut:  # it may have arrived: never risk a second copy
                counts.failed += 1
            except TelegramError:
                await store.release_note(subscriber.user, note.version)
                counts.failed += 1
    return counts
