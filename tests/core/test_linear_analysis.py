"""Analysis in linear time (issue 13): the shortcuts that replaced scans give what the scans gave, and input
beyond the analysis limits is refused in one line before any work. Speed itself is measured in
bench/bench_long_input.py."""

from __future__ import annotations

import copy
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from simulator.core.analysis.assess import bigrams, dice, similarity
from simulator.core.analysis.audio import AnalysisInputError
from simulator.core.analysis.call import analyze_call
from simulator.core.analysis.clauses import Stops
from simulator.core.analysis.corpus import load_corpus
from simulator.core.analysis.phrases import ReplyContext, load_phrase_lists, match_text
from simulator.core.analysis.shared_run import GrowingText
from simulator.core.analysis.text import TextMemo
from simulator.core.timeline import MAX_CALL_SECONDS, MAX_TURN_CHARS, Timeline, Turn

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "judgement"


def _texts(seed: int, count: int = 300) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice("ab,.!?; 好的我们") for _ in range(rng.randint(0, 40))) for _ in range(count)]


def test_sentence_and_clause_bounds_are_those_of_a_scan() -> None:
    for text in _texts(1):
        stops = Stops(text)
        for offset in range(len(text) + 1):
            before = [m.end() for m in re.finditer(r"[.!?]", text[:offset])]
            after = re.compile(r"[.!?]").search(text, offset)
            assert stops.sentence_start(offset) == (before[-1] if before else 0)
            assert stops.sentence_end(offset) == (after.start() if after else len(text))
            for end in range(offset, len(text) + 1):
                marks = [m.start() for m in re.finditer(r"[,.;!?]", text)]
                expected = (max((i for i in marks if i < offset), default=-1) + 1,
                            min((i for i in marks if i >= end), default=len(text)))
                assert stops.clause(offset, end) == expected
            assert stops.clause(offset) == stops.clause(offset, offset)


def test_one_clause_finder_for_phrases_and_facts() -> None:
    stops = Stops("好的,我们今天下午三点前派人上门;谢谢")
    assert stops.clause(5, 9) == (3, 16)  # 我们今天下午三点前派人上门, between the comma and the semicolon
    assert stops.clause(0) == (0, 2) and stops.clause(17) == (17, 19)
    assert Stops("no marks at all").clause(3, 5) == (0, 15)


def _removal_overlap(a: list[str], b: list[str]) -> int:
    """The shared-bigram count as the analysis first defined it: each bigram of one taken out of the other."""
    pool, shared = list(b), 0
    for u in a:
        if u in pool:
            pool.remove(u)
            shared += 1
    return shared


def test_bigram_overlap_counts_each_shared_bigram_as_often_as_both_have_it() -> None:
    rng = random.Random(2)
    for _ in range(300):
        a = [rng.choice("xyz") * 2 for _ in range(rng.randint(0, 12))]
        b = [rng.choice("xyzw") * 2 for _ in range(rng.randint(0, 12))]
        expected = 2.0 * _removal_overlap(a, b) / (len(a) + len(b)) if a and b else 0.0
        assert dice(Counter(a), Counter(b)) == expected
    assert bigrams("我们我们", "zh") == Counter({"我们": 2, "们我": 1})
    assert similarity("我们我们", "我们", "zh") == pytest.approx(2 * 1 / 4)


def test_a_growing_text_holds_exactly_its_substrings() -> None:
    rng = random.Random(3)
    grown, text = GrowingText(), ""
    for _ in range(40):
        piece = "".join(rng.choice("abc") for _ in range(rng.randint(0, 6)))
        grown.extend(piece)
        text += piece
        for _ in range(20):
            snippet = "".join(rng.choice("abc") for _ in range(rng.randint(0, 5)))
            assert (snippet in grown) == (snippet in text)


def test_the_memo_keeps_what_fits_its_character_budget_and_drops_the_oldest() -> None:
    memo = TextMemo(20)
    memo.put(("aaaa", "zh"), "AAAA", 4)
    memo.put(("bbbb", "zh"), "BBBB", 4)
    assert memo.get(("aaaa", "zh")) == "AAAA"  # now the newest
    memo.put(("cccc", "zh"), "CCCC", 4)  # 24 > 20: the oldest (bbbb) goes
    assert memo.get(("bbbb", "zh")) is None
    assert memo.get(("aaaa", "zh")) == "AAAA" and memo.get(("cccc", "zh")) == "CCCC"
    memo.put(("x" * 30, "zh"), "too big", 0)  # larger than the whole budget: never kept
    assert memo.get(("x" * 30, "zh")) is None and memo.get(("cccc", "zh")) == "CCCC"


def test_the_part_index_only_skips_patterns_that_cannot_match() -> None:
    """Every labelled Chinese reply matched with the lists' part index and by asking every pattern as before:
    the same matches (categories, spans, phrases), including homophones and guards."""
    language = "zh"
    lists = load_phrase_lists(language)
    assert lists.parts is not None
    plain = copy.copy(lists)
    object.__setattr__(plain, "parts", None)
    replies = [r for path in sorted(CORPUS.glob(f"*_{language}.toml")) for r in load_corpus(path)]
    assert len(replies) > 400
    for r in replies:
        context = ReplyContext(r.customer, ("断网", "三天", "refund", "engineer"), False)
        assert match_text(r.text, language, lists, context) == match_text(r.text, language, plain, context), r.where


def _call(turns: list[Turn]) -> Timeline:
    return Timeline("zh", "angry_threatening", turns)


def test_a_turn_beyond_the_limit_is_refused_in_one_line_when_built_in_code() -> None:
    long = _call([Turn("customer", 0, 5, "宽带断了"), Turn("trainee", 5, 60, "您" * (MAX_TURN_CHARS + 1))])
    with pytest.raises(AnalysisInputError, match=r"^turn 1 has 200,001 characters; the analysis takes at most 200,000 per turn$"):
        analyze_call(long)


def test_a_call_beyond_four_hours_is_refused_when_built_in_code() -> None:
    late = _call([Turn("customer", 0, 5, "宽带断了"), Turn("trainee", MAX_CALL_SECONDS, MAX_CALL_SECONDS + 2, "您好")])
    with pytest.raises(AnalysisInputError, match=r"^turn 1 ends at 14,402 s; the analysis takes calls of at most 4 hours$"):
        analyze_call(late)
    inside = _call([Turn("customer", 0, 5, "宽带断了"), Turn("trainee", MAX_CALL_SECONDS - 2, MAX_CALL_SECONDS, "您好")])
    assert analyze_call(inside).scorecard.overall is not None


def test_a_single_speakers_text_beyond_the_limit_is_refused_before_the_recording_is_read(tmp_path: Path) -> None:
    missing = tmp_path / "never-read.flac"
    with pytest.raises(AnalysisInputError, match=r"^the text has 200,001 characters; the analysis takes at most 200,000"):
        analyze_call(None, audio=missing, text="好" * (MAX_TURN_CHARS + 1))
