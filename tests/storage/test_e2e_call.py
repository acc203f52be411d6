"""A whole spoken call on the real stack: espeak-ng persona through a PulseAudio virtual speaker,
"trainee" speech into the virtual microphone, Vosk recognition (Korean model from PyPI), the
dialogue engine's answer, the stereo recording and the attempts database."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from simulator.core.call_session import CallSession
from simulator.core.personas.loader import default_personas_dir, load_persona
from simulator.speech.audio_io import CALL_BLOCKSIZE, CallClock, Microphone, Player
from simulator.speech.live_call import LiveCall, LiveCallOptions
from simulator.speech.resample import resample
from simulator.speech.tts import SpeechRenderer, load_audio
from simulator.storage.db import open_store
from tests.call_listener import Collector
from tests.missing import missing_part
from tests.pulse import best_lag

RATE = 16000
TRAINEE_PHRASE = "여보세요 여보세요 여보세요"


@pytest.fixture
def trainee_wav(tmp_path: Path) -> Path:
    if shutil.which("espeak-ng") is None:
        missing_part("espeak-ng is not installed")
    wav = tmp_path / "trainee.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-s", "180", "-w", str(wav), TRAINEE_PHRASE], check=True)
    return wav


def test_spoken_call_is_played_heard_recognised_answered_recorded_and_stored(pulse, ko_model, trainee_wav, tmp_path):
    persona = load_persona(default_personas_dir() / "zh" / "angry_threatening.toml")
    store = open_store(f"sqlite:///{tmp_path / 'attempts.db'}", tmp_path / "recordings")
    attempt_id, recording_path = store.begin_attempt("e2e", persona.id, persona.type, persona.scenarios[0].id, "zh")
    renderer = SpeechRenderer(tmp_path / "tts")
    clock = CallClock()
    heard = Collector()
    call = LiveCall(CallSession(persona, persona.scenarios[0].id, seed=3), renderer, heard,
                    LiveCallOptions(end_of_turn_silence=1.0, recording=recording_path), clock=clock,
                    player=Player(clock), microphone=Microphone(clock, blocksize=CALL_BLOCKSIZE), model_path=ko_model,
                    on_progress=lambda data: store.save_progress(attempt_id, data))
    call.start()
    try:
        heard.wait(lambda: heard.customer, 60)
        opening, _, opening_start, opening_end = heard.customer[0]
        while clock.now() < opening_end + 0.5:
            time.sleep(0.05)
        spoken_from = clock.now()
        pulse.play_into_mic(trainee_wav)
        spoken_to = clock.now()
        heard.wait(lambda: heard.trainee and len(heard.customer) >= 2, 30)
        while clock.now() < heard.customer[1][3] + 0.3:
            time.sleep(0.05)
    finally:
        recording = call.stop()
    assert not heard.problems

    # The reply reached the dialogue: recognised words, placed in call time, answered by the customer.
    reply = heard.trainee[0]
    assert reply.text.split().count("여보세요") >= 2
    turn = next(t for t in call.session.timeline.turns if t.speaker == "trainee")
    assert turn.words and all(w.word for w in turn.words)
    assert spoken_from - 0.1 <= turn.start <= spoken_to and turn.end <= spoken_to + 0.5
    assert turn.start > opening_end
    answer_text, _, answer_start, _ = heard.customer[1]
    assert answer_start >= turn.end and answer_text != opening

    # The stereo recording is time-aligned: each side's source is found where the timeline puts it.
    audio, rate = soundfile.read(recording, dtype="float32")
    assert rate == RATE and audio.ndim == 2 and audio.shape[1] == 2
    customer, trainee = audio[:, 0], audio[:, 1]
    spoken_opening, opening_rate = load_audio(renderer.render(opening, persona.voice).path)
    lag, corr = best_lag(resample(spoken_opening, opening_rate, RATE), customer)
    assert corr > 0.8
    assert lag / RATE == pytest.approx(opening_start, abs=0.06)
    source, source_rate = soundfile.read(trainee_wav, dtype="float32")
    source = resample(source, source_rate, RATE)
    lag, corr = best_lag(source, trainee)
    assert corr > 0.6
    voiced_offset = np.flatnonzero(np.abs(source) > 0.02)[0] / RATE
    assert lag / RATE + voiced_offset == pytest.approx(turn.words[0].start, abs=0.25)
    assert np.abs(customer[int(turn.start * RATE):int(turn.end * RATE)]).max() < 0.01
    assert np.abs(trainee[int(opening_start * RATE):int(opening_end * RATE)]).max() < 0.01

    # It was stored turn by turn, so a crash would have lost at most the current turn.
    saved = store.get_attempt(attempt_id)
    assert [t["speaker"] for t in saved.timeline["turns"]] == ["customer", "trainee", "customer"]
    assert "여보세요" in saved.timeline["turns"][1]["text"]
    store.finish_attempt(attempt_id, None, "test over", call.session.timeline.to_json(), None, {}, [])
    kept = store.recording_path(attempt_id)
    assert kept is not None and soundfile.info(str(kept)).duration == pytest.approx(len(audio) / RATE, abs=0.1)
    store.close()


def test_a_model_that_will_not_load_turns_recognition_off_with_one_message(pulse, trainee_wav, tmp_path, capfd):
    """am/final.mdl and conf/model.conf exist but hold garbage: the listening thread says so once and goes on
    recording the trainee; typed replies still reach the customer."""
    damaged = tmp_path / "damaged-model"
    for name in ("am/final.mdl", "conf/model.conf"):
        (damaged / name).parent.mkdir(parents=True, exist_ok=True)
        (damaged / name).write_bytes(b"\x00garbage\xff" * 100)
    persona = load_persona(default_personas_dir() / "zh" / "stubborn.toml")
    clock = CallClock()
    heard = Collector()
    call = LiveCall(CallSession(persona, seed=1), SpeechRenderer(tmp_path / "tts"), heard,
                    LiveCallOptions(recording=tmp_path / "call.flac"), clock=clock, player=Player(clock),
                    microphone=Microphone(clock), model_path=damaged)
    call.start()
    try:
        heard.wait(lambda: heard.problems and heard.customer, 60)
        while clock.now() < heard.customer[0][3] + 0.3:
            time.sleep(0.05)
        spoken_from = clock.now()
        pulse.play_into_mic(trainee_wav)
        spoken_to = clock.now()
        call.submit_text("您好，我理解您的心情，我们可以给您两个选择。")
        heard.wait(lambda: heard.trainee and len(heard.customer) >= 2, 30)
        listening = [t for t in call._threads if t.name == "call-listen"]
        assert listening and listening[0].is_alive()
    finally:
        recording = call.stop()
    assert len(heard.problems) == 1
    message = heard.problems[0]
    assert str(damaged) in message and "download it again" in message and "type them instead" in message
    assert message.code == "model.recognition_off" and message.params["problem"].code == "model.load_failed"
    assert "\n" not in message
    assert "Traceback" not in capfd.readouterr().err
    assert [a.text for a in heard.trainee] == ["您好，我理解您的心情，我们可以给您两个选择。"]
    audio, rate = soundfile.read(recording, dtype="float32")
    trainee = audio[:, 1]
    assert np.abs(trainee[int(spoken_from * rate):int(spoken_to * rate)]).max() > 0.1
    assert np.abs(trainee[:int(heard.customer[0][2] * rate)]).max() < 0.01
