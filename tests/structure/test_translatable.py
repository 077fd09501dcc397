"""Modules that translate with ``_`` never also use ``_`` as a throwaway name: a local
``_`` hides the translation function in the whole function (UnboundLocalError)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from support import PROJECT_ROOT

SRC = PROJECT_ROOT / "src" / "photostory"


def _translating_modules() -> list[Path]:
    return sorted(path for path in SRC.rglob("*.py")
                  if "from photostory.core.i18n import" in path.read_text(encoding="utf-8"))


def rebinds_underscore(source: str) -> list[int]:
    """Lines where ``_`` is bound other than by importing it."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
            lines.append(node.lineno)
        elif isinstance(node, ast.arg) and node.arg == "_":
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", _translating_modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_the_translation_function_is_never_shadowed(path: Path) -> None:
    lines = rebinds_underscore(path.read_text(encoding="utf-8"))
    assert not lines, f"{path.name} binds _ on lines {lines}; name the throwaway value"


def test_a_throwaway_underscore_is_found() -> None:
    assert rebinds_underscore("def f(pairs):\n    for a, _ in pairs:\n        pass\n") == [2]
