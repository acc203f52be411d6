"""The scorecard: numbers move the right way, findings point at the right moment, CLEAR order is judged."""

from __future__ import annotations

import subprocess
import tomllib
from importlib import resources
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile

from simulator.core.analysis.call import measure_recording
from simulator.core.analysis.clear import clear_coverage
from simulator.core.analysis.measures import Interruption, Interval
from simulator.core.analysis.phrases import find_phrases
from simulator.core.analysis.scorecard import CRITERIA, load_scoring_config
from simulator.core.analysis.scoring import persona_key, score_call
from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.analysis.timing import measure_timing
from simulator.core.events import Event
from simulator.core.timeline import Timeline, Turn

MEASURED = ("pauses", "pace", "loudness", "intonation", "interruptions")


def call(lines: list[tuple[str, str]], persona: str = "angry_threatening", language: str = "zh", gap: float = 0.8, **extra) -> Timeline:
    """Turns one after another, 0.25 s per character (zh) or 0.4 s per word (en), `gap` s between turns."""
    turns, t = [], 0.0
    for speaker, text in lines:
        length = max(1.0, (len(text) * 0.25) if language == "zh" else len(text.split()) * 0.4)
        turns.append(Turn(speaker, t, t + length, text))  # type: ignore[arg-type]
        t += length + gap
    return Timeline(language, persona, turns, extra)


CUSTOMER_1 = "我家暖气两天都不热了，家里两位老人都病了，你们到底管不管！"
CUSTOMER_2 = "道歉有什么用，到底什么时候来修？"
GOOD_ZH = [
    ("customer", CUSTOMER_1),
    ("trainee", "您好，我非常理解您的着急，暖气两天都不热，老人还生病了，真的很抱歉给您添麻烦了。"),
    ("customer", CUSTOMER_2),
    ("trainee", "我们今天下午三点前安排师傅上门检修，工单号是三五七，处理完我给您回电。如果您需要，我也可以请值班主管联系您。感谢您的耐心。"),
]
POOR_ZH = [
    ("customer", CUSTOMER_1),
    ("trainee", "嗯，那个，这不是我们的问题，规定就是这样，你听我说。"),
    ("customer", CUSTOMER_2),
    ("trainee", "抱歉，但是我们会尽快处理的，然后就是，你等通知吧。"),
]
GOOD_EN = [
    ("customer", "My heating has been cold for two days and my parents are ill!"),
    ("trainee", "I completely understand how worrying that is, your heating has been cold for two days. I'm really sorry."),
    ("customer", "So when are you coming?"),
    ("trainee", "I'll send an engineer by 3 pm today, your reference number is 4471 and I'll call you back. Thank you for your patience."),
]
POOR_EN = [
    ("customer", "My heating has been cold for two days and my parents are ill!"),
    ("trainee", "Um, that's not our problem, rules are rules, listen to me."),
    ("customer", "So when are you coming?"),
    ("trainee", "Sorry, but like, we'll look into it as soon as possible."),
]


def card(lines, **kw):
    tl = call(lines, **kw)
    return tl, score_call(tl, find_phrases(tl), None)


@pytest.mark.parametrize(("good", "poor", "language"), [(GOOD_ZH, POOR_ZH, "zh"), (GOOD_EN, POOR_EN, "en")])
def test_good_call_scores_clearly_higher(good, poor, language) -> None:
    _, g = card(good, language=language)
    _, p = card(poor, language=language)
    assert g.overall >= 75 and p.overall <= 35
    assert g.overall - p.overall >= 40
    for name in ("empathy", "apology", "resolution", "taboo", "clear", "persona"):
        assert g.criteria[name] > p.criteria[name], name


def test_typed_call_leaves_measured_criteria_out() -> None:
    _, c = card(GOOD_ZH)
    assert set(c.criteria) == set(CRITERIA) - set(MEASURED)
    assert set(c.not_measured) == set(MEASURED)
    assert all(0 <= v <= 100 for v in c.criteria.values())


