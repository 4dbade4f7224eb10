"""Options and set-up shared by several subcommands."""

from __future__ import annotations

import re
from pathlib import Path

from bot.errors import UsageError
from bot.i18n import LANGUAGES

DEFAULT_DB = Path("data") / "gdpr-bot.sqlite3"
URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")  # a value like this is never a file path


def add_db_option(parser, postgresql: bool = False) -> None:
    server = "; postgresql://USER:PASSWORD@HOST/DATABASE for PostgreSQL" if postgresql else ""
    parser.add_argument(
        "--db",
        help=f"SQLite file for sessions (default: $GDPR_BOT_DB or {DEFAULT_DB}); `memory` keeps"
        f" nothing{server}",
    )


def db_location(args, env, postgresql: bool = False) -> str:
    """--db or $GDPR_BOT_DB; a URL of a scheme this command cannot use is refused at once."""
    from bot.engine import POSTGRESQL_SCHEMES  # here: `gdpr-bot --help` need not load the engine

    location = args.db or env.variables.get("GDPR_BOT_DB") or str(DEFAULT_DB)
    url = URL.match(location)
    if url and not (postgresql and url.group(1).lower() in POSTGRESQL_SCHEMES):
        supported = "a file path, `memory` or a postgresql:// URL" if postgresql else None
        raise UsageError(
            f"--db / GDPR_BOT_DB: {url.group(1)}:// is not a database this command can use;"
            f" give {supported or 'a file path or `memory` (PostgreSQL serves `gdpr-bot run`)'}"
        )
    return location


def add_lang_option(parser, help_text: str) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, help=help_text)
