"""The `gdpr-bot` command: parses the subcommand and hands over to its module."""

from __future__ import annotations

import argparse
import gc
import sys

from bot.commands import MATCHING_COMMANDS
from bot.env import Environment, ExitStatus
from bot.errors import BotError, UsageError


def build_parser(wanted: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or of `wanted` alone when it names one."""
    from bot.commands import command_modules

    parser = argparse.ArgumentParser(
        prog="gdpr-bot",
        description="Explain Meta's AI training and draft a GDPR objection, on Telegram or here.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in command_modules(wanted):
        command.add_parser(subparsers)
    return parser


def _start_loading_the_encoder() -> None:
    """For the commands that match typed questions: the sentence encoder loads (mostly in C)
    while the command's modules are imported. Imported here: `gdpr-bot --help` needs no numpy."""
    from bot.matcher import load_in_background

    load_in_background()


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    env = env or Environment.from_process()
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in MATCHING_COMMANDS:
        _start_loading_the_encoder()
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if args.command is None:
        from bot.commands import default_command

        command = default_command(env)
        if command == "console":
            env.stderr.write(
                "TELEGRAM_BOT_TOKEN is not set: starting the terminal chat (`gdpr-bot console`)."
                " To run on Telegram, see `gdpr-bot run --help`.\n"
            )
        if command in MATCHING_COMMANDS:
            _start_loading_the_encoder()
        args = build_parser(command).parse_args([command])
    try:
        return int(args.run(args, env))
    except UsageError as error:
        env.stderr.write(f"gdpr-bot {args.command}: {error}\n")
        return ExitStatus.USAGE
    except BotError as error:
        env.stderr.write(f"gdpr-bot {args.command}: {error}\n")
        return ExitStatus.ERROR
    except KeyboardInterrupt:
        return ExitStatus.INTERRUPTED


def run_and_exit() -> None:
    """The `gdpr-bot` executable: `main()`, then the process ends with its status."""
    status = main()
    # What is still alive (the matcher's indexes, the encoder) goes with the process. Frozen, it
    # is skipped by the collection the interpreter runs at exit, which would walk every object
    # once more: about 90 ms of a warm `gdpr-bot ask`.
    gc.freeze()
    sys.exit(status)
