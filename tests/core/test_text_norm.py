"""Normalisation: what recognised, typed and traditional Chinese all become before matching."""

from simulator.core.analysis.text import char_readings, normalise_en, normalise_zh, to_pinyin


def test_vosk_spaces_between_chinese_words_are_dropped() -> None:
    assert normalise_zh("我 非常 理解 您 的 心情") == "我非常理解您的心情"


def test_spaces_between_latin_words_are_kept_and_collapsed() -> None:
    assert normalise_zh("工单号  ABC 123 已经 提交") == "工单号 abc 123 已经提交"


def test_traditional_becomes_simplified() -> None:
    assert normalise_zh("對不起，這個問題讓您久等了") == "对不起,这个问题让您久等了"


def test_full_width_punctuation_and_digits_are_unified() -> None:
    assert normalise_zh("好的！两小时内（１２点前）。您看“可以”吗？") == '好的!两小时内(12点前).您看"可以"吗?'


def test_english_is_lower_cased_with_straight_apostrophes() -> None:
    assert normalise_en("I  CAN’T   promise it’s the owner’s") == "i can not promise it is the owner’s".replace("’", "'")


def test_english_contractions_are_written_out_also_without_apostrophes() -> None:
    assert normalise_en("That's not true, dont worry, ill send it") == "that is not true, do not worry, i will send it"
    assert normalise_en("its fine, we'll see, well ok, ill health") == "its fine, we will see, well ok, ill health"
    assert normalise_en("I cannot") == normalise_en("I can't") == normalise_en("i cant") == "i can not"


def test_pinyin_is_toneless_one_item_per_character() -> None:
    assert to_pinyin("抱歉") == ["bao", "qian"]
    assert to_pinyin("报歉") == to_pinyin("抱歉")
    assert to_pinyin("礼貌") != to_pinyin("理解")


def test_pinyin_keeps_latin_tokens() -> None:
    out = to_pinyin("工单号ABC123")
    assert out[:3] == ["gong", "dan", "hao"]
    assert "".join(out[3:]) == "ABC123"


def test_char_readings_align_with_text_and_use_context_for_polyphones() -> None:
    text = "重复 ok 银行"
    readings = char_readings(text)
    assert len(readings) == len(text)
    assert readings[0] == "chong"            # 重 in 重复, not zhong
    assert readings[text.index("行")] == "hang"  # 行 in 银行, not xing
    assert readings[text.index("o")] == "o"


def test_english_clock_dots_end_no_sentence_that_goes_on() -> None:
    assert normalise_en("Thursday at eight a.m. is the first slot") == "thursday at eight am is the first slot"
    assert normalise_en("Come at 8 a.m. Then we talk.") == "come at 8 a.m. then we talk."  # a new sentence starts


def test_recognised_id_before_a_verb_gets_its_apostrophe_back() -> None:
    assert normalise_en("id be just as cross, youd want the same") == "i'd be just as cross, you'd want the same"
    assert normalise_en("please bring your id be quick") == "please bring your id be quick"
