"""A Babel extractor for the dialogue YAML files, so `pybabel extract` finds every user-visible string.

A string is a message when it is the value of one of the `keys` (default: DEFAULT_KEYS), or any
string value inside a mapping named by `containers` (default: DEFAULT_CONTAINERS). Example phrasings
for the matcher are data, not messages, and are not listed. Both options are space-separated names.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

DEFAULT_KEYS = ("text", "label", "title", "answer", "details", "paragraph", "short", "summary")
DEFAULT_CONTAINERS = ("labels", "messages")


def extract_yaml(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extractor contract: yield (lineno, funcname, message, comments) for each message."""
    keys = set(options.get("keys", " ".join(DEFAULT_KEYS)).split())
    containers = set(options.get("containers", " ".join(DEFAULT_CONTAINERS)).split())
    source = fileobj.read()
    if isinstance(source, bytes):
        source = source.decode(options.get("encoding", "utf-8"))
    root = yaml.compose(source)
    if root is not None:
        yield from _walk(root, keys, containers, inside_container=False)


def _walk(node, keys, containers, inside_container) -> Iterator[tuple]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if _is_string(value_node) and (inside_container or key_node.value in keys):
                yield value_node.start_mark.line + 1, None, value_node.value, []
            else:
                in_container = inside_container or key_node.value in containers
                yield from _walk(value_node, keys, containers, in_container)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if inside_container and _is_string(item):
                yield item.start_mark.line + 1, None, item.value, []
            else:
                yield from _walk(item, keys, containers, inside_container)


def _is_string(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and node.value
