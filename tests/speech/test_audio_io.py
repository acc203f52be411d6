"""Real audio through a private PulseAudio server: the Player is heard on the virtual speaker, speech
played into the virtual microphone reaches Microphone.read() at the right call time, both streams run
together without xruns, and missing audio gives a one-line message instead of a traceback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from simulator.speech.audio_io import CallClock, Microphone, Player, audio_problem
from simulator.speech.recorder import SNAP_SECONDS
from simulator.speech.resample import resample
from tests.missing import missing_part
from tests.pulse import best_lag, dominant_frequency, place_blocks, speak_to_wav, tone

pytestmark = pytest.mark.audio

RATE = 16000
# A block's call time may be off by this much beyond the window in which paplay can have played it.
TIME_TOLERANCE = 0.05


def wait_until_quiet(player: Player, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while player.is_playing():
        assert time.monotonic() < deadline, "player never finished"
        time.sleep(0.02)


def test_player_tone_is_heard_on_the_speaker_with_its_pitch_and_length(pulse, tmp_path: Path) -> None:
    captured = tmp_path / "speaker.wav"
    listener = pulse.record(pulse.speaker_monitor, captured)
    time.sleep(0.3)
    clock = CallClock()
    player = Player(clock)
    played: list[tuple[float, np.ndarray]] = []
    player.on_played = lambda call_time, samples: played.append((call_time, samples))
    with player:
        line = tone(440.0, 0.8, RATE)
        start = player.play(line, RATE)
        assert player.is_playing()
        wait_until_quiet(player)
        time.sleep(0.2)
    pulse.stop_recording(listener)

    heard, rate = sf.read(captured)
    loud = np.flatnonzero(np.abs(heard) > 0.1)
    assert loud.size, "nothing reached the speaker"
    assert (loud[-1] - loud[0]) / rate == pytest.approx(0.8, abs=0.02)
    assert dominant_frequency(heard[loud[0]:loud[-1]], rate) == pytest.approx(440.0, abs=3.0)

    assert np.array_equal(np.concatenate([samples for _, samples in played]), line)
    times = np.array([t for t, _ in played])
    expected_next = times[:-1] + np.array([len(samples) for _, samples in played[:-1]]) / RATE
    print("on_played timing jitter (ms):", np.round((times[1:] - expected_next) * 1000, 2))
    # PortAudio's output times for PulseAudio jitter by a few ms per callback; within the recorder's snap the
    # customer's channel stays continuous, beyond it the recording would get gaps or overlaps.
    assert np.abs(times[1:] - expected_next).max() < SNAP_SECONDS / 2, "block call times must follow the samples"
    assert times[0] == pytest.approx(start, abs=TIME_TOLERANCE)
    assert player.underflows == 0


def test_stop_playback_cuts_the_line(pulse) -> None:
    clock = CallClock()
    player = Player(clock)
    played: list[tuple[float, np.ndarray]] = []
    player.on_played = lambda call_time, samples: played.append((call_time, samples))
    with player:
        player.play(tone(300.0, 3.0, RATE), RATE)
        player.play(tone(500.0, 3.0, RATE), RATE)
        time.sleep(0.5)
        player.stop_playback()
        wait_until_quiet(player, limit=1.0)
        time.sleep(0.3)
    seconds = sum(len(samples) for _, samples in played) / RATE
    assert 0.3 < seconds < 1.5


def test_speech_played_into_the_microphone_arrives_with_its_call_time(pulse, tmp_path: Path) -> None:
    wav = speak_to_wav("Hello, I am calling about the heating bill for my flat.", tmp_path / "trainee.wav")
    source, source_rate = sf.read(wav, dtype="float32")
    reference = resample(source, source_rate, RATE)
    clock = CallClock()
    microphone = Microphone(clock)
    with microphone:
        time.sleep(0.3)
        before = clock.now()
        pulse.play_into_mic(wav)
        after = clock.now()
        time.sleep(0.4)
        level = microphone.level_dbfs
    blocks = microphone.read()

    times = np.array([t for t, _ in blocks])
    assert all(len(b) == microphone.blocksize and b.dtype == np.int16 for _, b in blocks)
    assert np.all(np.diff(times) > 0)
    _, content_similarity = best_lag(reference, np.concatenate([b for _, b in blocks]).astype(np.float32))
    assert content_similarity > 0.8  # PulseAudio may drop or repeat a few ms while a new stream starts
    origin, heard = place_blocks(blocks, RATE)
    lag, similarity = best_lag(reference, heard)
    assert similarity > 0.6
    heard_at = origin + lag / RATE
    print(f"speech heard at {heard_at:.3f} s; paplay window {before:.3f} .. {after - reference.size / RATE:.3f} s")
    # paplay can only have played the first sample after it was started and before it drained the rest.
    assert before - TIME_TOLERANCE <= heard_at <= after - reference.size / RATE + TIME_TOLERANCE
    assert level < -60  # read 0.4 s after the speech ended: silence
    assert microphone.error is None and microphone.overflows == 0


def test_level_meter_reads_the_rms_of_a_known_tone(pulse, tmp_path: Path) -> None:
    wav = tmp_path / "tone.wav"
    sf.write(wav, tone(1000.0, 1.5, 48000, amplitude=0.5), 48000, subtype="PCM_16")
    microphone = Microphone(CallClock())
    levels = []
    with microphone:
        playing = subprocess.Popen(["paplay", f"--device={pulse.mic_in}", str(wav)], env=pulse.client_env())
        while playing.poll() is None:
            levels.append(microphone.level_dbfs)
            time.sleep(0.05)
    expected = 20 * np.log10(0.5 / np.sqrt(2))  # -9.03 dBFS
    assert max(levels) == pytest.approx(expected, abs=1.0)
    assert min(levels) < -60  # before the tone: silence


def test_microphone_and_player_run_together_without_xruns(pulse) -> None:
    clock = CallClock()
    microphone = Microphone(clock)
    player = Player(clock)
    consumer = microphone.subscribe()
    with microphone, player, pulse.loopback():
        began = clock.now()
        player.play(tone(700.0, 1.5, 22050), 22050)
        wait_until_quiet(player)
        time.sleep(0.3)
        ended = clock.now()
        echo_level = max(microphone.level_dbfs, -120.0)
    drained = microphone.read()
    subscribed = []
    while not consumer.empty():
        subscribed.append(consumer.get_nowait())
    assert [t for t, _ in subscribed] == [t for t, _ in drained]
    captured = sum(len(b) for _, b in drained) / RATE
    assert captured >= ended - began - 0.3
    assert player.underflows == 0 and microphone.overflows == 0
    heard = np.concatenate([b for _, b in drained]).astype(np.float32) / 32768
    loud = np.flatnonzero(np.abs(heard) > 0.05)
    assert loud.size and (loud[-1] - loud[0]) / RATE == pytest.approx(1.5, abs=0.1)  # the tone's echo
    assert dominant_frequency(heard[loud[0]:loud[-1]], RATE) == pytest.approx(700.0, abs=5.0)
    assert echo_level < -50  # measured after the tone ended: silence again


LOSE_SERVER = """
import os, sys, time
from pathlib import Path
from tests.pulse import start_pulse
server = start_pulse(Path(sys.argv[1]))
os.environ.update(server.env)
from simulator.speech.audio_io import CallClock, Microphone, Player
clock = CallClock()
microphone, player = Microphone(clock), Player(clock)
microphone.start()
player.start()
player.play([0.1] * 480000, 48000)
print("before:", microphone.error, player.error, flush=True)
server.process.kill()
server.process.wait()
deadline = time.monotonic() + 8
while (microphone.error is None or player.error is None) and time.monotonic() < deadline:
    time.sleep(0.1)
