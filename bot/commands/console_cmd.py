"""`gdpr-bot console`: the whole dialogue in a terminal, with no token and no network."""

from __future__ import annotations

import getpass

from bot.commands.common import add_db_option, add_lang_option, db_location
from bot.console import Console
from bot.engine import Conversation, Dialogue, load_checked, open_store
from bot.env import ExitStatus


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("console", help="chat with the bot in this terminal")
    add_lang_option(parser, "language to start in (default: from $LANG)")
    add_db_option(parser)
    parser.set_defaults(run=run)


def run(args, env) -> int:
    dialogue = Dialogue(load_checked(env.content), today=env.today)
    store = open_store(db_location(args, env))
    try:
        user = f"console:{getpass.getuser()}"
        conversation = Conversation(dialogue, store)
        if args.lang:
            _switch_to(conversation, user, args.lang)
        language = args.lang or env.variables.get("LANG", "").split(".")[0] or None
        Console(conversation, user, env.stdout).run(env.stdin, language)
    finally:
        store.close()
    return ExitStatus.OK


def _switch_to(conversation: Conversation, user: str, lang: str) -> None:
    """--lang wins over the language saved from an earlier run."""
    session = conversation.store.load(user)
    if session is not None and session.lang != lang:
        session.lang = lang
        conversation.store.save(session)
