"""`python -m simulator analyze`: JSON keys and values on a hand-written call, the readable report,
audio inputs (espeak-ng speech), and one-line errors with exit code 2 for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from simulator.cli import main

SR = 16000
TURNS = [
    ("customer", 0.0, 5.0, "我的宽带又断了你们到底什么时候修好"),
    ("trainee", 2.0, 2.4, "嗯"),
    ("trainee", 5.8, 10.8, "非常抱歉给您带来不便我马上帮您查询"),
    ("customer", 11.0, 16.0, "我已经打了三次电话了"),
    ("trainee", 14.7, 18.0, "您听我说这个不是我们的问题"),
    ("customer", 18.1, 20.0, "那是谁的问题"),
    ("trainee", 24.0, 26.0, "好的"),
    ("customer", 26.1, 28.0, "快点"),
    ("trainee", 28.1, 30.0, "我现在就给您派单"),
]


@pytest.fixture()
def timeline_file(tmp_path: Path) -> Path:
    data = {
        "version": 1, "language": "zh", "persona": "angry",
        "turns": [{"speaker": s, "start": a, "end": b, "text": t} for s, a, b, t in TURNS],
    }
    path = tmp_path / "call.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["analyze", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_from_a_timeline(capsys: pytest.CaptureFixture[str], timeline_file: Path) -> None:
    code, out, _ = run(capsys, "--timeline", str(timeline_file), "--json")
    assert code == 0
    r = json.loads(out)
    trainee = [t for i, t in enumerate(TURNS) if t[0] == "trainee" and i != 1]  # turn 1 is a backchannel
    chars = sum(len(t[3]) for t in trainee)
    assert r["pace"]["value"] == pytest.approx(chars / sum(t[2] - t[1] for t in trainee) * 60, abs=0.1)
    assert r["pace"]["unit"] == "chars/min"
    assert r["response_latency"]["mean"] == pytest.approx((0.8 + 4.0 + 0.1) / 3, abs=0.001)
    assert r["response_latency"]["max"] == pytest.approx(4.0)
    assert r["dead_air"] == [{"start": 20.0, "end": 24.0}]
    assert r["interruptions"] == [{"start": 14.7, "end": 16.0, "text": "您听我说这个不是我们的问题", "turn": 4}]
    assert r["backchannels"] == 1
    assert r["overtalk_seconds"] == pytest.approx(1.3)
    assert r["loudness"] == {} and r["pitch"] == {}  # no recording
    for key in ("empathy", "thanks", "apology", "cancelled_apology", "resolution", "taboo", "over_promise"):
        assert isinstance(r["phrases"][key], list)
    assert any(h["turn"] == 2 for h in r["phrases"]["apology"])
    assert all(set(h) == {"turn", "time", "text", "confidence"} for v in r["phrases"].values() for h in v)  # keys gained, none lost
    assert isinstance(r["fillers"], float)
    assert {k: type(v) for k, v in r["clear"].items() if k != "emotion_before_solution"} == dict.fromkeys(
        ("control", "listen", "establish", "apologize", "resolve"), bool
    )
    assert r["clear"]["listen"] is False  # the trainee interrupted
    assert 0 <= r["score"]["overall"] <= 100
    assert all(isinstance(v, int) for v in r["score"].values())  # criterion scores only
    assert {"loudness", "intonation"} <= set(r["not_measured"])  # no recording
    assert "clear.listen" not in r["not_measured"]  # turn times show the interruption
    assert {f["code"] for f in r["findings"]} and all({"code", "turn", "time", "message"} <= set(f) for f in r["findings"])
    assert any(f["turn"] == 4 for f in r["findings"])


def test_typed_call_reports_listen_as_not_measured(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Typed replies carry no timing worth judging, so interrupting could not have been measured."""
    data = {
        "version": 1, "language": "zh", "persona": "angry",
        "turns": [{"speaker": s, "start": a, "end": b, "text": t, **({"typed": True} if s == "trainee" else {})}
                  for s, a, b, t in TURNS],
    }
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "--timeline", str(path), "--json")
    assert code == 0
    r = json.loads(out)
    assert r["clear"]["listen"] is None and "clear.listen" in r["not_measured"]
    assert "interruptions" in r["not_measured"] and not any(f["code"] == "clear_listen" for f in r["findings"])
    code, out, _ = run(capsys, "--timeline", str(path))
    assert "listen -" in out.split("CLEAR: ")[1].splitlines()[0]


