"""Bot API calls the server failed, tried again: AIORateLimiter already waits out a 429
(RetryAfter); this also retries a 5xx answer or a connection that could not be made, a few times
with a pause that doubles. Without it, one 502 at start-up stops the bot, and one during a step
leaves the user with an apology instead of the answer.

A timeout is never retried: the call may have reached Telegram, and a message sent twice is worse
than an apology. Telegram does not say whether a call it answered with a 5xx took effect; we take
it that it did not (as a 502 from its front proxy means), so a rare duplicate is possible, never
a loss.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter

from bot.telegram.observe import Observer

log = logging.getLogger(__name__)

RETRIES_AFTER_SERVER_ERROR = 3
FIRST_PAUSE = 0.5  # seconds


class RetryingRateLimiter(AIORateLimiter):
    def __init__(self, observer: Observer, **options):
        super().__init__(**options)
        self._observer = observer

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        pause = FIRST_PAUSE
        for _retry in range(RETRIES_AFTER_SERVER_ERROR):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except (BadRequest, TimedOut):  # PTB files both under NetworkError
                raise
            except NetworkError as error:  # its message may quote the server: type only
                log.warning("%s: %s; trying again in %.1f s", endpoint, type(error).__name__, pause)
                self._observer.retries.labels(endpoint).inc()
                await asyncio.sleep(pause)
                pause *= 2
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
