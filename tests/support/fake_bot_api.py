"""A fake Telegram Bot API server on 127.0.0.1, for the unmodified bot to talk to over HTTP.

It answers the methods the bot uses with the real JSON shapes (fake_bot_http.py parses the
requests, fake_chats.py keeps the chats and refuses what Telegram refuses). Every call is recorded;
tests inject what users do (inject_*, or telegram_client.py) and read what they saw.

Updates follow Telegram: getUpdates keeps them until a later call's offset confirms them, waits up
to `timeout` seconds for one, drops types the bot did not ask for, and answers an older waiting
call with 409 when a newer one arrives. With a webhook set, updates are POSTed to it instead, one at
a time and in order, with the secret token header.

Faults (inject_faults) answer a seeded share of calls with 429, 500 or 502, or answer them late,
always BEFORE the call takes effect: a failed sendMessage delivered nothing, so a retry is safe.
"""

from __future__ import annotations

import itertools
import json
import queue
import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tests.support.fake_bot_http import http_server
from tests.support.fake_chats import ApiError, ChatMessage, Chats
from tests.support.telegram_html import utf16_length

NOT_FORCED = object()  # no answer_next() waiting for this call


@dataclass
class Call:
    method: str
    params: dict
    files: dict
    ok: bool = True
    description: str = ""
    injected: bool = False  # failed because a test asked for it (fail_next, inject_faults)
    at: float = field(default_factory=time.monotonic)  # when it arrived
    result: object = None  # what the server answered, when it succeeded

    @property
    def chat_id(self):
        return self.params.get("chat_id")


FAULTS = {
    "429": lambda: ApiError("Too Many Requests: retry after 1", 429, {"retry_after": 1}),
    "500": lambda: ApiError("Internal Server Error", 500),
    "502": lambda: ApiError("Bad Gateway", 502),
}


@dataclass
class FaultPlan:
    """Which calls go wrong: `share` of them, drawn with a seeded random generator, each with one
    of `kinds` (429 retry_after=1, 500, 502, or "delay": answered `delay` seconds late). A call
    repeating one that just failed (same method and parameters) goes through: faults are
    transient, so a client that retries gets there, and a test stays bounded."""

    share: float
    seed: int = 0
    kinds: tuple[str, ...] = ("429", "500", "502", "delay")
    delay: float = 0.5
    methods: frozenset[str] | None = None  # None: every method
    transient: bool = True  # False: a repeated call fails again (a server that is down)
    _random: random.Random = field(init=False, repr=False)
    _failed: set = field(init=False, default_factory=set, repr=False)

    def __post_init__(self):
        self._random = random.Random(self.seed)

    def pick(self, method: str, params: dict, files: dict) -> str | None:
        if self.methods is not None and method not in self.methods:
            return None
        signature = (method, json.dumps(params, sort_keys=True, default=str), tuple(sorted(files)))
        if signature in self._failed and self.transient:
            self._failed.discard(signature)
            return None
        if self._random.random() >= self.share:
            return None
        kind = self._random.choice(self.kinds)
        if kind != "delay":
            self._failed.add(signature)
        return kind


