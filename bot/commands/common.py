"""Options and set-up shared by several subcommands."""

from __future__ import annotations

from pathlib import Path

from bot.i18n import LANGUAGES

DEFAULT_DB = Path("data") / "gdpr-bot.sqlite3"


def add_db_option(parser) -> None:
    parser.add_argument(
        "--db",
        help=f"SQLite file for sessions (default: $GDPR_BOT_DB or {DEFAULT_DB}); `memory` keeps nothing",
    )


def db_location(args, env) -> str:
    return args.db or env.variables.get("GDPR_BOT_DB") or str(DEFAULT_DB)


def add_lang_option(parser, help_text: str) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, help=help_text)