def test_typed_call_does_not_claim_listening() -> None:
    """Interruptions need timing: without it Listen is not judged, neither passed nor failed."""
    _, typed = card(GOOD_ZH)
    assert typed.clear.listen is None and typed.clear.steps()["listen"] is None
    assert not any(f.code == "clear_listen" for f in typed.findings)
    assert typed.criteria["clear"] == 100  # every judged step covered, emotion first
    tl = call(GOOD_ZH)
    timed = score_call(tl, find_phrases(tl), measure_timing(tl, load_thresholds()))
    assert timed.clear.listen is True and timed.criteria["clear"] == 100
    _, poor = card(POOR_ZH)
    assert poor.clear.listen is None and poor.criteria["clear"] < 100


def test_recording_without_words_scores_only_what_was_measured() -> None:
    tl = call([("customer", ""), ("trainee", "")])
    c = score_call(tl, find_phrases(tl), _measures())
    assert set(c.criteria) == set(MEASURED)
    assert not [f for f in c.findings if f.criterion not in MEASURED]


def test_overall_is_the_weighted_mean_of_the_scored_criteria() -> None:
    weights = load_scoring_config().weights
    for lines in (GOOD_ZH, POOR_ZH):
        _, c = card(lines)
        expected = sum(weights[k] * v for k, v in c.criteria.items()) / sum(weights[k] for k in c.criteria)
        assert abs(c.overall - expected) <= 0.5


def test_findings_point_to_the_turn_and_time_of_the_words() -> None:
    tl, c = card(POOR_ZH)
    by_code = {}
    for f in c.findings:
        by_code.setdefault(f.code, f)
    taboo = by_code["taboo"]
    assert taboo.turn == 1 and taboo.severity == "bad"
    assert tl.turns[1].start < taboo.time < tl.turns[1].end
    assert "这不是我们的问题" in taboo.message and "话术设计禁忌" in taboo.message
    cancelled = by_code["cancelled_apology"]
    assert cancelled.turn == 3 and cancelled.time == pytest.approx(tl.turns[3].start)
    assert "但是" in cancelled.message
    defensive = by_code["defensive"]
    assert defensive.turn == 1 and defensive.time > taboo.time  # 规定就是这样 comes after 这不是我们的问题
    for f in c.findings:
        assert f.severity in ("good", "warn", "bad") and f.criterion in CRITERIA
        assert f.message.endswith(("。", ".")) and f.message.count("。") <= 1


def test_every_finding_of_a_turn_level_code_has_turn_and_time() -> None:
    _, c = card(POOR_EN, language="en")
    for f in c.findings:
        assert f.turn is not None and f.time is not None, f


def test_a_taboo_phrase_lowers_the_score() -> None:
    _, base = card(GOOD_ZH)
    worse = list(GOOD_ZH)
    worse[3] = ("trainee", "这不可能这么快。" + GOOD_ZH[3][1])
    _, c = card(worse)
    assert c.criteria["taboo"] < base.criteria["taboo"]
    assert c.overall < base.overall


def test_more_fillers_score_lower() -> None:
    few = [("customer", CUSTOMER_1), ("trainee", "我理解您的着急，我们今天下午三点前派人上门检查")]
    many = [("customer", CUSTOMER_1), ("trainee", "嗯，那个，我理解，就是，然后，嗯，我们，那个，今天下午三点前派人上门检查")]
    assert card(few)[1].criteria["fillers"] == 100
    assert card(many)[1].criteria["fillers"] < 50


# ---------------------------------------------------------------- CLEAR

def test_emotion_first_call_is_in_order() -> None:
    tl = call([("customer", CUSTOMER_1), ("trainee", "我非常理解您的着急，真的很抱歉"), ("customer", CUSTOMER_2),
               ("trainee", "我们今天下午三点前安排师傅上门")])
    cov = clear_coverage(tl, find_phrases(tl))
    assert cov.emotion_before_solution is True
    assert cov.establish and cov.apologize and cov.resolve and cov.control
    assert cov.listen is None  # no measures: interrupting was not measured
    assert cov.first_times["establish"] < cov.first_times["resolve"]


