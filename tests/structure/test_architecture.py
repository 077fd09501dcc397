"""The shape of the code a newcomer relies on: layers, no import circles, small modules
that say their job on their first line."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

from support import PROJECT_ROOT

SRC = PROJECT_ROOT / "src" / "photostory"
MAX_LINES = 450


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # Imports under TYPE_CHECKING count: a circle there is still a circle to a reader.
    return grimp.build_graph("photostory", cache_dir=None)


def import_circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return circles


def test_no_module_imports_itself_back(graph: grimp.ImportGraph) -> None:
    assert import_circles(graph) == []


@pytest.mark.parametrize("forbidden", ["photostory.ui", "photostory.cli"])
def test_the_core_imports_neither_the_editor_nor_the_command_line(graph, forbidden: str) -> None:
    chains = graph.find_shortest_chains(importer="photostory.core", imported=forbidden,
                                        as_packages=True)
    assert not chains, f"photostory.core reaches {forbidden}: {sorted(chains)}"


def test_a_circle_is_found_when_there_is_one() -> None:
    """The check above can fail: add a circle to a fresh graph and it is reported."""
    changed = grimp.build_graph("photostory", cache_dir=None)
    changed.add_import(importer="photostory.core.story", imported="photostory.core.edits")
    assert any({"photostory.core.edits", "photostory.core.story"} <= set(circle)
               for circle in import_circles(changed))


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_each_module_is_small_and_says_its_job_first(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(SRC)} has {lines} lines (at most {MAX_LINES})"
    docstring = ast.get_docstring(ast.parse(text))
    if path.name == "__init__.py" and not text.strip():
        return  # an empty package marker has no job of its own
    assert docstring and docstring.splitlines()[0].strip(), \
        f"{path.relative_to(SRC)}: the first line should say what the module is for"
