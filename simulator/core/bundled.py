"""Where the shipped top-level folders (personas/, assets/) are: beside the package in a checkout, or inside
it as simulator/bundled/<name> after `pip install .` (setup.py maps them there), so both layouts work."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def bundled_dir(name: str) -> Path:
    """The installed copy when there is one, else the checkout's top-level folder of that name."""
    installed = Path(str(files("simulator") / "bundled" / name))
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / name