def test_solution_first_call_is_out_of_order_and_says_so() -> None:
    tl = call([("customer", CUSTOMER_1), ("trainee", "我们今天下午三点前安排师傅上门"), ("customer", CUSTOMER_2),
               ("trainee", "我非常理解您的着急，真的很抱歉")])
    c = score_call(tl, find_phrases(tl))
    assert c.clear.emotion_before_solution is False
    f = next(f for f in c.findings if f.code == "solution_before_emotion")
    assert f.turn == 1 and "先心情后事情" in f.message
    emotion_first = call([GOOD_ZH[0], ("trainee", "我非常理解您的着急，真的很抱歉"), GOOD_ZH[2], ("trainee", "我们今天下午三点前安排师傅上门")])
    assert score_call(emotion_first, find_phrases(emotion_first)).criteria["clear"] > c.criteria["clear"]


def test_order_within_one_turn_counts() -> None:
    first = call([("customer", CUSTOMER_1), ("trainee", "我理解您的着急，我们今天下午三点前安排师傅上门")])
    later = call([("customer", CUSTOMER_1), ("trainee", "我们今天下午三点前安排师傅上门，我理解您的着急")])
    assert clear_coverage(first, find_phrases(first)).emotion_before_solution is True
    assert clear_coverage(later, find_phrases(later)).emotion_before_solution is False


def test_no_solution_means_order_unknown_and_resolve_missing() -> None:
    tl = call([("customer", CUSTOMER_1), ("trainee", "我非常理解您的着急")])
    cov = clear_coverage(tl, find_phrases(tl))
    assert cov.emotion_before_solution is None and not cov.resolve


def test_cancelled_apology_does_not_cover_apologize() -> None:
    tl = call([("customer", CUSTOMER_1), ("trainee", "抱歉，但是这是公司规定")])
    assert clear_coverage(tl, find_phrases(tl)).apologize is False


# ---------------------------------------------------------------- measured criteria (duck-typed)

def _measures(**kw):
    base = dict(pace=200.0, pace_band=(160.0, 240.0), latencies=[0.8], dead_air=[], interruptions=[],
                overtalk_seconds=0.0, loudness={"shouting_turns": []}, pitch={"sd_semitones": 2.5, "monotone": False, "sharp_rise_turns": []},
                turns=[SimpleNamespace(turn=1, start=21.0, pace=200.0, latency=0.8, cut_in_early=False)], customer_pace=None)
    base.update(kw)
    return SimpleNamespace(**base)


def test_measured_criteria_are_scored_when_measures_are_given() -> None:
    tl = call(GOOD_ZH)
    c = score_call(tl, find_phrases(tl), _measures())
    assert set(c.criteria) == set(CRITERIA)
    assert all(c.criteria[k] == 100 for k in MEASURED)


def test_an_interruption_costs_points_and_points_to_its_turn() -> None:
    tl = call(GOOD_ZH)
    hits = find_phrases(tl)
    calm = score_call(tl, hits, _measures())
    cut = score_call(tl, hits, _measures(interruptions=[Interruption(14.0, 15.0, "你听我说", 1)], overtalk_seconds=1.0))
    assert cut.criteria["interruptions"] < calm.criteria["interruptions"]
    assert cut.clear.listen is False and calm.clear.listen is True
    assert cut.criteria["clear"] < calm.criteria["clear"] and cut.overall < calm.overall
    f = next(f for f in cut.findings if f.code == "interruption")
    assert (f.turn, f.time) == (1, 14.0)


