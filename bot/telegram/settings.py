"""How the bot reaches Telegram: the token, the Bot API server, polling or a webhook, the retention.

Everything is read and checked before anything slow happens, so a wrong setting fails at once with a
UsageError (exit status 2) that names the variable or option. Secrets are never part of a message.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.errors import UsageError

PUBLIC_API_ROOT = "https://api.telegram.org"
DEFAULT_RETENTION_DAYS = 30
DEFAULT_REMINDER_CHECK_SECONDS = 600
# Telegram's limit for a bot's messages across all chats; paid broadcasts raise it.
DEFAULT_MAX_MESSAGES_PER_SECOND = 30
DEFAULT_HEALTH_WINDOW = 60  # seconds
TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]{35}")
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as a webhook secret


@dataclass(frozen=True)
class Webhook:
    url: str
    listen: str
    port: int
    secret: str
    secret_generated: bool

    @property
    def path(self) -> str:
        """The local path to serve: the path of the public URL, as a reverse proxy passes it on."""
        return urlsplit(self.url).path.lstrip("/")


@dataclass(frozen=True)
class Settings:
    token: str
    api_root: str
    webhook: Webhook | None
    retention: dt.timedelta
    reminder_check: dt.timedelta = dt.timedelta(seconds=DEFAULT_REMINDER_CHECK_SECONDS)
    max_messages_per_second: float = DEFAULT_MAX_MESSAGES_PER_SECOND
    metrics: bool = False  # serve /metrics (on the webhook's port, or on metrics_port)
    metrics_port: int | None = None  # in polling mode: where /healthz and /metrics are served
    listen: str = "127.0.0.1"  # the address metrics_port binds
    health_window: float = DEFAULT_HEALTH_WINDOW  # /healthz: a Bot API answer this recent

    @property
    def base_url(self) -> str:
        """PTB's base_url is the prefix of every method URL, before the token."""
        return f"{self.api_root}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.api_root}/file/bot"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Strings that must never reach a log line."""
        return (self.token, self.webhook.secret) if self.webhook else (self.token,)

    @classmethod
    def from_args(cls, args, variables) -> Settings:
        return cls(
            token=bot_token(variables.get("TELEGRAM_BOT_TOKEN", "")),
            api_root=api_root(args.api_url or variables.get("TELEGRAM_API_URL") or PUBLIC_API_ROOT),
            webhook=webhook(args, variables),
            retention=retention(
                variables.get("GDPR_BOT_RETENTION_DAYS")
                if args.retention_days is None
                else args.retention_days
            ),
            reminder_check=reminder_check(
                variables.get("GDPR_BOT_REMINDER_CHECK")
                if args.reminder_check is None
                else args.reminder_check
            ),
            max_messages_per_second=max_messages_per_second(
                variables.get("GDPR_BOT_MAX_MESSAGES_PER_SECOND")
                if args.max_messages_per_second is None
                else args.max_messages_per_second
            ),
            metrics=args.metrics or args.metrics_port is not None,
            metrics_port=args.metrics_port,
            listen=args.listen or "127.0.0.1",
            health_window=health_window(variables.get("GDPR_BOT_HEALTH_WINDOW")),
        )

    @classmethod
    def for_sending(cls, api_url: str | None, variables) -> Settings:
        """Only what a command that sends and receives nothing else needs (`gdpr-bot announce`)."""
        return cls(
            token=bot_token(variables.get("TELEGRAM_BOT_TOKEN", "")),
            api_root=api_root(api_url or variables.get("TELEGRAM_API_URL") or PUBLIC_API_ROOT),
            webhook=None,
            retention=retention(None),
            max_messages_per_second=max_messages_per_second(
                variables.get("GDPR_BOT_MAX_MESSAGES_PER_SECOND")
            ),
        )


def bot_token(value: str) -> str:
    value = value.strip()
    if not value:
        raise UsageError(
            "TELEGRAM_BOT_TOKEN is not set. Ask @BotFather for a token, then run:"
            " TELEGRAM_BOT_TOKEN=<token> gdpr-bot run   (or try the bot offline: gdpr-bot console)"
        )
    if not TOKEN_SHAPE.fullmatch(value):
        raise UsageError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token: expected digits, a colon and"
            " 35 letters, digits, '-' or '_', as @BotFather gives it (the value is not shown here)"
        )
    return value


def api_root(value: str) -> str:
    """The server's root, from itself (http://127.0.0.1:8081) or PTB's prefix (.../bot)."""
    root = value.strip().rstrip("/").removesuffix("/bot")
    parts = urlsplit(root)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--api-url / TELEGRAM_API_URL: {value!r} is not an http(s) URL;"
            f" use e.g. http://127.0.0.1:8081/bot, or leave it unset for {PUBLIC_API_ROOT}"
        )
    return root


def webhook(args, variables) -> Webhook | None:
    if not args.webhook_url:
        if args.port or (args.listen and args.metrics_port is None):
            raise UsageError(
                "--port only applies with --webhook-url, and --listen with --webhook-url or"
                " --metrics-port; add one or drop them"
            )
        return None
    if args.metrics_port is not None:
        raise UsageError(
            "--metrics-port is for polling; with --webhook-url, /healthz and /metrics are served"
            " on the webhook's --port"
        )
    if urlsplit(args.webhook_url).scheme not in ("http", "https"):
        raise UsageError(f"--webhook-url: {args.webhook_url!r} is not an http(s) URL")
    secret = variables.get("TELEGRAM_WEBHOOK_SECRET", "")
    if secret and not SECRET_SHAPE.fullmatch(secret):
        raise UsageError(
            "TELEGRAM_WEBHOOK_SECRET may hold only letters, digits, '-' and '_' (1 to 256 of them);"
            " unset it to let the bot generate one"
        )
    return Webhook(
        url=args.webhook_url,
        listen=args.listen or "127.0.0.1",
        port=args.port or 8080,
        secret=secret or secrets.token_urlsafe(32),
        secret_generated=not secret,
    )


def retention(value) -> dt.timedelta:
    days = _positive(
        value, int, DEFAULT_RETENTION_DAYS, "--retention-days / GDPR_BOT_RETENTION_DAYS",
        "a whole number of days of at least 1",
    )  # fmt: skip
    return dt.timedelta(days=days)


def reminder_check(value) -> dt.timedelta:
    seconds = _positive(
        value, float, DEFAULT_REMINDER_CHECK_SECONDS, "--reminder-check / GDPR_BOT_REMINDER_CHECK",
        "a positive number of seconds",
    )  # fmt: skip
    return dt.timedelta(seconds=seconds)


def max_messages_per_second(value) -> float:
    return _positive(
        value, float, DEFAULT_MAX_MESSAGES_PER_SECOND,
        "--max-messages-per-second / GDPR_BOT_MAX_MESSAGES_PER_SECOND", "a positive number",
    )  # fmt: skip


def health_window(value) -> float:
    return _positive(
        value,
        float,
        DEFAULT_HEALTH_WINDOW,
        "GDPR_BOT_HEALTH_WINDOW",
        "a positive number of seconds",
    )


def _positive(value, kind, default, where: str, expected: str):
    """`value` (an option or an environment string) as a positive `kind`, or `default` if unset."""
    if value is None or value == "":
        return default
    try:
        number = kind(value)
    except ValueError:
        number = 0  # reported below, with the value
    if number <= 0:
        raise UsageError(f"{where}: {value!r} is not {expected} (default {default})")
    return number
