"""The fake Bot API refuses what Telegram refuses, or the end-to-end tests would prove little."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.support.fake_bot_api import FakeBotAPI
from tests.support.telegram_client import TOKEN
from tests.support.telegram_html import ParseError, parse_html

USER = {"id": 5, "is_bot": False, "first_name": "Sam"}
CHAT = {"id": 5, "type": "private", "first_name": "Sam"}


@pytest.fixture(scope="module")
def api():
    api = FakeBotAPI(TOKEN).start()
    api.inject_message(USER, CHAT, text="hello")  # the bot may now write to this chat
    yield api
    api.stop()


def call(api: FakeBotAPI, method: str, as_json: bool = False, **params) -> dict:
    """One request as a client would send it: a form (values JSON-encoded) or a JSON body."""
    if as_json:
        body, kind = json.dumps(params).encode(), "application/json"
    else:
        form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
        body, kind = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
    request = urllib.request.Request(
        f"{api.url}{TOKEN}/{method}", data=body, headers={"Content-Type": kind}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b>bold", "can't find end tag"),
        ("<b><i>crossed</b></i>", "unmatched end tag"),
        ("<h1>title</h1>", 'unsupported start tag "h1"'),
        ("a < b", "unexpected '<'"),
        ("fish & chips", "unescaped '&'"),
        ('<a href="">nowhere</a>', "without href"),
    ],
)
def test_invalid_html_is_refused_with_telegrams_reason(api, html, reason):
    answer = call(api, "sendMessage", chat_id=5, text=html, parse_mode="HTML")
    assert answer["ok"] is False and answer["error_code"] == 400
    assert reason in answer["description"]


@pytest.mark.parametrize("as_json", [False, True])
def test_valid_html_is_parsed_into_text_and_entities(api, as_json):
    html = '<b>Title</b>\n<a href="https://example.org/?a=1&amp;b=2">link</a> &lt;3'
    answer = call(api, "sendMessage", as_json, chat_id=5, text=html, parse_mode="HTML")
    assert answer["result"]["text"] == "Title\nlink <3"
    assert answer["result"]["entities"][1]["url"] == "https://example.org/?a=1&b=2"


def test_text_over_4096_characters_once_parsed_is_refused(api):
    assert call(api, "sendMessage", chat_id=5, text="&amp;" * 4096, parse_mode="HTML")["ok"]
    answer = call(api, "sendMessage", chat_id=5, text="é" * 4097)
    assert answer["description"] == "Bad Request: message is too long"


@pytest.mark.parametrize(
    ("button", "reason"),
    [
        ({"text": "x", "callback_data": "d" * 65}, "BUTTON_DATA_INVALID"),
        ({"text": "x", "copy_text": {"text": "c" * 257}}, "COPY_TEXT_INVALID"),
        ({"text": "x", "url": "javascript:alert(1)"}, "BUTTON_URL_INVALID"),
    ],
)
def test_buttons_beyond_telegrams_limits_are_refused(api, button, reason):
    markup = {"inline_keyboard": [[button]]}
    answer = call(api, "sendMessage", chat_id=5, text="hi", reply_markup=markup)
    assert reason in answer["description"]


def test_an_edit_that_changes_nothing_is_refused_as_not_modified(api):
    sent = call(api, "sendMessage", chat_id=5, text="<b>same</b>", parse_mode="HTML")["result"]
    again = dict(chat_id=5, message_id=sent["message_id"], text="<b>same</b>", parse_mode="HTML")
    answer = call(api, "editMessageText", **again)
    assert answer["description"].startswith("Bad Request: message is not modified")


def test_an_unknown_chat_and_a_twice_answered_query_are_refused(api):
    assert call(api, "sendMessage", chat_id=77, text="hi")["description"].endswith("chat not found")
    query = api.inject_callback(USER, None, "1|m")
    assert call(api, "answerCallbackQuery", callback_query_id=query)["ok"]
    assert not call(api, "answerCallbackQuery", callback_query_id=query)["ok"]


def test_get_updates_keeps_updates_until_an_offset_confirms_them(api):
    first = call(api, "getUpdates", timeout=0)["result"]
    assert first and call(api, "getUpdates", timeout=0)["result"] == first
    confirmed = first[-1]["update_id"] + 1
    assert call(api, "getUpdates", offset=confirmed, timeout=0)["result"] == []


def test_a_wrong_token_is_unauthorized(api):
    request = urllib.request.Request(f"{api.url}1:wrong/getMe")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401


def test_entity_offsets_count_utf16_units():
    text, entities = parse_html("😀 <b>x</b>")
    assert text == "😀 x" and entities[0]["offset"] == 3
    with pytest.raises(ParseError):
        parse_html("<b>x</i>")
