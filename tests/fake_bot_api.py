"""A fake Telegram Bot API server on 127.0.0.1, for the unmodified bot to talk to over HTTP.

It answers the methods the bot uses with the real JSON shapes, from form-encoded, JSON or multipart
bodies, and refuses what Telegram refuses with {"ok": false, "error_code": 400, "description": ...}:
text over 4096 characters once parsed, invalid HTML, callback data over 64 bytes, copy text over
256 characters, an edit that changes nothing, an unknown chat or callback query. Every call is
recorded; tests inject what users do (see inject_* and telegram_client.py) and read what they saw.

getUpdates follows Telegram: updates stay queued until a later call's offset confirms them, the
call waits up to `timeout` seconds for one, and a newer call ends an older one with 409. With a
webhook set, updates are POSTed to it instead, one at a time, with the secret token header.
"""

from __future__ import annotations

import itertools
import json
import queue
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tests.telegram_html import ParseError, parse_html, utf16_length

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
COPY_TEXT_LIMIT = 256
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are"
    " exactly the same as a current content and reply markup of the message"
)
JSON_FIELDS = {"reply_markup", "commands", "scope", "allowed_updates", "link_preview_options",
               "entities", "caption_entities", "reply_parameters"}
INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "max_connections"}


class ApiError(Exception):
    def __init__(self, description: str, code: int = 400, parameters: dict | None = None):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class Call:
    method: str
    params: dict
    files: dict
    ok: bool = True
    description: str = ""
    at: float = field(default_factory=time.monotonic)


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

    def to_json(self) -> dict:
        message = {"message_id": self.message_id, "from": self.sender, "chat": self.chat,
                   "date": int(time.time())}
        if self.document:
            name, content = self.document
            message["document"] = {"file_id": f"doc{self.message_id}", "file_unique_id":
                                   f"u{self.message_id}", "file_name": name,
                                   "mime_type": "text/plain", "file_size": len(content)}
        elif self.text:
            message["text"] = self.text
        if self.entities:
            message["entities"] = self.entities
        if self.keyboard:
            message["reply_markup"] = {"inline_keyboard": self.keyboard}
        if self.edits:
            message["edit_date"] = int(time.time())
        return message


