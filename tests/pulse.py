"""A private PulseAudio server for audio tests (null sinks as a virtual speaker and microphone) and the
signal helpers those tests measure with.

`speaker` is where the app plays (its monitor is what a listener would hear); `mic_in` is where a test
plays the "trainee's speech", and its monitor `mic_in.monitor` is the default source, i.e. the app's
microphone. loopback() routes the speaker into the microphone (echo, no headset). The server is our
child process and is stopped by its PID.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SPEAKER = "speaker"
MIC_IN = "mic_in"
RATE = 48000
LOOPBACK_LATENCY_MS = 20
PRIORITY = ("nice", "-n", "-15") if os.geteuid() == 0 else ()  # the sound server and the test's player


@dataclass
class PulseServer:
    root: Path
    process: subprocess.Popen
    env: dict[str, str] = field(default_factory=dict)  # what a client needs (PULSE_SERVER)
    speaker: str = SPEAKER
    mic_in: str = MIC_IN

    @property
    def speaker_monitor(self) -> str:
        return f"{self.speaker}.monitor"

    @property
    def mic_monitor(self) -> str:
        return f"{self.mic_in}.monitor"

    def client_env(self) -> dict[str, str]:
        return {**os.environ, **self.env}

    def pactl(self, *args: str) -> str:
        done = subprocess.run(["pactl", *args], env=self.client_env(), capture_output=True, text=True, timeout=10)
        if done.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def play_into_mic(self, wav: Path) -> None:
        """Play a file into the virtual microphone and wait until it has been played out."""
        subprocess.run(self.mic_player(wav), env=self.client_env(), check=True, timeout=60)

    def mic_player(self, wav: Path) -> list[str]:
        """paplay into the microphone at a raised priority (where allowed): a low-latency client starved on a
        busy machine would put gaps into the "speech", which no real microphone does."""
        return [*PRIORITY, "paplay", f"--device={self.mic_in}", "--latency-msec=20", str(wav)]

    def record(self, source: str, wav: Path) -> subprocess.Popen:
        """Start recording a source (e.g. speaker.monitor) to a mono 48 kHz WAV; finish with stop_recording()."""
        return subprocess.Popen(["parecord", f"--device={source}", "--channels=1", f"--rate={RATE}",
                                 "--format=s16le", "--file-format=wav", "--latency-msec=20", str(wav)],
                                env=self.client_env())

    @staticmethod
    def stop_recording(recorder: subprocess.Popen) -> None:
        recorder.terminate()
        recorder.wait(timeout=10)

    @contextlib.contextmanager
    def loopback(self, latency_ms: int = LOOPBACK_LATENCY_MS) -> Iterator[None]:
        """Route what the app plays into what its microphone hears (speaker -> mic echo)."""
        module = self.pactl("load-module", "module-loopback", f"source={self.speaker_monitor}",
                            f"sink={self.mic_in}", f"latency_msec={latency_ms}")
        try:
            yield
        finally:
            self.pactl("unload-module", module)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def pulseaudio_missing() -> str | None:
    for tool in ("pulseaudio", "pactl", "paplay", "parecord"):
        if shutil.which(tool) is None:
            return f"{tool} not installed (apt package pulseaudio / pulseaudio-utils)"
    return None


def start_pulse(root: Path) -> PulseServer:
    """Start pulseaudio in the foreground as our child (works as root without --system), wait for its socket."""
    runtime, home, state = root / "run", root / "home", root / "state"
    for folder in (runtime, home, state):
        folder.mkdir(parents=True, exist_ok=True)
    socket = runtime / "native"
    server_env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime),
                  "PULSE_RUNTIME_PATH": str(runtime / "pulse"), "PULSE_STATE_PATH": str(state)}
    sink_args = f"rate={RATE} channels=1"
    log = (root / "pulseaudio.log").open("w")
    process = subprocess.Popen(
        [*PRIORITY, "pulseaudio", "--daemonize=no", "--system=no", "--exit-idle-time=-1", "--disallow-exit",
         "--use-pid-file=no", "-n", "--log-target=stderr",
         f"--load=module-native-protocol-unix socket={socket} auth-anonymous=1",
         f"--load=module-null-sink sink_name={SPEAKER} {sink_args}",
         f"--load=module-null-sink sink_name={MIC_IN} {sink_args}"],
        env=server_env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    server = PulseServer(root, process, {"PULSE_SERVER": f"unix:{socket}"})
    deadline = time.monotonic() + 10
    while True:
        try:
            server.pactl("info")
            break
        except RuntimeError:
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"pulseaudio did not start: {(root / 'pulseaudio.log').read_text()[-2000:]}")
            time.sleep(0.1)
    server.pactl("set-default-sink", SPEAKER)
    server.pactl("set-default-source", server.mic_monitor)
    return server


def pulse_session(root: Path) -> Iterator[PulseServer]:
    """Start the server, point this process's PortAudio at it (re-initialising if already loaded), clean up."""
    server = start_pulse(root)
    saved = {name: os.environ.get(name) for name in server.env}
    os.environ.update(server.env)
    _reinitialise_if_loaded()
    try:
        yield server
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        server.stop()
        _reinitialise_if_loaded()


