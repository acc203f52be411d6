"""The call session end to end from data: real personas, real assessment, real engine, no audio."""

from __future__ import annotations

import pytest

from simulator.core.call_session import CallSession, TraineeReply
from simulator.core.events import Event
from simulator.core.personas.loader import default_personas_dir, load_persona
from simulator.core.timeline import Timeline

ANGRY_ZH = default_personas_dir() / "zh" / "angry_threatening.toml"

GOOD_ZH = [
    "王先生，我非常理解您的心情，家里老人生病了，暖气还不热，换了谁都着急。",
    "真的很抱歉让您和家人受冻了，您说暖气两天不达标，老人还生病了，对吧？",
    "我现在马上给您派维修师傅，今天下午三点前到您家，到了以后我再给您回电确认。",
    "您的工单号是二零一一，明天上午我再回访一次，确保温度达标。",
]
POOR_ZH = [
    "这不是我们的问题，规定就是这样。",
    "你听我说，不可能今天修好的，我不知道什么时候能修。",
    "你听我说，不是这样的，规定就是这样，我也没办法。",
    "不可能，我不知道。",
]


def _play(session: CallSession, replies: list[str], gap: float = 0.8, speak: float = 4.0):
    line = session.opening()
    t = 0.0
    session.customer_spoke(line, t, t + 3.0)
    t += 3.0
    assessments = []
    for text in replies:
        if session.ending is not None:
            break
        start = t + gap
        assessment, line = session.trainee_replied(TraineeReply(text, start, start + speak))
        assessments.append(assessment)
        t = start + speak + 0.5
        session.customer_spoke(line, t, t + 3.0)
        t += 3.0
    return assessments


def _session(seed: int = 1) -> CallSession:
    persona = load_persona(ANGRY_ZH)
    return CallSession(persona, persona.scenarios[0].id, seed=seed)


def test_good_handling_calms_and_resolves() -> None:
    session = _session()
    start = session.mood
    assessments = _play(session, GOOD_ZH * 3)
    assert {Event.EMPATHY, Event.APOLOGY, Event.COMMITMENT} <= set().union(*(a.events for a in assessments))
    assert session.ending is not None and session.ending.kind == "resolved"
    assert session.mood < start - 30


def test_poor_handling_escalates() -> None:
    session = _session()
    start = session.mood
    assessments = _play(session, POOR_ZH * 4)
    assert Event.TABOO in set().union(*(a.events for a in assessments))
    assert session.ending is not None and session.ending.kind == "escalated"
    assert session.engine.mood_trace[-1] > start


def test_interrupting_the_customer_is_measured_and_answered() -> None:
    session = _session()
    line = session.opening()
    session.customer_spoke(line, 0.0, 6.0)
    assessment, answer = session.trainee_replied(TraineeReply("我跟您说一下我们这边的处理流程", 2.5, 5.0))
    assert Event.INTERRUPTION in assessment.events
    assert answer.trigger == "interruption"


def test_a_backchannel_during_the_customer_is_not_an_interruption() -> None:
    session = _session()
    session.customer_spoke(session.opening(), 0.0, 6.0)
    assessment, _ = session.trainee_replied(TraineeReply("嗯", 3.0, 3.3))
    assert Event.INTERRUPTION not in assessment.events


def test_long_silence_before_the_reply_is_dead_air() -> None:
    session = _session()
    session.customer_spoke(session.opening(), 0.0, 3.0)
    slow, _ = session.trainee_replied(TraineeReply("您好，请问有什么可以帮您", 12.0, 14.0))
    assert Event.DEAD_AIR in slow.events
    assert slow.latency == pytest.approx(9.0, abs=0.01)


def test_the_timeline_is_a_valid_interchange_file() -> None:
    session = _session()
    _play(session, GOOD_ZH[:2])
    data = session.timeline.to_json()
    again = Timeline.from_json(data)
    speakers = [t.speaker for t in again.turns]
    assert speakers == ["customer", "trainee", "customer", "trainee", "customer"]
    assert again.extra["persona_type"] == "angry_threatening"
    assert "empathy" in again.turns[1].extra["events"]


def test_same_seed_same_call_different_seed_different_lines() -> None:
    calls = [_session(seed) for seed in (7, 7, 8)]
    for call in calls:
        _play(call, GOOD_ZH)
    lines = [[t.text for t in c.timeline.turns if t.speaker == "customer"] for c in calls]
    assert lines[0] == lines[1]
    assert lines[0] != lines[2]


def test_typed_replies_never_interrupt_and_are_scored_on_words_only() -> None:
    from simulator.core.analysis.call import analyze_call

    session = _session()
    session.customer_spoke(session.opening(), 0.0, 6.0)
    assessment, answer = session.trainee_replied(TraineeReply("我跟您说一下我们这边的处理流程", 2.0, 2.0, typed=True))
    assert Event.INTERRUPTION not in assessment.events and Event.DEAD_AIR not in assessment.events
    assert answer.trigger != "interruption"
    typed = session.timeline.by("trainee")[0]
    assert typed.start == typed.end == 6.0 and typed.extra["typed"] is True
    card = analyze_call(session.timeline, language="zh", persona_type="angry_threatening").scorecard
    assert {"pauses", "interruptions"} <= set(card.not_measured)
    assert "empathy" in card.criteria


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_warm_up_loads_what_the_first_reply_needs_and_leaves_the_call_as_it_was(language: str) -> None:
    from simulator.core.analysis import phrases
    persona = load_persona(default_personas_dir() / language / "angry_threatening.toml")
    session = CallSession(persona, seed=3)
    line = session.opening()
    session.customer_spoke(line, 0.0, 3.0)
    before = (session.timeline.to_json(), session.mood, session.engine.turns, len(session.assessments))
    warm_up = session.warm_up()
    phrases._load.cache_clear()
    warm_up()
    assert phrases._load.cache_info().currsize == 1           # the call's language's lists, loaded by the warm-up
    assert (session.timeline.to_json(), session.mood, session.engine.turns, len(session.assessments)) == before
    session.trainee_replied(TraineeReply("好的" if language == "zh" else "okay", 4.0, 5.0))
    assert phrases._load.cache_info().misses == 1             # the first real reply loads nothing again
