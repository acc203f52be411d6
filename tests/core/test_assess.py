"""assess_turn: the events a persona reacts to, for typical trainee replies to each persona type."""

from __future__ import annotations

import pytest

from simulator.core.analysis.assess import assess_turn, event_for, similarity
from simulator.core.events import Event

E = Event


def events(text: str, language: str = "zh", **kw) -> frozenset[Event]:
    return assess_turn(text, language, **kw).events


# ---------------------------------------------------------------- angry & threatening

def test_angry_good_reply_zh() -> None:
    a = assess_turn("我非常理解您的着急，真的很抱歉，我们今天下午三点前安排师傅上门", "zh",
                    customer_text="两天了暖气还不热，我要打12345投诉你们！")
    assert {E.EMPATHY, E.APOLOGY, E.COMMITMENT} <= a.events
    assert not a.events & {E.TABOO, E.DEFENSIVE, E.VAGUE_PROMISE, E.CANCELLED_APOLOGY}
    assert a.evidence["empathy"] in "我非常理解您的着急"
    assert "三点" in a.evidence["commitment"]


def test_angry_poor_reply_zh() -> None:
    got = events("你听我说，这不是我们的问题，我们会尽快处理的")
    assert {E.TABOO, E.VAGUE_PROMISE} <= got
    assert not got & {E.EMPATHY, E.APOLOGY, E.COMMITMENT}


def test_angry_replies_en() -> None:
    good = events("I completely understand, and I'm really sorry. I'll send an engineer by 3 pm today.", "en")
    assert {E.EMPATHY, E.APOLOGY, E.COMMITMENT} <= good
    poor = events("Sorry, but that's just the policy. We'll look into it.", "en")
    assert {E.CANCELLED_APOLOGY, E.DEFENSIVE, E.VAGUE_PROMISE} <= poor
    assert E.APOLOGY not in poor


def test_offering_a_supervisor_is_an_escalation_path() -> None:
    assert E.ESCALATION_PATH in events("如果您愿意，我可以帮您转接值班主管")
    assert E.ESCALATION_PATH in events("If you'd like, I can escalate this to my supervisor.", "en")


# ---------------------------------------------------------------- stubborn

def test_stubborn_restate_explain_options_zh() -> None:
    a = assess_turn("您是说邻居家温度舒服很多，按照规定我们先上门测温，您看今天下午还是明天上午方便？有两个方案", "zh",
                    customer_text="邻居家温度舒服很多，我家就是不热，不提温度我就不交费")
    assert {E.RESTATE, E.EXPLAIN_RULE, E.OPTIONS} <= a.events
    assert "邻居家温度舒服很多" in a.evidence["restate"]


def test_stubborn_defensive_zh() -> None:
    assert E.DEFENSIVE in events("不是这样的，规定就是这样")


def test_repeated_explanation_is_detected() -> None:
    first = "按照规定，供暖费需要在开栓前缴纳，这是统一的收费标准"
    again = "按照规定，供暖费需要在开栓前缴纳，这是统一收费标准啊"
    assert E.REPEATED_EXPLANATION in events(again, previous_trainee_texts=[first])
    a = assess_turn(again, "zh", previous_trainee_texts=["您好", first])
    assert a.evidence["repeated_explanation"] == first


def test_a_new_explanation_or_a_short_reply_is_not_a_repeat() -> None:
    first = "按照规定，供暖费需要在开栓前缴纳，这是统一的收费标准"
    assert E.REPEATED_EXPLANATION not in events("我们今天下午先派师傅上门测温，测完再一起商量缴费的事", previous_trainee_texts=[first])
    assert E.REPEATED_EXPLANATION not in events("好的", previous_trainee_texts=["好的"])


def test_repeat_english() -> None:
    first = "Our policy is that the fee is due before the heating season starts."
    assert E.REPEATED_EXPLANATION in events("Our policy is that the fee is due before the heating season begins.", "en", previous_trainee_texts=[first])


# ---------------------------------------------------------------- habitual complainer

def test_complainer_follow_up_and_over_promise_zh() -> None:
    assert {E.FOLLOW_UP, E.COMMITMENT} <= events("我已经记录了，工单号是三七二九，明天中午十二点前给您回电")
    assert E.OVER_PROMISE in events("您放心，我们保证给您全额赔偿")
    assert E.OVER_PROMISE not in events("我不能保证全额赔偿，但会按流程帮您申请")


