"""`gdpr-bot run`: the bot on Telegram, by long polling or behind a webhook.

The token comes from $TELEGRAM_BOT_TOKEN only (never an option: it would show in `ps`), and is
neither printed nor logged.
"""

from __future__ import annotations

from bot.commands.common import add_db_option, db_location
from bot.env import ExitStatus
from bot.errors import BotError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "run", help="run the Telegram bot (token in $TELEGRAM_BOT_TOKEN)"
    )
    add_db_option(parser, postgresql=True)
    parser.add_argument(
        "--api-url",
        help="Bot API server, e.g. http://127.0.0.1:8081/bot for a local one"
        " (default: $TELEGRAM_API_URL or Telegram's public server)",
    )
    parser.add_argument(
        "--webhook-url",
        help="receive updates on this public URL instead of polling;"
        " the secret token is $TELEGRAM_WEBHOOK_SECRET, or generated",
    )
    parser.add_argument(
        "--listen",
        help="address the webhook server (or --metrics-port) binds (default 127.0.0.1)",
    )
    parser.add_argument(
        "--port", type=int, help="port of the webhook server, with /healthz (default 8080)"
    )
    parser.add_argument(
        "--metrics", action="store_true", help="also serve /metrics (Prometheus) on that port"
    )
    parser.add_argument(
        "--metrics-port",
        type=int,
        help="when polling: serve /healthz and /metrics on this port",
    )
    parser.add_argument(
        "--retention-days",
        type=int,
        help="delete sessions untouched for this many days"
        " (default: $GDPR_BOT_RETENTION_DAYS or 30)",
    )
    parser.add_argument(
        "--reminder-check",
        type=float,
        help="seconds between looks for due reminders (default: $GDPR_BOT_REMINDER_CHECK or 600)",
    )
    parser.add_argument(
        "--max-messages-per-second",
        type=float,
        help="the bot's overall sending rate (default: $GDPR_BOT_MAX_MESSAGES_PER_SECOND or 30,"
        " Telegram's limit; raise it only with Telegram's paid broadcasts)",
    )
    parser.set_defaults(run=run)


def run(args, env) -> int:
    # Imported here so that `gdpr-bot --help` and light commands start fast.
    from telegram.error import InvalidToken, TelegramError

    from bot.engine import Dialogue, load_checked
    from bot.telegram import (
        BotServices,
        Profile,
        Settings,
        build_application,
        configure_logging,
        run_application,
        where,
    )

    settings = Settings.from_args(args, env.variables)  # before anything slow: usage errors first
    db = db_location(args, env, postgresql=True)

    configure_logging(env.stderr, settings.secrets)
    content = load_checked(env.content)
    profile = Profile.load(
        env.content.dialogues / "telegram.yaml",
        content.catalogs,
        content.flow,
        content.knowledge.topics,
    )
    services = BotServices(
        Dialogue(content, today=env.today),
        profile,
        db,
        settings.retention,
        metrics=settings.metrics,
        health_window=settings.health_window,
    )
    try:
        run_application(build_application(settings, services), settings, services)
    except InvalidToken:  # its message quotes the token
        raise BotError(
            "the Bot API server rejected TELEGRAM_BOT_TOKEN; check it with @BotFather"
        ) from None
    except TelegramError as error:
        raise BotError(f"cannot work with the Bot API server: {type(error).__name__}") from None
    except BotError:
        raise
    except Exception as error:  # its message may quote anything: the type and the place only
        raise BotError(f"stopped by {type(error).__name__} at {where(error)}") from None
    return ExitStatus.OK
