"""The live call's dialogue thread without devices: recognised speech arrives as it would from the
listening thread, so turn-taking rules can be checked from data."""

from __future__ import annotations

import dataclasses
import threading
import time

from simulator.core.call_session import CallSession
from simulator.core.personas.loader import default_personas_dir, load_persona
from simulator.speech.live_call import LiveCall, LiveCallOptions
from simulator.speech.recognizer import RecognizedWords
from simulator.speech.tts import SpeechRenderer


class Heard:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []
        self.problems: list[str] = []
        self.changed = threading.Condition()

    def customer_line(self, line, start, end) -> None:
        with self.changed:
            self.lines.append((line.trigger, line.text))
            self.changed.notify_all()

    def partial(self, text) -> None: ...
    def trainee_turn(self, assessment) -> None: ...
    def marker(self, marker) -> None: ...
    def ended(self, ending) -> None: ...

    def problem(self, message) -> None:
        self.problems.append(message)

    def wait(self, condition, timeout: float = 30.0) -> bool:
        with self.changed:
            return self.changed.wait_for(condition, timeout)


def test_a_trainee_monologue_is_cut_into_and_the_cut_in_is_spoken(tmp_path) -> None:
    persona = load_persona(default_personas_dir() / "zh" / "angry_threatening.toml")
    persona = dataclasses.replace(persona, mood=dataclasses.replace(persona.mood, monologue_seconds=0.5))
    heard = Heard()
    call = LiveCall(CallSession(persona, seed=2), SpeechRenderer(tmp_path / "tts"), heard,
                    LiveCallOptions(end_of_turn_silence=5.0))
    call.start()
    try:
        assert heard.wait(lambda: heard.lines)
        now = call.clock.now()
        call._commands.put(("final", RecognizedWords("我跟您解释一下我们公司的规定和流程", [], now, now + 0.3)))
        assert heard.wait(lambda: len(heard.lines) >= 3)
        time.sleep(0.3)
    finally:
        call.stop()
    triggers = [trigger for trigger, _ in heard.lines]
    assert triggers[1] == "interrupt_monologue"
    assert heard.lines[1][1] in persona.endings["interrupt_monologue"]
    assert triggers[2] not in ("opening", "interrupt_monologue")
    speakers = [t.speaker for t in call.session.timeline.turns]
    assert speakers == ["customer", "trainee", "customer", "customer"]
    assert not heard.problems


def test_a_voice_that_cannot_speak_is_reported_once(tmp_path) -> None:
    persona = load_persona(default_personas_dir() / "en" / "stubborn.toml")
    persona = dataclasses.replace(persona, voice=dataclasses.replace(persona.voice, voice="en-gb+f2"))
    heard = Heard()
    call = LiveCall(CallSession(persona, seed=2), SpeechRenderer(tmp_path / "tts"), heard)
    call.start()
    try:
        assert heard.wait(lambda: heard.lines)
        for text in ("I understand how frustrating this is.", "We can offer you two options today."):
            count = len(heard.lines)
            call.submit_text(text)
            assert heard.wait(lambda: len(heard.lines) > count)
    finally:
        call.stop()
    assert len(heard.lines) == 3
    assert len(heard.problems) == 1 and "en-gb+f2" in heard.problems[0]
