"""Reading the content YAML: libyaml's fast loader when present, errors naming the file."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.errors import ContentError

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, loader=SafeLoader):
    """The parsed document; a missing file or invalid YAML is a ContentError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found") from None
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from None
