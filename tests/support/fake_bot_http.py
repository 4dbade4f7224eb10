"""The HTTP side of the fake Bot API: /bot<token>/<method>, GET or POST, with a query string or a
form, JSON or multipart body, as PTB and other clients send them. Answers are JSON."""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

JSON_FIELDS = {
    "reply_markup",
    "results",
    "commands",
    "scope",
    "allowed_updates",
    "link_preview_options",
    "entities",
    "caption_entities",
    "reply_parameters",
}
INT_FIELDS = {
    "chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "max_connections",
    "cache_time",
}


def http_server(api) -> ThreadingHTTPServer:
    """A server on a free loopback port; every call goes to api.dispatch(token, method, ...)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.api = api
    return server


class _Handler(BaseHTTPRequestHandler):
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
        page = isinstance(answer, str)  # an HTML page, as a proxy in front answers
        data = answer.encode() if page else json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/html" if page else "application/json")
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
    """Form values are strings (PTB JSON-encodes the rest); JSON bodies may hold either."""
    if isinstance(value, str) and key in JSON_FIELDS:
        return json.loads(value)
    if isinstance(value, str) and key in INT_FIELDS:
        return int(value)
    if value in ("true", "false"):
        return value == "true"
    return value
