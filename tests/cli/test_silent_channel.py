"""A silent trainee channel (dead microphone) is "not measured" for loudness, never a perfect 100, and a
recording without a timeline whose trainee never speaks has nothing to judge."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile as sf

from simulator.cli import main


def call(folder: Path, realspeech: Path, trainee_speaks: bool) -> tuple[Path, Path]:
    """Real speech for the customer, then the trainee's turn: the same speech, or digital silence."""
    speech, rate = sf.read(sorted((realspeech / "zh").glob("*.wav"))[0], dtype="float32")
    speech = speech if speech.ndim == 1 else speech.mean(axis=1)
    n = len(speech)
    stereo = np.zeros((3 * n, 2), dtype=np.float32)
    stereo[:n, 0] = speech
    if trainee_speaks:
        stereo[n + rate // 2: 2 * n + rate // 2, 1] = speech
    audio = folder / f"call-{trainee_speaks}.flac"
    sf.write(audio, stereo, rate, format="FLAC")
    turns = [{"speaker": "customer", "start": 0.0, "end": n / rate, "text": "你们的暖气两天都不热了"},
             {"speaker": "trainee", "start": n / rate + 0.5, "end": 2 * n / rate + 0.5, "text": "您好，非常抱歉"}]
    timeline = folder / "call.json"
    timeline.write_text(json.dumps({"version": 1, "language": "zh", "persona": "angry_threatening",
                                    "turns": turns}, ensure_ascii=False), encoding="utf-8")
    return audio, timeline


def analyse(capsys, *args: str) -> tuple[int, dict | str]:
    code = main(["analyze", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if code == 0 and "--json" in args else err


def test_a_silent_trainee_channel_is_not_measured_for_loudness(tmp_path: Path, realspeech: Path, capsys) -> None:
    audio, timeline = call(tmp_path, realspeech, trainee_speaks=False)
    code, result = analyse(capsys, "--audio", str(audio), "--timeline", str(timeline), "--json")
    assert code == 0 and "loudness" not in result["score"] and "loudness" in result["not_measured"]
    assert result["loudness"] == {}
    assert "Loudness: not measured" in (main(["analyze", "--audio", str(audio), "--timeline", str(timeline)]) == 0
                                        and capsys.readouterr().out)

    spoken, timeline = call(tmp_path, realspeech, trainee_speaks=True)
    code, result = analyse(capsys, "--audio", str(spoken), "--timeline", str(timeline), "--json")
    assert code == 0 and result["score"]["loudness"] == 100 and "loudness" not in result["not_measured"]
    assert -40 < result["loudness"]["trainee_db"] < -10


def test_a_recording_without_trainee_speech_has_nothing_to_judge(tmp_path: Path, realspeech: Path, capsys) -> None:
    audio, _ = call(tmp_path, realspeech, trainee_speaks=False)
    code, err = analyse(capsys, "--audio", str(audio))
    assert code == 2 and err == "error: no trainee speech found on the right channel of the recording: nothing to judge\n"