def test_shouting_dead_air_and_pace_findings() -> None:
    tl = call(GOOD_ZH)
    hits = find_phrases(tl)
    m = _measures(dead_air=[Interval(tl.turns[3].start - 4.5, tl.turns[3].start - 0.5)], loudness={"shouting_turns": [3]},
                  pace=300.0, turns=[SimpleNamespace(turn=3, start=tl.turns[3].start, pace=300.0, latency=4.0, cut_in_early=False)])
    c = score_call(tl, hits, m)
    codes = {f.code: f for f in c.findings}
    assert codes["shouting"].turn == 3 and c.clear.control is False
    assert codes["dead_air"].turn == 3
    assert codes["pace_fast"].turn == 3 and codes["slow_reply"].turn == 3
    assert c.criteria["loudness"] < 100 and c.criteria["pace"] < 100 and c.criteria["pauses"] < 100


@pytest.mark.parametrize(("language", "listening", "reply"), [
    ("zh", "嗯", "我帮你查，我看一下，我马上给你处理好"),
    ("en", "I see", "I will check it, I can see it, I will fix it for you now"),
])
def test_call_level_findings_skip_a_leading_backchannel(language: str, listening: str, reply: str) -> None:
    """faster_than_customer and few_we belong to the call, shown at the first turn that says something."""
    tl = call([("customer", "你们的服务太差了" if language == "zh" else "Your service is awful"),
               ("trainee", listening), ("trainee", reply)], language=language)
    c = score_call(tl, find_phrases(tl), _measures(customer_pace=120.0, pace=200.0))
    codes = {f.code: f for f in c.findings}
    assert (codes["faster_than_customer"].turn, codes["few_we"].turn) == (2, 2)
    assert codes["few_we"].time == tl.turns[2].start


def test_scores_with_the_real_timing_measures() -> None:
    tl = call(GOOD_ZH)
    tl.turns[3] = Turn("trainee", tl.turns[2].start + 1.0, tl.turns[3].end, tl.turns[3].text)  # cuts in on the customer
    m = measure_timing(tl, load_thresholds())
    c = score_call(tl, find_phrases(tl), m)
    assert "interruptions" in c.criteria and c.criteria["interruptions"] < 100
    assert any(f.code == "interruption" and f.turn == 3 for f in c.findings)


# ---------------------------------------------------------------- persona rubric

def test_persona_rubric_rewards_the_persona_strategy() -> None:
    customer = "不提温度我就不交费，邻居家温度舒服很多"
    good = call([("customer", customer), ("trainee", "您是说邻居家温度舒服很多，我理解。按照规定需要先测温，有两个方案，您看哪种方便？"),
                 ("customer", customer), ("trainee", "为了尽快帮您解决，请您先告诉我户号，我们今天下午上门测温")], persona="stubborn")
    explanation = "规定就是这样，供暖费必须在开栓前缴纳，这是统一的收费标准"
    poor = call([("customer", customer), ("trainee", explanation), ("customer", customer), ("trainee", explanation)], persona="stubborn")
    g, p = (score_call(t, find_phrases(t)) for t in (good, poor))
    assert g.criteria["persona"] >= 75 > 25 >= p.criteria["persona"]
    backfire = [f for f in p.findings if f.code == "persona_backfire"]
    # one per cause: repeating the explanation has no finding of its own, defending has (its cost is folded there)
    assert len(backfire) == 1 and "重复同一解释" in backfire[0].message and "辩解" not in backfire[0].message
    assert any(f.code == "defensive" for f in p.findings)


def test_persona_key_accepts_type_alias_or_persona_id() -> None:
    cfg = load_scoring_config()
    assert persona_key(cfg, "stubborn") == "stubborn"
    assert persona_key(cfg, "易怒威吓型") == "angry_threatening"
    assert persona_key(cfg, "zh.habitual_complainer.bank") == "habitual_complainer"
    assert persona_key(cfg, "mystery") is None


def test_unknown_persona_has_no_persona_score() -> None:
    _, c = card(GOOD_ZH, persona="mystery")
    assert "persona" not in c.criteria


# ---------------------------------------------------------------- the settings file

