"""Benchmark: turn-taking on the real stack, as a trainee would meet it.

A private PulseAudio server (tests/pulse.py); espeak-ng speech played into the virtual microphone; the real
LiveCall with the Korean Vosk model (the one model installed here) and the customer played through the virtual
speaker. Measures, from the call's stereo recording (customer left as handed to the speaker at its PortAudio
time, trainee right as captured):

- perceived reply gap: end of the trainee's speech in the microphone signal -> first sample of the customer's
  reply, median and p95 over >= 20 spoken replies, and where it went stage by stage (LiveCall.turn_ends);
- false cut-offs: replies the app split into two turns (ended before the speech was over), on a pause set
  (two espeak-ng phrases joined by 0.4-0.9 s of silence) and on the zh/en clips of ../shared/realspeech;
- the speaker queue: dropouts of a tone played at several output latencies while three processes spin.

Prints the load average beside the figures (the reply gap grows on a busy machine). Run:
python -m bench.bench_turn_taking [--quick] [--only gaps|pauses|clips|queue] [--short S] [--mic-block N]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
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
from simulator.speech.audio_io import CALL_BLOCKSIZE, CallClock, Microphone, Player
from simulator.speech.live_call import LiveCall, LiveCallOptions, TurnEnd
from simulator.speech.models import find_model
from simulator.speech.resample import resample
from simulator.speech.tts import SpeechRenderer
from tests.pulse import PulseServer, loud_spans, pulse_session, tone

RATE = 16000
REALSPEECH = Path(__file__).resolve().parents[2] / "shared" / "realspeech"
REPLIES = ["여보세요. 제가 확인해 보겠습니다.", "안녕하세요. 고객센터입니다.", "네, 알겠습니다.", "잠시만 기다려 주세요.",
           "오늘 오후에 기사님이 방문합니다.", "불편을 드려서 죄송합니다.", "주문 번호를 확인했습니다."]
PAUSED = [("고객님,", "제가 확인해 보겠습니다."), ("확인해 보니까,", "내일 도착합니다."), ("네 그리고,", "환불도 가능합니다."),
          ("주문 번호는,", "일 이 삼 사 입니다."), ("잠시만요,", "지금 조회하고 있습니다."), ("제가 보기에는,", "배송이 늦어졌습니다.")]
PAUSES = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
LEARNT: list[float] = []  # each call's longest pause the trainee went on after (SpeakerPauses)
SPEAKER: list[tuple[int, int]] = []  # each call's speaker underflows and pre-rolled answers aborted after writing
MICROPHONE: dict = {"blocksize": CALL_BLOCKSIZE}     # as the app opens a call's microphone (--mic-block to try others)


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


def _run_call(server: PulseServer, folder: Path, wavs: list[Path], model: Path, options: dict
              ) -> tuple[list[int], Path, list[TurnEnd]]:
    """One call; each wav is played into the microphone 0.6 s after the customer's line ends, and the customer's
    answer awaited. Returns the trainee turns each wav made, the call's recording and its turn ends."""
    clock, heard = CallClock(), _Heard()
    recording = folder / f"call-{time.monotonic_ns()}.flac"
    player = Player(clock)
    call = LiveCall(CallSession(_persona(), seed=7), SpeechRenderer(folder / "tts"), heard,
                    LiveCallOptions(recording=recording, **options), clock=clock, player=player,
                    microphone=Microphone(clock, **MICROPHONE), model_path=model)
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
    LEARNT.append(call.pauses.longest)
    SPEAKER.append((player.underflows, player.preroll_aborts))
    return turns, path or recording, call.turn_ends


@dataclasses.dataclass(frozen=True)
class Budget:
    """Where one reply gap went (seconds): speech end in the microphone signal -> VAD offset -> silence judged
    complete (audio time) -> decided (the block's delivery, the recogniser's words, the dialogue thread) ->
    the answer handed to the speaker -> the customer's answer queued to start -> its first loud sample."""

    gap: float
    vad: float
    silence: float
    delivery: float
    answering: float
    speaker: float
    lead_in: float
    words: float          # the recogniser's words up to the offset came in this long after the offset
    prepared: bool
    prerolled: bool


def _budgets(recording: Path, ends: list[TurnEnd]) -> list[Budget]:
    """Each trainee reply's end in the microphone signal -> the customer's next first sample, stage by stage."""
    audio, rate = soundfile.read(recording, dtype="float32")
    trainee = loud_spans(audio[:, 1], rate, join=1.0)
    customer = loud_spans(audio[:, 0], rate, join=0.5)
    out = []
    for end in ends:
        if end.reply_start is None:
            continue
        signal_end = min((b for _, b in trainee), key=lambda b: abs(b - end.offset))
        first = [a for a, _ in customer if a > end.reply_start - 0.05]
        if not first or abs(signal_end - end.offset) > 0.5:
            continue
        queued = end.decided if end.queued is None else end.queued
        out.append(Budget(first[0] - signal_end, end.offset - signal_end, end.audio - end.offset,
                          end.decided - end.audio, queued - end.decided, end.reply_start - queued,
                          first[0] - end.reply_start, end.words_at - end.offset, end.prepared, end.prerolled))
    return out


def reply_gaps(server: PulseServer, folder: Path, model: Path, count: int, options: dict) -> list[Budget]:
    wavs = [_wav(folder, f"reply{n}", _speak(folder, REPLIES[n % len(REPLIES)])) for n in range(count)]
    _, recording, ends = _run_call(server, folder, wavs, model, options)
    return _budgets(recording, ends)


