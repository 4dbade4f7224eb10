"""Updates handled concurrently, one user's strictly in arrival order and never two at once.

A Bot API call from a server in Europe takes about 50 ms: handling one update at a time, every
user waits for everyone else's round trips. Handling them all at once would let a user's second
tap overtake the first. So each user gets a lock: asyncio's locks wake their waiters first come,
first served, and PTB starts one task per update in the order it received them, so a user's
updates reach the lock, and pass it, in that order.
"""

from __future__ import annotations

from asyncio import Lock
from collections.abc import Awaitable

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.telegram.observe import Observer


class OneUserAtATime(BaseUpdateProcessor):
    """Also times each update's handling, Bot API calls included, for /metrics."""

    def __init__(self, observer: Observer, max_concurrent_updates: int):
        super().__init__(max_concurrent_updates)
        self._observer = observer
        self._locks: dict[int, Lock] = {}
        self._holders: dict[int, int] = {}  # updates holding or waiting for each user's lock

    async def process_update(self, update: object, coroutine: Awaitable) -> None:
        user = _user_id(update)
        if user is None:  # nobody to keep in order (e.g. an update of a kind never asked for)
            await super().process_update(update, coroutine)
            return
        lock = self._locks.setdefault(user, Lock())
        self._holders[user] = self._holders.get(user, 0) + 1
        try:
            async with lock:  # the user's order first; then the overall limit, in the base class
                await super().process_update(update, coroutine)
        finally:
            self._holders[user] -= 1
            if not self._holders[user]:  # the last one out: forget the user
                del self._holders[user], self._locks[user]

    async def do_process_update(self, update: object, coroutine: Awaitable) -> None:
        with self._observer.handler_seconds.time():
            await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _user_id(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_user is not None:
        return update.effective_user.id
    return None
