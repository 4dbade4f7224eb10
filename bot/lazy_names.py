"""A package's public names, each imported from its module on first use (PEP 562).

`gdpr-bot` starts the sentence encoder's thread as early as it can and loads only what a command
needs: a package whose `__init__` imported every module would make each command pay for all of
them. No public name may be its own module's name: importing that module would bind the module to
the package under the name, hiding the object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module


def names_getter(package: str, module_of: Mapping[str, str]) -> Callable[[str], object]:
    """The package's `__getattr__`: `module_of` maps each public name to its module's name."""

    def __getattr__(name: str) -> object:
        if name not in module_of:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{module_of[name]}"), name)

    return __getattr__