class FakeBotAPI:
    def __init__(self, token: str):
        self.token = token
        self.me = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "GDPR bot",
                   "username": "gdpr_test_bot", "can_join_groups": True,
                   "can_read_all_group_messages": False, "supports_inline_queries": False,
                   "can_connect_to_business": False, "has_main_web_app": False}
        self.calls: list[Call] = []
        self.activity: list[tuple[int, int]] = []  # (chat id, message id) of each bot send or edit
        self.messages: dict[tuple[int, int], ChatMessage] = {}
        self.commands: dict[tuple[str, str], list] = {}  # (scope as JSON, language) -> commands
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.answered: dict[str, bool] = {}  # callback query id -> answered yet
        self.webhook: dict | None = None
        self.webhook_statuses: list[int] = []
        self._updates: list[dict] = []
        self._allowed: set[str] | None = None
        self._chats: dict[int, dict] = {}
        self._message_ids: dict[int, itertools.count] = {}
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._poll_generation = 0
        self._failures: dict[str, list[ApiError]] = {}
        self._changed = threading.Condition()
        self._deliveries: queue.Queue = queue.Queue()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.api = self
        self._closed = False

    # Life cycle

    @property
    def url(self) -> str:
        """What TELEGRAM_API_URL should hold: the prefix before the token, as PTB takes it."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    def start(self) -> FakeBotAPI:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        threading.Thread(target=self._deliver_to_webhook, daemon=True).start()
        return self

    def stop(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._deliveries.put(None)
        self._server.shutdown()
        self._server.server_close()

    # What users do

    def inject(self, update: dict) -> int:
        """Queue one update (its update_id is assigned here) and wake a waiting getUpdates."""
        with self._changed:
            update = {"update_id": next(self._update_ids), **update}
            for value in update.values():
                if isinstance(value, dict):
                    chat = value.get("chat") or (value.get("message") or {}).get("chat")
                    if chat:
                        self._chats[chat["id"]] = chat
            if self.webhook:
                self._deliveries.put(update)
            else:
                self._updates.append(update)
            self._changed.notify_all()
            return update["update_id"]

    def inject_message(self, sender: dict, chat: dict, edited: bool = False, **content) -> int:
        """A user's message (text=..., sticker=..., photo=...); commands get their entity."""
        with self._changed:
            message_id = self._next_message_id(chat["id"])
            message = {"message_id": message_id, "from": sender, "chat": chat,
                       "date": int(time.time()), **content}
            text = content.get("text", "")
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                message["entities"] = [{"type": "bot_command", "offset": 0,
                                        "length": utf16_length(command)}]
            self.messages[(chat["id"], message_id)] = ChatMessage(
                chat, message_id, sender, text=text)
            if edited:
                message["edit_date"] = int(time.time())
        return self.inject({"edited_message" if edited else "message": message})

    def inject_callback(self, sender: dict, message: ChatMessage | None, data: str) -> str:
        """A button press on `message` (None: a message too old for the bot to see)."""
        with self._changed:
            query_id = str(next(self._query_ids))
            self.answered[query_id] = False
            query = {"id": query_id, "from": sender, "chat_instance": "42", "data": data}
            if message is not None:
                query["message"] = message.to_json()
        self.inject({"callback_query": query})
        return query_id

    def fail_next(self, method: str, description: str, code: int = 400, **parameters) -> None:
        """The next call of `method` fails like this (e.g. 429 with retry_after=1)."""
        with self._changed:
            self._failures.setdefault(method, []).append(ApiError(description, code, parameters))

    # What tests read

    def calls_of(self, method: str) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if call.method == method]

    def failed_calls(self) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if not call.ok]

    def chat_messages(self, chat_id: int) -> list[ChatMessage]:
        with self._changed:
            return [m for (chat, _id), m in sorted(self.messages.items()) if chat == chat_id]

    def shown_since(self, chat_id: int, mark: int) -> list[ChatMessage]:
        """Bot messages of a chat sent or edited after activity[mark], in the state shown now."""
        with self._changed:
            ids = dict.fromkeys(mid for chat, mid in self.activity[mark:] if chat == chat_id)
            return [self.messages[(chat_id, mid)] for mid in ids]

    def wait_until(self, condition, timeout: float = 15.0) -> None:
        """Block until condition() holds, re-checked after every call and every tenth of a second."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    recent = [(c.method, c.description) for c in self.calls[-8:]]
                    raise AssertionError(f"timed out; last calls: {recent}")
                self._changed.wait(min(remaining, 0.1))

    # The HTTP side

    def dispatch(self, token: str, method: str, params: dict, files: dict) -> tuple[int, dict]:
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        call = Call(method, params, files)
        try:
            with self._changed:
                self.calls.append(call)
                self._changed.notify_all()
                failures = self._failures.get(method)
                if failures:
                    raise failures.pop(0)
            if method == "getUpdates":
                result = self._get_updates(params)
            else:
                handler = getattr(self, f"_{method}", None)
                if handler is None:
                    raise ApiError("Not Found: method not found", 404)
                with self._changed:
                    result = handler(params, files)
            body = {"ok": True, "result": result}
            status = 200
        except ApiError as error:
            call.ok, call.description = False, error.description
            body = {"ok": False, "error_code": error.code, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            status = error.code
        with self._changed:
            self._changed.notify_all()
        return status, body

    # Updates

    def _get_updates(self, params: dict) -> list[dict]:
        with self._changed:
            if self.webhook:
                raise ApiError("Conflict: can't use getUpdates method while webhook is active;"
                               " use deleteWebhook to delete the webhook first", 409)
            if "allowed_updates" in params:
                self._allowed = set(params["allowed_updates"]) or None
            offset = params.get("offset", 0)
            if offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._poll_generation += 1
            generation = self._poll_generation
            deadline = time.monotonic() + float(params.get("timeout", 0))
            while True:
                self._drop_unwanted()
                if generation != self._poll_generation:
                    raise ApiError("Conflict: terminated by other getUpdates request; make sure"
                                   " that only one bot instance is running", 409)
                remaining = deadline - time.monotonic()
                if self._updates or remaining <= 0 or self._closed:
                    return self._updates[: int(params.get("limit", 100))]
                self._changed.wait(remaining)

    def _drop_unwanted(self) -> None:
        """Telegram never delivers update types the bot did not ask for."""
        if self._allowed is not None:
            self._updates = [u for u in self._updates if set(u) - {"update_id"} <= self._allowed]

    def _deliver_to_webhook(self) -> None:
        while (update := self._deliveries.get()) is not None:
            request = urllib.request.Request(
                self.webhook["url"], data=json.dumps(update).encode(), method="POST",
                headers={"Content-Type": "application/json",
                         "X-Telegram-Bot-Api-Secret-Token": self.webhook.get("secret_token", "")})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            with self._changed:
                self.webhook_statuses.append(status)
                self._changed.notify_all()

    # Methods (called with the lock held)

    def _getMe(self, params, files):
        return self.me

    def _deleteWebhook(self, params, files):
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _setWebhook(self, params, files):
        if urlsplit(params.get("url", "")).scheme not in ("http", "https"):
            raise ApiError("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = dict(params)
        if "allowed_updates" in params:
            self._allowed = set(params["allowed_updates"]) or None
        return True

    def _getWebhookInfo(self, params, files):
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    def _setMyCommands(self, params, files):
        commands = params.get("commands") or []
        for command in commands:
            if not (1 <= len(command.get("command", "")) <= 32
                    and 1 <= len(command.get("description", "")) <= 256):
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
        message = ChatMessage(chat, self._next_message_id(chat["id"]), self.me, text=text,
                              html=params.get("text", ""), entities=entities,
                              keyboard=self._keyboard(params.get("reply_markup")))
        return self._record(message)

    def _sendDocument(self, params, files):
        chat = self._chat(params)
        document = params.get("document", "")
        name = document[len("attach://"):] if document.startswith("attach://") else "document"
        if name not in files:
            raise ApiError("Bad Request: wrong remote file identifier specified")
        caption = params.get("caption", "")
        text, entities = self._text(caption, params.get("parse_mode"), CAPTION_LIMIT, empty=True)
        message = ChatMessage(chat, self._next_message_id(chat["id"]), self.me, text=text,
                              html=caption, entities=entities, document=files[name],
                              keyboard=self._keyboard(params.get("reply_markup")))
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
            raise ApiError("Bad Request: query is too old and response timeout expired or query"
                           " ID is invalid")
        if len(params.get("text", "")) > 200:
            raise ApiError("Bad Request: MESSAGE_TOO_LONG")
        self.answered[query_id] = True
        return True

    # Checks shared by the methods

    def _chat(self, params: dict) -> dict:
        chat = self._chats.get(params.get("chat_id"))
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
                raise ApiError("Bad Request: can't parse inline keyboard button: Text buttons are"
                               " unallowed in the inline keyboard")
            if "callback_data" in button and not (
                    1 <= len(button["callback_data"].encode()) <= CALLBACK_DATA_LIMIT):
                raise ApiError("Bad Request: BUTTON_DATA_INVALID")
            if "url" in button and urlsplit(button["url"]).scheme not in ("http", "https", "tg"):
                raise ApiError("Bad Request: BUTTON_URL_INVALID")
            if "copy_text" in button and not (
                    1 <= utf16_length(button["copy_text"].get("text", "")) <= COPY_TEXT_LIMIT):
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

    def _next_message_id(self, chat_id: int) -> int:
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


class _Handler(BaseHTTPRequestHandler):
    """/bot<token>/<method>, GET or POST, with a query string or a form, JSON or multipart body."""

    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects
    # One write per answer, sent at once: split writes meet delayed ACKs and cost 40 ms a call.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def log_message(self, *args):  # quiet: the test output is for assertions
        pass

    def _serve(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        prefix, _sep, method = url.path.lstrip("/").partition("/")
        if not prefix.startswith("bot") or not method:
            status, answer = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        else:
            params, files = _parse(self.headers.get("Content-Type", ""), url.query, body)
            status, answer = self.server.api.dispatch(prefix[3:], method, params, files)
        data = json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the bot went away (stopped, killed) while a long poll waited
            self.close_connection = True


def _parse(content_type: str, query: str, body: bytes) -> tuple[dict, dict]:
    params: dict = dict(parse_qsl(query))
    files: dict = {}
    if content_type.startswith("application/json") and body:
        params.update(json.loads(body))
    elif content_type.startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(body.decode()))
    elif content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        for part in BytesParser(policy=policy.HTTP).parsebytes(head + body).iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename() is not None:
                files[name] = (part.get_filename(), part.get_payload(decode=True))
            else:
                params[name] = part.get_payload(decode=True).decode()
    return {key: _typed(key, value) for key, value in params.items()}, files


def _typed(key: str, value):
    """Form values are strings (PTB JSON-encodes the rest); JSON bodies may carry them either way."""
    if isinstance(value, str) and key in JSON_FIELDS:
        return json.loads(value)
    if isinstance(value, str) and key in INT_FIELDS:
        return int(value)
    if value in ("true", "false"):
        return value == "true"
    return value
