"""What operators see: Prometheus metrics, and whether the store and the Bot API answered recently.

Labels hold only fixed words (event kinds, Bot API method names, HTTP status codes): never a user's
text, id, name or the token. Each bot process has its own registry, passed where it is needed.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from telegram.request import HTTPXRequest

FRESH = 60.0  # seconds within which a Bot API answer counts as recent for /healthz
ACTIVE = 3600.0  # a session updated within this many seconds counts as active


class Observer:
    def __init__(self, fresh: float = FRESH, clock=time.monotonic):
        self.registry = CollectorRegistry()
        self.fresh = fresh
        self._clock = clock
        self._api_answered_at: float | None = None
        self.updates = Counter(
            "gdpr_bot_updates", "Updates handled, by kind", ["kind"], registry=self.registry
        )
        self.handler_seconds = Histogram(
            "gdpr_bot_handler_seconds",
            "Time to handle one update, Bot API calls included",
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.api_errors = Counter(
            "gdpr_bot_bot_api_errors",
            "Bot API calls that failed, by method and HTTP status (none: no answer)",
            ["method", "code"],
            registry=self.registry,
        )
        self.retries = Counter(
            "gdpr_bot_bot_api_retries",
            "Bot API calls tried again after a server error",
            ["method"],
            registry=self.registry,
        )
        self.reminders_sent = Counter(
            "gdpr_bot_reminders_sent", "Reminders sent to users", registry=self.registry
        )
        self.active_sessions = Gauge(
            "gdpr_bot_active_sessions",
            f"Sessions updated in the last {ACTIVE / 3600:.0f} hour(s), in the whole store",
            registry=self.registry,
        )

    def api_answered(self) -> None:
        self._api_answered_at = self._clock()

    def api_answered_recently(self) -> bool:
        answered = self._api_answered_at
        return answered is not None and self._clock() - answered < self.fresh

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class ObservedRequest(HTTPXRequest):
    """PTB's HTTP client, noting every answer of the Bot API server and every failed call."""

    def __init__(self, observer: Observer, **options):
        super().__init__(**options)
        self._observer = observer

    async def do_request(self, url: str, method: str, *args, **kwargs) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]  # the URL holds the token; its last part does not
        try:
            code, payload = await super().do_request(url, method, *args, **kwargs)
        except Exception:
            self._observer.api_errors.labels(api_method, "none").inc()
            raise
        if code < 500:  # a 5xx is the server failing, not answering
            self._observer.api_answered()
        if code >= 400:
            self._observer.api_errors.labels(api_method, str(code)).inc()
        return code, payload