def false_cut_offs(server: PulseServer, folder: Path, model: Path, replies: list[tuple[str, np.ndarray]],
                   options: dict, call_each: bool = False) -> tuple[list[str], int]:
    """The names of the replies the app split into more than one turn, and how many replies were said.
    `call_each`: a call per reply (each real clip is another speaker; one call would teach the call one speaker's
    pauses and judge the next speaker by them)."""
    wavs = [_wav(folder, f"paused{n}", r) for n, (_, r) in enumerate(replies)]
    if call_each:
        turns = [_run_call(server, folder, [wav], model, options)[0][0] for wav in wavs]
    else:
        turns, _, _ = _run_call(server, folder, wavs, model, options)
    return [name for (name, _), t in zip(replies, turns) if t > 1], len(turns)


def pause_set(folder: Path) -> list[tuple[str, np.ndarray]]:
    out = []
    for pause in PAUSES:
        for first, second in PAUSED:
            gap = np.zeros(int(pause * RATE), np.float32)
            out.append((f"{first}…{pause:g}s…{second}", np.concatenate([_speak(folder, first), gap, _speak(folder, second)])))
    return out


def real_clips() -> list[tuple[str, np.ndarray]]:
    if not REALSPEECH.is_dir():
        return []
    paths = sorted((REALSPEECH / "zh").glob("*.wav")) + sorted((REALSPEECH / "en").glob("*.wav")) + \
        sorted((REALSPEECH / "en").glob("*.flac"))
    out = []
    for path in paths:
        samples = _clip(path)
        peak = float(np.abs(samples).max()) or 1.0
        out.append((path.name.split("_")[0], _trim(samples * (0.5 / peak), 0.01)))
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


PARTS = ("gaps", "pauses", "clips", "queue")


def run(quick: bool = False, parts: tuple[str, ...] = PARTS, **options: float) -> list[Row]:
    """`options`: LiveCallOptions fields to try (end_of_turn_short=0.6 …) instead of the defaults."""
    model = find_model("ko")
    budgets: list[Budget] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        session = pulse_session(folder / "pulse")
        server = next(session)
        try:
            if "gaps" in parts:
                budgets = reply_gaps(server, folder, model, 8 if quick else 22, options)
            cut_pauses = cut_clips = None
            if "pauses" in parts:
                paused = pause_set(folder)
                cut_pauses = false_cut_offs(server, folder, model, paused[::4] if quick else paused, options)
            clips = real_clips()
            if "clips" in parts and clips:
                cut_clips = false_cut_offs(server, folder, model, clips[::3] if quick else clips, options,
                                           call_each=True)
            queue = queue_dropouts(server, folder, [0.1, 0.12, 0.15, 0.2]) if "queue" in parts and not quick else {}
        finally:
            session.close()
    rows = []
    if budgets:
        gaps = [b.gap for b in budgets]
        stage = lambda name: statistics.median(getattr(b, name) for b in budgets)   # noqa: E731
        rows += [
            Row(f"perceived reply gap, spoken reply (median of {len(gaps)})", statistics.median(gaps), "s", "< 0.8 s"),
            Row("perceived reply gap, spoken reply (p95)", float(np.percentile(gaps, 95)), "s", "< 1.2 s"),
            Row("  of which: speech end in the signal -> VAD offset (median)", stage("vad"), "s"),
            Row("  offset -> end-of-turn silence judged complete, audio time (median)", stage("silence"), "s"),
            Row("  -> decided: block delivery, recogniser words, dialogue thread (median)", stage("delivery"), "s"),
            Row("  -> the answer handed to the speaker (median)", stage("answering"), "s"),
            Row("  -> the answer's start at the speaker (median; below 0 when pre-rolled)", stage("speaker"), "s"),
            Row("  -> its first loud sample (median)", stage("lead_in"), "s"),
            Row("recogniser's words up to the offset, in after the offset (median)", stage("words"), "s"),
            Row(f"answers prepared during the silence (of {len(budgets)})", sum(b.prepared for b in budgets), "turns"),
            Row(f"answers pre-rolled into the speaker's stream (of {len(budgets)})", sum(b.prerolled for b in budgets),
                "turns"),
            Row("speaker underflows in that call", SPEAKER[0][0], "count"),
            Row("pre-rolled answers dropped from the stream (trainee spoke on)", SPEAKER[0][1], "count"),
            Row("longest pause the trainee went on after, learnt in that call", LEARNT[0], "s"),
        ]
    if cut_pauses is not None:
        rows.append(Row(f"false cut-offs, pause set 0.4-0.9 s (of {cut_pauses[1]}) {' '.join(cut_pauses[0])}",
                        len(cut_pauses[0]), "turns", "< 1"))
    if cut_clips is not None:
        rows.append(Row(f"false cut-offs, real zh/en clips, a call each (of {cut_clips[1]}) {' '.join(cut_clips[0])}",
                        len(cut_clips[0]), "turns", "< 1"))
    rows += [Row(f"speaker queue {latency:g} s: dropouts in 20 s, 3 spinning processes", n, "count")
             for latency, n in queue.items()]
    return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer replies and clips")
    parser.add_argument("--only", action="append", choices=PARTS, help="run only this part (repeatable)")
    parser.add_argument("--short", type=float, help="end_of_turn_short to try instead of the default")
    parser.add_argument("--mic-block", type=int, help="microphone block size (samples at 16 kHz) to try")
    args = parser.parse_args(argv)
    if args.mic_block:
        MICROPHONE["blocksize"] = args.mic_block
    options = {"end_of_turn_short": args.short} if args.short is not None else {}
    before = os.getloadavg()
    rows = run(args.quick, tuple(args.only or PARTS), **options)
    print(f"load average before / after: {before[0]:.2f} / {os.getloadavg()[0]:.2f} (1 min; {os.cpu_count()} cores)")
    print_table(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