print("microphone:", microphone.error)
print("player:", player.error, player.is_playing())
microphone.stop()
player.stop()
"""


def test_losing_the_sound_server_mid_call_is_reported(tmp_path: Path) -> None:
    from tests.pulse import pulseaudio_missing

    if (missing := pulseaudio_missing()) is not None:
        missing_part(missing)
    done = subprocess.run([sys.executable, "-c", LOSE_SERVER, str(tmp_path / "server")], capture_output=True,
                          text=True, timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    before, microphone, player = done.stdout.splitlines()
    assert before == "before: None None"
    assert microphone.startswith("microphone: The microphone stopped")
    assert player.startswith("player: The speaker or headset stopped") and player.endswith("False")


PROBE = """
from simulator.speech.audio_io import AudioUnavailable, CallClock, Microphone, Player, audio_problem
print("problem:", audio_problem())
for device in (Microphone(CallClock()), Player(CallClock())):
    try:
        device.start()
        print("started")
    except AudioUnavailable as exc:
        print("unavailable:", exc)
"""

HIDE_PORTAUDIO = "import ctypes.util; ctypes.util.find_library = lambda name: None\n"


def run_probe(tmp_path: Path, env: dict[str, str], prelude: str = "") -> list[str]:
    done = subprocess.run([sys.executable, "-c", prelude + PROBE], env=env, capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    return done.stdout.splitlines()


def alsa_without_cards(tmp_path: Path) -> Path:
    """ALSA's own configuration minus its hooks: no pulse plugin, no card, nothing."""
    standard = Path("/usr/share/alsa/alsa.conf")
    if not standard.is_file():
        missing_part("no /usr/share/alsa/alsa.conf to derive a card-less ALSA configuration from")
    text = standard.read_text()
    hooks = text.index("@hooks")
    depth = 0
    for end in range(text.index("[", hooks), len(text)):
        depth += {"[": 1, "]": -1}.get(text[end], 0)
        if depth == 0:
            break
    config = tmp_path / "alsa-no-card.conf"
    config.write_text(text[:hooks] + text[end + 1:])
    return config


@pytest.mark.parametrize("setup", ["dead sound server", "ALSA without cards", "no PortAudio library"])
def test_missing_audio_gives_one_clear_line(pulse, tmp_path: Path, setup: str) -> None:
    env = pulse.client_env()
    prelude = ""
    if setup == "dead sound server":
        env["PULSE_SERVER"] = f"unix:{tmp_path / 'nobody-listens'}"
    elif setup == "ALSA without cards":
        env["ALSA_CONFIG_PATH"] = str(alsa_without_cards(tmp_path))
    else:
        prelude = HIDE_PORTAUDIO
    problem, microphone, player = run_probe(tmp_path, env, prelude)
    expected = "PortAudio library is not installed" if prelude else "No audio devices found"
    assert problem.startswith("problem: ") and expected in problem and "typed replies still work" in problem
    assert microphone.startswith("unavailable: ") and player.startswith("unavailable: ")
    assert ("PortAudio" if prelude else "microphone") in microphone
    assert ("PortAudio" if prelude else "speaker") in player


def test_working_devices_have_no_problem(pulse) -> None:
    assert audio_problem(refresh=True) is None
