"""A penalty needs its words heard with confidence (thresholds.toml [confidence]); below it the finding is
"possibly heard", with its moment, and costs nothing. Typed replies are fully confident."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.cli import main
from simulator.core.analysis.call import analyze_call
from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.timeline import Timeline, Turn, Word

CUSTOMER = "我家暖气两天不热了！"


def call(conf: float | None) -> Timeline:
    """The customer, then a reply whose 不可能 was recognised with `conf` (None: the reply was typed)."""
    words = None if conf is None else [Word("这", 5.0, 5.3, 0.97), Word("不可能", 5.3, 6.2, conf),
                                         Word("我们", 6.4, 6.8, 0.95), Word("马上", 6.8, 7.2, 0.95), Word("查", 7.2, 7.5, 0.95)]
    reply = Turn("trainee", 5.0, 7.5, "这不可能，我们马上查", words, extra={} if words else {"typed": True})
    return Timeline("zh", "zh.angry_threatening", [Turn("customer", 0.0, 4.0, CUSTOMER), reply],
                    extra={"persona_type": "angry_threatening"})


def taboo_findings(card) -> list:
    return [f for f in card.findings if f.code == "taboo"]


def test_a_confident_or_typed_penalty_costs_points_a_doubtful_one_is_possibly_heard() -> None:
    sure, typed, doubtful = (analyze_call(call(c)).scorecard for c in (0.95, None, 0.4))
    assert taboo_findings(sure) and taboo_findings(sure)[0].cost > 0
    assert taboo_findings(typed) and taboo_findings(typed)[0].cost > 0
    assert taboo_findings(doubtful) == []
    possibly = [f for f in doubtful.findings if f.code == "possibly_heard"]
    assert len(possibly) == 1 and possibly[0].cost == 0 and possibly[0].time == 5.3
    assert "不可能" in possibly[0].message and "0.40" in possibly[0].message
    assert doubtful.criteria["taboo"] > sure.criteria["taboo"] and doubtful.overall > sure.overall


def test_the_threshold_sits_between_reward_and_penalty() -> None:
    thr = load_thresholds()
    assert 0 < thr.reward_confidence < thr.penalty_confidence <= 1


def test_analyze_json_gives_each_hit_its_confidence_and_lists_what_was_possibly_heard(tmp_path: Path, capsys) -> None:
    path = tmp_path / "call.json"
    path.write_text(json.dumps(call(0.4).to_json(), ensure_ascii=False), encoding="utf-8")
    assert main(["analyze", "--timeline", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["phrases"]["taboo"][0]["confidence"] == 0.4
    assert data["possibly_heard"] == [{"category": "taboo", "turn": 1, "time": 5.3, "text": "不可能", "confidence": 0.4}]