def test_complainer_en() -> None:
    assert E.FOLLOW_UP in events("Your reference number is 5521 and I'll call you back tomorrow.", "en")
    assert E.OVER_PROMISE in events("Don't worry, you'll get a full refund, guaranteed.", "en")
    assert E.OVER_PROMISE not in events("I can't promise a full refund, but I will raise it.", "en")


# ---------------------------------------------------------------- insulting

def test_insulting_boundary_vs_retaliation() -> None:
    calm = events("为了尽快帮您解决，请您先告诉我您的户号")
    assert E.BOUNDARY in calm and E.RETALIATION not in calm
    assert E.RETALIATION in events("你有病吧，爱投诉就投诉")
    assert E.BOUNDARY in events("So that I can help you quickly, please tell me your account number.", "en")
    assert E.RETALIATION in events("Whatever, go ahead and complain.", "en")


# Sentences a realistic trainee says to the personas, which the lists once missed or misread.
REALISTIC = [
    ("zh", "我给您全退，再给您赔偿两百块", {E.OVER_PROMISE}, {E.RETALIATION, E.COMMITMENT}),
    ("zh", "再给您赔偿两百块", {E.OVER_PROMISE}, set()),
    ("zh", "全部给您免了", {E.OVER_PROMISE}, set()),
    ("zh", "我保证给您全额退款加补偿", {E.OVER_PROMISE}, set()),
    ("zh", "您是不是没长脑子", {E.RETALIATION}, {E.BOUNDARY}),
    ("zh", "为了尽快帮您解决，请您……", {E.BOUNDARY}, {E.VAGUE_PROMISE}),
    ("en", "So that I can sort this out quickly for you, please…", {E.BOUNDARY}, {E.VAGUE_PROMISE}),
    ("en", "Whatever you want, we'll refund everything", {E.OVER_PROMISE}, {E.RETALIATION}),
    # the policy's own compensation, said plainly, is not an over-promise
    ("zh", "按规定可以补偿50元服务券", set(), {E.OVER_PROMISE}),
    ("zh", "核实后全额退还已扣费用", set(), {E.OVER_PROMISE}),
]


@pytest.mark.parametrize(("language", "text", "present", "absent"), REALISTIC, ids=[r[1][:12] for r in REALISTIC])
def test_realistic_sentences(language: str, text: str, present: set[Event], absent: set[Event]) -> None:
    got = events(text, language)
    assert present <= got and not got & absent, got


def test_thanks() -> None:
    assert E.THANKS in events("感谢您的反馈")
    assert E.THANKS in events("Thanks for letting us know.", "en")


# ---------------------------------------------------------------- record fields

def test_measured_events_and_numbers_are_carried() -> None:
    a = assess_turn("好的", "zh", start=3.0, end=4.5, latency=0.8, pace=180.0, loudness_db=7.0,
                    measured=[E.INTERRUPTION, E.SHOUTING])
    assert a.events == frozenset({E.INTERRUPTION, E.SHOUTING})
    assert (a.start, a.end, a.latency, a.pace, a.loudness_db) == (3.0, 4.5, 0.8, 180.0, 7.0)


def test_traditional_and_vosk_spaces_give_the_same_events() -> None:
    plain = events("我非常理解您的心情，对不起让您久等了")
    assert events("我 非常 理解 您 的 心情 對不起 讓 您 久等 了") == plain


def test_event_mapping() -> None:
    assert event_for("taboo", "defensive") is E.DEFENSIVE
    assert event_for("taboo", "phrases") is E.TABOO
    assert event_for("resolution", "commitment") is E.COMMITMENT
    assert event_for("resolution", "steps") is None
    assert event_for("filler") is None and event_for("negative") is None


@pytest.mark.parametrize(("a", "b", "low", "high"), [
    ("按照规定要先缴费", "按照规定要先缴费", 0.99, 1.0),
    ("按照规定要先缴费", "今天下午派人上门", 0.0, 0.01),
])
def test_similarity_range(a: str, b: str, low: float, high: float) -> None:
    assert low <= similarity(a, b, "zh") <= high
