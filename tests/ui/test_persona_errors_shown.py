"""A broken persona file is shown to the user in the picker (file:line: field: message) while the good
personas stay available; ROLEPLAY_SIM_PERSONAS points the app at the test's folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from simulator.settings import Settings
from simulator.speech.tts import SpeechRenderer
from simulator.ui.call_controller import CallController, Capabilities
from simulator.ui.main_window import MAX_SHOWN_ERRORS, MainWindow

FIXTURES = Path(__file__).parents[1] / "fixtures" / "personas"
TYPED_ONLY = Capabilities(audio=False, model_path=None, problems=())


def _window(qtbot, tmp_path: Path) -> MainWindow:
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=TYPED_ONLY,
                                settings=Settings(trainee_name="张三"))
    window = MainWindow(controller, "zh")
    qtbot.addWidget(window)
    window.show()
    return window


def test_broken_file_is_listed_and_the_good_personas_stay(qtbot, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "personas"
    folder.mkdir()
    for name in ("angry_threatening", "stubborn"):
        shutil.copy(FIXTURES / "valid" / f"{name}.toml", folder)
    broken = folder / "broken.toml"
    shutil.copy(FIXTURES / "malformed" / "unknown_event.toml", broken)
    monkeypatch.setenv("ROLEPLAY_SIM_PERSONAS", str(folder))
    window = _window(qtbot, tmp_path)
    label = window.persona_errors
    assert label.isVisible()
    marked = next(n for n, t in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1)
                  if t.rstrip().endswith("# ERROR-LINE") and not t.startswith("#"))
    assert f"{broken}:{marked}: reactions[2].on: 'sympathy' is not one of: interruption" in label.text()
    assert {e.persona_id for e in window.entries} == {"test.zh.angry_threatening", "test.zh.stubborn"}
    assert window.picker.select("test.zh.stubborn")
    window.start_call()
    qtbot.waitUntil(lambda: window.call_page.transcript.count() >= 1, timeout=30000)
    assert not label.isVisible()   # the message belongs to the picker page
    window.controller.end_call()
    window.controller.wait_finished()


def test_many_errors_are_counted_and_no_message_without_errors(qtbot, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "personas"
    folder.mkdir()
    for index in range(MAX_SHOWN_ERRORS + 3):
        (folder / f"bad{index:02}.toml").write_text("id = ", encoding="utf-8")
    monkeypatch.setenv("ROLEPLAY_SIM_PERSONAS", str(folder))
    lines = _window(qtbot, tmp_path).persona_errors.text().splitlines()
    assert len(lines) == 1 + MAX_SHOWN_ERRORS + 1 and lines[-1] == "… (+3)"
    assert lines[1].startswith(f"{folder / 'bad00.toml'}:1: (toml): TOML syntax error")
    monkeypatch.setenv("ROLEPLAY_SIM_PERSONAS", str(FIXTURES / "valid"))
    window = _window(qtbot, tmp_path)
    assert not window.persona_errors.isVisible() and window.entries
