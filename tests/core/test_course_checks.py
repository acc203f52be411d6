"""The course checks over a call (四个同步 需求同步, 不要让我想, 不要让我重复讲, 控制事态 after an escalation
signal, 预见性), on typed calls through the real persona scenarios and on timelines."""

from __future__ import annotations

from simulator.core.analysis.call import analyze_call
from simulator.core.call_session import CallSession, TraineeReply
from simulator.core.personas import default_personas_dir, load_persona
from simulator.core.timeline import Timeline, Turn


def persona(language: str, kind: str):
    return load_persona(default_personas_dir() / language / f"{kind}.toml")


def typed_call(language: str, kind: str, scenario: str, replies: list[str]) -> Timeline:
    session = CallSession(persona(language, kind), scenario, seed=1)
    line = session.opening()
    session.customer_spoke(line, 0.0, 3.0)
    for i, text in enumerate(replies):
        if session.ending is not None:
            break
        _, line = session.trainee_replied(TraineeReply(text, 4.0 + 10 * i, 8.0 + 10 * i, typed=True))
        session.customer_spoke(line, 9.0 + 10 * i, 12.0 + 10 * i)
    return session.timeline


def codes(timeline: Timeline) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in analyze_call(timeline).scorecard.findings:
        out.setdefault(f.code, []).append(f)
    return out


def test_need_sync_from_the_scenario_wants() -> None:
    good = typed_call("zh", "angry_threatening", "heating_below_standard", ["我理解您的着急，今天就派人上门，两小时内到"])
    bad = typed_call("zh", "angry_threatening", "heating_below_standard", ["您好，请问您的户号是多少"])
    assert "need_sync_good" in codes(good) and "need_sync" not in codes(good)
    found = codes(bad)["need_sync"][0]
    assert "需求同步" in found.message and found.cost > 0


def test_jargon_costs_points_and_names_the_word() -> None:
    call = typed_call("zh", "angry_threatening", "broadband_outage", ["您小区的光交箱出了故障，我们正在抢修"])
    found = codes(call)["jargon"][0]
    assert "光交箱" in found.message and "不要让我想" in found.message and found.cost > 0


def test_making_a_transferred_customer_repeat_or_transferring_again() -> None:
    # the insulting persona's washing-machine scenario: transferred four times (its situation says so)
    scenario = next(s for s in persona("zh", "insulting").scenarios if "转" in s.situation)
    again = typed_call("zh", "insulting", scenario.id, ["麻烦您从头再说一遍是什么问题"])
    transfer = typed_call("zh", "insulting", scenario.id, ["我帮您转接售后部门"])
    assert "make_repeat" in codes(again) and "不要让我重复讲" in codes(again)["make_repeat"][0].message
    assert "make_repeat" in codes(transfer)
    fresh = Timeline("zh", "x", [Turn("customer", 0, 2, "喂？"), Turn("trainee", 3, 5, "不好意思，您再说一遍？")])
    assert "make_repeat" not in codes(fresh)  # asking once when nothing was explained yet is fine


def test_escalation_signal_wants_a_calm_record_not_an_argument() -> None:
    def call(reply: str) -> Timeline:
        return Timeline("zh", "x", [Turn("customer", 0, 3, "你们再不解决，我就打12345投诉，还要找媒体曝光！"),
                                    Turn("trainee", 4, 8, reply)])
    assert "escalation_signal_good" in codes(call("您的意见我已经如实记录，投诉编号TS1206-0032，也可以找值班主管"))
    assert "escalation_signal" in codes(call("您打12345也没用，这不是我们的问题"))
    assert "escalation_signal" in codes(call("请问您的户号是多少"))
    english = Timeline("en", "x", [Turn("customer", 0, 3, "I'm recording this call and my solicitor will hear it."),
                                   Turn("trainee", 4, 8, "I've noted that, and your reference is CX-20931.")])
    assert "escalation_signal_good" in codes(english)


def test_anything_else_near_the_end_of_a_call() -> None:
    lines = ["我理解您的着急", "今天下午三点前安排师傅上门", "工单号是RL1203-0457"]
    asked = lines + ["还有其他需要帮您的吗？"]
    turns = []
    for i, text in enumerate(asked):
        turns += [Turn("customer", 10 * i, 10 * i + 3, "暖气不热"), Turn("trainee", 10 * i + 4, 10 * i + 8, text)]
    assert "anything_else_good" in codes(Timeline("zh", "x", turns))
    assert "anything_else" in codes(Timeline("zh", "x", turns[:-2]))
    assert not {"anything_else", "anything_else_good"} & set(codes(Timeline("zh", "x", turns[:2])))  # too short to judge
