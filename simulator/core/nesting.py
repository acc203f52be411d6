"""How deeply a parsed JSON or TOML value nests, counted without recursion.

Every file the app reads (timelines, settings, persona files, import bundles) nests a few levels; a
crafted one nested thousands deep would make the recursive validators and copiers below raise
RecursionError, so readers refuse anything deeper than `MAX_DEPTH` first."""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 32  # the deepest real file (a persona's scenario lines) nests 5


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when lists and dicts inside `value` nest more than `limit` levels."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False
