"""The bot's HTTP server: Telegram's webhook, /healthz for a load balancer, /metrics for Prometheus.

The webhook checks the secret token, refuses a body over MAX_BODY (an update is a few KB) with
413, and anything that is not an update with 400, each with one warning line and no traceback.
It answers once the update is handled: Telegram sends a chat's next update only then, so with
several processes behind one load balancer a user's updates still arrive one after the other.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler, stream_request_body

from bot.errors import StoreError
from bot.telegram.observe import Observer

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024  # bytes
READ_LIMIT = 16 * MAX_BODY  # past this, tornado closes the connection
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class Health:
    """Healthy when the store answers now and the Bot API answered within a minute (asked again
    with getMe when it has been quiet that long)."""

    def __init__(self, application: Application, observer: Observer, ping_store: Callable):
        self.application, self.observer, self._ping_store = application, observer, ping_store

    async def problems(self) -> list[str]:
        problems = []
        try:
            await self._ping_store()
        except StoreError:
            problems.append("store")
        if not self.observer.api_answered_recently():
            try:
                await self.application.bot.get_me()
            except Exception:  # any failure means: not answering
                problems.append("bot api")
        return problems


def serve(
    application: Application,
    health: Health,
    listen: str,
    port: int,
    metrics: bool,
    active_sessions: Callable[[], Awaitable[int]],
    webhook: tuple[str, str] | None = None,
) -> HTTPServer:
    """Start serving /healthz, /metrics if asked, and the webhook (path, secret) if given."""
    routes: list = [(r"/healthz", HealthHandler, {"health": health})]
    if metrics:
        routes.append(
            (
                r"/metrics",
                MetricsHandler,
                {"observer": health.observer, "active_sessions": active_sessions},
            )
        )
    if webhook is not None:
        path, secret = webhook
        routes.append(
            (
                rf"/{re.escape(path)}/?",
                WebhookHandler,
                {"ptb": application, "secret": secret},
            )
        )
    # A body is read up to READ_LIMIT and dropped past MAX_BODY, so that the client, which sends
    # it all before reading the answer, gets the 413.
    server = HTTPServer(
        WebApplication(routes, log_function=_no_access_log), max_body_size=READ_LIMIT
    )
    server.listen(port, listen)
    return server


class HealthHandler(RequestHandler):
    def initialize(self, health: Health) -> None:
        self.health = health

    async def get(self) -> None:
        problems = await self.health.problems()
        self.set_status(503 if problems else 200)
        self.write("not answering: " + ", ".join(problems) if problems else "ok")


class MetricsHandler(RequestHandler):
    def initialize(self, observer: Observer, active_sessions) -> None:
        self.observer, self.active_sessions = observer, active_sessions

    async def get(self) -> None:
        with contextlib.suppress(StoreError):  # the gauge keeps its value; /healthz tells
            self.observer.active_sessions.set(await self.active_sessions())
        self.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.write(self.observer.exposition())


@stream_request_body
class WebhookHandler(RequestHandler):
    def initialize(self, ptb: Application, secret: str) -> None:
        self.ptb, self.secret = ptb, secret  # (tornado's handlers have an `application` already)
        self.body = bytearray()
        self.too_large = False

    def prepare(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self._refuse(403, "wrong or missing secret token")

    def data_received(self, chunk: bytes) -> None:
        if len(self.body) + len(chunk) > MAX_BODY:
            self.too_large = True
        elif not self.too_large:
            self.body.extend(chunk)

    async def post(self) -> None:
        if self.too_large:
            self._refuse(413, f"body over {MAX_BODY} bytes")
            return
        update = self._update()
        if update is None:
            self._refuse(400, "the body is not a Telegram update")
            return
        await self.ptb.update_processor.process_update(update, self.ptb.process_update(update))
        self.set_status(200)

    def _update(self) -> Update | None:
        try:
            data = json.loads(self.body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                return None
            return Update.de_json(data, self.ptb.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def _refuse(self, status: int, reason: str) -> None:
        log.warning("webhook request refused (%d): %s", status, reason)
        self.set_status(status)
        self.finish()


def _no_access_log(handler: RequestHandler) -> None:
    """Tornado would log each request with its path, which holds the webhook's path."""
