"""Reading dialogues/letter.yaml and complaint.yaml: typed access that names the key at fault."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from bot.errors import ContentError
from bot.i18n import placeholders


class ContentReader:
    """Typed access to a parsed content file; every failure names the file, the key and the fix."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, problem: str):
        raise ContentError(f"{self.path}: {where}: {problem}")

    def mapping(self, value, where: str) -> dict:
        if not isinstance(value, dict):
            self.fail(where, "should be a mapping of names to values")
        return value

    def items(self, root: dict, key: str) -> Iterable[tuple[str, dict]]:
        values = root.get(key)
        if not isinstance(values, list):
            self.fail(key, "should be a list")
        for index, item in enumerate(values):
            where = f"{key}[{index}]"
            yield where, self.mapping(item, where)

    def text(self, item: dict, key: str, where: str, params=frozenset()) -> str:
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}.{key}", "is missing or empty; give a text")
        if placeholders(value) != params:
            expected = ", ".join(f"{{{name}}}" for name in sorted(params)) or "no placeholder"
            self.fail(f"{where}.{key}", f"{value[:50]!r} should use {expected}, and no other brace")
        return value

    def nested_text(self, item: dict, key: str, where: str, params=frozenset()) -> str:
        """A text under `<key>: {text: ...}`, the shape the catalog extractor recognises."""
        return self.text(
            self.mapping(item.get(key), f"{where}.{key}"), "text", f"{where}.{key}", params
        )

    def sections(self, root: dict, expected: Mapping[str, Mapping[str, frozenset[str]]]) -> dict:
        """The texts of each section, each checked for exactly the placeholders it may use."""
        return {
            section: {
                name: self.nested_text(
                    self.mapping(root.get(section), section), name, section, params
                )
                for name, params in names.items()
            }
            for section, names in expected.items()
        }

    def ids(self, key: str, values: list[str], expected: tuple[str, ...] | None = None) -> None:
        """A list of ids: not empty, each once, and exactly `expected` (in order) when given."""
        if expected is not None and tuple(values) != expected:
            self.fail(key, f"has {tuple(values)}; define exactly {expected}, in this order")
        if not values:
            self.fail(key, "is empty")
        repeated = sorted({value for value in values if values.count(value) > 1})
        if repeated:
            self.fail(key, f"repeats {', '.join(repeated)}; each must appear once")

    def labels(self, key: str, items, limit: int) -> None:
        """Button labels that fit `limit` characters."""
        for item in items:
            if len(item.label) > limit:
                self.fail(
                    f"{key}.{item.id}.label",
                    f"is {len(item.label)} characters; this button takes at most {limit}",
                )
