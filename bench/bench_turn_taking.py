"""Benchmark: turn-taking on the real stack, as a trainee would meet it.

A private PulseAudio server (tests/pulse.py); espeak-ng speech played into the virtual microphone; the real
LiveCall with the Korean Vosk model (the one model installed here) and the customer played through the virtual
speaker. Measures, from the call's stereo recording (customer left as handed to the speaker at its PortAudio
time, trainee right as captured):

- perceived reply gap: end of the trainee's speech in the microphone signal -> first sample of the customer's
  reply, median and p95 over >= 20 spoken replies;
- false cut-offs: replies the app split into two turns (ended before the speech was over), on a pause set
  (two espeak-ng phrases joined by 0.4-0.9 s of silence) and on the zh/en clips of ../shared/realspeech;
- the speaker queue: dropouts of a tone played at several output latencies while three processes spin.

Works against the code before this benchmark too (it only uses LiveCall's public constructor and listener), so
the old figures come from the same measurement. Run: python -m bench.bench_turn_taking [--quick]
"""

from __future__ import annotations

import dataclasses
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import soundfile

from bench.common import Row, print_table
from simulator.core.call_session import CallSession
from simulator.core.personas.loader import default_personas_dir, load_persona
from simulator.speech.audio_io import CallClock, Microphone, Player
from simulator.speech.live_call import LiveCall, LiveCallOptions
from simulator.speech.models import find_model
from simulator.speech.resample import resample
from simulator.speech.tts import SpeechRenderer
from tests.pulse import PulseServer, pulse_session, tone

RATE = 16000
REALSPEECH = Path(__file__).resolve().parents[2] / "shared" / "realspeech"
REPLIES = ["여보세요. 제가 확인해 보겠습니다.", "안녕하세요. 고객센터입니다.", "네, 알겠습니다.", "잠시만 기다려 주세요.",
           "오늘 오후에 기사님이 방문합니다.", "불편을 드려서 죄송합니다.", "주문 번호를 확인했습니다."]
PAUSED = [("고객님,", "제가 확인해 보겠습니다."), ("확인해 보니까,", "내일 도착합니다."), ("네 그리고,", "환불도 가능합니다."),
          ("주문 번호는,", "일 이 삼 사 입니다."), ("잠시만요,", "지금 조회하고 있습니다."), ("제가 보기에는,", "배송이 늦어졌습니다.")]
PAUSES = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


class _Heard:
    """Counts trainee turns and customer lines as the live call reports them."""

    def __init__(self) -> None:
        self.customer: list[tuple[float, float]] = []
        self.trainee = 0
        self.changed = threading.Condition()

    def customer_line(self, line, start, end) -> None:
        with self.changed:
            self.customer.append((start, end))
            self.changed.notify_all()

    def trainee_turn(self, assessment) -> None:
        with self.changed:
            self.trainee += 1
            self.changed.notify_all()

    def partial(self, text) -> None: ...
    def marker(self, marker) -> None: ...
    def ended(self, ending) -> None: ...
    def problem(self, message) -> None: ...

    def wait(self, condition, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(condition, timeout)


def _speak(folder: Path, text: str, voice: str = "ko", gain: float = 0.3) -> np.ndarray:
    raw = folder / "raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text], check=True, timeout=30)
    samples, rate = soundfile.read(raw, dtype="float32")
    return _trim(resample(samples, rate, RATE) * gain)


def _trim(samples: np.ndarray, threshold: float = 0.003) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples) > threshold)
    return samples[loud[0]:loud[-1] + 1] if loud.size else samples


def _wav(folder: Path, name: str, samples: np.ndarray) -> Path:
    path = folder / f"{name}.wav"
    soundfile.write(path, samples, RATE, subtype="PCM_16")
    return path


def _clip(path: Path) -> np.ndarray:
    samples, rate = soundfile.read(path, dtype="float32")
    if samples.ndim == 2:
        samples = samples.mean(axis=1)
    return resample(samples, rate, RATE)


def _persona():
    persona = load_persona(default_personas_dir() / "zh" / "stubborn.toml")
    return dataclasses.replace(persona, mood=dataclasses.replace(persona.mood, initial=45.0, escalate_at=101.0,
                                                                resolve_below=-1.0, max_turns=200,
                                                                monologue_seconds=60.0))


def _run_call(server: PulseServer, folder: Path, wavs: list[Path], model: Path) -> tuple[list[int], Path]:
    """One call; each wav is played into the microphone 0.6 s after the customer's line ends, and the customer's
    answer awaited. Returns the trainee turns each wav made and the call's recording."""
    clock, heard = CallClock(), _Heard()
    recording = folder / f"call-{time.monotonic_ns()}.flac"
    call = LiveCall(CallSession(_persona(), seed=7), SpeechRenderer(folder / "tts"), heard,
                    LiveCallOptions(recording=recording), clock=clock, player=Player(clock),
                    microphone=Microphone(clock), model_path=model)
    turns: list[int] = []
    call.start()
    try:
        heard.wait(lambda: heard.customer, 60)
        for wav in wavs:
            while clock.now() < heard.customer[-1][1] + 0.6:
                time.sleep(0.01)
            before, lines = heard.trainee, len(heard.customer)
            server.play_into_mic(wav)
            if call.session.ending is not None:
                raise RuntimeError(f"the call ended ({call.session.ending.kind}) before every reply was said")
            heard.wait(lambda: len(heard.customer) > lines and heard.trainee > before, 20)
            time.sleep(2.5)                  # a cut-off shows as a second turn within the cap
            turns.append(heard.trainee - before)
        call.wait_for_playback()
    finally:
        path = call.stop()
    return turns, path or recording


