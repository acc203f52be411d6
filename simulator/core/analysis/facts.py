"""Concrete facts in a trainee's words: time commitments per action, amounts, reference numbers,
measurements and dates, with their values made comparable (三点 = 3点, 五十元 = 50元, 4471 = 四四七一).

The persona rubric uses them to catch inconsistent answers (投诉成癖型: 回答准确一致) and to recognise a
specific, checked detail (固执己见型: 细节突破).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from simulator.core.analysis.clauses import Stops
from simulator.core.analysis.phrases import PhraseLists, load_phrase_lists, match_patterns
from simulator.core.analysis.text import normalise

KINDS = ("time", "amount", "reference", "measurement", "date")
_ZH_DIGITS = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"〇": "0", "两": "2", "幺": "1"}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_ZH_NUM = "[0-9零〇一二两三四五六七八九十百千万幺]"
_EN_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"

_PATTERNS: dict[str, dict[str, re.Pattern[str]]] = {
    "zh": {
        "reference": re.compile(r"(?:工单号|受理号|投诉号|单号|编号|流水号)(?:是|为|:)?([0-9a-z\-零〇一二两三四五六七八九幺]{3,})"),
        "amount": re.compile(rf"({_ZH_NUM}+)(?:块钱|块|元)"),
        "measurement": re.compile(rf"({_ZH_NUM}+)(摄氏度|°c|度|兆|mbps|千瓦时|立方米|立方|公斤|吨|平方米|伏)"),
        "date": re.compile(rf"((?:{_ZH_NUM}+月)?{_ZH_NUM}+(?:日|号)(?!码)|(?:上|本|这)(?:周|星期)[一二三四五六日天])"),
    },
    "en": {
        "reference": re.compile(r"\b(?:reference|ticket|case|complaint|job) (?:number|no\.?)(?: is|:)? ?([a-z]*[0-9][a-z0-9-]*)"),
        "amount": re.compile(r"(?:[$£€] ?([0-9][0-9,]*(?:\.[0-9]+)?)|\b([0-9][0-9,]*(?:\.[0-9]+)?) ?(?:dollars|pounds|euros|yuan|quid)\b)"),
        "measurement": re.compile(r"\b([0-9]+(?:\.[0-9]+)?) ?(degrees|°c|°f|celsius|mbps|megabits|kwh|kilowatt hours|cubic metres|litres|liters|volts)\b"),
        "date": re.compile(rf"\b((?:{_EN_MONTHS}) [0-9]{{1,2}}(?:st|nd|rd|th)?|on (?:the )?[0-9]{{1,2}}(?:st|nd|rd|th)(?: of (?:{_EN_MONTHS}))?|"
                           rf"(?:the )?[0-9]{{1,2}}(?:st|nd|rd|th) of (?:{_EN_MONTHS})|[0-9]{{1,2}}/[0-9]{{1,2}}(?:/[0-9]{{2,4}})?|"
                           r"last (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"),
    },
}


@dataclass(frozen=True)
class Fact:
    """One concrete statement: `key` says what it is about (the action of a time commitment, else ""),
    `value` is comparable across turns, `text` is what was said."""

    kind: str
    key: str
    value: str
    text: str


def zh_number(text: str) -> str:
    """Chinese numerals as digits: 三五七 -> 357 (read digit by digit), 五十 -> 50, 一百二十 -> 120."""
    if not any(c in _ZH_UNITS for c in text):
        return "".join(_ZH_DIGITS.get(c, c) for c in text)
    total = section = digit = 0
    for c in text:
        if c in _ZH_DIGITS:
            digit = int(_ZH_DIGITS[c])
        elif c in _ZH_UNITS:
            unit = _ZH_UNITS[c]
            if unit == 10000:
                total, section = (total + section + digit) * unit, 0
            else:
                section += (digit or 1) * unit
            digit = 0
        elif c.isdigit():
            digit = digit * 10 + int(c)
    return str(total + section + digit)


def _canonical(text: str, language: str) -> str:
    """A value to compare: numerals as digits, no spaces, separators and trailing '.0' dropped."""
    if language == "zh":
        text = re.sub(rf"{_ZH_NUM}+", lambda m: zh_number(m.group()) if not m.group().isdigit() else m.group(), text)
    text = re.sub(r"[\s,]+", "", text)
    return re.sub(r"\.0+\b", "", text)


def facts_in(text: str, language: str, lists: PhraseLists | None = None) -> list[Fact]:
    """Every concrete fact in one reply, in order of appearance."""
    lists = lists or load_phrase_lists(language)
    norm = normalise(text, language)
    found: list[tuple[int, Fact]] = []
    for kind, rx in _PATTERNS.get(language, _PATTERNS["en"]).items():
        for m in rx.finditer(norm):
            value = next(g for g in m.groups() if g is not None)
            unit = m.group(2) if kind == "measurement" else ""
            found.append((m.start(), Fact(kind, "", _canonical(value, language) + unit, m.group())))
    found += [(start, f) for start, f in _time_commitments(norm, language, lists)]
    found.sort(key=lambda x: x[0])
    return [f for _, f in found]


def _time_commitments(norm: str, language: str, lists: PhraseLists) -> list[tuple[int, Fact]]:
    """Each action with the nearest time expression within the list's gap: "安排" at "今天下午3点前"."""
    cat = lists["resolution"]
    actions = match_patterns(norm, cat, lists, cat.tagged("actions"))
    times: list[tuple[int, int]] = []
    for t in match_patterns(norm, cat, lists, cat.tagged("times")):
        if times and t.start - times[-1][1] <= 1:  # 今天 + 下午三点前, tomorrow + by 3 pm: one moment
            times[-1] = (times[-1][0], t.end)
        else:
            times.append((t.start, t.end))
    out = []
    stops = Stops(norm)
    starts = [a.start for a in actions]  # in order, one per stretch: their ends rise too
    by_clause: dict[tuple[int, int], str] = {}  # times in one clause share its actions: each clause read once
    for s, e in times:
        clause = stops.clause(s, e)
        if clause not in by_clause:
            held = set()
            for i in range(bisect_left(starts, clause[0]), len(actions)):
                if actions[i].end > clause[1]:
                    break
                held.add(_canonical(actions[i].text, language))
            by_clause[clause] = "|".join(sorted(held))
        keys = by_clause[clause]
        if keys:
            text = norm[s:e].strip()
            out.append((s, Fact("time", keys, _canonical(text, language), text)))
    return out


