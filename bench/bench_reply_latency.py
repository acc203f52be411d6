"""Benchmark: end of the trainee's turn to the first sample of the customer's reply, on real audio.

Runs the real LiveCall (dialogue, TTS, Player) on a private PulseAudio server with a virtual speaker.
The turn ends with a typed reply, so the time is the app's own work, not the end-of-turn silence
(LiveCallOptions.end_of_turn_silence, 1.2 s by default, comes on top for spoken replies). "Cached":
the persona's lines were rendered ahead in the voice of every mood band, as the app does around the
mood's band as the call goes; "uncached": every reply is rendered on demand. Run: python -m bench.bench_reply_latency
"""

from __future__ import annotations

import statistics
import tempfile
import threading
from pathlib import Path

from bench.common import Row, print_table
from simulator.core.call_session import CallSession
from simulator.core.personas.loader import default_personas_dir, load_persona
from simulator.core.personas.model import BAND_NAMES
from simulator.speech.audio_io import CallClock, Player
from simulator.speech.live_call import LiveCall
from simulator.speech.tts import SpeechRenderer
from tests.pulse import pulse_session

REPLIES = ["您好，我理解您的心情。", "请您再说一下具体情况好吗？", "我们今天下午派人过去。", "还有什么可以帮您？",
           "我记下来了，请您稍等。", "我马上帮您查一下。"]


class _OnDemand(SpeechRenderer):
    """Renders nothing ahead, so every reply pays for its rendering."""

    def prefetch(self, items) -> None:
        pass


class _Timer:
    def __init__(self) -> None:
        self.lines: list[float] = []
        self.ready = threading.Condition()

    def customer_line(self, line, start, end) -> None:
        with self.ready:
            self.lines.append(start)
            self.ready.notify_all()

    def partial(self, text) -> None: ...
    def trainee_turn(self, assessment) -> None: ...
    def marker(self, marker) -> None: ...
    def ended(self, ending) -> None: ...
    def problem(self, message) -> None: ...


def _latencies(renderer: SpeechRenderer, warm: bool) -> list[float]:
    persona = load_persona(default_personas_dir() / "zh" / "stubborn.toml")
    if warm:
        for band in BAND_NAMES:
            voice = persona.voice.for_band(band)
            for text in persona.all_lines():
                renderer.render(text, voice)
    clock, timer = CallClock(), _Timer()
    call = LiveCall(CallSession(persona, seed=5), renderer, timer, clock=clock, player=Player(clock))
    call.start()
    out = []
    try:
        with timer.ready:
            timer.ready.wait_for(lambda: timer.lines, 60)
        for text in REPLIES:
            call.wait_for_playback()
            if call.session.ending is not None:
                break
            count = len(timer.lines)
            turn_end = clock.now()
            call.submit_text(text)
            with timer.ready:
                timer.ready.wait_for(lambda: len(timer.lines) > count, 60)
            out.append(timer.lines[-1] - turn_end)
    finally:
        call.stop()
    return out


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        server = pulse_session(Path(tmp) / "pulse")
        next(server)
        try:
            cached = _latencies(SpeechRenderer(Path(tmp) / "warm"), warm=True)
            uncached = _latencies(_OnDemand(Path(tmp) / "cold"), warm=False)
        finally:
            server.close()
    return [
        Row("turn end -> first reply sample, cached line (median)", statistics.median(cached), "s", "< 0.5 s"),
        Row("turn end -> first reply sample, cached line (max)", max(cached), "s"),
        Row("turn end -> first reply sample, uncached line (median)", statistics.median(uncached), "s", "< 1.5 s"),
        Row("turn end -> first reply sample, uncached line (max)", max(uncached), "s"),
    ]


if __name__ == "__main__":
    print_table(run())