def _spans(channel: np.ndarray, rate: int, threshold: float, join: float) -> list[tuple[float, float]]:
    step = rate // 100
    loud = [float(np.abs(channel[i:i + step]).max()) > threshold for i in range(0, channel.size - step, step)]
    spans: list[list[float]] = []
    for n, on in enumerate(loud):
        if on:
            t = n / 100
            if spans and t - spans[-1][1] < join:
                spans[-1][1] = t + 0.01
            else:
                spans.append([t, t + 0.01])
    return [(a, b) for a, b in spans]


def _gaps(recording: Path) -> list[float]:
    """Each trainee reply's end in the microphone signal -> the customer's next first sample."""
    audio, rate = soundfile.read(recording, dtype="float32")
    trainee = _spans(audio[:, 1], rate, 0.01, join=1.0)
    customer = _spans(audio[:, 0], rate, 0.01, join=0.5)
    out = []
    for _, end in trainee:
        nxt = [start for start, _ in customer if start > end - 0.05]
        if nxt:
            out.append(nxt[0] - end)
    return out


def reply_gaps(server: PulseServer, folder: Path, model: Path, count: int) -> list[float]:
    wavs = [_wav(folder, f"reply{n}", _speak(folder, REPLIES[n % len(REPLIES)])) for n in range(count)]
    _, recording = _run_call(server, folder, wavs, model)
    return _gaps(recording)


def false_cut_offs(server: PulseServer, folder: Path, model: Path, replies: list[np.ndarray]) -> tuple[int, int]:
    wavs = [_wav(folder, f"paused{n}", r) for n, r in enumerate(replies)]
    turns, _ = _run_call(server, folder, wavs, model)
    return sum(1 for t in turns if t > 1), len(turns)


def pause_set(folder: Path) -> list[np.ndarray]:
    out = []
    for pause in PAUSES:
        for first, second in PAUSED:
            out.append(np.concatenate([_speak(folder, first), np.zeros(int(pause * RATE), np.float32),
                                       _speak(folder, second)]))
    return out


def real_clips() -> list[np.ndarray]:
    if not REALSPEECH.is_dir():
        return []
    paths = sorted((REALSPEECH / "zh").glob("*.wav")) + sorted((REALSPEECH / "en").glob("*.wav")) + \
        sorted((REALSPEECH / "en").glob("*.flac"))
    out = []
    for path in paths:
        samples = _clip(path)
        peak = float(np.abs(samples).max()) or 1.0
        out.append(_trim(samples * (0.5 / peak), 0.01))
    return out


def _dropouts(wav: Path) -> int:
    x, rate = soundfile.read(wav, dtype="float32")
    step = rate // 200
    env = np.array([np.abs(x[i:i + step]).max() for i in range(0, x.size - step, step)])
    on = np.flatnonzero(env > 0.05)
    inner = env[on[0]:on[-1]] if on.size else env[:0]
    return int(np.sum((inner[1:] < 0.01) & (inner[:-1] >= 0.01)))


def queue_dropouts(server: PulseServer, folder: Path, latencies: list[float]) -> dict[float, int]:
    """20 s of tone queued as ten lines at each output latency, three spinning processes beside it."""
    spin = "import time\nend = time.time() + 600\nwhile time.time() < end: pass\n"
    spinners = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(3)]
    out = {}
    try:
        for latency in latencies:
            clock = CallClock()
            player = Player(clock, latency=latency) if "latency" in Player.__init__.__code__.co_varnames else Player(clock)
            player.start()
            wav = folder / f"tone{latency}.wav"
            recorder = server.record(server.speaker_monitor, wav)
            time.sleep(0.5)
            for _ in range(10):
                player.play(tone(440, 2.0, 48000, 0.3), 48000)
            while player.is_playing():
                time.sleep(0.1)
            time.sleep(0.3)
            server.stop_recording(recorder)
            player.stop()
            out[latency] = _dropouts(wav)
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    return out


def run(quick: bool = False) -> list[Row]:
    model = find_model("ko")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        session = pulse_session(folder / "pulse")
        server = next(session)
        try:
            gaps = reply_gaps(server, folder, model, 8 if quick else 22)
            paused = pause_set(folder)
            cut_pauses = false_cut_offs(server, folder, model, paused[::4] if quick else paused)
            clips = real_clips()
            cut_clips = false_cut_offs(server, folder, model, clips[::3] if quick else clips) if clips else (0, 0)
            queue = {} if quick else queue_dropouts(server, folder, [0.1, 0.15, 0.2])
        finally:
            session.close()
    rows = [
        Row(f"perceived reply gap, spoken reply (median of {len(gaps)})", statistics.median(gaps), "s", "< 0.8 s"),
        Row("perceived reply gap, spoken reply (p95)", float(np.percentile(gaps, 95)), "s", "< 1.2 s"),
        Row(f"false cut-offs, pause set 0.4-0.9 s (of {cut_pauses[1]})", cut_pauses[0], "turns", "< 1"),
        Row(f"false cut-offs, real zh/en clips (of {cut_clips[1]})", cut_clips[0], "turns", "< 1"),
    ]
    rows += [Row(f"speaker queue {latency:g} s: dropouts in 20 s, 3 spinning processes", n, "count")
             for latency, n in queue.items()]
    return rows


if __name__ == "__main__":
    print_table(run(quick="--quick" in sys.argv))
