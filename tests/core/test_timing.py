"""Timing measures on hand-written timelines: latency, dead air, cut-in, interruptions vs backchannels, overtalk."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from simulator.core.analysis.measures import Interval
from simulator.core.analysis.thresholds import ThresholdsError, load_thresholds
from simulator.core.analysis.timing import is_backchannel_text, measure_timing, speech_units
from simulator.core.timeline import Timeline, Turn, Word

THR = load_thresholds()


def call(*turns: tuple[str, float, float, str], language: str = "zh") -> Timeline:
    return Timeline(language, "angry", [Turn(s, a, b, text) for s, a, b, text in turns])


@pytest.fixture(scope="module")
def angry_call() -> Timeline:
    return call(
        ("customer", 0.0, 5.0, "我的宽带又断了你们到底什么时候修好"),
        ("trainee", 2.0, 2.4, "嗯"),
        ("trainee", 5.8, 10.8, "非常抱歉给您带来不便我马上帮您查询"),  # 17 字 in 5 s
        ("customer", 11.0, 16.0, "我已经打了三次电话了"),
        ("trainee", 14.7, 18.0, "您听我说这个不是我们的问题"),
        ("customer", 18.1, 20.0, "那是谁的问题"),
        ("trainee", 24.0, 26.0, "好的"),
        ("customer", 26.1, 28.0, "快点"),
        ("trainee", 28.1, 30.0, "我现在就给您派单"),
    )


def test_backchannel_is_counted_and_not_an_interruption(angry_call: Timeline) -> None:
    m = measure_timing(angry_call, THR)
    assert m.backchannels == 1
    assert m.backchannel_turns == [1]
    assert [x.turn for x in m.interruptions] == [4]


def test_interruption_spans_the_overlap_with_the_customer(angry_call: Timeline) -> None:
    (x,) = measure_timing(angry_call, THR).interruptions
    assert (x.start, x.end) == pytest.approx((14.7, 16.0))
    assert x.text == "您听我说这个不是我们的问题"


def test_overtalk_sums_overlaps_but_not_backchannels(angry_call: Timeline) -> None:
    assert measure_timing(angry_call, THR).overtalk_seconds == pytest.approx(1.3)


def test_latency_only_for_replies_to_the_customer(angry_call: Timeline) -> None:
    m = measure_timing(angry_call, THR)
    by_turn = {t.turn: t.latency for t in m.turns}
    assert by_turn[2] == pytest.approx(0.8)
    assert by_turn[4] is None  # an interruption is not a response latency
    assert by_turn[6] == pytest.approx(4.0)
    assert by_turn[8] == pytest.approx(0.1)
    assert m.latencies == pytest.approx([0.8, 4.0, 0.1])


def test_cut_in_early_flags_only_the_hasty_reply(angry_call: Timeline) -> None:
    flagged = [t.turn for t in measure_timing(angry_call, THR).turns if t.cut_in_early]
    assert flagged == [8]


def test_dead_air_between_turns(angry_call: Timeline) -> None:
    assert measure_timing(angry_call, THR).dead_air == [Interval(20.0, 24.0)]


def test_pace_per_turn_and_per_call(angry_call: Timeline) -> None:
    m = measure_timing(angry_call, THR)
    pace = {t.turn: t.pace for t in m.turns}
    assert pace[2] == pytest.approx(17 / 5.0 * 60, abs=0.1)
    units = sum(speech_units(angry_call.turns[t.turn].text) for t in m.turns)
    seconds = sum(angry_call.turns[t.turn].duration for t in m.turns)
    assert m.pace == pytest.approx(units / seconds * 60, abs=0.1)
    assert m.pace_unit == "chars/min"
    assert m.pace_band == THR.pace_zh
    assert m.customer_pace is not None and m.customer_pace > 0


def test_short_turn_has_no_pace_of_its_own() -> None:
    m = measure_timing(call(("customer", 0, 2, "喂"), ("trainee", 3.0, 3.5, "好的请讲")), THR)
    assert m.turns[0].pace is None
    assert m.pace == pytest.approx(4 / 0.5 * 60)
    few_words = measure_timing(call(("customer", 0, 2, "喂"), ("trainee", 3.0, 5.0, "好的")), THR)
    assert few_words.turns[0].pace is None and few_words.pace == pytest.approx(60.0)


def test_long_backchannel_word_is_an_interruption() -> None:
    m = measure_timing(call(("customer", 0, 6, "你们的服务太差了"), ("trainee", 2.0, 3.5, "嗯")), THR)
    assert m.backchannels == 0
    assert [(x.start, x.end) for x in m.interruptions] == [(2.0, 3.5)]


def test_short_reply_that_is_not_a_backchannel_phrase_interrupts() -> None:
    m = measure_timing(call(("customer", 0, 6, "你们的服务太差了"), ("trainee", 2.0, 2.6, "不是的")), THR)
    assert m.backchannels == 0 and len(m.interruptions) == 1


def test_english_backchannel_and_units() -> None:
    m = measure_timing(
        call(("customer", 0, 5, "my internet is down again"), ("trainee", 1.0, 1.7, "OK, I see."), language="en"),
        THR,
    )
    assert m.backchannels == 1 and m.interruptions == []
    assert m.pace_unit == "words/min" and m.pace_band == THR.pace_en


def test_tiny_overlap_is_turn_taking_not_interruption() -> None:
    m = measure_timing(call(("customer", 0, 4, "我要投诉"), ("trainee", 3.95, 6.0, "非常抱歉")), THR)
    assert m.interruptions == [] and m.overtalk_seconds == pytest.approx(0.05)
    assert m.turns[0].latency == pytest.approx(-0.05) and m.turns[0].cut_in_early


def test_customer_talking_over_the_trainee_is_overtalk_only() -> None:
    m = measure_timing(call(("trainee", 0, 5, "您好请问有什么可以帮您"), ("customer", 4.0, 8.0, "我要投诉")), THR)
    assert m.interruptions == [] and m.overtalk_seconds == pytest.approx(1.0)


def test_dead_air_inside_a_turn_from_word_times() -> None:
    words = [Word("您好", 1.0, 1.6), Word("请", 1.7, 1.9), Word("稍等", 5.5, 6.0)]
    tl = Timeline("zh", "p", [Turn("customer", 0, 0.8, "喂"), Turn("trainee", 1.0, 6.0, "您好请稍等", words)])
    (t,) = measure_timing(tl, THR).turns
    assert t.dead_air == [Interval(1.9, 5.5)]
    assert t.pace == pytest.approx(5 / (5.0 - 3.6) * 60, abs=0.1)


def test_dead_air_inside_a_turn_from_voice_activity() -> None:
    tl = call(("customer", 0, 1, "喂"), ("trainee", 1.2, 9.0, "您好请稍等我查一下"))
    speech = {"trainee": [Interval(1.2, 2.5), Interval(6.0, 9.0)]}
    (t,) = measure_timing(tl, THR, speech).turns
    assert t.dead_air == [Interval(2.5, 6.0)]
    assert measure_timing(tl, THR).turns[0].dead_air == []


def test_first_trainee_turn_without_customer_has_no_latency() -> None:
    m = measure_timing(call(("trainee", 0.5, 3, "您好这里是客服中心"), ("customer", 3.5, 5, "我要投诉")), THR)
    assert m.turns[0].latency is None and m.latencies == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("嗯嗯", True), ("对对对", True), ("是的，我明白", True), ("OK, I see.", True), ("Uh-huh", True),
     ("好的我马上处理", False), ("I see what you mean", False), ("不对", False)],
)
def test_backchannel_text(text: str, expected: bool) -> None:
    assert is_backchannel_text(text, THR.backchannel_phrases) is expected


def test_speech_units_mixes_characters_and_words() -> None:
    assert speech_units("您好，请问有什么可以帮您？") == 11
    assert speech_units("I don't know, it's 10 o'clock") == 6
    assert speech_units("he must be home now他一定在家") == 10


def test_thresholds_file_states_sane_bands_and_a_site_copy_can_override(tmp_path: Path) -> None:
    low_zh, high_zh = THR.pace_zh
    low_en, high_en = THR.pace_en
    assert 120 <= low_zh < high_zh <= 300 and 100 <= low_en < high_en <= 200
    assert THR.cut_in_early < THR.max_latency < THR.dead_air
    packaged = Path(__file__).parents[2] / "simulator" / "data" / "thresholds.toml"
    site = tmp_path / "site.toml"
    site.write_text(packaged.read_text(encoding="utf-8").replace("dead_air = 3.0", "dead_air = 5.0"), encoding="utf-8")
    assert load_thresholds(site).dead_air == 5.0
    site.write_text("[pace]\nzh = [1, 2]\n", encoding="utf-8")
    with pytest.raises(ThresholdsError, match="missing value"):
        load_thresholds(site)
    site.write_text("[pace\n", encoding="utf-8")
    with pytest.raises(ThresholdsError, match="not valid TOML"):
        load_thresholds(site)


def test_dead_air_threshold_changes_what_counts() -> None:
    tl = call(("customer", 0, 2, "喂"), ("trainee", 4.5, 6, "您好请讲"))
    assert measure_timing(tl, THR).dead_air == []
    assert measure_timing(tl, replace(THR, dead_air=2.0)).dead_air == [Interval(2.0, 4.5)]


def test_a_paused_span_is_not_dead_air() -> None:
    turns = [Turn("customer", 0.0, 3.0, "暖气还是不热"), Turn("customer", 15.0, 18.0, "暖气还是不热"),
             Turn("trainee", 18.5, 21.0, "我马上帮您处理")]
    thr = load_thresholds()
    running = measure_timing(Timeline("zh", "stubborn", turns), thr)
    assert [(d.start, d.end) for d in running.dead_air] == [(3.0, 15.0)]
    paused = measure_timing(Timeline("zh", "stubborn", turns, extra={"pauses": [[3.2, 14.9], [20.0, None]]}), thr)
    assert paused.dead_air == []