def test_scoring_file_is_complete() -> None:
    data = tomllib.loads(resources.files("simulator.data").joinpath("scoring.toml").read_text(encoding="utf-8"))
    assert set(data["weights"]) == set(CRITERIA)
    events = {e.value for e in Event}
    for name, table in ((k, v) for k, v in data["persona"].items() if isinstance(v, dict)):
        assert set(table["reward"]) | set(table["penalise"]) <= events, name
        assert set(table["reward"]) | set(table["penalise"]) <= set(data["labels"]["zh"]) & set(data["labels"]["en"]), name
    for code, texts in data["messages"].items():
        assert set(texts) == {"zh", "en"}, code


# ---------------------------------------------------------------- persona rubric: checks across turns and on audio

def _persona_card(lines, persona: str, language: str = "zh", measures=None, **extra):
    tl = call(lines, persona=persona, language=language, **extra)
    return tl, score_call(tl, find_phrases(tl), measures)


def _codes(card) -> dict[str, object]:
    return {f.code: f for f in card.findings}


COMPLAINER_ZH = "我这是第五次投诉了，你们必须给我赔偿，不然我去消协！"
COMPLAINER_EN = "This is the fifth time I've complained, I want compensation or I'm going to the ombudsman!"


@pytest.mark.parametrize(("language", "customer", "first", "consistent", "contradicts", "quoted"), [
    ("zh", COMPLAINER_ZH, "按照规定，我们明天上午十点前安排师傅上门，工单号是三五七，处理完给您回电。",
     "再跟您确认一次：明天上午10点前师傅上门，工单号357。",
     "我们后天下午安排师傅上门，工单号是三七五。", ("明天上午十点前", "后天")),
    ("en", COMPLAINER_EN, "According to the policy, I'll send an engineer by 10 am tomorrow, your reference number is 4471, and I'll call you back.",
     "To confirm: the engineer will visit by 10 am tomorrow, reference number 4471.",
     "The engineer will visit on Friday, your reference number is 4417.", ("by 10 am tomorrow", "friday")),
])
def test_habitual_complainer_inconsistent_answers(language, customer, first, consistent, contradicts, quoted) -> None:
    good_tl, good = _persona_card([("customer", customer), ("trainee", first), ("customer", customer), ("trainee", consistent)],
                                  "habitual_complainer", language)
    _, poor = _persona_card([("customer", customer), ("trainee", first), ("customer", customer), ("trainee", contradicts)],
                            "habitual_complainer", language)
    assert "consistent_answers" not in _codes(good) and "consistent_answers_good" in _codes(good)
    f = _codes(poor)["consistent_answers"]
    assert (f.turn, f.severity, f.criterion) == (3, "bad", "persona")
    assert quoted[0] in f.message.lower() and quoted[1] in f.message.lower()
    assert ("依规分责" if language == "zh" else "follow the procedure") in f.message
    assert good.criteria["persona"] - poor.criteria["persona"] >= 40


def test_facts_compare_numbers_across_scripts_and_ignore_refinements() -> None:
    from simulator.core.analysis.facts import contradictions, facts_in, zh_number

    assert [zh_number(x) for x in ("三五七", "五十", "一百二十", "十五", "两万三千")] == ["357", "50", "120", "15", "23000"]
    same = [(1, facts_in("工单号是三五七，退您五十元，明天安排师傅上门", "zh")),
            (3, facts_in("工单号357，退款50元，明天上午10点师傅上门", "zh"))]
    assert contradictions(same) == []  # digits vs numerals, and 明天 refined to 明天上午10点
    other = [(1, facts_in("退您五十元", "zh")), (3, facts_in("退您80块", "zh"))]
    assert [(c.kind, c.first_turn, c.turn) for c in contradictions(other)] == [("amount", 1, 3)]
    different_actions = [(1, facts_in("今天下午安排师傅上门", "zh")), (3, facts_in("明天给您回电", "zh"))]
    assert contradictions(different_actions) == []  # a visit today and a call tomorrow do not disagree


STUBBORN_ZH = "不把温度提上来我就不交费，邻居家温度舒服很多"
STUBBORN_EN = "I'm not paying the heating fee until it's warm, my neighbour's flat is much warmer"


