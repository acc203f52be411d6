"""The app opens and a typed call works when a system part is really missing: the library is hidden
in a private mount namespace (bind-mounting /dev/null over it), so nothing in the app is faked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LIBDIR = Path("/usr/lib/x86_64-linux-gnu")
CHILD = r"""
import json, sys
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from simulator.settings import load_settings
from simulator.ui.app import build_window

app = QApplication([])
window = build_window(load_settings(), "zh")
window.show()
deadline = QTimer(); deadline.setSingleShot(True); deadline.start(30000)
while window.trainee_dialog is None and deadline.isActive():   # a first start asks who is training
    loop = QEventLoop(); QTimer.singleShot(50, loop.quit); loop.exec()
window.trainee_dialog.name.setEditText("张三")
window.trainee_dialog.accept()
window.start_call()
page = window.call_page
while page.transcript.count() < 1 and deadline.isActive():
    loop = QEventLoop(); QTimer.singleShot(50, loop.quit); loop.exec()
page.reply.setText("您好，我非常理解您的心情。")
page.reply.returnPressed.emit()
while page.transcript.count() < 3 and deadline.isActive():
    loop = QEventLoop(); QTimer.singleShot(50, loop.quit); loop.exec()
print(json.dumps({"problems": window.problems.text(), "lines": page.transcript.count()}))
store = window.controller.store
window.close()
print(json.dumps({"stored": store.count_attempts() if store else 0}))
"""


def _hidden(library: str) -> Path:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("hiding a system library needs root and unshare (util-linux)")
    path = LIBDIR / library
    if not path.exists():
        pytest.skip(f"{path} is not installed, so there is nothing to hide")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"private mount namespaces are not allowed here: {probe.stderr.decode().strip()}")
    return path


def _run_app_without(library: str, tmp_path: Path) -> dict:
    path = _hidden(library)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ROLEPLAY_SIM_DATA": str(tmp_path / "data"),
           "ROLEPLAY_SIM_CONFIG": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    script = f"mount --bind /dev/null {path} && exec {sys.executable} -c '{CHILD}'"
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], env=env, capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    lines = done.stdout.strip().splitlines()
    return {**json.loads(lines[-2]), **json.loads(lines[-1])}


def test_without_espeak_ng_the_app_opens_says_why_and_typed_calls_work(tmp_path: Path) -> None:
    result = _run_app_without("libespeak-ng.so.1", tmp_path)
    assert "install the packages espeak-ng and libespeak-ng1" in result["problems"]
    assert result["lines"] >= 3
    assert result["stored"] == 1


def test_without_portaudio_the_app_opens_says_why_and_typed_calls_work(tmp_path: Path) -> None:
    result = _run_app_without("libportaudio.so.2", tmp_path)
    assert "PortAudio" in result["problems"] or "libportaudio2" in result["problems"]
    assert "typed replies still work" in result["problems"]
    assert result["lines"] >= 3
    assert result["stored"] == 1
