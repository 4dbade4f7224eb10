"""What the fake Bot API keeps about chats, and the methods that act on them, checked like Telegram.

Refused like Telegram refuses: text over 4096 characters once parsed (UTF-16 units), invalid HTML,
callback data over 64 bytes, copy text over 256 characters, an edit that changes nothing, a chat the
bot never heard from, a callback query answered twice or unknown.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tests.support.telegram_html import ParseError, parse_html, utf16_length

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
COPY_TEXT_LIMIT = 256
INLINE_RESULTS_LIMIT = 50
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are"
    " exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """A refusal; `page` is an HTML body answered instead of JSON, as a proxy in front does."""

    def __init__(
        self, description: str, code: int = 400, parameters: dict | None = None, page: str = ""
    ):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters
        self.page = page


@dataclass
class ChatMessage:
    """A message as the user sees it now (edits applied)."""

    chat: dict
    message_id: int
    sender: dict
    text: str = ""
    html: str = ""
    entities: list = field(default_factory=list)
    keyboard: list = field(default_factory=list)  # rows of InlineKeyboardButton dicts
    document: tuple[str, bytes] | None = None
    edits: int = 0

    @property
    def from_bot(self) -> bool:
        return self.sender.get("is_bot", False)

    def entity_texts(self, kind: str) -> list[str]:
        """The text under each entity of a kind (e.g. "pre"), cut at its UTF-16 offsets."""
        units = self.text.encode("utf-16-le")
        return [
            units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
            for e in self.entities
            if e["type"] == kind
        ]

    def to_json(self) -> dict:
        message = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": self.chat,
            "date": int(time.time()),
        }
        if self.document:
            name, content = self.document
            message["document"] = {
                "file_id": f"doc{self.message_id}",
                "file_unique_id": f"u{self.message_id}",
                "file_name": name,
                "mime_type": "text/plain",
                "file_size": len(content),
            }
        elif self.text:
            message["text"] = self.text
        if self.entities:
            message["entities"] = self.entities
        if self.keyboard:
            message["reply_markup"] = {"inline_keyboard": self.keyboard}
        if self.edits:
            message["edit_date"] = int(time.time())
        return message


class Chats:
    """The server-side state of every chat; method `_<name>` answers the Bot API method <name>.
    Not thread-safe on its own: FakeBotAPI calls it with its lock held."""

    def __init__(self, me: dict):
        self.me = me
        self.activity: list[tuple[int, int]] = []  # (chat id, message id) of each bot send or edit
        self.messages: dict[tuple[int, int], ChatMessage] = {}
        self.commands: dict[tuple[str, str], list] = {}  # (scope as JSON, language) -> commands
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.answered: dict[str, bool] = {}  # callback query id -> answered yet
        self.inline_answers: dict[str, dict | None] = {}  # inline query id -> the bot's answer
        self.known: dict[int, dict] = {}  # chats the bot heard from, by id
        self._message_ids: dict[int, itertools.count] = {}

    # Methods

    def _setMyCommands(self, params, files):
        commands = params.get("commands") or []
        for command in commands:
            if not (
                1 <= len(command.get("command", "")) <= 32
                and 1 <= len(command.get("description", "")) <= 256
            ):
                raise ApiError("Bad Request: BOT_COMMAND_INVALID")
        self.commands[self._scope(params)] = commands
        return True

    def _deleteMyCommands(self, params, files):
        self.commands.pop(self._scope(params), None)
        return True

    def _getMyCommands(self, params, files):
        return self.commands.get(self._scope(params), [])

    def _setMyDescription(self, params, files):
        return self._set_text(self.descriptions, params, "description", 512)

    def _setMyShortDescription(self, params, files):
        return self._set_text(self.short_descriptions, params, "short_description", 120)

    def _sendChatAction(self, params, files):
        self._chat(params)
        return True

    def _sendMessage(self, params, files):
        chat = self._chat(params)
        text, entities = self._text(params.get("text", ""), params.get("parse_mode"), TEXT_LIMIT)
        message = ChatMessage(
            chat,
            self.next_message_id(chat["id"]),
            self.me,
            text=text,
            html=params.get("text", ""),
            entities=entities,
            keyboard=self._keyboard(params.get("reply_markup")),
        )
        return self._record(message)

    def _sendDocument(self, params, files):
        chat = self._chat(params)
        document = params.get("document", "")
        name = document[len("attach://") :] if document.startswith("attach://") else "document"
        if name not in files:
            raise ApiError("Bad Request: wrong remote file identifier specified")
        caption = params.get("caption", "")
        text, entities = self._text(caption, params.get("parse_mode"), CAPTION_LIMIT, empty=True)
        message = ChatMessage(
            chat,
            self.next_message_id(chat["id"]),
            self.me,
            text=text,
            html=caption,
            entities=entities,
            document=files[name],
            keyboard=self._keyboard(params.get("reply_markup")),
        )
        return self._record(message)

    def _editMessageText(self, params, files):
        message = self._editable(params)
        text, entities = self._text(params.get("text", ""), params.get("parse_mode"), TEXT_LIMIT)
        keyboard = self._keyboard(params.get("reply_markup"))  # omitted: the keyboard goes
        if (text, entities, keyboard) == (message.text, message.entities, message.keyboard):
            raise ApiError(NOT_MODIFIED)
        message.text, message.entities, message.keyboard = text, entities, keyboard
        message.html = params.get("text", "")
        return self._record(message, edited=True)

    def _editMessageReplyMarkup(self, params, files):
        message = self._editable(params)
        keyboard = self._keyboard(params.get("reply_markup"))
        if keyboard == message.keyboard:
            raise ApiError(NOT_MODIFIED)
        message.keyboard = keyboard
        return self._record(message, edited=True)

    def _answerCallbackQuery(self, params, files):
        query_id = str(params.get("callback_query_id", ""))
        if self.answered.get(query_id, True):
            raise ApiError(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        if len(params.get("text", "")) > 200:
            raise ApiError("Bad Request: MESSAGE_TOO_LONG")
        self.answered[query_id] = True
        return True

    def _answerInlineQuery(self, params, files):
        query_id = str(params.get("inline_query_id", ""))
        if query_id not in self.inline_answers or self.inline_answers[query_id] is not None:
            raise ApiError(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        results = params.get("results")
        if not isinstance(results, list) or len(results) > INLINE_RESULTS_LIMIT:
            raise ApiError("Bad Request: RESULTS_TOO_MUCH")
        ids = [str(result.get("id", "")) for result in results]
        if len(set(ids)) != len(ids) or not all(1 <= len(i.encode()) <= 64 for i in ids):
            raise ApiError("Bad Request: RESULT_ID_INVALID")
        for result in results:
            if result.get("type") != "article" or not result.get("title"):
                raise ApiError("Bad Request: RESULT_TYPE_INVALID")
            content = result.get("input_message_content") or {}
            self._text(content.get("message_text", ""), content.get("parse_mode"), TEXT_LIMIT)
            self._keyboard(result.get("reply_markup"))
        if int(params.get("cache_time", 300)) < 0:
            raise ApiError("Bad Request: CACHE_TIME_INVALID")
        self.inline_answers[query_id] = params
        return True

    # Checks shared by the methods

    def _chat(self, params: dict) -> dict:
        chat = self.known.get(params.get("chat_id"))
        if chat is None:
            raise ApiError("Bad Request: chat not found")
        return chat

    def _text(self, raw: str, parse_mode, limit: int, empty: bool = False) -> tuple[str, list]:
        if parse_mode not in (None, "HTML"):
            raise ApiError(f"Bad Request: unsupported parse_mode {parse_mode!r} in this fake")
        try:
            text, entities = parse_html(raw) if parse_mode == "HTML" else (raw, [])
        except ParseError as error:
            raise ApiError(f"Bad Request: {error}") from None
        if not text.strip() and not empty:
            raise ApiError("Bad Request: message text is empty")
        if utf16_length(text) > limit:
            kind = "message caption" if limit == CAPTION_LIMIT else "message"
            raise ApiError(f"Bad Request: {kind} is too long")
        return text, entities

    def _keyboard(self, markup) -> list:
        if not markup:
            return []
        rows = markup.get("inline_keyboard")
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise ApiError("Bad Request: can't parse reply keyboard markup JSON object")
        for button in (button for row in rows for button in row):
            kinds = set(button) - {"text"}
            if not button.get("text") or len(kinds) != 1:
                raise ApiError(
                    "Bad Request: can't parse inline keyboard button: Text buttons are"
                    " unallowed in the inline keyboard"
                )
            if "callback_data" in button and not (
                1 <= len(button["callback_data"].encode()) <= CALLBACK_DATA_LIMIT
            ):
                raise ApiError("Bad Request: BUTTON_DATA_INVALID")
            if "switch_inline_query" in button and not self.me["supports_inline_queries"]:
                raise ApiError("Bad Request: BUTTON_TYPE_INVALID")
            if "url" in button and urlsplit(button["url"]).scheme not in ("http", "https", "tg"):
                raise ApiError("Bad Request: BUTTON_URL_INVALID")
            if "copy_text" in button and not (
                1 <= utf16_length(button["copy_text"].get("text", "")) <= COPY_TEXT_LIMIT
            ):
                raise ApiError("Bad Request: COPY_TEXT_INVALID")
        return rows

    def _editable(self, params: dict) -> ChatMessage:
        message = self.messages.get((params.get("chat_id"), params.get("message_id")))
        if message is None:
            raise ApiError("Bad Request: message to edit not found")
        if not message.from_bot:
            raise ApiError("Bad Request: message can't be edited")
        return message

    def _record(self, message: ChatMessage, edited: bool = False) -> dict:
        if edited:
            message.edits += 1
        self.messages[(message.chat["id"], message.message_id)] = message
        self.activity.append((message.chat["id"], message.message_id))
        return message.to_json()

    def next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _set_text(self, texts: dict, params: dict, name: str, limit: int) -> bool:
        text = params.get(name, "")
        if len(text) > limit:
            raise ApiError(f"Bad Request: {name.replace('_', ' ')} is too long")
        texts[params.get("language_code", "")] = text
        return True

    @staticmethod
    def _scope(params: dict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.get("language_code", "")