def test_readable_report(capsys: pytest.CaptureFixture[str], timeline_file: Path) -> None:
    code, out, _ = run(capsys, "--timeline", str(timeline_file))
    assert code == 0
    assert "Pace: " in out and "chars/min (target 160-240" in out
    assert "Response latency: mean 1.6 s, max 4.0 s" in out
    assert "Dead air: 20.0-24.0 s" in out
    assert "Interruptions: 1\n  14.7-16.0 s  您听我说这个不是我们的问题" in out
    assert "Backchannels: 1" in out and "Overtalk: 1.3 s" in out
    assert "Loudness, pitch: no recording given" in out
    assert "CLEAR: control" in out and "Score: " in out
    score_line = next(line for line in out.splitlines() if line.startswith("Score: "))
    assert "not_measured" not in score_line and "Not measured: " in out and "loudness" in out.split("Not measured: ")[1]


def espeak(tmp: Path, text: str, pitch: int) -> np.ndarray:
    path = tmp / f"{pitch}_{abs(hash(text))}.wav"
    subprocess.run(["espeak-ng", "-v", "cmn", "-p", str(pitch), "-w", str(path), text], check=True)
    x, sr = soundfile.read(str(path), dtype="float32")
    x = np.interp(np.arange(int(len(x) * SR / sr)) / SR, np.arange(len(x)) / sr, x).astype(np.float32)
    idx = np.flatnonzero(np.abs(x) > 0.02)
    return x[idx[0] : idx[-1]]  # only the sounding part, so placement times are speech times


