"""PySide6's `__feature__` import hook asks, for every module imported after PySide6, whether its source
names PySide6, and reads that source with `inspect.getsource`, which leaves every line of the file in
`linecache` for the life of the process: ~40 MiB for the ~900 modules the app imports after Qt (SQLAlchemy,
pyqtgraph, NumPy, its own). The check is kept as PySide6 makes it; only the lines it cached are dropped again."""

from __future__ import annotations

import inspect
import linecache
from types import ModuleType
from typing import Callable

MARK = "drops_sources"   # set on the wrapped check, so wrapping twice is a no-op


def forget_import_sources() -> bool:
    """Wrap PySide6's check once (call right after importing PySide6); False if this PySide6 has none."""
    import PySide6  # noqa: F401  (installs the import hook)

    try:
        from shibokensupport import feature  # PySide6's own support package, loaded with it
    except ImportError:
        return False
    check = getattr(feature, "_mod_uses_pyside", None)
    if not callable(check):
        return False
    if not getattr(check, MARK, False):
        feature._mod_uses_pyside = _dropping_sources(check)
    return True


def _dropping_sources(check: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        name = _source_name(module)
        before = linecache.cache.get(name) if name else None
        try:
            return check(module)
        finally:
            if name is not None and before is None:
                linecache.cache.pop(name, None)
            elif name is not None and len(before) == 1:   # a lazy entry (a loader to read it): keep it lazy
                linecache.cache[name] = before

    setattr(uses_pyside, MARK, True)
    return uses_pyside


def _source_name(module: ModuleType) -> str | None:
    """The name inspect.getsource files a module's lines under in linecache."""
    try:
        return inspect.getsourcefile(module) or inspect.getfile(module)
    except TypeError:   # a built-in module: no source, nothing cached
        return None
