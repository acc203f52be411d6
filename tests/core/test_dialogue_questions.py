"""The customer answers what was said: questions about the own case (with and without punctuation, zh and
en; offers and statements are not questions), reaction lines that fit the words (`when`, {said}, bands,
scenarios), calming lines not said while the mood rises, escalation signals near the top."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from simulator.core.dialogue import DialogueEngine
from simulator.core.dialogue.questions import UNKNOWN, find_question, question_words
from simulator.core.dialogue.reactions import Candidate, quote_for
from simulator.core.events import Event as E
from simulator.core.events import TurnAssessment
from simulator.core.personas import load_persona
from simulator.core.personas.model import Reaction

FIXTURE = Path(__file__).parents[1] / "fixtures" / "personas" / "valid" / "angry_threatening.toml"


@pytest.mark.parametrize("text, language, topic", [
    ("请问您的地址是哪里", "zh", "address"),
    ("請問您的地址是哪裡？", "zh", "address"),              # traditional characters
    ("好的 那您的工单号是多少", "zh", "order"),
    ("麻烦您报一下账号", "zh", "account"),                   # a request, no question form
    ("非常理解您，请问这个情况是从什么时候开始的", "zh", "since"),
    ("what is your account number", "en", "account"),
    ("Could you give me the reference number?", "en", "order"),
    ("I hear you. Where do you live", "en", "address"),
    ("how much were you charged", "en", "amount"),
    ("Can you tell me when it started", "en", "since"),
    ("您家是几号楼", "zh", "address"),
    ("请问您的宠物叫什么名字", "zh", "name"),                # a topic word decides, even in an odd question
    ("您家的猫是什么颜色", "zh", UNKNOWN),                   # asks the customer, no topic
    ("what colour is your front door", "en", UNKNOWN),
    ("您啥时候报的修", "zh", "reported"),                    # colloquial 啥
    ("家里老人多大年纪了", "zh", "elders"),                  # 多大, a scenario topic (asks below)
    ("断网几天了", "zh", "since"),
    ("你贵姓", "zh", "name"),
    ("你之前都做了哪些处理", "zh", "done"),                  # 做…哪些: parts in order, anything between
    ("之前是哪个师傅联系的您", "zh", "spoke_to"),
    ("扣了您多少", "zh", "amount"),
    ("您之前投诉过几次", "zh", "done"),                      # 过几 of 投诉过几次 is no 过几天
    ("我明白麻烦您报一下账号", "zh", "account"),             # a fresh request after an embedder
    ("我明白您的意思您家地址是哪里", "zh", "address"),       # a case item after the embedder: its own question
    ("我 马上 帮 您 处理 您 的 工单 号 是 多少", "zh", "order"),   # an offer, then a question
    ("您的电话", "zh", "phone"),                             # bare requests
    ("您家具体地址是", "zh", "address"),
    ("方便留个电话吗", "zh", "phone"),
    ("and your address please", "en", "address"),
    ("and the phone number please", "en", "phone"),
    ("okay mr walker and whats your postcode", "en", "address"),   # wh + auxiliary after a name
    ("right so when did this all start", "en", "since"),
    ("who am I talking to", "en", "name"),                          # "i'm" in the lists is "i am" in the text
    ("what have you done so far", "en", "done"),
    ("how much was taken from your account", "en", "amount"),       # not "your account"
    ("what number can I reach you on", "en", "phone"),
    ("I'm so sorry to hear that mr walker could I take the address please", "en", "address"),
    ("and when did the heating stop", "en", "since"),
    ("暖气是什么时候不热的", "zh", "since"),
    ("网是哪天断的", "zh", "since"),
])
def test_questions_and_their_topics(text: str, language: str, topic: str) -> None:
    question = find_question(text, language, {"elders": ["老人", "多大年纪"]})
    assert question is not None and question.topic == topic


@pytest.mark.parametrize("text, language", [
    ("我马上给您安排师傅上门", "zh"),
    ("请问还有什么可以帮您", "zh"),                         # an offer
    ("您看这样处理可以吗", "zh"),                           # a check, not a question for a fact
    ("我们的地址是人民路一号", "zh"),                       # a topic word in a statement
    ("I will send an engineer today before 3 pm", "en"),
    ("Is there anything else I can help you with?", "en"),
    ("Would you like a refund instead?", "en"),
    ("Your account number is noted", "en"),
    ("我明白您为什么着急", "zh"),                           # a question word inside a statement
    ("我们会查一下是哪里出的问题", "zh"),
    ("我跟您说一下我们这边的处理流程", "zh"),
    ("I know how you feel", "en"),
    ("I will tell you what we can do", "en"),
    ("请问您是王先生吗", "zh"),                             # yes/no: nothing to answer from the case
    ("我们几天之内给您答复", "zh"),                          # 几天 before the customer: a statement
    ("过几天就好了", "zh"),
    ("这几天我们一直在抢修", "zh"),
    ("我已经记下您的电话", "zh"),                            # a case item, not asked for
    ("您的电话我记下了", "zh"),
    ("我给您登记了工单号", "zh"),
    ("我们能为您做点什么", "zh"),                            # an offer
    ("您刚才说什么", "zh"),                                  # pardon?
    ("I know what is going on", "en"),                       # wh + auxiliary inside a statement
    ("I know what your address is", "en"),
    ("我知道您的意思是什么时候能修好", "zh"),                # restating the customer's question
    ("您什么时候在家", "zh"),                                # when a visit suits: no fact to give
    ("when would suit you for a visit", "en"),
    ("I have your address here", "en"),
    ("how are you today", "en"),
    ("sorry what did you say", "en"),
])
def test_not_questions_for_the_customer(text: str, language: str) -> None:
    assert find_question(text, language) is None


def test_scenario_words_add_topics() -> None:
    assert find_question("您家室温现在几度", "zh").topic == UNKNOWN
    question = find_question("您家室温现在几度", "zh", {"room_temperature": ["室温"]})
    assert question is not None and question.topic == "room_temperature"


def _persona(**changes):
    base = load_persona(FIXTURE)
    scenarios = tuple(replace(s, case={"address": "幸福里3号楼", "phone": "幺三八"}) for s in base.scenarios)
    answers = {"calm": ("{fact}。",), "annoyed": ("{fact}，记一下。",), "angry": ("{fact}，你们系统里没有吗？",),
               "furious": ("{fact}！赶紧的！",), "unknown": ("这我哪知道？",), "repeated": ("说过了，{fact}！不要让我重复讲！",)}
    return replace(base, scenarios=scenarios, answers=answers, **changes)


def _turn(text: str, *events: E, evidence: dict[str, str] | None = None) -> TurnAssessment:
    return TurnAssessment(text=text, language="zh", events=frozenset(events), evidence=evidence or {})


def test_answer_in_the_band_then_repeated_then_unknown() -> None:
    persona = _persona()
    engine = DialogueEngine(persona, "heating_below_standard", seed=0)
    start = engine.mood
    first = engine.respond(_turn("请问您的地址是哪里"))
    assert first.text == "幸福里3号楼，你们系统里没有吗？" and first.trigger == "answer:address"
    assert start - 3 * persona.mood.sensitivity == pytest.approx(engine.mood)
    again = engine.respond(_turn("您地址是哪里来着"))
    assert again.text == "说过了，幸福里3号楼！不要让我重复讲！" and again.trigger == "answer:repeated:address"
    assert engine.mood > first.mood
    other = engine.respond(_turn("您家的猫是什么颜色"))
    assert other.text == "这我哪知道？" and other.trigger == "answer:unknown"


def test_an_angering_reaction_comes_before_the_answer() -> None:
    engine = DialogueEngine(_persona(), "heating_below_standard", seed=0)
    line = engine.respond(_turn("不是这样的，您电话多少", E.DEFENSIVE, evidence={"defensive": "不是这样的"}))
    assert line.trigger == "defensive+answer:phone" and line.text.endswith("幺三八！赶紧的！")
    assert line.text[:-len("幺三八！赶紧的！")] in engine.persona.reactions[-1].lines


def test_personas_without_answers_ignore_questions() -> None:
    engine = DialogueEngine(load_persona(FIXTURE), seed=0)
    assert not engine.respond(_turn("请问您的地址是哪里")).trigger.startswith("answer")


def _with_reactions(*reactions: Reaction, **changes):
    base = load_persona(FIXTURE)
    return replace(base, reactions=reactions, **changes)


def test_when_lines_only_for_their_words_and_said_quotes_the_words() -> None:
    persona = _with_reactions(
        Reaction("taboo", ("什么叫不可能？",), when=("不可能",), priority=8),
        Reaction("taboo", ("什么叫“{said}”？", "这话你也说得出口？"), priority=8))
    said = []
    for seed in range(6):
        engine = DialogueEngine(persona, seed=seed)
        said.append(engine.respond(_turn("这不是我们的问题", E.TABOO, evidence={"taboo": "这不是我们的问题"})).text)
        line = engine.respond(_turn("不可能", E.TABOO, evidence={"taboo": "不可能"}))
        assert line.text == "什么叫不可能？"
    assert set(said) == {"什么叫“这不是我们的问题”？", "这话你也说得出口？"}
    assert all("不可能" not in text for text in said)


def test_a_quoting_line_needs_the_words() -> None:
    persona = _with_reactions(Reaction("taboo", ("什么叫“{said}”？",), priority=8))
    engine = DialogueEngine(persona, seed=0)
    line = engine.respond(_turn("……", E.TABOO))   # no evidence: nothing to quote
    assert line.trigger == "pool" and "{said}" not in line.text


def test_bands_and_scenarios_scope_reaction_lines() -> None:
    persona = _with_reactions(
        Reaction("dead_air", ("calm only",), bands=("calm",)),
        Reaction("dead_air", ("bank only",), scenarios=("bank_card_frozen",)),
        Reaction("dead_air", ("anywhere",)))
    heating = DialogueEngine(persona, "heating_below_standard", seed=0)
    assert heating.respond(_turn("……", E.DEAD_AIR)).text == "anywhere"
    bank = [DialogueEngine(persona, "bank_card_frozen", seed=s).respond(_turn("……", E.DEAD_AIR)).text for s in range(6)]
    assert set(bank) == {"bank only", "anywhere"}


def test_no_reaction_line_twice_in_a_call_and_no_calming_line_while_the_mood_rises() -> None:
    persona = _with_reactions(Reaction("empathy", ("就是啊！", "你能明白就好。"), mood=-8))
    engine = DialogueEngine(persona, seed=0)
    lines = [engine.respond(_turn("我理解", E.EMPATHY)) for _ in range(2)]
    assert {line.text for line in lines} == {"就是啊！", "你能明白就好。"}
    third = engine.respond(_turn("我理解", E.EMPATHY))
    assert third.trigger == "pool"
    rising = DialogueEngine(persona, seed=0)
    line = rising.respond(_turn("我理解", E.EMPATHY, E.RETALIATION))
    assert rising.mood > rising.mood_trace[0] and line.trigger != "empathy"


def test_escalation_signals_near_the_top_between_complaints() -> None:
    base = load_persona(FIXTURE)
    persona = replace(base, escalation=("我打幺二三四五！", "我找律师！", "我去消协！"), escalation_within=30.0)
    engine = DialogueEngine(persona, seed=0)
    triggers = []
    while engine.ending is None:
        line = engine.respond(_turn("好的"))
        triggers.append((line.trigger, line.mood))
    signals = [mood for trigger, mood in triggers if trigger == "signal"]
    assert signals and all(mood >= persona.mood.escalate_at - 30 for mood in signals)
    assert all(not (a == b == "signal") for (a, _), (b, _) in zip(triggers, triggers[1:]))
    assert not any(t == "signal" and m < persona.mood.escalate_at - 30 for t, m in triggers)



def test_the_word_lists_are_normalised_like_the_text() -> None:
    """"who i'm speaking" in the lists matched nothing: the text has "who i am speaking"."""
    words = question_words("en")
    assert "who i am speaking" in words.topics["name"] and "who i'm speaking" not in words.topics["name"]
    assert find_question("who I'm speaking to", "en").topic == "name"
    assert find_question("what you've tried already, tell me", "en").topic == "done"


@pytest.mark.parametrize("text, words, language, quote", [
    ("这个不归我管", "这个不归我", "zh", "这个不归我管"),                 # the clause, not the matched fragment
    ("不好意思，不过这是规定", "不好意思,不过", "zh", "不好意思，不过这是规定"),   # a run of clauses
    ("好的 我们 会 尽快 处理 的", "我们会尽快处理", "zh", "好的我们会尽快处理的"),  # Vosk spaces left out
    ("我们 这边 收到 了 您 的 反馈 我们 会 尽快 处理 请 您 耐心 等待 一下 好 吗", "我们会尽快处理", "zh", "我们会尽快处理"),
    ("That's not my department", "that is not my department", "en", "That's not my department"),
    ("thats not my department i cant help you with that you need to ring the other line",
     "that is not my department", "en", "thats not my department"),            # long: the words, word by word
    ("I hear you. But honestly, I don't know.", "i do not know", "en", "I don't know"),
    ("他说“不可能”", "不可能", "zh", "他说不可能"),                         # no quote marks inside a quote
    ("完全无关的话", "不可能", "zh", None),                                # not said: nothing to quote
])
def test_a_quote_is_what_was_said(text: str, words: str, language: str, quote: str | None) -> None:
    assert quote_for(text, words, language) == quote


def test_a_quote_opening_the_line_is_capitalised() -> None:
    reaction = Reaction("taboo", ('"{said}"? Really?', 'What do you mean, "{said}"?'))
    candidate = Candidate(reaction, "that is not my department", "thats not my department")
    assert candidate.fill(reaction.lines[0]) == '"Thats not my department"? Really?'
    assert candidate.fill(reaction.lines[1]) == 'What do you mean, "thats not my department"?'
    assert Candidate(reaction, "that is not my department", None).lines() == ()


def test_a_fact_opening_a_sentence_is_capitalised() -> None:
    persona = _persona()
    persona = replace(persona, language="en", answers={**persona.answers, "angry": ("{fact}! Got it?",),
                                                       "repeated": ("As I said. {fact}.", "Again, {fact}.")})
    scenarios = tuple(replace(s, case={"phone": "oh seven seven nine one"}) for s in persona.scenarios)
    engine = DialogueEngine(replace(persona, scenarios=scenarios), "heating_below_standard", seed=0)
    assert engine.respond(_turn("what is your phone number")).text == "Oh seven seven nine one! Got it?"
    again = engine._answers.answer(find_question("your phone number again", "en"), "angry")
    assert again is not None and set(again.candidates) == {"As I said. Oh seven seven nine one.", "Again, oh seven seven nine one."}
