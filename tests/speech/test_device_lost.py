"""A sound server that dies mid-call (the headset is unplugged): the trainee is told once, the call
goes on with typed replies, and nothing is lost. The call runs in a child process on its own private
PulseAudio server, which the test kills."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.missing import missing_part
from tests.pulse import pulseaudio_missing, start_pulse

CHILD = r"""
import json, sys, threading, time
from pathlib import Path
from simulator.core.call_session import CallSession
from simulator.core.personas.loader import default_personas_dir, load_persona
from simulator.speech.audio_io import CallClock, Microphone, Player
from simulator.speech.live_call import LiveCall, LiveCallOptions
from simulator.speech.tts import SpeechRenderer

out = {"customer": [], "problems": [], "trainee": []}
class Listener:
    def customer_line(self, line, start, end): out["customer"].append(line.text)
    def partial(self, text): pass
    def trainee_turn(self, a): out["trainee"].append(a.text)
    def marker(self, m): pass
    def ended(self, e): pass
    def problem(self, m): out["problems"].append(m)

tmp = Path(sys.argv[1])
persona = load_persona(default_personas_dir() / "zh" / "stubborn.toml")
clock = CallClock()
call = LiveCall(CallSession(persona, seed=1), SpeechRenderer(tmp / "tts"), Listener(),
                LiveCallOptions(recording=tmp / "call.flac"), clock=clock, player=Player(clock),
                microphone=Microphone(clock))
call.start()
while not out["customer"]:
    time.sleep(0.05)
print("READY", flush=True)
sys.stdin.readline()                      # the test kills the sound server now
deadline = time.monotonic() + 20
while len(out["problems"]) < 1 and time.monotonic() < deadline:
    time.sleep(0.1)
call.submit_text("您好，我理解您的心情，我们可以给您两个选择。")
while len(out["customer"]) < 2 and time.monotonic() < deadline:
    time.sleep(0.1)
out["recording"] = str(call.stop())
print(json.dumps(out), flush=True)
"""


def test_losing_the_sound_server_mid_call_is_reported_and_typing_goes_on(tmp_path: Path) -> None:
    if (missing := pulseaudio_missing()) is not None:
        missing_part(missing)
    server = start_pulse(tmp_path / "pulse")
    try:
        env = {**os.environ, **server.env}
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], env=env, text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 cwd=Path(__file__).resolve().parents[2])
        assert child.stdout.readline().strip() == "READY"
        time.sleep(1.0)
        server.process.kill()
        server.process.wait(timeout=10)
        out, err = child.communicate("go\n", timeout=90)
    finally:
        server.stop()
    assert child.returncode == 0, err[-2000:]
    result = json.loads(out.strip().splitlines()[-1])
    assert result["problems"], "the trainee was not told that the device went away"
    assert len(result["problems"]) == len(set(result["problems"]))
    assert all("typed replies still work" in p for p in result["problems"])
    assert "Traceback" not in " ".join(result["problems"]) + err
    assert result["trainee"] == ["您好，我理解您的心情，我们可以给您两个选择。"]
    assert len(result["customer"]) >= 2
    import soundfile

    info = soundfile.info(result["recording"])
    assert info.channels == 2 and info.duration >= 1.0
