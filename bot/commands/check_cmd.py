"""`gdpr-bot check`: validate dialogues/ and locales/ and say what to fix."""

from __future__ import annotations

from bot.engine import Content, content_problems
from bot.env import ExitStatus
from bot.errors import ContentError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("check", help="validate the dialogue content and the catalogs")
    parser.set_defaults(run=run)


def run(args, env) -> int:
    try:
        content = Content.load(env.content)
    except ContentError as error:
        env.stderr.write(f"gdpr-bot check: {error}\n")
        return ExitStatus.ERROR
    problems = content_problems(content) + _telegram_problems(content, env)
    for problem in problems:
        env.stderr.write(f"gdpr-bot check: {problem}\n")
    if problems:
        env.stderr.write(f"gdpr-bot check: {len(problems)} problem(s)\n")
        return ExitStatus.ERROR
    flow, knowledge = content.flow, content.knowledge
    env.stdout.write(
        f"content ok: {len(flow.states)} states, {len(knowledge.topics)} topics,"
        f" {len(content.letters.grounds)} grounds, French and English complete\n"
    )
    return ExitStatus.OK


def _telegram_problems(content: Content, env) -> list[str]:
    """telegram.yaml is read only by `gdpr-bot run`: check it here too, before a deployment."""
    from bot.telegram import Profile  # here: importing telegram slows every other command

    try:
        Profile.load(
            env.content.dialogues / "telegram.yaml",
            content.catalogs,
            content.flow,
            content.knowledge.topics,
        )
    except ContentError as error:
        return str(error).splitlines()
    return []