def _reinitialise_if_loaded() -> None:
    """PortAudio reads PULSE_SERVER only at initialisation: refresh it if sounddevice is already imported."""
    if "sounddevice" in sys.modules:
        from simulator.speech.audio_io import reinitialise_portaudio

        reinitialise_portaudio()


def speak_to_wav(text: str, wav: Path, voice: str = "en") -> Path:
    """Synthesise real speech with espeak-ng (22050 Hz mono WAV)."""
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), text], check=True, timeout=30)
    return wav


def best_lag(reference: np.ndarray, signal: np.ndarray) -> tuple[int, float]:
    """Where `reference` occurs in `signal`: (lag in samples, normalised correlation at that lag, 1 = identical).

    signal[lag + n] ~ reference[n]; a negative lag means the reference starts before the signal does."""
    a = np.asarray(reference, dtype=np.float64)
    b = np.asarray(signal, dtype=np.float64)
    size = 1 << int(np.ceil(np.log2(a.size + b.size)))
    corr = np.fft.irfft(np.fft.rfft(b, size) * np.conj(np.fft.rfft(a, size)), size)
    lags = np.concatenate([np.arange(0, b.size), np.arange(-a.size + 1, 0)])
    corr = np.concatenate([corr[:b.size], corr[size - a.size + 1:]])
    best = int(np.argmax(corr))
    lag = int(lags[best])
    lo, hi = max(0, lag), min(b.size, lag + a.size)
    overlap_b = b[lo:hi]
    overlap_a = a[lo - lag:hi - lag]
    energy = np.sqrt(np.sum(overlap_a ** 2) * np.sum(overlap_b ** 2))
    return lag, float(corr[best] / energy) if energy > 0 else 0.0


def loud_spans(channel: np.ndarray, rate: int, threshold: float = 0.01, join: float = 0.8) -> list[tuple[float, float]]:
    """Where a recording channel is above `threshold` (peak, in 10 ms steps), joined over gaps shorter than `join`
    s (the pauses inside one reply): (start, end) in seconds from the first sample."""
    step = rate // 100
    loud = [float(np.abs(channel[i:i + step]).max()) > threshold for i in range(0, channel.size - step, step)]
    spans: list[list[float]] = []
    for n, on in enumerate(loud):
        if not on:
            continue
        t = n / 100
        if spans and t - spans[-1][1] < join:
            spans[-1][1] = t + 0.01
        else:
            spans.append([t, t + 0.01])
    return [(a, b) for a, b in spans]


def place_blocks(blocks: list[tuple[float, np.ndarray]], rate: int) -> tuple[float, np.ndarray]:
    """Lay (call time, samples) blocks on one array by their call times: (call time of sample 0, samples)."""
    origin = blocks[0][0]
    end = max(round((t - origin) * rate) + len(b) for t, b in blocks)
    out = np.zeros(end, dtype=np.float32)
    for t, block in blocks:
        first = round((t - origin) * rate)
        out[first:first + len(block)] = np.asarray(block, dtype=np.float32) / (32768.0 if block.dtype == np.int16 else 1.0)
    return origin, out


def dominant_frequency(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.fft.rfftfreq(samples.size, 1 / rate)[np.argmax(spectrum)])


def tone(frequency: float, seconds: float, rate: int, amplitude: float = 0.5) -> np.ndarray:
    return (amplitude * np.sin(2 * np.pi * frequency * np.arange(int(seconds * rate)) / rate)).astype(np.float32)
