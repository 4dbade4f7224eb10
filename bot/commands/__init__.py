"""One module per `gdpr-bot` subcommand; each offers add_parser(subparsers) and sets `run`."""

from bot.commands import catalogs_cmd

COMMANDS = (catalogs_cmd,)


def default_command(env) -> str:
    """Bare `gdpr-bot`: the Telegram bot when a token is set, the terminal chat otherwise."""
    return "run" if env.variables.get("TELEGRAM_BOT_TOKEN") else "console"
