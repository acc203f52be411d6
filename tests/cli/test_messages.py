"""Messages from below the interface (audio devices, speech models, settings) in the interface language:
every code has a translated template, the app shows real problems in Chinese with their details filled in,
and the command line keeps printing English."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from simulator.core.messages import ENGLISH, Message, message_of, problem_of
from simulator.settings import Settings, load_settings
from simulator.speech.models import ModelError, check_model_dir, find_model
from simulator.ui import i18n
from simulator.ui.messages import templates, text_of
from tests.dialogs import answer_end_question

CJK = re.compile(r"[\u4e00-\u9fff]")
FIELDS = re.compile(r"\{(\w+)\}")
NO_MODEL_ZH = ("未安装中文语音模型；请运行 `python -m simulator models download zh`，"
               "将 ROLEPLAY_SIM_VOSK_MODEL_ZH 设为已解压的模型文件夹，或在设置中选择该文件夹")
NO_MODEL_EN = ("no Chinese speech model installed; run `python -m simulator models download zh`, set "
               "ROLEPLAY_SIM_VOSK_MODEL_ZH to an unpacked model folder, or pick the folder in the settings")


@pytest.fixture
def chinese(qapp):
    """The interface in Chinese for the test, English again afterwards."""
    i18n.install_translator(qapp, "zh")
    yield qapp
    i18n.install_translator(qapp, "en")


@pytest.fixture
def no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("ROLEPLAY_SIM_CONFIG", str(tmp_path / "config"))
    for var in ("ROLEPLAY_SIM_VOSK_MODEL", "ROLEPLAY_SIM_VOSK_MODEL_ZH", "ROLEPLAY_SIM_MODEL_CATALOG"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_every_code_has_an_interface_template_with_the_same_placeholders(chinese) -> None:
    i18n.install_translator(chinese, "en")
    english = templates()
    assert set(english) == set(ENGLISH), "a code without an interface template (or a template without a code)"
    assert english == ENGLISH, "the English interface must show what the command line prints"
    i18n.install_translator(chinese, "zh")
    translated = templates()
    for code, source in ENGLISH.items():
        assert sorted(FIELDS.findall(translated[code])) == sorted(FIELDS.findall(source)), code
        assert CJK.search(translated[code]), f"{code} is not translated"


def test_a_message_is_its_english_text_and_keeps_code_and_parameters(tmp_path: Path) -> None:
    folder = tmp_path / "half-a-model"
    (folder / "conf").mkdir(parents=True)
    (folder / "conf" / "model.conf").write_text("")
    with pytest.raises(ModelError) as caught:
        check_model_dir(folder)
    message = message_of(caught.value)
    assert str(caught.value) == message == (f"{folder} is not a Vosk model folder: am/final.mdl is missing; pick the "
                                            "folder that contains am/ and conf/")
    assert message.code == "model.file_missing" and message.params == {"path": folder, "file": "am/final.mdl"}
    assert problem_of(caught.value) is message and problem_of(ValueError("plain")) == "plain"
    assert pickle.loads(pickle.dumps(message)).params == message.params
    assert message_of(message + "!") is None  # str operations give plain English text
    assert text_of("already translated text") == "already translated text"
    with pytest.raises(AttributeError):
        message.code = "other"


def test_nested_messages_are_translated_too(chinese, no_model: Path) -> None:
    """The origin of a bad model folder is a Message inside the Message."""
    bad = no_model / "empty-folder"
    bad.mkdir()
    with pytest.raises(ModelError) as caught:
        find_model("zh", bad)
    assert str(caught.value).endswith("(from the model folder setting)")
    assert text_of(caught.value) == (f"{bad} 不是 Vosk 模型文件夹：缺少 am/final.mdl；"
                                     "请选择包含 am/ 和 conf/ 的文件夹（来自设置中的模型文件夹）")


def test_the_command_line_prints_english_in_a_chinese_locale(no_model: Path) -> None:
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "LANGUAGE": "zh_CN"}
    done = subprocess.run([sys.executable, "-m", "simulator", "models", "path", "zh"], capture_output=True,
                          text=True, env=env, cwd=Path(__file__).parents[2], timeout=60)
    assert done.returncode != 0
    assert NO_MODEL_EN in done.stdout + done.stderr
    assert not CJK.search(done.stdout + done.stderr)


def test_chinese_window_shows_no_audio_device_and_no_model_in_chinese(chinese, qtbot, no_model: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Real checks: PortAudio sees no sound server, and there is no speech model; the English returns when
    the interface is switched to English."""
    from simulator.speech.audio_devices import reinitialise_portaudio
    from simulator.speech.tts import SpeechRenderer
    from simulator.ui.call_controller import CallController
    from simulator.ui.main_window import MainWindow

    monkeypatch.setenv("PULSE_SERVER", f"unix:{no_model}/no-such-socket")
    reinitialise_portaudio()
    try:
        controller = CallController(renderer=SpeechRenderer(no_model / "tts"), settings=Settings(ui_language="zh"))
        window = MainWindow(controller, "zh")
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(controller.capabilitiesChecked, timeout=30000):
            window.start_call()
        answer_end_question()
        window.end_call()
        qtbot.waitUntil(lambda: not window.call_page.active, timeout=10000)
        controller.wait_finished()
        lines = window.problems.text().split("\n")
        assert "未找到音频设备（声音服务器是否在运行？）；仍可打字回复。" in lines
        assert NO_MODEL_ZH in lines
        assert not any("typed replies" in line or "speech model installed" in line for line in lines)
        window.set_ui_language("en")
        lines = window.problems.text().split("\n")
        assert "No audio devices found (is the sound server running?); typed replies still work." in lines
        assert NO_MODEL_EN in lines
    finally:
        monkeypatch.undo()
        reinitialise_portaudio()


def test_chinese_setup_assistant_names_the_missing_model_file(chinese, qtbot, no_model: Path) -> None:
    from simulator.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(Settings(ui_language="zh"), no_model / "settings.json")
    qtbot.addWidget(wizard)
    wizard.show()
    bad = no_model / "not-a-model"
    (bad / "conf").mkdir(parents=True)
    (bad / "conf" / "model.conf").write_text("--beam=10\n")
    assert not wizard.model_page.set_folder(bad)
    assert wizard.model_page.status.text() == (f"{bad} 不是 Vosk 模型文件夹：缺少 am/final.mdl；"
                                               "请选择包含 am/ 和 conf/ 的文件夹")


def test_chinese_window_reports_an_unreadable_settings_file_in_chinese(chinese, qtbot, no_model: Path) -> None:
    from simulator.ui.app import build_window

    path = no_model / "config" / "settings.json"
    path.parent.mkdir()
    path.write_text("{ not json", encoding="utf-8")
    settings = load_settings()
    assert settings.load_warnings[0].startswith(f"The settings file {path} could not be read (not valid JSON: ")
    window = build_window(settings, "zh")
    qtbot.addWidget(window)
    first, refused = window.problems.text().split("\n")
    assert first == (f"无法读取设置文件 {path}（不是有效的 JSON：第 1 行 Expecting property "
                     f"name enclosed in double quotes）；已使用默认设置；原文件已保留为 {path}.bad。")
    assert refused.startswith(f"未打开练习记录：无法读取设置文件 {path}")  # it may have named the team database
    window.close()
    QApplication.processEvents()
