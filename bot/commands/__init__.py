"""One module per `gdpr-bot` subcommand; each offers add_parser(subparsers) and sets `run`."""

from bot.commands import (
    announce_cmd,
    ask_cmd,
    catalogs_cmd,
    check_cmd,
    console_cmd,
    draft_cmd,
    graph_cmd,
    run_cmd,
)

COMMANDS = (
    console_cmd,
    ask_cmd,
    check_cmd,
    catalogs_cmd,
    draft_cmd,
    graph_cmd,
    run_cmd,
    announce_cmd,
)


def default_command(env) -> str:
    """Bare `gdpr-bot`: the Telegram bot when a token is set, the terminal chat otherwise."""
    return "run" if env.variables.get("TELEGRAM_BOT_TOKEN") else "console"