class FakeBotAPI:
    def __init__(self, token: str, latency: float = 0.0):
        self.token = token
        self.latency = latency  # seconds added to every call, as the distance to Telegram adds
        self.me = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "GDPR bot",
            "username": "gdpr_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.chats = Chats(self.me)
        self.calls: list[Call] = []
        self.webhook: dict | None = None
        self.webhook_statuses: list[int] = []
        self.backends: list[str] = []  # set by balance()
        self._turns: dict[str, int] = {}  # per chat: how many updates went to a backend
        self._updates: list[dict] = []
        self._allowed: set[str] | None = None
        self._update_ids = itertools.count(1)
        self.last_update_id = 0  # of the update injected last
        self.senders: list[int] = []  # the user id behind each update injected, in order
        self._query_ids = itertools.count(1)
        self._poll_generation = 0
        self._failures: dict[str, list[ApiError]] = {}
        self._answers: dict[str, list] = {}
        self._faults: FaultPlan | None = None
        self._listeners: list = []
        self._changed = threading.Condition()  # guards everything; notified after every call
        self._deliveries: queue.Queue = queue.Queue()
        self._server = http_server(self)
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
            self.last_update_id = update["update_id"]
            for value in update.values():
                if isinstance(value, dict) and "from" in value:
                    self.senders.append(value["from"]["id"])
                if isinstance(value, dict):
                    chat = value.get("chat") or (value.get("message") or {}).get("chat")
                    if chat:
                        self.chats.known[chat["id"]] = chat
            if self.webhook:
                self._deliveries.put(update)
            else:
                self._updates.append(update)
            self._changed.notify_all()
            return update["update_id"]

    def inject_message(self, sender: dict, chat: dict, edited: bool = False, **content) -> int:
        """A user's message (text=..., sticker=..., photo=...); commands get their entity."""
        with self._changed:
            message_id = self.chats.next_message_id(chat["id"])
            message = {
                "message_id": message_id,
                "from": sender,
                "chat": chat,
                "date": int(time.time()),
                **content,
            }
            text = content.get("text", "")
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_length(command)}
                ]
            self.chats.messages[(chat["id"], message_id)] = ChatMessage(
                chat, message_id, sender, text=text
            )
            if edited:
                message["edit_date"] = int(time.time())
            return self.inject({"edited_message" if edited else "message": message})

    def inject_callback(self, sender: dict, message: ChatMessage | None, data: str) -> str:
        """A button press on `message` (None: a message too old for the bot to see)."""
        with self._changed:
            query_id = str(next(self._query_ids))
            self.chats.answered[query_id] = False
            query = {"id": query_id, "from": sender, "chat_instance": "42", "data": data}
            if message is not None:
                query["message"] = message.to_json()
            self.inject({"callback_query": query})
            return query_id

    def inject_inline_query(self, sender: dict, query: str = "") -> str:
        """Someone types the bot's username and `query` in a chat; read the answer from
        inline_answer(id) once the bot has given it."""
        with self._changed:
            query_id = str(next(self._query_ids))
            self.chats.inline_answers[query_id] = None
            self.inject(
                {"inline_query": {"id": query_id, "from": sender, "query": query, "offset": ""}}
            )
            return query_id

    def inline_answer(self, query_id: str) -> dict:
        """The bot's answerInlineQuery for that query (waits for it)."""
        self.wait_until(lambda: self.chats.inline_answers[query_id] is not None)
        with self._changed:
            return self.chats.inline_answers[query_id]

    def fail_next(self, method: str, description: str, code: int = 400, **parameters) -> None:
        """The next call of `method` fails like this (e.g. 429 with retry_after=1)."""
        with self._changed:
            self._failures.setdefault(method, []).append(ApiError(description, code, parameters))

    def fail_next_with_page(self, method: str, code: int, page: str) -> None:
        """The next call of `method` gets `code` and an HTML page, as from a proxy in front."""
        with self._changed:
            self._failures.setdefault(method, []).append(ApiError("", code, page=page))

    def answer_next(self, method: str, result) -> None:
        """The next call of `method` succeeds with this result, however malformed."""
        with self._changed:
            self._answers.setdefault(method, []).append(result)

    def balance(self, backends: list[str]) -> None:
        """Deliver webhook updates as a load balancer in front of several bot processes: each
        chat's updates go to the backends in turn, one at a time and in order."""
        with self._changed:
            self.backends = list(backends)

    def inject_faults(self, plan: FaultPlan | None) -> None:
        """From now on, calls go wrong as `plan` says (None: they stop going wrong)."""
        with self._changed:
            self._faults = plan

    def atomically(self) -> threading.Condition:
        """The server's lock, as a context manager: no call is answered while it is held, so
        updates injected inside reach the bot together and what is read inside is consistent."""
        return self._changed

    def listen(self, listener) -> None:
        """listener(call, answered) runs when a call arrives (answered False), then once it has
        its answer (True). It runs in the server's thread with the lock held, so it sees calls in
        order and may inject; it must be quick."""
        with self._changed:
            self._listeners.append(listener)

    # What tests read

    def calls_of(self, method: str) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if call.method == method]

    def refused_calls(self) -> list[Call]:
        """Calls Telegram would have refused: neither failures a test injected nor the 409 that
        ends a long poll when a restarted bot polls again."""
        with self._changed:
            return [
                call
                for call in self.calls
                if not call.ok and not call.injected and call.method != "getUpdates"
            ]

    def chat_messages(self, chat_id: int) -> list[ChatMessage]:
        """Every message of a chat, the user's and the bot's, in order."""
        with self._changed:
            messages = sorted(self.chats.messages.items())
            return [message for (chat, _id), message in messages if chat == chat_id]

    def recently_shown(self, chat_id: int) -> list[ChatMessage]:
        """The bot's messages in a chat, the one it sent or edited last first."""
        with self._changed:
            touched = [mid for chat, mid in reversed(self.chats.activity) if chat == chat_id]
            return [self.chats.messages[(chat_id, mid)] for mid in dict.fromkeys(touched)]

    def shown_since(self, chat_id: int, mark: int) -> list[ChatMessage]:
        """Bot messages of a chat sent or edited after activity[mark], as they look now."""
        with self._changed:
            touched = [mid for chat, mid in self.chats.activity[mark:] if chat == chat_id]
            return [self.chats.messages[(chat_id, mid)] for mid in dict.fromkeys(touched)]

    def activity_mark(self) -> int:
        with self._changed:
            return len(self.chats.activity)

    def wait_until(self, condition, timeout: float = 15.0) -> None:
        """Block until condition() holds, checked after every call and every tenth of a second."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    recent = [(c.method, c.description) for c in self.calls[-8:]]
                    raise AssertionError(f"timed out; last calls: {recent}")
                self._changed.wait(min(remaining, 0.1))

    # Answering calls

    def dispatch(self, token: str, method: str, params: dict, files: dict) -> tuple[int, dict]:
        """One Bot API call: the HTTP status and the JSON answer."""
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        call = Call(method, params, files)
        try:
            with self._changed:
                self.calls.append(call)
                self._tell(call, answered=False)
                self._changed.notify_all()
                failures = self._failures.get(method)
                if failures:
                    call.injected = True
                    raise failures.pop(0)
                fault = self._faults.pick(method, params, files) if self._faults else None
                if fault in FAULTS:
                    call.injected = True
                    raise FAULTS[fault]()
                late = self.latency + (self._faults.delay if fault == "delay" else 0)
                forced = self._answers.get(method)
                result = forced.pop(0) if forced else NOT_FORCED
            if late:  # outside the lock: other calls go on meanwhile
                time.sleep(late)
            if result is not NOT_FORCED:
                pass
            elif method == "getUpdates":  # waits, so it must not hold the lock throughout
                result = self._get_updates(params)
            else:
                with self._changed:
                    result = self._method(method)(params, files)
            call.result = result
            status, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            call.ok, call.description = False, error.description
            status = error.code
            body = {"ok": False, "error_code": error.code, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            if error.page:
                body = error.page
        with self._changed:
            self._tell(call, answered=True)
            self._changed.notify_all()
        return status, body

    def _tell(self, call: Call, answered: bool) -> None:
        for listener in self._listeners:
            listener(call, answered)

    def _method(self, name: str):
        method = getattr(self, f"_{name}", None) or getattr(self.chats, f"_{name}", None)
        if method is None:
            raise ApiError("Not Found: method not found", 404)
        return method

    # Updates and webhooks

    def _get_updates(self, params: dict) -> list[dict]:
        with self._changed:
            if self.webhook:
                raise ApiError(
                    "Conflict: can't use getUpdates method while webhook is active;"
                    " use deleteWebhook to delete the webhook first",
                    409,
                )
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
                    raise ApiError(
                        "Conflict: terminated by other getUpdates request;"
                        " make sure that only one bot instance is running",
                        409,
                    )
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
            for url in self._targets(update):
                status = self._post(url, update)
                if status == 200:
                    break
            with self._changed:
                self.webhook_statuses.append(status)
                self._changed.notify_all()

    def _targets(self, update: dict) -> list[str]:
        """The webhook's URL; behind a balancer, the next backend for this chat, then the others
        (a backend that does not answer 200 gets the update's next try)."""
        with self._changed:
            if not self.backends:
                return [self.webhook["url"]]
            chat = json.dumps(update).partition('"chat": {"id": ')[2].partition(",")[0]
            turn = self._turns.get(chat, 0)
            self._turns[chat] = turn + 1
            count = len(self.backends)
            return [self.backends[(turn + n) % count] for n in range(count)]

    def _post(self, url: str, update: dict) -> int:
        request = urllib.request.Request(
            url,
            data=json.dumps(update).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": self.webhook.get("secret_token", ""),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    def _getMe(self, params, files):
        return self.me

    def _deleteWebhook(self, params, files):
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _setWebhook(self, params, files):
        # Telegram wants HTTPS; plain http is let through so that tests need no certificate.
        if urlsplit(params.get("url", "")).scheme not in ("http", "https"):
            raise ApiError("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = dict(params)
        if "allowed_updates" in params:
            self._allowed = set(params["allowed_updates"]) or None
        return True

    def _getWebhookInfo(self, params, files):
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