@pytest.mark.parametrize(("language", "customer", "detail", "evidence", "vague"), [
    ("zh", STUBBORN_ZH, "我查了一下，您家上周三测的室温是16度，按照规定低于18度可以申请减免。", "上周三",
     "按照规定供暖费要先交，这是统一的收费标准，您看这样行吗。"),
    ("en", STUBBORN_EN, "I checked, and on the 3rd of March your flat measured 16 degrees; the rule is that below 18 degrees you can ask for a reduction.",
     "3rd of march", "The policy is that the heating fee is paid first, that's the standard rate, would that work?"),
])
def test_stubborn_detail_that_breaks_the_deadlock(language, customer, detail, evidence, vague) -> None:
    _, good = _persona_card([("customer", customer), ("trainee", vague), ("customer", customer), ("trainee", detail)], "stubborn", language)
    _, poor = _persona_card([("customer", customer), ("trainee", vague), ("customer", customer), ("trainee", vague.replace("。", "，请理解。"))],
                            "stubborn", language)
    f = _codes(good)["detail_breakthrough_good"]
    assert f.turn == 3 and evidence in f.message.lower()
    missing = _codes(poor)["detail_breakthrough"]
    assert missing.severity == "warn" and ("细节突破" if language == "zh" else "breaks the deadlock") in missing.message
    assert good.criteria["persona"] > poor.criteria["persona"]


def test_a_number_the_customer_said_is_not_a_new_detail() -> None:
    customer = "我家才15度，不提温度我就不交费"
    _, c = _persona_card([("customer", customer), ("trainee", "您说家里才15度，按照规定我们要先测温。")], "stubborn")
    assert "detail_breakthrough" in _codes(c)


def test_stubborn_named_next_step_tied_to_the_key_words() -> None:
    lines = [("customer", STUBBORN_ZH), ("trainee", "我们今天下午三点前安排师傅上门给您测温度，邻居家温度舒服您也可以对比。")]
    _, c = _persona_card(lines, "stubborn", key_words=["邻居家"])
    assert _codes(c)["detail_breakthrough_good"].turn == 1


@pytest.mark.parametrize(("language", "insult", "back", "dwell", "key_words"), [
    ("zh", "你是不是傻？听不懂人话吗？我的洗衣机到底什么时候修！", "为了尽快帮您解决，请您先告诉我洗衣机的型号，我们明天上午安排师傅上门。",
     "您怎么骂人呢？请您注意素质。", ["洗衣机"]),
    ("en", "Are you deaf? You're useless. When is my sofa being delivered?", "So that I can help you quickly, please give me your order number and I'll check the sofa delivery today.",
     "There's no need to be rude, I'm not useless.", ["sofa"]),
])
def test_insulting_steer_back_after_an_insult(language, insult, back, dwell, key_words) -> None:
    calm = ("嗯，好的" if language == "zh" else "I see")
    _, good = _persona_card([("customer", insult), ("trainee", calm), ("trainee", back)], "insulting", language, key_words=key_words)
    _, poor = _persona_card([("customer", insult), ("trainee", dwell)], "insulting", language, key_words=key_words)
    f = _codes(good)["steer_back_good"]
    assert f.turn == 2  # the reply after the listening token
    bad = _codes(poor)["steer_back"]
    assert (bad.turn, bad.severity) == (1, "bad") and ("对事不对人" if language == "zh" else "separate the person") in bad.message
    assert good.criteria["persona"] > poor.criteria["persona"]


def test_steer_back_applies_only_after_an_insult_and_silence_fails_it() -> None:
    _, polite = _persona_card([("customer", "我的洗衣机坏了"), ("trainee", "您好，请问型号是什么？")], "insulting")
    assert not {"steer_back", "steer_back_good"} & set(_codes(polite))
    _, silent = _persona_card([("customer", "你是不是傻？"), ("trainee", "嗯")], "insulting")
    assert _codes(silent)["steer_back"].turn == 0
    missing = _codes(silent)["persona_missing"].message          # names the persona type, not the last check run
    assert missing.startswith("对言语伤人型客户缺少") and "steer_back" not in missing