@dataclass(frozen=True)
class Contradiction:
    """Two turns that give different values for the same thing."""

    kind: str
    first_turn: int
    first: str
    turn: int
    second: str


def contradictions(turn_facts: list[tuple[int, list[Fact]]]) -> list[Contradiction]:
    """Later facts that disagree with the first earlier fact of the same kind and subject (times are about the
    same thing when their clauses share an action; amounts and references always are). One value containing
    the other is a refinement, not a contradiction (明天 then 明天上午10点). The first fact of each kind and of
    each action is kept, so each fact is compared with one other, not with all before it."""
    first: dict[tuple[str, str], tuple[int, int, Fact]] = {}  # (kind, action or "") -> (order, turn, fact)
    out = []
    order = 0
    for turn, facts in turn_facts:
        for f in facts:
            if f.kind not in ("time", "amount", "reference"):
                continue
            subjects = [(f.kind, k) for k in f.key.split("|")] if f.kind == "time" else [(f.kind, "")]
            known = [first[s] for s in subjects if s in first]
            if known:
                _, earlier_turn, earlier = min(known, key=lambda x: x[0])
                if earlier_turn != turn and f.value not in earlier.value and earlier.value not in f.value:
                    out.append(Contradiction(f.kind, earlier_turn, earlier.text, turn, f.text))
            for s in subjects:
                first.setdefault(s, (order, turn, f))
            order += 1
    return out
