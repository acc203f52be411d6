"""Every verdict that issue 9 found wrong, kept as a regression test: false alarms, misses, too lenient."""

from __future__ import annotations

import json

import pytest

from simulator.cli import main
from simulator.core.analysis.corpus import verdict_class
from simulator.core.analysis.phrases import ReplyContext, match_text

TRANSFERRED = "我都被转了四次了，每个人都让我从头说！"

# (language, reply, customer line, key words, classes that must be found, classes that must not)
EXAMPLES = [
    ("en", "You must be so frustrated", "", (), {"empathy"}, {"taboo"}),
    ("en", "Let me look at your problem right away", "", (), set(), {"retaliation"}),
    ("en", "Whatever happens, I'll call you back", "", (), {"follow_up"}, {"retaliation"}),
    ("en", "I don't care how long it takes, we'll get it fixed", "", (), set(), {"retaliation"}),
    ("en", "All you have to do is send a photo", "", (), set(), {"taboo"}),
    ("en", "I guarantee an engineer will be there by 3 pm", "", (), {"commitment"}, {"over_promise"}),
    ("zh", "不好意思，请问您的地址是？", "", (), set(), {"cancelled_apology", "apology"}),
    ("zh", "系统今晚在做滚动升级，明早八点前恢复", "", (), {"commitment"}, {"retaliation"}),
    ("zh", "真的很抱歉。我马上安排师傅上门，不过需要您在家", "", (), {"apology", "commitment"}, {"cancelled_apology"}),
    ("zh", "这个我做不了主", "", (), {"taboo"}, set()),
    ("zh", "这个问题我们解决不了", "", (), {"taboo"}, set()),
    ("zh", "您到底想怎么样？", "", (), {"taboo"}, set()),
    ("zh", "这不是我负责的", "", (), {"taboo"}, set()),
    ("zh", "您先听我解释", "", (), {"taboo"}, set()),
    ("zh", "您的投诉编号TS1206-0032，我已经给您加急工单", "", (), {"follow_up"}, set()),
    ("en", "Your complaint reference is CX-20931", "", (), {"follow_up"}, set()),
    ("en", "I'll ring you back", "", (), {"follow_up"}, set()),
    ("zh", "按规定，逾期需要补缴滞纳金", "", (), {"explain_rule"}, set()),
    ("zh", "根据领用合约第7条，这笔费用是要收的", "", (), {"explain_rule"}, set()),
    ("zh", "师傅明天上午十点前到", "", (), {"commitment"}, set()),
    ("en", "An engineer will be with you within the hour", "", (), {"commitment"}, set()),
    ("en", "We'll have it sorted by tomorrow", "", (), {"commitment"}, set()),
    ("zh", "我今天就帮您反馈上去", "", (), {"vague_promise"}, {"commitment"}),
    ("zh", "请您耐心等待，我们会通知您", "", (), {"vague_promise"}, {"follow_up"}),
    ("en", "I promise this never happens again", "", (), {"over_promise"}, set()),
    ("zh", "违约金是合同里写好的，您不交的话我们没法给您拆机", "我凭什么交违约金？我搬家了又不是不交月租！",
     ("搬家", "退掉", "违约金", "不交", "凭什么"), set(), {"restate"}),
    ("zh", "请您冷静一点", "", (), {"taboo"}, {"boundary"}),
    ("en", "Please calm down", "", (), {"taboo"}, {"boundary"}),
    ("zh", "我帮您转接售后部门", TRANSFERRED, (), set(), {"escalation_path"}),
    ("zh", "我帮您转接值班主管", "", (), {"escalation_path"}, set()),
]


def found(language: str, text: str, customer: str = "", key_words: tuple[str, ...] = (), transferred: bool = False) -> set[str]:
    _, matches = match_text(text, language, None, ReplyContext(customer, key_words, transferred))
    return {c for c in map(verdict_class, matches) if c is not None}


@pytest.mark.parametrize(("language", "text", "customer", "key_words", "wanted", "unwanted"), EXAMPLES,
                         ids=[e[1][:24] for e in EXAMPLES])
def test_issue_example(language, text, customer, key_words, wanted, unwanted) -> None:
    from simulator.core.analysis.phrases import was_transferred

    got = found(language, text, customer, key_words, bool(customer) and was_transferred(customer, language))
    assert wanted <= got and not unwanted & got, got


def test_one_key_word_is_the_topic_two_restate() -> None:
    customer = "暖气两天不热了，家里老人都病了！"
    assert "restate" not in found("zh", "暖气的问题我来看一下", "", ("暖气", "老人", "两天"))
    assert "restate" in found("zh", "您家暖气不热，老人还病着", "", ("暖气", "老人", "两天"))
    assert "restate" in found("zh", "暖气两天不热了，老人还病着，确实着急", customer)
    assert "restate" in found("zh", "您的意思是今天必须有人上门，对吗？", customer)
    assert "restate" in found("en", "so what you're saying is nobody came on tuesday right", "Nobody came on Tuesday!")


def test_a_transfer_is_an_escalation_path_only_for_a_customer_not_yet_passed_around() -> None:
    assert "escalation_path" in found("en", "I can transfer you to the billing team")
    assert "escalation_path" not in found("en", "I can transfer you to the billing team", "I've been transferred four times already!", (), True)


def test_phrases_command_prints_classes_and_near_misses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["phrases", "--lang", "zh", "您说得对，我马上安排"]) == 0
    out = capsys.readouterr().out
    assert 'thanks [praise]: "您说得对"' in out and "commitment:" in out and "马上安排" in out
    assert main(["phrases", "--lang", "zh", "我不理解您的意思，我们会尽快处理，两小时内给您回电"]) == 0
    out = capsys.readouterr().out
    assert "not counted: empathy \"理解您\" (entry: 理解您): guard '不理解'" in out
    assert "not counted: vague_promise" in out and "commits to an action with a time" in out


def test_phrases_command_json_and_restate_context(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["phrases", "--lang", "en", "--json", "--customer", "The heating has been off for two days",
                 "so the heating has been off for two days, I'm sorry"]) == 0
    data = json.loads(capsys.readouterr().out)
    classes = {f["class"] for f in data["found"]}
    assert {"restate", "apology"} <= classes


@pytest.mark.parametrize(("args", "message"), [
    (["phrases", "--lang", "fr", "bonjour"], "error: unknown language 'fr'"),
    (["phrases", "--lang", "zh", "   "], "error: the reply is empty"),
])
def test_phrases_command_bad_input_is_one_error_line(args, message, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith(message)
