"""The call recorder: samples land at their call time on the right channel, the FLAC is written as the call
goes so a killed writer leaves audio up to about the last second (made playable by recovery), a full disk
stops the recording but keeps what was written, playable, and with real devices and a speaker->microphone
echo both channels line up."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from simulator.core.recording_file import read_all
from simulator.speech.audio_io import CallClock, CallRecorder, Microphone, Player
from simulator.speech.recorder import disk_full_file
from simulator.speech.resample import resample
from simulator.storage.recovery import salvage
from tests.pulse import best_lag, speak_to_wav
from tests.small_disk import mount_tmpfs, unmount

RATE = 16000


def test_samples_are_placed_by_call_time_on_their_channel(tmp_path: Path) -> None:
    recorder = CallRecorder(tmp_path / "call.flac")
    recorder.add_trainee(1.0, np.full(1600, 8000, dtype=np.int16))  # arrives before the earlier customer audio
    recorder.add_customer(0.5, np.full(3200, -0.25, dtype=np.float32))
    recorder.add_customer(2.0, np.full(800, 0.5, dtype=np.float32))
    path = recorder.close()
    assert path == tmp_path / "call.flac" and not recorder.partial_path.exists() and recorder.error is None
    assert sf.info(str(path)).format == "FLAC" and list(tmp_path.iterdir()) == [path]
    data, rate = sf.read(path, dtype="float32")
    assert rate == RATE and data.shape == (int(2.05 * RATE), 2)
    left, right = data[:, 0], data[:, 1]
    assert np.allclose(left[8000:11200], -0.25, atol=1e-4) and np.allclose(left[32000:32800], 0.5, atol=1e-4)
    assert np.count_nonzero(left) == 3200 + 800
    assert np.allclose(right[16000:17600], 8000 / 32768, atol=1e-4) and np.count_nonzero(right) == 1600


def test_jittered_block_times_still_give_a_continuous_channel(tmp_path: Path) -> None:
    recorder = CallRecorder(tmp_path / "call.flac")
    line = np.sin(2 * np.pi * 440 * np.arange(20 * 1600) / RATE).astype(np.float32) * 0.5
    jitter = np.random.default_rng(7).uniform(-0.004, 0.004, 20)
    for i in range(20):
        recorder.add_trainee(1.0 + i * 0.1 + jitter[i], line[i * 1600:(i + 1) * 1600])
    data, _ = sf.read(recorder.close(), dtype="float32")
    first = round((1.0 + jitter[0]) * RATE)
    assert np.abs(data[first:first + line.size, 1] - line).max() < 1e-3
    assert not data[:first].any() and len(data) == first + line.size


def test_unwritable_place_sets_error_instead_of_raising(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    recorder = CallRecorder(blocker / "call.flac")
    recorder.add_customer(0.0, np.ones(160, dtype=np.float32))
    recorder.close()
    assert recorder.error is not None and recorder.error.startswith("Recording stopped")
    assert "nothing could be written" in recorder.error


WRITER = """
import sys, time, numpy as np
from pathlib import Path
from simulator.speech.recorder import CallRecorder
recorder = CallRecorder(Path(sys.argv[1]))
block = 1600
for i in range(10_000):
    t = i * block / 16000
    n = np.arange(i * block, (i + 1) * block)
    recorder.add_customer(t, 0.3 * np.sin(2 * np.pi * 300 * n / 16000))
    recorder.add_trainee(t, 0.3 * np.sin(2 * np.pi * 800 * n / 16000))
    print(f"{t + block / 16000:.2f}", flush=True)
    time.sleep(block / 16000)
