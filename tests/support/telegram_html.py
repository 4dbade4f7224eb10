"""Telegram's HTML parse mode, as strict as the Bot API: text and entities, or the error it answers.

Supported: the tags Telegram lists (b, strong, i, em, u, ins, s, strike, del, span
class=tg-spoiler, tg-spoiler, a href, code, pre, blockquote, tg-emoji), the entities &lt; &gt;
&amp; &quot; and numeric ones. Any other tag, an unbalanced tag, or a bare <, > or & is refused.
Lengths and entity offsets are in UTF-16 code units, as Telegram counts them.
"""

from __future__ import annotations

import html
import re

ENTITY_OF_TAG = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)\s*>"
)
ATTRIBUTE = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'))?")
ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


class ParseError(ValueError):
    """The description Telegram would give, after "Bad Request: "."""


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> tuple[str, list[dict]]:
    """The text a user sees and its entities; ParseError where Telegram would refuse the message."""
    out: list[str] = []
    length = 0
    open_tags: list[tuple[str, int, dict]] = []
    entities: list[dict] = []
    position = 0
    while position < len(source):
        char = source[position]
        if char == "<":
            match = TAG.match(source, position)
            where = len(source[:position].encode())
            if match is None:
                raise ParseError(f"can't parse entities: unexpected '<' at byte offset {where}")
            closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
            if name not in ENTITY_OF_TAG:
                raise ParseError(
                    f'can\'t parse entities: unsupported start tag "{name}" at byte offset {where}'
                )
            if closing:
                if not open_tags or open_tags[-1][0] != name:
                    raise ParseError(
                        f"can't parse entities: unmatched end tag at byte offset {where},"
                        f' expected "</{open_tags[-1][0] if open_tags else ""}>", found "</{name}>"'
                    )
                tag, start, attrs = open_tags.pop()
                if length > start:
                    entities.append(_entity(tag, start, length - start, attrs))
            else:
                open_tags.append((name, length, _attributes(name, attributes, where)))
            position = match.end()
        elif char == "&":
            match = ENTITY.match(source, position)
            if match is None:
                where = len(source[:position].encode())
                raise ParseError(f"can't parse entities: unescaped '&' at byte offset {where}")
            decoded = html.unescape(match.group(0))
            out.append(decoded)
            length += utf16_length(decoded)
            position = match.end()
        elif char == ">":
            where = len(source[:position].encode())
            raise ParseError(f"can't parse entities: unescaped '>' at byte offset {where}")
        else:
            out.append(char)
            length += utf16_length(char)
            position += 1
    if open_tags:
        tag = open_tags[-1][0]
        raise ParseError(
            f"can't parse entities: can't find end tag corresponding to start tag \"{tag}\""
        )
    return "".join(out), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _attributes(name: str, raw: str, where: int) -> dict:
    attrs = {
        match.group(1).lower(): html.unescape(match.group(2) or match.group(3) or "")
        for match in ATTRIBUTE.finditer(raw)
    }
    if name == "a" and not attrs.get("href"):
        raise ParseError(f"can't parse entities: a link without href at byte offset {where}")
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise ParseError(
            f'can\'t parse entities: unsupported start tag "span" at byte offset {where}'
        )
    return attrs


def _entity(tag: str, offset: int, length: int, attrs: dict) -> dict:
    entity = {"type": ENTITY_OF_TAG[tag], "offset": offset, "length": length}
    if tag == "a":
        entity["url"] = attrs["href"]
    if tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "0")
    return entity
