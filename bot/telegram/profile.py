"""The bot's profile on Telegram, from dialogues/telegram.yaml: command menu, descriptions, labels.

Telegram shows the command menu and the descriptions in the language of the user's app. At start-up
the bot registers its default language for everyone and every other language for its
language_code; after /language, a chat gets its own menu in the language it switched to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot, BotCommand, BotCommandScopeChat

from bot.errors import ContentError
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalogs
from bot.yaml_io import read_yaml

COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
# Telegram's limits, in characters, per kind of text.
LIMITS = {
    "command": 256,
    "description": 512,
    "short_description": 120,
    "message": 4096,
    "label": 64,
}
REQUIRED_MESSAGES = ("description", "description_end", "short_description", "error")
REQUIRED_LABELS = ("copy_short", "open_card")
INLINE_RESULTS_LIMIT = 50  # results in one answer to an inline query


@dataclass(frozen=True)
class Profile:
    """Telegram-only texts as msgids, and the catalogs that translate them."""

    commands: tuple[tuple[str, str], ...]  # (command name, description msgid), in menu order
    messages: dict[str, str]
    labels: dict[str, str]
    catalogs: Catalogs
    inline_topics: tuple[str, ...]  # the cards of inline mode: topic ids, in order
    inline_cache_time: int  # seconds
    privacy: str  # msgid: the privacy paragraph of flow.yaml, inside the description

    @classmethod
    def load(cls, path: Path, catalogs: Catalogs, flow, topics) -> Profile:
        """Read and check the file against the flow (its commands, its privacy paragraph) and the
        topics: every key present, every text translated and within Telegram's limits. A problem
        raises ContentError naming the file and the key."""
        data = read_yaml(path) or {}
        try:
            profile = cls(
                commands=tuple((item["name"], item["text"]) for item in data["commands"]),
                messages=dict(data["messages"]),
                labels=dict(data["labels"]),
                catalogs=catalogs,
                inline_topics=tuple(str(topic) for topic in data["inline"]["topics"]),
                inline_cache_time=int(data["inline"]["cache_time"]),
                privacy=flow.messages["privacy"],
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ContentError(f"{path}: {error!r}; see the file's header for its shape") from None
        problems = profile._problems(set(flow.commands)) + profile._inline_problems(set(topics))
        if problems:
            raise ContentError(f"{path.name}: " + f"\n{path.name}: ".join(problems))
        return profile

    def commands_in(self, lang: str) -> list[BotCommand]:
        _ = self.catalogs.translator(lang)
        return [BotCommand(name, _(msgid).strip()) for name, msgid in self.commands]

    def description(self, lang: str) -> str:
        """What an empty chat shows: the bot in two sentences, the privacy paragraph, /forget."""
        privacy = self.catalogs.translator(lang)(self.privacy).strip()
        intro, end = self.message("description", lang), self.message("description_end", lang)
        return f"{intro}\n\n{privacy} {end}"

    def message(self, key: str, lang: str) -> str:
        return self.catalogs.translator(lang)(self.messages[key]).strip()

    def label(self, key: str, lang: str) -> str:
        return self.catalogs.translator(lang)(self.labels[key]).strip()

    def _inline_problems(self, topics: set[str]) -> list[str]:
        problems = [
            f"inline.topics: {topic!r} is not a topic of topics.yaml"
            for topic in self.inline_topics
            if topic not in topics
        ]
        if not 1 <= len(self.inline_topics) <= INLINE_RESULTS_LIMIT // len(LANGUAGES):
            problems.append(f"inline.topics: give 1 to {INLINE_RESULTS_LIMIT // len(LANGUAGES)}")
        if self.inline_cache_time < 0:
            problems.append("inline.cache_time: a number of seconds, 0 or more")
        return problems

    def _problems(self, flow_commands: set[str]) -> list[str]:
        problems = [
            f"commands: {name!r} is not a command of flow.yaml; add it under `commands:` there"
            for name, _msgid in self.commands
            if name not in flow_commands
        ]
        problems += [
            f"commands: {name!r} is not a valid Telegram command (1-32 of a-z, 0-9, _)"
            for name, _msgid in self.commands
            if not COMMAND_NAME.fullmatch(name)
        ]
        problems += [
            f"messages.{key} is missing" for key in REQUIRED_MESSAGES if key not in self.messages
        ]
        problems += [
            f"labels.{key} is missing" for key in REQUIRED_LABELS if key not in self.labels
        ]
        texts = [(f"commands.{name}", "command", msgid) for name, msgid in self.commands]
        texts += [
            (f"messages.{key}", key if key in LIMITS else "message", msgid)
            for key, msgid in self.messages.items()
        ]
        texts += [(f"labels.{key}", "label", msgid) for key, msgid in self.labels.items()]
        problems += self.catalogs.missing([msgid for _where, _kind, msgid in texts])
        for lang in LANGUAGES:
            _ = self.catalogs.translator(lang)
            if not self.catalogs.missing([self.privacy, *self.messages.values()]):
                length = len(self.description(lang))
                if length > LIMITS["description"]:
                    problems.append(
                        f"messages.description ({lang}): {length} characters with the privacy"
                        f" paragraph and description_end, allowed {LIMITS['description']}"
                    )
            for where, kind, msgid in texts:
                text = _.messages.get(msgid, msgid).strip()
                if not 1 <= len(text) <= LIMITS[kind]:
                    problems.append(
                        f"{where} ({lang}): {len(text)} characters, allowed 1 to {LIMITS[kind]}"
                    )
        return problems


async def register_profile(bot: Bot, profile: Profile) -> None:
    """Command menus and descriptions: the default language for all, others by language_code."""
    for lang in LANGUAGES:
        code = None if lang == DEFAULT_LANGUAGE else lang
        await bot.set_my_commands(profile.commands_in(lang), language_code=code)
        await bot.set_my_description(profile.description(lang), language_code=code)
        await bot.set_my_short_description(
            profile.message("short_description", lang), language_code=code
        )


async def set_chat_menu(bot: Bot, chat_id: int, lang: str, profile: Profile) -> None:
    """Show this chat the command menu in the language it switched to."""
    await bot.set_my_commands(profile.commands_in(lang), scope=BotCommandScopeChat(chat_id))


async def drop_chat_menu(bot: Bot, chat_id: int) -> None:
    """Back to the menu of the user's app language: nothing chosen by the user is kept."""
    await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
