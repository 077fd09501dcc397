"""How photo groups are laid out: shared by the exported page and the editor's article."""

from __future__ import annotations


def group_layout(count: int) -> str:
    """``single`` for one photo (full width), ``row`` for 2-3, ``grid`` for 4 or more."""
    return "single" if count == 1 else "row" if count <= 3 else "grid"


def grid_rows(count: int) -> list[int]:
    """How a group of 4+ photos is cut into rows: pairs, the last row a three when odd."""
    rows = [2] * (count // 2)
    if count % 2:
        rows[-1] = 3
    return rows
