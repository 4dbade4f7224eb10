"""The import graph of bot/ stays layered: packages import only lower layers, through their public API."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.paths import PROJECT_ROOT

# Lower layers first; a module may import its own unit or any unit of a lower layer.
LAYERS = [
    {"errors"},
    {"paths", "yaml_io", "dates", "disk_cache", "lazy_names"},
    {"i18n"},
    {"matcher", "drafting"},
    {"engine"},
    {"console", "telegram", "env"},
    {"commands"},
    {"cli"},
    {"__main__"},
]
PACKAGES = {"engine", "matcher", "drafting", "i18n", "telegram", "commands"}


def unit_of(module: str) -> str:
    """bot.engine.store -> engine; bot.errors -> errors."""
    return module.split(".")[1]


def layer_of(unit: str) -> int:
    return next(number for number, units in enumerate(LAYERS) if unit in units)


def imports_of(path: Path) -> list[str]:
    """Every bot.* module this file imports, at any depth (TYPE_CHECKING blocks included)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot."):
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names if a.name.startswith("bot.")]
    return names


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def bot_modules() -> dict[str, list[str]]:
    return {module_name(p): imports_of(p) for p in (PROJECT_ROOT / "bot").rglob("*.py")}


def test_every_module_belongs_to_a_layer():
    units = {unit_of(m) for m in bot_modules() if m != "bot"}
    assert units <= set().union(*LAYERS)


def test_no_module_imports_a_higher_layer():
    upward = [
        f"{module} imports {target}"
        for module, targets in bot_modules().items()
        if module != "bot"
        for target in targets
        if layer_of(unit_of(target)) > layer_of(unit_of(module))
        or (
            layer_of(unit_of(target)) == layer_of(unit_of(module))
            and unit_of(target) != unit_of(module)
        )
    ]
    assert upward == []


def test_packages_are_imported_through_their_public_api_only():
    private = [
        f"{module} imports {target}"
        for module, targets in bot_modules().items()
        for target in targets
        if unit_of(target) in PACKAGES
        and target.count(".") > 1
        and module.split(".")[:2] != target.split(".")[:2]
    ]
    assert private == []


def test_the_import_graph_has_no_circle():
    graph = {m: [t for t in targets if t != m] for m, targets in bot_modules().items()}
    for package in PACKAGES:
        # A package's __init__ re-exports its modules: an edge down, never a circle by itself.
        graph.setdefault(f"bot.{package}", [])
    visiting, done, circles = set(), set(), []

    def visit(module: str, path: list[str]) -> None:
        if module in done or module not in graph:
            return
        if module in visiting:
            circles.append(" -> ".join([*path[path.index(module) :], module]))
            return
        visiting.add(module)
        for target in graph[module]:
            # Importing a package from inside it would only reach its __init__: not an edge to follow.
            if target.split(".")[:2] == module.split(".")[:2] and target.count(".") == 1:
                continue
            visit(target, [*path, module])
        visiting.discard(module)
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert circles == []