def test_stereo_call_without_a_timeline(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    customer = espeak(tmp_path, "我的宽带又断了，你们到底什么时候修好", 30)
    trainee = espeak(tmp_path, "非常抱歉给您带来不便，我马上帮您查询", 70)
    c_end = 0.5 + len(customer) / SR
    n = int((c_end + 0.8 + 1.0) * SR) + len(trainee)
    left, right = np.zeros(n, np.float32), np.zeros(n, np.float32)
    left[int(0.5 * SR) : int(0.5 * SR) + len(customer)] = customer
    start = int((c_end + 0.8) * SR)
    right[start : start + len(trainee)] = trainee
    path = tmp_path / "call.wav"
    soundfile.write(str(path), np.stack([left, right], axis=1), SR)
    code, out, _ = run(capsys, "--audio", str(path), "--json")
    assert code == 0
    r = json.loads(out)
    assert r["response_latency"]["max"] == pytest.approx(0.8, abs=0.2)
    assert r["interruptions"] == [] and r["backchannels"] == 0
    assert r["pace"]["value"] is None  # no text: pace needs a transcript
    assert r["pitch"]["median_hz"] > 0 and r["loudness"]["customer_db"] is not None
    assert [t["turn"] for t in r["turns"]] == [1]


def test_single_speaker_with_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "非常抱歉给您带来不便我马上帮您查询"
    speech = espeak(tmp_path, text, 50)
    path = tmp_path / "one.wav"
    soundfile.write(str(path), np.concatenate([np.zeros(SR, np.float32), speech, np.zeros(SR, np.float32)]), SR)
    code, out, _ = run(capsys, "--audio", str(path), "--text", text, "--json")
    assert code == 0
    assert json.loads(out)["pace"]["value"] == pytest.approx(len(text) / (len(speech) / SR) * 60, rel=0.1)


def test_timeline_and_audio_together_add_loudness(capsys: pytest.CaptureFixture[str], tmp_path: Path, timeline_file: Path) -> None:
    rng = np.random.default_rng(3)
    stereo = rng.normal(0, 0.001, (SR * 31, 2)).astype(np.float32)
    for speaker, a, b, _ in TURNS:
        ch = 0 if speaker == "customer" else 1
        t = np.arange(int((b - a) * SR)) / SR
        gain = 0.4 if (a, speaker) == (28.1, "trainee") else 0.1  # the last reply is shouted
        stereo[int(a * SR) : int(a * SR) + t.size, ch] += gain * np.sin(2 * np.pi * 150 * t) * (1 + 0.5 * np.sin(2 * np.pi * 4 * t))
    path = tmp_path / "call.wav"
    soundfile.write(str(path), stereo, SR)
    code, out, _ = run(capsys, "--timeline", str(timeline_file), "--audio", str(path), "--json")
    assert code == 0
    r = json.loads(out)
    rel = {t["turn"]: t["loudness_rel_db"] for t in r["turns"]}
    assert rel[8] == pytest.approx(20 * np.log10(4), abs=1.0)
    assert r["loudness"]["shouting_turns"] == [8]


def test_calibrated_baseline_catches_a_trainee_loud_all_call(capsys: pytest.CaptureFixture[str], tmp_path: Path, timeline_file: Path) -> None:
    """Every trainee turn equally loud: against the own median nothing stands out; against the calibrated
    level 10 dB below, every turn is raised voice."""
    rng = np.random.default_rng(4)
    stereo = rng.normal(0, 0.001, (SR * 31, 2)).astype(np.float32)
    for speaker, a, b, _ in TURNS:
        t = np.arange(int((b - a) * SR)) / SR
        stereo[int(a * SR) : int(a * SR) + t.size, 0 if speaker == "customer" else 1] += 0.2 * np.sin(2 * np.pi * 150 * t)
    path = tmp_path / "call.wav"
    soundfile.write(str(path), stereo, SR)
    level = 10 * np.log10(np.mean(stereo[int(5.8 * SR) : int(10.8 * SR), 1].astype(np.float64) ** 2))

    code, out, _ = run(capsys, "--timeline", str(timeline_file), "--audio", str(path), "--json")
    own = json.loads(out)
    assert code == 0 and own["loudness"]["shouting_turns"] == [] and own["loudness"]["baseline"] == "own_median"
    assert "shouting" not in {f["code"] for f in own["findings"]}

    code, out, _ = run(capsys, "--timeline", str(timeline_file), "--audio", str(path), "--baseline-db", f"{level - 10:.2f}", "--json")
    cal = json.loads(out)
    assert code == 0 and cal["loudness"]["baseline"] == "calibrated"
    assert cal["loudness"]["baseline_db"] == pytest.approx(level - 10, abs=0.01)
    assert cal["loudness"]["shouting_turns"] == [t["turn"] for t in cal["turns"]] == [2, 4, 6, 8]  # 1 is a backchannel
    assert all(t["loudness_rel_db"] == pytest.approx(10, abs=1.0) for t in cal["turns"])
    assert "shouting" in {f["code"] for f in cal["findings"]}
    assert cal["score"]["loudness"] < own["score"]["loudness"]
    code, out, _ = run(capsys, "--timeline", str(timeline_file), "--audio", str(path), "--baseline-db", f"{level - 10:.2f}")
    assert code == 0 and "raised-voice turns: 2, 4, 6, 8 (against the calibrated level" in out

    saved = json.loads(timeline_file.read_text(encoding="utf-8")) | {"baseline_db": round(level - 10, 2)}
    stored = tmp_path / "stored.json"            # an attempt as the app stores it, with the calibrated level
    stored.write_text(json.dumps(saved), encoding="utf-8")
    code, out, _ = run(capsys, "--timeline", str(stored), "--audio", str(path), "--json")
    assert code == 0 and json.loads(out)["loudness"]["shouting_turns"] == [2, 4, 6, 8]


def write_mono(path: Path) -> Path:
    soundfile.write(str(path), np.zeros(SR, np.float32), SR)
    return path


def bad_args(case: str, tmp: Path, timeline: Path) -> list[str]:
    if case == "missing-timeline":
        return ["--timeline", str(tmp / "nope.json")]
    if case == "invalid-timeline":
        (tmp / "bad.json").write_text('{"version": 1}')
        return ["--timeline", str(tmp / "bad.json")]
    if case == "not-utf8":
        (tmp / "gbk.json").write_bytes(timeline.read_text(encoding="utf-8").encode("gbk"))
        return ["--timeline", str(tmp / "gbk.json")]
    if case in ("nan-time", "infinite-time", "word-ends-before-start"):
        data = json.loads(timeline.read_text(encoding="utf-8"))
        if case == "word-ends-before-start":
            data["turns"][2]["words"] = [{"word": "非常", "start": 6.4, "end": 6.0}]
        text = json.dumps(data, ensure_ascii=False)
        if case != "word-ends-before-start":
            text = text.replace('"end": 10.8', '"end": NaN' if case == "nan-time" else '"end": Infinity')
        (tmp / "t.json").write_text(text, encoding="utf-8")
        return ["--timeline", str(tmp / "t.json")]
    if case == "unreadable-audio":
        (tmp / "x.wav").write_bytes(b"RIFF garbage")
        return ["--audio", str(tmp / "x.wav")]
    if case == "mono-audio":
        return ["--audio", str(write_mono(tmp / "m.wav"))]
    if case == "text-without-audio":
        return ["--timeline", str(timeline), "--text", "嗯"]
    return []


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing-timeline", "cannot read"),
        ("invalid-timeline", "invalid timeline"),
        ("not-utf8", "gbk.json: not UTF-8 text"),
        ("nan-time", "t.json: not JSON (NaN is not a number)"),
        ("infinite-time", "t.json: not JSON (Infinity is not a number)"),
        ("word-ends-before-start", "invalid timeline at turns/2/words/0: end 6.0 is before start 6.4"),
        ("unreadable-audio", "cannot read audio"),
        ("mono-audio", "m.wav is mono; a call recording needs two channels (customer left, trainee right)"),
        ("nothing", "give --timeline FILE, --audio FILE, or both"),
        ("text-without-audio", "--text goes with --audio"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, timeline_file: Path, case: str, message: str
) -> None:
    code, out, err = run(capsys, *bad_args(case, tmp_path, timeline_file), "--json")
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err
    assert err.count("\n") == 1


def test_real_process_exit_code(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "analyze", "--audio", str(write_mono(tmp_path / "m.wav"))],
        capture_output=True, text=True,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
