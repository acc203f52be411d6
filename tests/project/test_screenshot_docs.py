"""The README's screenshots (made by scripts/screenshots.sh): every screen in both languages, every file
linked, none too heavy for the repository; and the windows again as a 1366×768 laptop screen shows them."""

from __future__ import annotations

import re
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
LAPTOP = SHOTS / "1366x768"
LAPTOP_SCREENS = {"picker", "call", "result", "review", "compare", "projector"}
MAX_BYTES = 300_000


def _linked(folder: str = "") -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Screens", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(rf"docs/screenshots/{folder}([\w-]+\.png)", section))


def _png_size(path: Path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_every_screen_is_linked_in_both_languages_and_exists() -> None:
    linked = _linked()
    screens = {name.rsplit("_", 1)[0] for name in linked}
    assert {"call", "projector", "result", "review", "setup_devices", "setup_summary"} <= screens
    assert linked == {f"{screen}_{lang}.png" for screen in screens for lang in ("zh", "en")}
    assert linked == {path.name for path in SHOTS.glob("*.png")}      # no stale screenshot left behind


def test_the_laptop_set_shows_every_main_screen_at_1366_wide() -> None:
    linked = _linked("1366x768/")
    assert linked == {f"{screen}_{lang}.png" for screen in LAPTOP_SCREENS for lang in ("zh", "en")}
    assert linked == {path.name for path in LAPTOP.glob("*.png")}
    for path in LAPTOP.glob("*.png"):
        width, height = _png_size(path)
        assert width == 1366 and height in (704, 768), f"{path.name}: {width}×{height}"  # maximised; projector full


def test_screenshots_are_real_pngs_of_a_modest_size() -> None:
    for path in SHOTS.rglob("*.png"):
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", path.name
        assert 10_000 < len(data) <= MAX_BYTES, f"{path.name}: {len(data)} bytes"
