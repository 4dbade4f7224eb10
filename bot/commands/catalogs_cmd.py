"""`gdpr-bot catalogs`: extract the YAML messages and update the PO catalogs (for translators)."""

from bot.env import ExitStatus
from bot.i18n import sync_catalogs


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("catalogs", help="update locales/ from the dialogue YAML files")
    parser.set_defaults(run=run)


def run(args, env) -> int:
    for line in sync_catalogs(env.content.dialogues, env.content.locales):
        env.stdout.write(line + "\n")
    return ExitStatus.OK
