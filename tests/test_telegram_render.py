"""Replies as Telegram HTML, checked with the fake Bot API's parser: escaping, links and limits."""

from __future__ import annotations

from bot.engine import CopyBlock, Reply, Source
from bot.telegram.render import render
from tests.support.telegram_html import parse_html, utf16_length


def test_every_string_is_escaped_and_links_keep_their_address():
    reply = Reply(
        title="<Title> & co",
        text="a < b & c > d",
        sources=(Source("Q&A <page>", "https://example.org/?a=1&b=2"),),
        sources_label="Sources",
        checked="checked today",
    )
    (message,) = render(reply, "Copy")
    text, entities = parse_html(message.html)
    assert text.startswith("<Title> & co\n\na < b & c > d")
    (link,) = [entity for entity in entities if entity["type"] == "text_link"]
    assert link["url"] == "https://example.org/?a=1&b=2"


def test_a_reply_longer_than_a_message_is_split_at_paragraphs():
    paragraphs = [f"Paragraph {n}: " + "words & <signs> " * 30 for n in range(40)]
    letter = "\n\n".join(paragraphs)
    reply = Reply(title="Letter", text="\n\n".join(paragraphs[:12]), copy=CopyBlock(letter))
    messages = render(reply, "Copy")
    assert len(messages) > 2
    shown = []
    for message in messages:
        text, _entities = parse_html(message.html)
        assert utf16_length(text) <= 4096
        shown.append(text)
    assert all(message.keyboard is None for message in messages[:-1])
    assert all(p in "\n".join(shown) for p in paragraphs)


def test_a_long_copy_block_gets_no_copy_button():
    (message,) = render(Reply(text="Short", copy=CopyBlock("x" * 300, one_tap=True)), "Copy")
    assert message.keyboard is None
