"""One module per `gdpr-bot` subcommand; each offers add_parser(subparsers) and sets `run`.

Modules are imported only when needed: `gdpr-bot ask` should not pay for the Telegram adapter.
"""

from importlib import import_module

# Subcommand name -> its module, in the order `gdpr-bot --help` lists them.
COMMANDS = {
    "console": "console_cmd",
    "ask": "ask_cmd",
    "check": "check_cmd",
    "catalogs": "catalogs_cmd",
    "draft": "draft_cmd",
    "graph": "graph_cmd",
    "run": "run_cmd",
    "announce": "announce_cmd",
}

# The subcommands that match typed questions: their sentence encoder starts loading first thing.
MATCHING_COMMANDS = frozenset({"console", "ask", "run"})


def command_modules(wanted: str | None = None) -> list:
    """The module of the `wanted` subcommand, or every subcommand's module when it is not one."""
    names = [COMMANDS[wanted]] if wanted in COMMANDS else COMMANDS.values()
    return [import_module(f"bot.commands.{name}") for name in names]


def default_command(env) -> str:
    """Bare `gdpr-bot`: the Telegram bot when a token is set, the terminal chat otherwise."""
    return "run" if env.variables.get("TELEGRAM_BOT_TOKEN") else "console"
