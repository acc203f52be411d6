"""The shipped assets/ folder, read through one lookup that works in a checkout and after `pip install .`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

from simulator.core.bundled import bundled_dir


def asset_path(name: str) -> Path:
    return bundled_dir("assets") / name


def app_icon() -> QIcon:
    """The window icon: a phone in a speech bubble, SVG so it is sharp at every size and scale."""
    return QIcon(str(asset_path("icon.svg")))