"""


def test_killed_writer_leaves_audio_up_to_about_the_last_second(tmp_path: Path) -> None:
    final = tmp_path / "call.flac"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(final)], stdout=subprocess.PIPE, text=True)
    fed = 0.0
    while fed < 3.0:
        fed = float(writer.stdout.readline())
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    fed = max([fed, *(float(line) for line in writer.stdout.read().split())])
    partial = final.with_suffix(".partial.flac")
    assert not final.exists() and list(tmp_path.iterdir()) == [partial]
    assert sf.info(str(partial)).format == "FLAC"
    during, rate = read_all(partial)   # what the projector's replay reads while a call is still being written
    assert fed - 1.5 <= len(during) / rate <= fed, (fed, len(during) / rate)

    assert salvage(final) == final and list(tmp_path.iterdir()) == [final]
    data, rate = sf.read(final, dtype="float32")  # repaired: an ordinary FLAC that reads in one go
    assert sf.info(str(final)).format == "FLAC" and len(data) == len(during)
    expected = 0.3 * np.sin(2 * np.pi * np.array([[300], [800]]) * np.arange(len(data)) / rate).T
    assert np.abs(data - expected).max() < 1e-3


def fail_writes_after(monkeypatch: pytest.MonkeyPatch, frames_allowed: int) -> None:
    """Make SoundFile.write raise ENOSPC once `frames_allowed` frames have been written (no tmpfs here)."""
    real_write = sf.SoundFile.write
    written = [0]

    def write(self: sf.SoundFile, data: np.ndarray) -> None:
        if written[0] + len(data) > frames_allowed:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written[0] += len(data)
        real_write(self, data)

    monkeypatch.setattr(sf.SoundFile, "write", write)


@pytest.mark.parametrize("disk", ["64 KiB tmpfs", "write raising ENOSPC"])
def test_full_disk_stops_the_recording_and_keeps_what_was_written(tmp_path: Path, monkeypatch, disk: str) -> None:
    folder = tmp_path / "tiny"
    refused = mount_tmpfs(folder, "64k") if disk == "64 KiB tmpfs" else "not asked"
    mounted = refused is None
    if disk == "64 KiB tmpfs" and not mounted:
        pytest.skip(f"cannot mount a tmpfs here: {refused} (the ENOSPC variant still runs)")
    if not mounted:
        folder.mkdir(exist_ok=True)
        fail_writes_after(monkeypatch, RATE)
    try:
        recorder = CallRecorder(folder / "call.flac")
        noise = np.random.default_rng(3).uniform(-0.5, 0.5, 8 * RATE).astype(np.float32)  # barely compresses
        for i in range(80):
            recorder.add_customer(i * 0.1, noise[i * 1600:(i + 1) * 1600])
        path = recorder.close()
        assert recorder.error is not None and "disk is full" in recorder.error and str(path) in recorder.error
        assert path == recorder.path and list(folder.iterdir()) == [path] and sf.info(str(path)).format == "FLAC"
        assert disk_full_file(recorder.error) == path
        data, _ = sf.read(path, dtype="float32")   # readable in one go: no repair needed
        assert 0.5 * RATE < len(data) <= 4 * RATE
        assert np.abs(data[:, 0] - noise[:len(data)]).max() < 1e-4 and not data[:, 1].any()
    finally:
        if mounted:
            unmount(folder)


def test_the_disk_full_message_is_shown_in_the_interface_language(qapp, tmp_path: Path, monkeypatch) -> None:
    from simulator.ui import i18n
    from simulator.ui.call_bridge import CallBridge

    fail_writes_after(monkeypatch, RATE)
    recorder = CallRecorder(tmp_path / "call.flac")
    recorder.add_customer(0.0, np.ones(3 * RATE, dtype=np.float32) * 0.1)
    path = recorder.close()
    bridge, shown = CallBridge(), []
    bridge.problemRaised.connect(shown.append)
    try:
        i18n.install_translator(qapp, "zh")
        bridge.problem(recorder.error)
        bridge.problem("Microphone lost")   # other messages pass as they are
    finally:
        i18n.install_translator(qapp, "en")
    bridge.problem(recorder.error)
    assert shown[0] == f"录音已停止：磁盘已满。已录下的内容保存在 {path}。" and shown[1] == "Microphone lost"
    assert shown[2] == f"Recording stopped: the disk is full. What was recorded so far is kept in {path}."


@pytest.mark.audio
def test_echoed_customer_lines_up_with_the_trainee_channel(pulse, tmp_path: Path) -> None:
    wav = speak_to_wav("Your engineer promised to come on Monday and nobody came.", tmp_path / "customer.wav")
    speech, rate = sf.read(wav, dtype="float32")
    clock = CallClock()
    microphone, player = Microphone(clock), Player(clock)
    recorder = CallRecorder(tmp_path / "call.flac")
    player.on_played = recorder.add_customer
    with microphone, player, pulse.loopback():
        trainee = microphone.subscribe()
        pump = threading.Thread(target=lambda: [recorder.add_trainee(*block) for block in iter(trainee.get, None)])
        pump.start()
        player.play(speech, rate)
        while player.is_playing():
            time.sleep(0.05)
        time.sleep(0.4)
    trainee.put(None)
    pump.join()
    data, _ = sf.read(recorder.close(), dtype="float32")
    assert recorder.error is None
    left, right = data[:, 0], data[:, 1]
    _, heard = best_lag(resample(speech, rate, RATE), left)
    assert heard > 0.99  # the customer channel is the line itself
    lag, similarity = best_lag(left, right)
    print(f"trainee channel lags the customer channel by {lag / RATE * 1000:.1f} ms (loopback set to 20 ms)")
    assert similarity > 0.6
    assert -0.01 <= lag / RATE <= 0.06
