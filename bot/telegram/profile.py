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
REQUIRED_MESSAGES = ("description", "short_description", "error")
REQUIRED_LABELS = ("copy_short",)


@dataclass(frozen=True)
class Profile:
    """Telegram-only texts as msgids, and the catalogs that translate them."""

    commands: tuple[tuple[str, str], ...]  # (command name, description msgid), in menu order
    messages: dict[str, str]
    labels: dict[str, str]
    catalogs: Catalogs

    @classmethod
    def load(cls, path: Path, catalogs: Catalogs, flow_commands) -> Profile:
        """Read and check the file: known commands, every key present, every text translated and
        within Telegram's limits. A problem raises ContentError naming the file and the key."""
        data = read_yaml(path) or {}
        try:
            profile = cls(
                commands=tuple((item["name"], item["text"]) for item in data["commands"]),
                messages=dict(data["messages"]),
                labels=dict(data["labels"]),
                catalogs=catalogs,
            )
        except (KeyError, TypeError) as error:
            raise ContentError(f"{path}: {error!r}; see the file's header for its shape") from None
        problems = profile._problems(set(flow_commands))
        if problems:
            raise ContentError(f"{path.name}: " + f"\n{path.name}: ".join(problems))
        return profile

    def commands_in(self, lang: str) -> list[BotCommand]:
        _ = self.catalogs.translator(lang)
        return [BotCommand(name, _(msgid).strip()) for name, msgid in self.commands]

    def message(self, key: str, lang: str) -> str:
        return self.catalogs.translator(lang)(self.messages[key]).strip()

    def label(self, key: str, lang: str) -> str:
        return self.catalogs.translator(lang)(self.labels[key]).strip()

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
        await bot.set_my_description(profile.message("description", lang), language_code=code)
        await bot.set_my_short_description(
            profile.message("short_description", lang), language_code=code
        )


async def set_chat_menu(bot: Bot, chat_id: int, lang: str, profile: Profile) -> None:
    """Show this chat the command menu in the language it switched to."""
    await bot.set_my_commands(profile.commands_in(lang), scope=BotCommandScopeChat(chat_id))


async def drop_chat_menu(bot: Bot, chat_id: int) -> None:
    """Back to the menu of the user's app language: nothing chosen by the user is kept."""
    await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
