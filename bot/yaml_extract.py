"""A Babel extractor for the dialogue YAML files, so `pybabel extract` finds every user-visible string.

A string is translatable when it is the value of one of the keys named in the `keys` option
(default: DEFAULT_KEYS). Example phrasings for the matcher are data, not messages, and are not listed.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

DEFAULT_KEYS = ("text", "label", "title", "answer", "paragraph", "short", "summary")


def extract_yaml(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extractor contract: yield (lineno, funcname, message, comments) for each message."""
    keys = set(options.get("keys", " ".join(DEFAULT_KEYS)).split())
    source = fileobj.read()
    if isinstance(source, bytes):
        source = source.decode(options.get("encoding", "utf-8"))
    root = yaml.compose(source)
    if root is not None:
        yield from _walk(root, keys)


def _walk(node, keys) -> Iterator[tuple]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value in keys and _is_string(value_node):
                yield value_node.start_mark.line + 1, None, value_node.value, []
            else:
                yield from _walk(value_node, keys)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, keys)


def _is_string(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and node.value
