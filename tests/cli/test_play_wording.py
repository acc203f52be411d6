"""Typed calls through `play --json` with wordings the other play tests do not use, as trainees really put
things and as the recogniser writes them (no punctuation, spaces between Chinese words): other ways of asking
for the customer's own case get the fact; statements that name a case item, offers and "pardon?" get no
answer; reactions quote the trainee's words as they said them and throw back no word they did not say; a
12-turn call of replies that do nothing stays fresh in every scenario; every JSON line has the same shape;
good and bad handling in other words end resolved and escalated; escalation signals come near the top;
the readable mode in Chinese."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from simulator.core.personas import BAND_NAMES, Persona, band_of
from tests.cli.test_play_cli import NOT_REACTIONS, QUOTED, SEEDS, SHIPPED, _id, play

# Other ways to ask for each case topic (the play tests' ASK has one each), some as recognised speech.
ASK_OTHERWISE = {
    "zh": {"address": ["您家住在什么地方", "那您的地址是", "麻烦说一下您的地址", "您 家 具体 地址 是 哪里"],
           "account": ["您的户号多少", "那麻烦您说一下卡号", "我明白 麻烦您报一下账号"],
           "order": ["您的订单编号是多少", "单号能报一下吗", "我 马上 帮 您 处理 您 的 工单 号 是 多少"],
           "phone": ["方便留个电话吗", "您的电话", "好的那您留一下电话"],
           "name": ["您贵姓", "请问 您 贵姓"],
           "reported": ["您啥时候报的修", "您之前报过修吗"],
           "since": ["这种情况几天了", "您是啥时候发现的"],
           "amount": ["扣了您多少", "一共要交多少"],
           "done": ["您之前都做了哪些处理", "您之前打过电话吗"],
           "spoke_to": ["您之前和谁沟通过", "之前是哪个师傅联系的您"]},
    "en": {"address": ["whats your postcode", "and your address please", "okay mr walker and what is the address there"],
           "account": ["whats the account number", "the account number please", "sorry could you repeat your account number"],
           "order": ["what's your reference", "do you have the job number", "your reference number please"],
           "phone": ["what number can I reach you on", "and the phone number please", "whats the best number to call you on"],
           "name": ["who am I talking to", "may I take your name", "could you spell your surname for me"],
           "reported": ["when did you first get in touch", "so when did you get in touch with us"],
           "since": ["right so when did this all start", "how long has it been like this"],
           "amount": ["and how much did you pay", "how much did they take"],
           "done": ["what have you done so far", "did you try anything yourself"],
           "spoke_to": ["who did you deal with last time", "i understand and what did they tell you last time"]},
}
# Statements that name a case item, offers, small talk and "pardon?": nothing for the customer to answer.
NOT_ASKING = {
    "zh": ["我已经记下您的电话", "您的电话我记下了", "我给您登记了工单号", "我跟您说一下我们这边的处理流程",
           "我们几天之内给您答复", "师傅会提前给您打电话", "这几天我们一直在抢修", "请问还有什么可以帮您",
           "我们能为您做点什么", "您刚才说什么", "不好意思 我 没 听清 您 再 说 一遍"],
    "en": ["I'll call you on this number tomorrow", "I have your address here", "Your reference number is CX2011",
           "We will reach you by phone", "how are you today", "Is there anything else I can help you with",
           "sorry what did you say", "pardon"],
}
# Apologies and empathy put without 对不起 / 理解 / sorry: no reaction throws those words back.
PUT_OTHERWISE = {"zh": ["我很抱歉", "实在不好意思，让您久等了", "这事确实挺让人着急的", "换作是我也会着急"],
                 "en": ["I apologise for this", "My apologies for the wait", "That must be really frustrating",
                        "I can hear how upset you are"]}
NOT_SAID = {"zh": ["对不起", "理解", "嗯嗯"], "en": ["sorry"]}
# Taboo and vague replies with contractions or as recognised: a quote gives them back as they were said.
QUOTABLE = {"zh": ["这个不归我管", "这 不是 我们 的 问题", "好的 我们 会 尽快 处理 的", "不好意思，不过这是规定"],
            "en": ["That's not my department", "thats not my department i cant help you with that",
                   "We'll do our best and let you know", "You should have read the contract"]}
# Replies that neither calm nor anger: the customer's own pools carry the call.
NOTHING = {"zh": ["好的", "嗯", "您说", "我在听", "这边收到", "是这样啊", "我看看", "稍等", "明白", "嗯嗯", "好", "您继续"],
           "en": ["OK", "Right", "Go on", "I'm listening", "Got it", "I see", "Let me look", "One moment", "Sure",
                  "Yes", "Alright", "Please continue"]}

ASKED = [(p, s.id, topic, wording, SEEDS[i % len(SEEDS)]) for i, (p, s, topic, wording) in enumerate(
    (p, s, topic, wording) for p in SHIPPED for topic, wordings in ASK_OTHERWISE[p.language].items()
    for s in [next((s for s in p.scenarios if topic in s.case), None)] if s is not None for wording in wordings)]


def _spoken(text: str) -> str:
    """Text without the spaces the recogniser puts between Chinese words, lower case."""
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text).lower()


@pytest.mark.parametrize("persona, scenario, topic, wording, seed", ASKED, ids=_id)
def test_other_wordings_of_a_case_question_get_the_fact(persona: Persona, scenario: str, topic: str, wording: str,
                                                         seed: int, capsys, tmp_path) -> None:
    lines = play(capsys, tmp_path, persona.id, [wording], seed, scenario)
    fact = persona.scenario(scenario).case[topic]
    assert lines[1]["trigger"].endswith(f"answer:{topic}") and fact in lines[1]["text"], (wording, lines[1])


@pytest.mark.parametrize("persona", SHIPPED, ids=_id)
def test_statements_offers_and_pardon_are_not_questions_for_the_customer(persona: Persona, capsys, tmp_path) -> None:
    for seed, said in enumerate(NOT_ASKING[persona.language]):
        line = play(capsys, tmp_path, persona.id, [said], seed % len(SEEDS))[1]
        assert "answer" not in line["trigger"], (said, line)


@pytest.mark.parametrize("persona, seed", [(p, s) for p in SHIPPED for s in SEEDS], ids=_id)
def test_no_reaction_throws_back_words_not_said(persona: Persona, seed: int, capsys, tmp_path) -> None:
    reactions = 0
    for said in PUT_OTHERWISE[persona.language]:
        line = play(capsys, tmp_path, persona.id, [said], seed)[1]
        if line["trigger"].startswith(NOT_REACTIONS):
            continue
        reactions += 1
        assert not [w for w in NOT_SAID[persona.language] if w in line["text"].lower() and w not in said.lower()], line
    assert reactions >= 2


def test_a_quote_is_the_trainees_own_words(capsys, tmp_path) -> None:
    """Every quote is part of what was said, as it was said (not written out: "that is"; without the
    recogniser's spaces between Chinese words). Each reply is one short clause, so a quote of the words that
    fired the reaction ({said}) gives the clause back whole, not the matched fragment (这个不归我 of 这个不归我管);
    lines written for a phrase group quote that phrase only."""
    whole: dict[str, list[str]] = {"zh": [], "en": []}
    for persona in SHIPPED:
        for seed in range(8):
            for said in QUOTABLE[persona.language]:
                line = play(capsys, tmp_path, persona.id, [said], seed)[1]
                for quoted in QUOTED.findall(line["text"]):
                    assert _spoken(quoted) in _spoken(said), (persona.id, said, line)
                    assert persona.language == "en" or " " not in quoted, quoted
                    if _spoken(quoted) == _spoken(said):
                        whole[persona.language].append(quoted)
                    if persona.language == "en" and line["text"].startswith('"'):
                        assert quoted[0].isupper(), line   # capitalised where the quote opens the line
    assert len(set(whole["zh"])) >= 2 and len(set(whole["en"])) >= 2, whole


@pytest.mark.parametrize("persona, scenario, seed", [(p, s.id, seed) for p in SHIPPED for s in p.scenarios
                                                     for seed in SEEDS], ids=_id)
def test_a_12_turn_call_of_replies_that_do_nothing_never_repeats_a_line(persona: Persona, scenario: str, seed: int,
                                                                       capsys, tmp_path) -> None:
    lines = play(capsys, tmp_path, persona.id, NOTHING[persona.language], seed, scenario)
    texts = [line["text"] for line in lines]
    assert len(texts) == 13 and len(set(texts)) == 13, texts


@pytest.mark.parametrize("persona", SHIPPED, ids=_id)
def test_every_json_line_has_the_same_shape(persona: Persona, capsys, tmp_path) -> None:
    for replies in (PUT_OTHERWISE[persona.language], QUOTABLE[persona.language] * 3, NOTHING[persona.language][:3]):
        lines = play(capsys, tmp_path, persona.id, replies, 1)
        for n, line in enumerate(lines):
            assert list(line) == ["turn", "text", "mood", "band", "trigger", "ending"]
            assert line["turn"] == n and isinstance(line["text"], str) and line["text"]
            assert isinstance(line["mood"], float) and 0.0 <= line["mood"] <= 100.0
            assert line["band"] in BAND_NAMES and line["band"] == band_of(line["mood"])
            assert isinstance(line["trigger"], str) and line["trigger"]
            assert line["ending"] is None or (n == len(lines) - 1 and line["trigger"] == f"ending:{line['ending']}")


# Replies that keep the customer waiting: vague promises between replies that do nothing, so the mood climbs.
STALLING = {"zh": ["好的", "我们会尽快处理的", "嗯", "我看一下", "我们会尽快反馈", "稍等", "这个要等通知", "好的", "嗯嗯",
                   "我再看看", "我们尽量", "好", "嗯", "是的"],
            "en": ["OK", "We'll look into it", "Right", "Let me see", "We'll get back to you", "One moment",
                   "You'll have to wait", "OK", "Mm", "Let me check", "We'll try", "Sure", "Yes", "Fine"]}


@pytest.mark.parametrize("persona", SHIPPED, ids=_id)
def test_escalation_signals_come_near_the_top_of_the_mood(persona: Persona, capsys, tmp_path) -> None:
    lines = play(capsys, tmp_path, persona.id, STALLING[persona.language], 0)
    signals = [line for line in lines if line["trigger"] == "signal"]
    assert signals, [(line["mood"], line["trigger"]) for line in lines]
    assert all(line["text"] in persona.escalation for line in signals)
    assert all(line["mood"] >= persona.mood.escalate_at - persona.escalation_within for line in signals)
    assert len({line["text"] for line in signals}) == len(signals)
    first = lines.index(signals[0])
    assert all(line["mood"] < signals[0]["mood"] for line in lines[:first])   # none while the mood was lower


# Good and bad handling in other words than the play tests' scripts, the same for every persona type.
GOOD_OTHERWISE = {
    "zh": ["您先别急，您说的情况我都听到了，这事搁谁都着急", "实在对不起，让您等了这么久",
           "我马上给您派维修师傅，今天下午四点之前一定上门", "这是您的工单号，我明天早上九点给您打电话回访", "谢谢您理解"],
    "en": ["I can hear how stressful this has been for you", "I'm really sorry we let you down",
           "I'm booking an engineer now, they will be with you by 4 pm today",
           "I've logged it under reference 55120 and I'll ring you tomorrow at 9 to check", "Thanks for bearing with me"],
}
BAD_OTHERWISE = {
    "zh": ["这个不归我管", "你自己没看清楚合同怪谁", "我们尽量吧，有消息再通知你", "你嚷嚷什么，好好说话", "那没办法，系统就是这么规定的",
           "你爱投诉就去投诉", "跟你说了多少遍了", "我也没办法", "你能不能讲点道理"],
    "en": ["That's not my department", "You should have read the contract", "We'll do our best and let you know",
           "There's no need to shout at me", "Sorry but the system won't let me", "Complain if you want, I don't care",
           "I already told you", "There's nothing I can do", "You're being unreasonable"],
}


@pytest.mark.parametrize("persona, seed", [(p, s) for p in SHIPPED for s in SEEDS], ids=_id)
def test_good_handling_in_other_words_ends_resolved(persona: Persona, seed: int, capsys, tmp_path) -> None:
    lines = play(capsys, tmp_path, persona.id, GOOD_OTHERWISE[persona.language], seed)
    assert lines[-1]["ending"] == "resolved", [(line["mood"], line["trigger"]) for line in lines]


@pytest.mark.parametrize("persona, seed", [(p, s) for p in SHIPPED for s in SEEDS], ids=_id)
def test_bad_handling_in_other_words_ends_escalated(persona: Persona, seed: int, capsys, tmp_path) -> None:
    lines = play(capsys, tmp_path, persona.id, BAD_OTHERWISE[persona.language], seed)
    assert lines[-1]["ending"] == "escalated", [(line["mood"], line["trigger"]) for line in lines]


def test_readable_mode_in_chinese(tmp_path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("\n".join(GOOD_OTHERWISE["zh"]) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "simulator", "play", "zh.stubborn", "--seed", "2", "--script", str(script)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    persona = next(p for p in SHIPPED if p.id == "zh.stubborn")
    assert out[0].startswith(f"{persona.display_name} (zh.stubborn) - ")
    assert [line.split("> ", 1)[1] for line in out if line.lstrip().startswith("trainee")] == GOOD_OTHERWISE["zh"]
    customer = [line for line in out if line.lstrip().startswith("customer")]
    assert len(customer) == len(GOOD_OTHERWISE["zh"]) + 1
    assert all(re.search(r"\[[#.]{20}\]\s+\d+\.\d (calm|annoyed|angry|furious)", line) for line in customer)
    assert any(line.startswith("Ending: resolved - 情绪降到") for line in out)
    assert re.match(r"Score: \d+/100 ", next(line for line in out if line.startswith("Score: ")))
