"""Focused feedback: one finding per cause, and the scorecard leads with the three that cost most, each
with the moment, the words said and a better wording (the course's own replacement for a taboo phrase)."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.cli import main
from simulator.core.analysis.call import analyze_call
from simulator.core.review import next_time
from simulator.core.timeline import Timeline, Turn

CUSTOMER = "我家暖气两天不热了，老人都病了，你们到底管不管？"
POOR = ["这不可能，我们的系统显示供暖正常", "规定就是这样，你必须先缴费", "我们会尽快处理的，您等通知吧"]


def poor_call() -> Timeline:
    turns = []
    for i, reply in enumerate(POOR):
        turns += [Turn("customer", 10.0 * i, 10.0 * i + 4, CUSTOMER), Turn("trainee", 10.0 * i + 5, 10.0 * i + 9, reply)]
    return Timeline("zh", "zh.angry_threatening", turns, extra={"persona_type": "angry_threatening"})


def test_a_poor_call_gets_one_finding_per_cause() -> None:
    card = analyze_call(poor_call()).scorecard
    codes = [f.code for f in card.findings]
    for criterion_code, clear_code in (("no_apology", "clear_apologize"), ("no_commitment", "clear_resolve"),
                                       ("no_empathy", "clear_establish"), ("taboo", "clear_control")):
        assert not (criterion_code in codes and clear_code in codes), codes
    # taboo and vague promises backfire with this persona, and each already has its own finding: no
    # second finding says so, the first taboo finding carries what it cost with this persona as well
    assert "persona_backfire" not in codes
    taboo = [f for f in card.findings if f.code == "taboo"]
    assert taboo[0].cost > 2 * taboo[1].cost
    assert len(card.findings) <= 14, codes


def test_next_time_is_the_three_costliest_with_words_and_a_better_wording() -> None:
    card = analyze_call(poor_call()).scorecard
    first = next_time(card.findings)
    advice = [f for f in card.findings if f.severity != "good"]
    assert len(first) == 3 and [f.cost for f in first] == sorted((f.cost for f in first), reverse=True)
    assert first[-1].cost >= max(f.cost for f in advice if f not in first)
    lost = 100 - card.overall  # costs never claim more than was lost; most of the loss has a finding to name it
    assert 0.6 * lost <= sum(f.cost for f in advice) <= lost + 1
    taboo = next(f for f in card.findings if f.code == "taboo" and "不可能" in f.said)
    assert "一起想办法" in taboo.better  # the course's replacement from the phrase file
    assert all(f.better for f in first)


def test_analyze_json_leads_with_next_time_and_keeps_its_keys(tmp_path: Path, capsys) -> None:
    path = tmp_path / "call.json"
    path.write_text(json.dumps(poor_call().to_json(), ensure_ascii=False), encoding="utf-8")
    assert main(["analyze", "--timeline", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"findings", "next_time", "phrases", "score", "clear", "not_measured"} <= set(data)
    assert len(data["next_time"]) == 3 and {"said", "better", "cost", "time", "message"} <= set(data["next_time"][0])
    assert main(["analyze", "--timeline", str(path)]) == 0
    text = capsys.readouterr().out
    assert text.index("Next time") < text.index("Findings:") and "better:" in text and "said:" in text
