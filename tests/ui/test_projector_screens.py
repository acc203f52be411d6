"""The projector opens full screen on the second screen: a real X server (Xvfb) with two screens."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.missing import missing_part

CHILD = r"""
import json
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from simulator.settings import Settings
from simulator.ui.call_controller import CallController, Capabilities
from simulator.ui.projector_window import ProjectorWindow

app = QApplication([])
controller = CallController(capabilities=Capabilities(audio=False, model_path=None, problems=()),
                            settings=Settings(trainee_name="demo"))
window = ProjectorWindow(controller)
window.show_on()
for _ in range(20):
    loop = QEventLoop(); QTimer.singleShot(50, loop.quit); loop.exec()
screens = QGuiApplication.screens()
print(json.dumps({"screens": [s.geometry().getRect() for s in screens],
                  "on": screens.index(window.screen()), "size": [window.width(), window.height()],
                  "full": window.isFullScreen(), "font": window.customer_line.font().pixelSize()}))
"""


def test_projector_fills_the_second_screen(tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        missing_part("xvfb-run not installed (apt package xvfb)")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "ROLEPLAY_SIM_DATA": str(tmp_path / "data"),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24 -screen 1 1920x1080x24",
                           sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(result["screens"]) == 2
    assert result["on"] == 1 and result["full"]
    assert result["size"] == [1920, 1080]
    assert result["font"] >= 0.04 * 1080