def _espeak(tmp, text: str, voice: str, pitch: int, amplitude: int) -> tuple[np.ndarray, int]:
    path = tmp / f"{voice}_{pitch}_{amplitude}_{abs(hash(text))}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-p", str(pitch), "-a", str(amplitude), "-w", str(path), text], check=True)
    x, sr = soundfile.read(str(path), dtype="float32")
    idx = np.flatnonzero(np.abs(x) > 0.01)
    return x[idx[0]: idx[-1]], sr


def _recorded_call(tmp, lines, voices, language: str):
    """A stereo call of espeak-ng speech placed one after another; returns the timeline and its measures."""
    voice = "cmn" if language == "zh" else "en"
    parts, t, sr = [], 0.5, 22050
    for (speaker, text), (pitch, amplitude) in zip(lines, voices):
        x, sr = _espeak(tmp, text, voice, pitch, amplitude)
        parts.append((speaker, t, x, text))
        t += x.size / sr + 0.8
    channels = {s: np.zeros(int((t + 0.5) * sr), dtype=np.float32) for s in ("customer", "trainee")}
    for speaker, at, x, _ in parts:
        channels[speaker][int(at * sr): int(at * sr) + x.size] += x
    tl = Timeline(language, "angry_threatening", [Turn(s, round(a, 3), round(a + x.size / sr, 3), text) for s, a, x, text in parts])
    return measure_recording(channels, sr, load_thresholds(), tl)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_angry_caller_calm_lower_voice_on_audio(tmp_path, language) -> None:
    lines = GOOD_ZH if language == "zh" else GOOD_EN
    customer_voice, calm, raised = (85, 180), (25, 60), (99, 200)
    tl, calm_m = _recorded_call(tmp_path, lines, [customer_voice, calm, customer_voice, calm], language)
    raised_tl, raised_m = _recorded_call(tmp_path, lines, [(25, 60), raised, (25, 60), raised], language)
    for t in calm_m.turns:
        assert t.loudness_vs_customer_db < -3 and t.pitch_vs_customer_st < -2
    for t in raised_m.turns:
        assert t.loudness_vs_customer_db > 3 and t.pitch_vs_customer_st > 2
    good = score_call(tl, find_phrases(tl), calm_m)
    poor = score_call(raised_tl, find_phrases(raised_tl), raised_m)
    assert "calm_voice_good" in _codes(good) and "calm_voice" not in _codes(good)
    f = _codes(poor)["calm_voice"]
    assert f.turn == 1 and f.time == pytest.approx(raised_tl.turns[1].start, abs=0.01)
    assert ("稍低" if language == "zh" else "slightly slower and lower") in f.message
    assert good.criteria["persona"] > poor.criteria["persona"]
    _, typed = card(lines)  # no recording: the voice was not measured, so neither praised nor faulted
    assert not {"calm_voice", "calm_voice_good"} & set(_codes(typed))


def test_rubric_checks_in_the_settings_exist_and_have_messages() -> None:
    from simulator.core.analysis.rubric import CHECKS

    cfg = load_scoring_config()
    named = [name for table in cfg.personas.values() for name in table.get("rubric", [])]
    assert sorted(named) == sorted(CHECKS)  # each persona type has its own check
    for name in named:
        for code in (name, f"{name}_good"):
            assert set(cfg.messages[code]) == {"zh", "en"}, code


def test_an_unknown_rubric_check_is_a_clear_error() -> None:
    from simulator.core.analysis.rubric import run_checks
    from simulator.core.analysis.scorecard import ScoringConfigError

    tl = call(GOOD_ZH)
    with pytest.raises(ScoringConfigError, match="unknown persona rubric check 'calm_vioce'"):
        run_checks(["calm_vioce"], tl, find_phrases(tl), None)
