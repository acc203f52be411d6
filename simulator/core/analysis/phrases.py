"""Phrase checks on the trainee's words, from the editable lists in simulator/data/phrases/<lang>.toml.

Chinese entries match on characters or, for recognition errors, on the toneless pinyin of the whole
phrase when a character of it is kept (报歉 for 抱歉, not 到钱 for 道歉: see _homophone_spans). Guards drop
a match they overlap (不理解 is not empathy). Some categories are derived rather than listed:
cancelled_apology (an apology followed in the same sentence by a contrast that excuses or refuses, not one
that leads into an action or a request), resolution (an action plus a time expression = a commitment, or
two step words = clear steps), follow-ups that count only with a time (通知您 / "let you know") and
restate (the customer's own phrase, two scenario key words, or a confirming question). What the reply is
said to (the customer's line, the scenario) comes in a ReplyContext.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Iterable, Sequence

from simulator.core.analysis.clauses import CLAUSE_MARK, SENTENCE_END, Stops
from simulator.core.analysis.shared_run import SuffixAutomaton, shared_suffix_lengths
from simulator.core.analysis.text import MEMO_CHARS, TextMemo, char_readings, content_count, is_cjk, is_content, normalise
from simulator.core.timeline import Timeline, Turn

PHRASE_CATEGORIES = (
    "empathy", "thanks", "apology", "cancelled_apology", "resolution", "taboo", "over_promise", "negative",
    "filler", "restate", "options", "boundary", "escalation_path", "explain_rule", "retaliation",
    "vague_promise", "follow_up", "jargon", "ask_repeat", "anything_else", "record",
)
DERIVED = ("cancelled_apology", "resolution", "restate")
ARGUING = ("explain_rule", "taboo", "negative", "retaliation")  # a clause with one of these makes the trainee's case
HIT_BACK_CANCELS = ("escalation_path", "follow_up", "empathy", "thanks", "apology", "options", "boundary")
SAID_BACK = ("commitment", "over_promise", "explain_rule")  # in a confirming question these are the customer's words
LANGUAGES = ("zh", "en")
GAP = "..."


class PhraseListError(ValueError):
    """A phrase list file that is missing or not in the documented format (message is for the trainer)."""


@dataclass(frozen=True)
class Pattern:
    """One list entry: normalised parts that must appear in order (A...B), or a regular expression."""

    source: str
    tag: str
    parts: tuple[str, ...] = ()
    regex: re.Pattern[str] | None = None
    scope: bool = False  # a guard ending in "...": also covers the `gap` characters after it (negation scope)
    compiled: tuple[re.Pattern[str], ...] = ()  # one literal search per part, compiled once at load
    homophones: tuple[bool, ...] = ()  # per part: also search by pinyin (zh, two or more Chinese characters)
    needs: frozenset[str] = frozenset()  # tokens a text must hold for the first part to match (a quick pre-filter)


class Patterns(tuple):
    """Patterns indexed by what lets them match (see _may_hold): the tokens they need and, with a PartIndex,
    their first part, so that a text picks its few candidates instead of asking every pattern."""

    def candidates(self, said: Said, parts: PartIndex | None, pinyin: bool) -> list[Pattern]:
        """The patterns that may match in the text, in list order."""
        if "_by_token" not in self.__dict__:
            self._build()
        chosen = set(self._always)
        if parts is None:
            for token in said.tokens & self._by_token.keys():
                chosen.update(self._by_token[token])
        else:
            literal, sounding = said.present(parts)
            by_first = self._by_first
            for held in (literal, sounding) if pinyin else (literal,):
                # walk the shorter of the two: a long reply holds many parts, a small list has few
                starting = [q for q in by_first if q in held] if len(by_first) < len(held) else \
                    [q for q in held if q in by_first]
                for part in starting:
                    chosen.update(i for i in by_first[part] if _may_hold(self[i], said))
            chosen.update(i for i in self._outside(parts) if _may_hold(self[i], said))
        return [self[i] for i in sorted(chosen)]

    def _build(self) -> None:
        self._by_token, always = _token_index(self)
        self._always = tuple(always)
        self._by_first: dict[str, list[int]] = {}
        for i, p in enumerate(self):
            if p.needs:
                self._by_first.setdefault(p.parts[0], []).append(i)
        self._unindexed: dict[int, tuple[int, ...]] = {}

    def _outside(self, parts: PartIndex) -> tuple[int, ...]:
        """Patterns whose first part the index does not hold (not from its lists): asked one by one."""
        found = self._unindexed.get(id(parts))
        if found is None:
            found = self._unindexed[id(parts)] = tuple(
                i for i, p in enumerate(self) if p.needs and p.parts[0] not in parts.parts)
        return found


@dataclass(frozen=True)
class Category:
    name: str
    patterns: tuple[Pattern, ...]
    guards: tuple[Pattern, ...] = ()
    pinyin: bool = True
    options: dict[str, Any] = field(default_factory=dict)
    _tagged: dict[str, Patterns] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "patterns", Patterns(self.patterns))
        object.__setattr__(self, "guards", Patterns(self.guards))
        object.__setattr__(self, "_tagged", {})

    def tagged(self, tag: str) -> Patterns:
        found = self._tagged.get(tag)
        if found is None:
            found = self._tagged[tag] = Patterns(p for p in self.patterns if p.tag == tag)
        return found

    def untagged(self, tag: str) -> Patterns:
        """Every pattern but those of one tag (a tag that qualifies the others rather than counting itself)."""
        key = "-" + tag
        found = self._tagged.get(key)
        if found is None:
            found = self._tagged[key] = Patterns(p for p in self.patterns if p.tag != tag)
        return found


class PartIndex:
    """Every part of one language's lists, so that a text is asked once which of them it holds, by its
    substrings and by its readings, instead of each pattern searching it in turn. For Chinese only: there a
    part matches as a plain substring (or a homophone of one), while English parts allow punctuation between
    their words. Parts are filed under their first two characters (or readings), so one step along the text
    looks up only the parts that can start there."""

    def __init__(self, categories: Iterable[Category]) -> None:
        parts: set[str] = set()
        sounding: set[str] = set()
        for c in categories:
            for p in c.patterns + c.guards:
                parts.update(p.parts)
                sounding.update(q for q, h in zip(p.parts, p.homophones) if h)
        self.parts = frozenset(parts)
        self.single = frozenset(q for q in parts if len(q) == 1)
        self.by_pair: dict[str, list[str]] = {}
        for q in sorted(parts):
            if len(q) >= 2:
                self.by_pair.setdefault(q[:2], []).append(q)
        self._sounding = frozenset(sounding)  # all of two or more Chinese characters
        self._by_sound: dict[tuple[str, str], list[tuple[tuple[str, ...], list[str]]]] | None = None

    def by_sound(self) -> dict[tuple[str, str], list[tuple[tuple[str, ...], list[str]]]]:
        """Parts that may match as homophones, filed under their first two readings, with their readings
        (worked out on first need: pypinyin is slow to load and English never needs it)."""
        if self._by_sound is None:
            readings: dict[tuple[str, ...], list[str]] = {}
            for q in sorted(self._sounding):
                readings.setdefault(tuple(char_readings(q)), []).append(q)
            table: dict[tuple[str, str], list[tuple[tuple[str, ...], list[str]]]] = {}
            for key, qs in readings.items():
                table.setdefault((key[0], key[1]), []).append((key, qs))
            self._by_sound = table
        return self._by_sound


@dataclass(frozen=True)
class PhraseLists:
    language: str
    gap: int
    categories: dict[str, Category]
    parts: PartIndex | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", PartIndex(self.categories.values()) if self.language == "zh" else None)

    def __getitem__(self, name: str) -> Category:
        return self.categories.get(name) or Category(name, ())


@dataclass(frozen=True)
class Match:
    """A phrase found in one normalised text; start/end index that text."""

    category: str
    tag: str
    text: str
    start: int
    end: int
    phrase: str


@dataclass(frozen=True)
class PhraseHit:
    category: str
    turn: int
    time: float
    text: str
    phrase: str
    tag: str = ""
    confidence: float = 1.0  # the least sure of the recognised words it rests on (typed: 1)


# ---------------------------------------------------------------- loading

def load_phrase_lists(language: str) -> PhraseLists:
    if language not in LANGUAGES:
        raise PhraseListError(f"no phrase list for language '{language}' (have: {', '.join(LANGUAGES)})")
    return _load(language)


@lru_cache(maxsize=None)
def _load(language: str) -> PhraseLists:
    path = resources.files("simulator.data").joinpath("phrases", f"{language}.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PhraseListError(f"phrase list {language}.toml cannot be read: {exc}") from None
    return parse_phrase_lists(data, language)


CUSTOMER_CATEGORIES = ("insult", "dwell", "transferred", "escalation_signal")


@lru_cache(maxsize=None)
def load_customer_lists(language: str) -> PhraseLists:
    """The customer-side lists of phrases/customer_<lang>.toml: insults (and the trainee's dwelling on one),
    kept apart from the trainee categories so that the trainee's scorecard never reports them."""
    if language not in LANGUAGES:
        raise PhraseListError(f"no phrase list for language '{language}' (have: {', '.join(LANGUAGES)})")
    name = f"customer_{language}.toml"
    try:
        data = tomllib.loads(resources.files("simulator.data").joinpath("phrases", name).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PhraseListError(f"phrase list {name} cannot be read: {exc}") from None
    unknown = set(data) - {"meta", *CUSTOMER_CATEGORIES}
    if unknown:
        raise PhraseListError(f"{name}: [{sorted(unknown)[0]}] is not a customer category ({', '.join(CUSTOMER_CATEGORIES)})")
    categories = {k: _category(k, data[k], language) for k in CUSTOMER_CATEGORIES if k in data}
    return PhraseLists(language, int(data.get("meta", {}).get("gap", 20)), categories)


def parse_phrase_lists(data: dict[str, Any], language: str) -> PhraseLists:
    """Build lists from a parsed TOML document; unknown categories are an error (catches typos)."""
    meta = data.get("meta", {})
    categories = {}
    for name, table in data.items():
        if name == "meta":
            continue
        if name not in PHRASE_CATEGORIES or not isinstance(table, dict):
            raise PhraseListError(f"{language}.toml: [{name}] is not a phrase category ({', '.join(PHRASE_CATEGORIES)})")
        categories[name] = _category(name, table, language)
    return PhraseLists(language, int(meta.get("gap", 20)), categories)


def _category(name: str, table: dict[str, Any], language: str) -> Category:
    patterns: list[Pattern] = []
    guards: tuple[Pattern, ...] = ()
    options: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, list):
            if not all(isinstance(v, str) and v.strip() for v in value):
                raise PhraseListError(f"{language}.toml: [{name}] {key} must be a list of non-empty strings")
            compiled = tuple(_pattern(v, key, language) for v in value)
            if key == "guards":
                guards = compiled
            else:
                patterns += compiled
        else:
            options[key] = value
    pinyin = bool(options.pop("pinyin", language == "zh"))
    return Category(name, tuple(patterns), guards, pinyin, options)


def _pattern(entry: str, tag: str, language: str) -> Pattern:
    if entry.startswith("re:"):
        try:
            return Pattern(entry, tag, regex=re.compile(entry[3:]))
        except re.error as exc:
            raise PhraseListError(f"{language}.toml: bad regular expression {entry!r}: {exc}") from None
    norm = normalise(entry, language)
    parts = tuple(p for p in (s.strip() for s in norm.split(GAP)) if p)
    homophones = tuple(language == "zh" and len(p) >= 2 and all(is_cjk(c) for c in p) for p in parts)
    return Pattern(entry, tag, parts, scope=norm.endswith(GAP), compiled=tuple(_literal(p, language) for p in parts),
                   homophones=homophones, needs=frozenset(_tokens(parts[0])[:1] if parts else ()))


def _tokens(text: str) -> list[str]:
    """What the pre-filter compares: Chinese characters one by one (a homophone keeps at least one of them,
    so any will do), other text by words."""
    return [c for c in text if is_cjk(c)] or re.findall(r"[a-z0-9'%]+", text)


def _literal(part: str, language: str) -> re.Pattern[str]:
    """zh: the characters; en: the whole words, with any spaces or punctuation between them."""
    if language == "zh":
        return re.compile(re.escape(part))
    words = r"[\s,.;:!?-]+".join(re.escape(w) for w in re.findall(r"[a-z0-9'%]+", part))
    return re.compile(rf"(?<![a-z0-9']){words}(?![a-z0-9]|'[a-z])")


# ---------------------------------------------------------------- matching

class Said:
    """One normalised text being matched: its pinyin (worked out once, indexed by syllable, for homophone
    search), which of the lists' parts it holds, and the spans found for each part, since many patterns
    share parts (保证, 不能 …)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.chars = frozenset(text)
        self.tokens = self.chars | frozenset(re.findall(r"[a-z0-9'%]+", text))
        self._spans: dict[tuple[str, bool], list[tuple[int, int]]] = {}
        self._by_reading: dict[tuple[str, str], list[int]] | None = None
        self._present: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        self._asked: list[PartIndex] = []  # their parts are absent unless in _literal / _sounding
        self._literal: set[str] = set()
        self._sounding: set[str] = set()

    def starts(self, first: str, second: str) -> list[int]:
        """Positions whose character and the next read `first` `second` (toneless): by two syllables, since
        one common syllable (shi, yi) starts hundreds of places in a long reply."""
        if self._by_reading is None:
            self._by_reading = {}
            readings = char_readings(self.text)
            for i, pair in enumerate(zip(readings, readings[1:])):
                self._by_reading.setdefault(pair, []).append(i)
        return self._by_reading.get((first, second), [])

    def present(self, index: PartIndex) -> tuple[frozenset[str], frozenset[str]]:
        """The index's parts this text holds as they are, and those it holds by their readings: one pass over
        the text, whatever the number of parts."""
        found = self._present.get(id(index))
        if found is None:
            text, single, by_pair = self.text, index.single, index.by_pair
            literal: set[str] = set()
            for i, c in enumerate(text):
                if c in single:
                    literal.add(c)
                for q in by_pair.get(text[i:i + 2], ()):
                    if text.startswith(q, i):
                        literal.add(q)
            sounding: set[str] = set()
            table = index.by_sound()
            if table and any(is_cjk(c) for c in self.chars):
                readings = char_readings(text)
                for i, pair in enumerate(zip(readings, readings[1:])):
                    for key, qs in table.get(pair, ()):
                        if readings[i:i + len(key)] == key:
                            sounding.update(qs)
            found = self._present[id(index)] = (frozenset(literal), frozenset(sounding))
            self._asked.append(index)
            self._literal |= literal
            self._sounding |= sounding
        return found

    def part_spans(self, pattern: Pattern, k: int, pinyin: bool) -> list[tuple[int, int]]:
        part = pattern.parts[k]
        homophones = pinyin and pattern.homophones[k]
        found = self._spans.get((part, homophones))
        if found is None:
            spans: set[tuple[int, int]] = set()
            known = any(part in index.parts for index in self._asked)
            if not self.chars.isdisjoint(part):  # a match, even a homophone, keeps a character of the part
                if not known or part in self._literal:
                    spans = {m.span() for m in pattern.compiled[k].finditer(self.text)}
                if homophones and (not known or part in self._sounding):
                    spans |= _homophone_spans(self, part)
            found = self._spans[(part, homophones)] = sorted(spans)
        return found


def _homophone_spans(said: Said, part: str) -> set[tuple[int, int]]:
    """Stretches that read like `part` and keep enough of it to be a recognition slip, not another word.

    A recogniser that swaps a character keeps the syllable, usually with its tone (报歉 for 抱歉);
    a stretch sharing no character (到钱 for 道歉, 合适 for 核实) or differing in tone where half of it
    is swapped (主观 for 主管, 不慢 for 不满) is a different word. So: at least one character literal,
    and every swapped character with the same tone unless most of the phrase is literal (工单好 for 工单号).
    """
    text, n = said.text, len(part)
    readings, wanted = char_readings(text), char_readings(part)
    spans = set()
    for i in said.starts(wanted[0], wanted[1]):
        if i + n > len(text) or any(readings[i + j] != wanted[j] for j in range(1, n)):
            continue
        swapped = [j for j in range(n) if text[i + j] != part[j]]
        if not swapped or len(swapped) == n:
            continue
        if 2 * len(swapped) < n or _same_tones(text, i, part, swapped):
            spans.add((i, i + n))
    return spans


def _same_tones(text: str, i: int, part: str, swapped: list[int]) -> bool:
    said, wanted = char_readings(text, True), char_readings(part, True)
    return all(said[i + j] == wanted[j] for j in swapped)


def _pattern_spans(said: Said, pattern: Pattern, pinyin: bool, gap: int) -> list[tuple[int, int]]:
    if pattern.regex is not None:
        return [m.span() for m in pattern.regex.finditer(said.text) if m.end() > m.start()]
    spans = said.part_spans(pattern, 0, pinyin)
    for k in range(1, len(pattern.parts)):
        if not spans:
            break
        following = said.part_spans(pattern, k, pinyin)
        starts = [f[0] for f in following]
        joined = []
        for s, e in spans:
            i = bisect_left(starts, e)  # the nearest part that starts after this one ends
            if i < len(following) and following[i][0] - e <= gap:
                joined.append((s, following[i][1]))
        spans = joined
    return spans


def _near(a: tuple[int, int], b: tuple[int, int], gap: int) -> bool:
    """At most `gap` characters between two spans, in either order (overlap counts as near)."""
    return max(a[0], b[0]) - min(a[1], b[1]) <= gap


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class _Cover:
    """Spans merged into disjoint stretches, to ask "does this span overlap any of them" in log time."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self._starts = [m[0] for m in merged]
        self._ends = [m[1] for m in merged]

    def overlaps(self, span: tuple[int, int]) -> bool:
        i = bisect_right(self._starts, span[0]) - 1
        if i >= 0 and self._ends[i] > span[0]:
            return True
        return i + 1 < len(self._starts) and self._starts[i + 1] < span[1]


@dataclass(frozen=True)
class NearMiss:
    """A phrase that was found and then not counted, with why: for trainers editing the lists."""

    category: str
    text: str
    phrase: str
    reason: str


def _may_hold(p: Pattern, said: Said) -> bool:
    """False when the text cannot hold the pattern: its first character (zh) or word (en) is missing, and
    (zh) no character of the first part is there for a homophone to keep."""
    return not p.needs or not p.needs.isdisjoint(said.tokens) or _homophone_only(p, said)


def _token_index(patterns: tuple[Pattern, ...]) -> tuple[dict[str, list[int]], list[int]]:
    """Pattern positions by the tokens that let them match (see _may_hold), and those with no such token."""
    index: dict[str, list[int]] = {}
    always: list[int] = []
    for i, p in enumerate(patterns):
        if not p.needs:
            always.append(i)
            continue
        keys = set(p.needs) | (set(p.parts[0]) if p.homophones and p.homophones[0] else set())
        for key in keys:
            index.setdefault(key, []).append(i)
    return index, always


def _homophone_only(p: Pattern, said: Said) -> bool:
    """A Chinese first part whose first character is missing may still match as a homophone that keeps another."""
    return bool(p.homophones and p.homophones[0]) and not said.chars.isdisjoint(p.parts[0])


def _guard_at(said: Said, category: Category, lists: PhraseLists, span: tuple[int, int]) -> str:
    for g in category.guards:
        for s, e in _pattern_spans(said, g, category.pinyin, lists.gap):
            if _overlaps(span, (s, e + lists.gap if g.scope else e)):
                return repr(g.source)
    return "?"


def match_patterns(
    text: str | Said, category: Category, lists: PhraseLists, patterns: Iterable[Pattern] | None = None,
    dropped: list[NearMiss] | None = None,
) -> list[Match]:
    """Matches of a category's patterns in normalised text: guarded ones dropped (and told to `dropped`),
    overlapping ones folded into the first, longest."""
    said = text if isinstance(text, Said) else Said(text)
    text = said.text
    parts = lists.parts
    guards = _Cover(
        (s, e + lists.gap if g.scope else e)
        for g in category.guards.candidates(said, parts, category.pinyin)
        for s, e in _pattern_spans(said, g, category.pinyin, lists.gap)
    )
    found = []
    if patterns is None:
        patterns = category.patterns
    elif not isinstance(patterns, Patterns):
        patterns = Patterns(patterns)
    chosen = patterns.candidates(said, parts, category.pinyin)
    for p in chosen:
        for span in _pattern_spans(said, p, category.pinyin, lists.gap):
            if not guards.overlaps(span):
                found.append(Match(category.name, p.tag, text[span[0]:span[1]], span[0], span[1], p.source))
            elif dropped is not None:
                dropped.append(NearMiss(category.name, text[span[0]:span[1]], p.source, f"guard {_guard_at(said, category, lists, span)}"))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Match] = []
    reach = -1
    for m in found:  # sorted by start: a match overlaps a kept one exactly when it starts before their furthest end
        if m.start >= reach:
            kept.append(m)
            reach = m.end
    return kept


def _one_sentence(text: str, start: int, end: int) -> bool:
    """No full stop, question or exclamation mark between two offsets (recognised text has none at all)."""
    return SENTENCE_END.search(text, start, max(start, end)) is None


def _cancelled(apologies: list[Match], lists: PhraseLists, said: Said, actions: list[Match],
               times: list[Match]) -> tuple[list[Match], list[Match]]:
    """Split apologies into sincere ones and those cancelled by a contrast in the same sentence that excuses
    or refuses. A contrast that leads straight into an action or a request (不过需要您在家 / "but I'll send
    someone today") does not take the apology back, nor (option `leads_on_commitment`) one whose clause holds
    an action and a time (很抱歉让您白请了一天假，不过今天下午两点前师傅一定到)."""
    text = said.text
    cat = lists["cancelled_apology"]
    contrast = match_patterns(said, cat, lists, cat.tagged("contrast"))
    leads = [m.start for m in match_patterns(said, cat, lists, cat.tagged("leads_on"))]
    within = int(cat.options.get("lead_within", 4))
    committed = _commitment_after(Stops(text), actions, times) if apologies and cat.options.get("leads_on_commitment") else None
    starts = [c.start for c in contrast]  # in order, one match per stretch: bisect to the first that follows
    sincere, cancelled = [], []
    for a in apologies:
        c = None
        for i in range(bisect_left(starts, a.end), len(contrast)):
            if contrast[i].start - a.end > lists.gap:
                break
            if _one_sentence(text, a.end, contrast[i].start):
                c = contrast[i]
                break
        if c is not None:
            j = bisect_left(leads, c.end)
            if j < len(leads) and leads[j] <= c.end + within or committed is not None and committed(c):
                c = None
        if c is None:
            sincere.append(a)
        else:
            cancelled.append(Match("cancelled_apology", "cancelled", text[a.start:c.end], a.start, c.end, f"{a.phrase}{GAP}{c.phrase}"))
    return sincere, cancelled


def _commitment_after(stops: Stops, actions: list[Match], times: list[Match]) -> Callable[[Match], bool]:
    """Whether the clause after a contrast holds both an action and a time (both lists in text order)."""
    action_starts, time_starts = [m.start for m in actions], [m.start for m in times]

    def first_in(starts: list[int], start: int, end: int) -> bool:
        i = bisect_left(starts, start)
        return i < len(starts) and starts[i] < end

    def committed(contrast: Match) -> bool:
        end = stops.clause(contrast.end)[1]
        return first_in(action_starts, contrast.end, end) and first_in(time_starts, contrast.end, end)
    return committed


class _Times:
    """A text's time expressions (in order, one per stretch, so their ends rise too), to find those close
    to a phrase by bisection rather than by asking each."""

    def __init__(self, times: list[Match]) -> None:
        self.times = times
        self.ends = [t.end for t in times]

    def first_with(self, match: Match, text: str, gap: int, clause: bool = False) -> Match | None:
        """The first time close by in the same sentence (in the same clause, with `clause`: "有消息了通知您"
        after a comma does not borrow the 今天 of the clause before)."""
        ends = CLAUSE_MARK if clause else SENTENCE_END
        for i in range(bisect_left(self.ends, match.start - gap), len(self.times)):
            t = self.times[i]
            if t.start > match.end + gap:  # this one and every later one are too far on
                break
            if (_near((match.start, match.end), (t.start, t.end), gap)
                    and ends.search(text, min(match.end, t.end), max(match.start, t.start, min(match.end, t.end))) is None):
                return t
        return None


def _resolution(said: Said, lists: PhraseLists, times: _Times, actions: list[Match]) -> list[Match]:
    """A commitment (action and time close together in one sentence, either order) and clear steps (two step words)."""
    text = said.text
    cat = lists["resolution"]
    out = []
    for a in actions:
        t = times.first_with(a, text, lists.gap)
        if t is not None:
            s, e = min(a.start, t.start), max(a.end, t.end)
            out.append(Match("resolution", "commitment", text[s:e], s, e, f"{a.phrase}+{t.phrase}"))
            break
    steps = match_patterns(said, cat, lists, cat.tagged("steps"))
    if len({m.phrase for m in steps}) >= 2:
        s, e = steps[0].start, steps[-1].end
        out.append(Match("resolution", "steps", text[s:e], s, e, "+".join(m.phrase for m in steps)))
    return out


@dataclass(frozen=True)
class ReplyContext:
    """What a reply answers: the customer's last line, the scenario's key words, and whether the customer
    has already been passed from one person to another (then a transfer makes them repeat themselves)."""

    customer: str = ""
    key_words: tuple[str, ...] = ()
    transferred: bool = False


def match_text(text: str, language: str, lists: PhraseLists | None = None,
               context: ReplyContext | None = None, dropped: list[NearMiss] | None = None) -> tuple[str, list[Match]]:
    """Normalised text and every listed or derived match in it; restate only with a context. `dropped`
    collects what was found and then not counted, with the reason."""
    lists = lists or load_phrase_lists(language)
    norm = normalise(text, language)
    said = Said(norm)
    out: list[Match] = []
    for name, category in lists.categories.items():
        if name == "explain_rule":
            out += _explained(said, category, lists, dropped)
        elif name not in DERIVED:
            out += match_patterns(said, category, lists, dropped=dropped)
    res = lists["resolution"]
    actions = match_patterns(said, res, lists, res.tagged("actions"))
    time_matches = match_patterns(said, res, lists, res.tagged("times"))
    apologies = [m for m in out if m.category == "apology"]
    sincere, cancelled = _cancelled(apologies, lists, said, actions, time_matches)
    out = [m for m in out if m.category != "apology"] + sincere + cancelled
    stops = Stops(norm)
    out = _one_verdict(out, stops, dropped)
    times = _Times(time_matches)
    kept = [m for m in out if m.tag not in ("with_time", "or_vague")
            or times.first_with(m, norm, lists.gap, clause=True) is not None]
    _tell(dropped, out, kept, "no time in the same sentence")
    timed = set(kept)  # or_vague with no time (处理好了会联系您) and no other follow-up is "please wait": a vague promise,
    if not any(m.category == "follow_up" for m in kept):  # unless its sentence states a rule (到账后会短信通知您)
        rule = _Cover((stops.sentence_start(m.start), stops.sentence_end(m.end)) for m in out
                      if m.category == "explain_rule" and m.tag != "named" or m.category == "over_promise")
        kept += [replace(m, category="vague_promise", tag="untimed") for m in out
                 if m.tag == "or_vague" and m not in timed and not rule.overlaps((m.start, m.end))]
    resolution = _resolution(said, lists, times, actions)
    out = _vouched(kept, resolution, stops, dropped)
    if any(m.tag == "commitment" for m in resolution):
        kept = [m for m in out if m.category != "vague_promise"]
        _tell(dropped, out, kept, "the reply also commits to an action with a time")
        out = kept
    out = _offered(out + resolution, stops, dropped)
    if context is not None:
        if context.transferred:  # passing on or asking again a customer who already explained: 不要让我重复讲
            kept = [m for m in out if not (m.category == "escalation_path" and m.tag == "transfer")]
            _tell(dropped, out, kept, "the customer has already been transferred")
            passed_on = set(kept)
            out = kept + [replace(m, category="ask_repeat") for m in out if m not in passed_on]
    if context is None or not context.transferred:
        kept = [m for m in out if m.category != "ask_repeat"]
        _tell(dropped, out, kept, "asking again is fine when the customer has not explained it already")
        out = kept
    if context is not None:
        out = _said_back(out, said, lists, stops, dropped)
        arguing = [m for m in out if m.category in ARGUING]
        again = restated(text, context.customer, context.key_words, language, lists, arguing)
        if again is not None and again.tag == "shared":  # a rule inside the customer's own words said back is their point
            kept = [m for m in out if not (m.category == "explain_rule" and _overlaps((m.start, m.end), (again.start, again.end)))]
            _tell(dropped, out, kept, "the customer's own words said back")
            out = kept
        out += [again] if again else []
    out.sort(key=lambda m: (m.start, m.category))
    return norm, out


def _explained(said: Said, cat: Category, lists: PhraseLists, dropped: list[NearMiss] | None) -> list[Match]:
    """Rules explained. A rule only named (tag `named`: "policy", "the terms", 合同里, 规定) explains nothing by
    itself: asked about, checked, blamed or quoted back it is only the topic. It counts when its sentence also
    says what the rule holds (tag `content`: a number, a condition, a standard, what it covers, means or says)."""
    found = match_patterns(said, cat, lists, cat.tagged("phrases"), dropped)
    stated = _Cover((m.start, m.end) for m in found)  # 银行的规定是…: the phrase 规定是 holds the named 的规定
    found += [m for m in match_patterns(said, cat, lists, cat.tagged("named"), dropped) if not stated.overlaps((m.start, m.end))]
    if not any(m.tag == "named" for m in found):
        return found
    content = match_patterns(said, cat, lists, cat.tagged("content"))
    starts = [m.start for m in content]
    stops = Stops(said.text)
    kept = []
    for m in found:
        if m.tag != "named" or _said_of(m, content, starts, stops, lists.gap):
            kept.append(m)
    _tell(dropped, found, kept, "a rule only named, with nothing it says")
    return kept


def _said_of(named: Match, content: list[Match], starts: list[int], stops: Stops, gap: int) -> bool:
    """Content beside the named rule (not inside it), in its sentence and within twice `gap` characters: the nearest
    one after it, or one of the two before it (kept matches do not overlap, so only those can end before it)."""
    s, e = max(stops.sentence_start(named.start), named.start - 2 * gap), min(stops.sentence_end(named.end), named.end + 2 * gap)
    after = bisect_left(starts, named.end)
    if after < len(content) and content[after].start < e:
        return True
    before = bisect_left(starts, named.start)
    return any(content[j].start >= s and content[j].end <= named.start for j in range(max(before - 2, 0), before))


def _one_verdict(out: list[Match], stops: Stops, dropped: list[NearMiss] | None) -> list[Match]:
    """Where two verdicts describe one act, keep the one that says what it was: a rule quoted after "sorry,
    but" or in a sentence with a taboo phrase ("我也没办法，这是公司规定") is an excuse, not an explanation; a
    jibe is retaliation rather than a taboo phrase; an assurance in the sentence of an over-promise ("rest assured
    it will never happen again", 包在我身上) is that promise, a "soon" in the sentence of a rule stated ("the bill
    is corrected as soon as we have a reading") is when the rule applies, and a promise in the sentence of a boundary
    ("if we take it one step at a time, I'll get this done faster") is the reason given for it, neither a vague promise; and a reply that hits back offers no
    escalation path, follow-up, empathy, thanks, apology, choice or boundary in earnest (said in sarcasm: "so sorry
    your majesty had to queue", "do you want help or do you just want to yell?", 说话客气点，不然我挂了)."""
    excuses = [(c.start, stops.sentence_end(c.end)) for c in out if c.category == "cancelled_apology"]
    excuses += [(stops.sentence_start(t.start), stops.sentence_end(t.end)) for t in out if t.category == "taboo"]
    excused = _Cover((s, e) for s, e in excuses if s < e)
    jibes = _Cover((m.start, m.end) for m in out if m.category == "retaliation")
    hits_back = any(x.category == "retaliation" for x in out)
    promised = _Cover((stops.sentence_start(m.start), stops.sentence_end(m.end)) for m in out
                      if (m.category in ("over_promise", "boundary") or m.category == "explain_rule" and m.tag != "named")
                      and not excused.overlaps((m.start, m.start + 1)))  # a rule given as an excuse states none
    kept = [m for m in out if not (
        (m.category == "explain_rule" and excused.overlaps((m.start, m.start + 1)))
        or (m.category == "taboo" and jibes.overlaps((m.start, m.end)))
        or (m.category == "vague_promise" and promised.overlaps((m.start, m.end)))
        or (m.category in HIT_BACK_CANCELS and hits_back))]
    _tell(dropped, out, kept, "another verdict says what this was")
    return kept


def _vouched(out: list[Match], resolution: list[Match], stops: Stops,
             dropped: list[NearMiss] | None) -> list[Match]:
    """An assurance (over_promise tag `assurance`: "you have my word", "one hundred percent") vouching for a concrete
    action with a time in its sentence is that commitment ("you have my word the block is lifted before we finish
    this call"), no over-promise; an outcome promised beside the time still is one ("a full refund today")."""
    committed = _Cover((stops.sentence_start(m.start), stops.sentence_end(m.end)) for m in resolution if m.tag == "commitment")
    kept = [m for m in out if not (m.category == "over_promise" and m.tag == "assurance" and committed.overlaps((m.start, m.end)))]
    _tell(dropped, out, kept, "an assurance of a commitment with a time")
    return kept


def _said_back(out: list[Match], said: Said, lists: PhraseLists, stops: Stops, dropped: list[NearMiss] | None) -> list[Match]:
    """A time, a refund or a rule inside a confirming question is the customer's point asked back ("so what you're
    saying is an engineer was promised for Monday, right?", 您是想今天把钱取出来对吧), not the trainee's promise or case."""
    cat = lists["restate"]
    asked = _Cover(_asked_back(m, stops) for m in match_patterns(said, cat, lists, cat.tagged("confirm")))
    kept = [m for m in out if not ((m.category in SAID_BACK or m.tag == "commitment") and asked.overlaps((m.start, m.end)))]
    _tell(dropped, out, kept, "said back in a confirming question")
    return kept


def _asked_back(confirm: Match, stops: Stops) -> tuple[int, int]:
    """The stretch a confirming phrase asks back: its clause ("您是说邻居家暖和很多，按照规定…" asks back only the first),
    the next one when it only opens the question (我确认一下，您是昨天开始没网的), the one before when it closes it
    (…从昨晚开始的，是吧？ / "…never turned up, right?")."""
    s, e = stops.clause(confirm.start, confirm.end)
    end = stops.sentence_end(confirm.end)
    if e - confirm.end <= 1 and e < end:
        e = stops.clause(e + 1)[1]
    if end - confirm.end <= 1 and confirm.start - s <= 1 and s > stops.sentence_start(confirm.start):
        s = stops.clause(s - 2)[0]
    return s, e


def _offered(out: list[Match], stops: Stops, dropped: list[NearMiss] | None) -> list[Match]:
    """A time or a refund inside a choice offered ("today at three or tomorrow at ten?", "rebook, or take a full
    refund?") is an option, not yet a commitment or a promise; a contract only named in the clause of one ("or
    wait until the contract ends") explains no rule."""
    choices = _Cover((s, e) for m in out if m.category == "options"
                     for s, e in [(stops.sentence_start(m.start), stops.sentence_end(m.end))] if s < e)
    offered = [stops.clause(m.start, m.end) for m in out if m.category == "options"]
    chosen = _Cover((s, e) for s, e in offered if s < e)
    kept = [m for m in out if not ((m.tag == "commitment" or m.category == "over_promise")
                                   and choices.overlaps((m.start, m.start + 1))
                                   or m.tag == "named" and chosen.overlaps((m.start, m.start + 1)))]
    _tell(dropped, out, kept, "a time, a refund or a contract offered as one of several choices")
    return kept


def _tell(dropped: list[NearMiss] | None, before: list[Match], after: list[Match], reason: str) -> None:
    if dropped is not None:
        kept = set(after)
        dropped += [NearMiss(m.category, m.text, m.phrase, reason) for m in before if m not in kept]


def find_in_text(text: str, language: str, lists: PhraseLists | None = None,
                 context: ReplyContext | None = None) -> list[tuple[str, str, int]]:
    """(category, matched text, char offset in the normalised text), in order of appearance."""
    return [(m.category, m.text, m.start) for m in match_text(text, language, lists, context)[1]]


# ---------------------------------------------------------------- restate

def restated(text: str, customer_text: str, key_words: Sequence[str], language: str, lists: PhraseLists | None = None,
             arguing: Sequence[Match] = ()) -> Match | None:
    """The customer's point said back: a phrase of the customer's own (min_chars / min_words after stop
    words), two of the scenario's key words, or a confirming question (您的意思是…对吗). One shared key word
    is only the topic, and key words in a clause that argues (`arguing`: a rule, a taboo, a negative word:
    违约金是合同里写好的) are the trainee's case, not the customer's point said back."""
    lists = lists or load_phrase_lists(language)
    norm = normalise(text, language)
    cat = lists["restate"]
    said = Said(norm)
    if customer_text:
        stop = sorted((p.parts[0] for p in cat.tagged("stopwords") if p.parts), key=len, reverse=True)
        shared = _shared_zh if language == "zh" else _shared_en
        found = shared(norm, normalise(customer_text, language), stop,
                       int(cat.options.get("min_chars" if language == "zh" else "min_words", 3)))
        if found is not None:
            return found
    stops = Stops(norm)
    argued = _Cover(stops.clause(m.start) for m in arguing)
    if customer_text and language == "en" and "min_paraphrase_words" in cat.options:
        stop = {p.parts[0] for p in cat.tagged("stopwords") if p.parts}
        found = _paraphrased_en(norm, normalise(customer_text, language), stop, int(cat.options["min_paraphrase_words"]), argued)
        if found is not None:
            return found
    spans: dict[str, tuple[int, int]] = {}
    for kw in key_words:
        at = [a for a in _pattern_spans(said, _key_word(kw, language), cat.pinyin, lists.gap)
              if not argued.overlaps(a)]
        if at:
            spans.setdefault(kw, at[0])
    if len(spans) >= int(cat.options.get("min_key_words", 2)):
        s, e = min(v[0] for v in spans.values()), max(v[1] for v in spans.values())
        return Match("restate", "key_words", norm[s:e], s, e, "+".join(spans))
    confirm = match_patterns(said, cat, lists, cat.tagged("confirm"))
    if confirm:
        return Match("restate", "confirm", confirm[0].text, confirm[0].start, confirm[0].end, confirm[0].phrase)
    return None


@lru_cache(maxsize=1024)
def _key_word(word: str, language: str) -> Pattern:
    """A scenario key word as a pattern, compiled once for the call rather than once per reply. An English key
    word also matches its plural and possessive ("neighbour" in "your neighbour's flat", "bills")."""
    if language == "en" and re.fullmatch(r"[a-z0-9' -]+", word.lower().strip()):
        words = r"[\s,.;:!?-]+".join(re.escape(w) for w in re.findall(r"[a-z0-9']+", normalise(word, language)))
        return _pattern(rf"re:(?<![a-z0-9']){words}('s|s|es)?(?![a-z0-9])", "key_words", language)
    return _pattern(word, "key_words", language)


@lru_cache(maxsize=1)
def _customer_runs(customer: str, language: str) -> SuffixAutomaton:
    """The automaton of a customer line (characters, or words in English), built once for all the replies
    that follow it (only the latest is kept: an automaton takes far more memory than its text)."""
    return SuffixAutomaton(customer if language == "zh" else re.findall(r"[a-z0-9']+", customer))


def _shared_zh(text: str, customer: str, stop: list[str], min_chars: int) -> Match | None:
    """The stretch shared with the customer that holds the most content characters outside stop words
    (清洗了、投诉了还是不热 said back counts its 清洗了投诉了不热, not 还是)."""
    masked = _mask(text, stop)
    counted = [0]
    for ch in masked:
        counted.append(counted[-1] + is_content(ch))
    runs = shared_suffix_lengths(text, _customer_runs(customer, "zh"))
    best = max(range(len(runs)), key=lambda j: (counted[j + 1] - counted[j + 1 - runs[j]], runs[j]), default=None)
    if best is None or counted[best + 1] - counted[best + 1 - runs[best]] < min_chars:
        return None
    s, e = best + 1 - runs[best], best + 1
    while s < e and not is_content(text[s]):
        s += 1
    return Match("restate", "shared", text[s:e], s, e, text[s:e])


def _mask(text: str, stop: list[str]) -> str:
    """Stop words replaced by a non-content mark of the same length, so offsets still index `text`."""
    for w in stop:
        text = text.replace(w, "|" * len(w))
    return text


def _shared_en(text: str, customer: str, stop: list[str], min_words: int) -> Match | None:
    """A run of words shared with the customer holding at least `min_words` content words."""
    tokens = list(re.finditer(r"[a-z0-9']+", text))
    words = [t.group() for t in tokens]
    stopset = set(stop)
    content = [0]
    for w in words:
        content.append(content[-1] + (w not in stopset and len(w) >= 3))
    runs = shared_suffix_lengths(words, _customer_runs(customer, "en"))
    best = max(range(len(runs)), key=lambda j: (content[j + 1] - content[j + 1 - runs[j]], runs[j]), default=None)
    if best is None or content[best + 1] - content[best + 1 - runs[best]] < min_words:
        return None
    s, e = tokens[best + 1 - runs[best]].start(), tokens[best].end()
    return Match("restate", "shared", text[s:e], s, e, text[s:e])


def _stem(word: str) -> str:
    """A rough English stem, so that a paraphrase keeps its words in another form (cleaned / clean, radiators)."""
    for suffix in ("'s", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _paraphrased_en(text: str, customer: str, stop: set[str], min_words: int, argued: _Cover) -> Match | None:
    """The customer's point said back in another order ("the washing machine's under warranty and you've been passed
    between four departments"): at least `min_words` of the customer's content words, in any form and order, in
    one sentence of the reply that does not argue the trainee's case."""
    theirs = {_stem(w) for w in re.findall(r"[a-z0-9']+", customer) if w not in stop and len(w) >= 3}
    stops = Stops(text)
    tokens = [t for t in re.finditer(r"[a-z0-9']+", text)
              if t.group() not in stop and len(t.group()) >= 3 and _stem(t.group()) in theirs
              and not argued.overlaps((t.start(), t.end()))]
    by_sentence: dict[int, list[re.Match[str]]] = {}
    for t in tokens:
        by_sentence.setdefault(stops.sentence_start(t.start()), []).append(t)
    for held in by_sentence.values():
        if len({_stem(t.group()) for t in held}) >= min_words:
            s, e = held[0].start(), held[-1].end()
            return Match("restate", "paraphrase", text[s:e], s, e, text[s:e])
    return None


# ---------------------------------------------------------------- timeline

class _Clock:
    """Call times of offsets in one turn's normalised text, from word times (or spread evenly), worked out
    once per turn so that a turn with many hits costs no more than one pass over it."""

    def __init__(self, turn: Turn, norm: str, language: str) -> None:
        self._turn = turn
        self._words = turn.timed_words()
        self._counts = [0]
        for ch in norm:
            self._counts.append(self._counts[-1] + is_content(ch))
        self._acc: list[int] = []
        self._sizes: list[int] = []
        acc = 0
        for w in self._words:
            n = content_count(normalise(w.word, language) if language != "zh" else w.word)  # zh: same count, no opencc
            self._acc.append(acc)
            self._sizes.append(n)
            acc += n
        self._total = acc

    def confidence(self, start: int, end: int) -> float:
        """The lowest recogniser confidence among the words that hold the characters start..end."""
        if not self._words or not self._turn.words:
            return 1.0
        first = self._counts[min(max(start, 0), len(self._counts) - 1)]
        last = self._counts[min(max(end, 0), len(self._counts) - 1)]
        i = max(0, bisect_right(self._acc, first) - 1)
        confs = []
        while i < len(self._words) and self._acc[i] < max(last, first + 1):
            if self._sizes[i]:
                confs.append(self._words[i].conf)
            i += 1
        return min(confs, default=1.0)

    def at(self, offset: int) -> float:
        if not self._words:
            return self._turn.start
        k = self._counts[min(max(offset, 0), len(self._counts) - 1)]
        if k >= self._total:
            return self._words[-1].end
        i = bisect_right(self._acc, k) - 1
        while self._sizes[i] == 0:  # a word with no content characters (punctuation) holds no offset
            i += 1
        w = self._words[i]
        return w.start + (k - self._acc[i]) / self._sizes[i] * (w.end - w.start)


def time_at(turn: Turn, norm: str, offset: int, language: str) -> float:
    """Call time of a character offset in the turn's normalised text, from word times (or spread evenly)."""
    return _Clock(turn, norm, language).at(offset)


def _key_words(timeline: Timeline) -> tuple[str, ...]:
    return tuple(str(k) for k in timeline.extra.get("key_words", []) or [])


def find_phrases(timeline: Timeline) -> dict[str, list[PhraseHit]]:
    """Every category's hits in the trainee turns, each pointing to its turn and call time."""
    language = timeline.language
    lists = load_phrase_lists(language)
    hits: dict[str, list[PhraseHit]] = {c: [] for c in PHRASE_CATEGORIES}
    customer_text = ""
    transferred = bool(timeline.extra.get("transferred"))
    answered: dict[tuple[str, ReplyContext], tuple[str, list[Match]]] = {}
    for i, turn in enumerate(timeline.turns):
        if turn.speaker == "customer":
            customer_text = turn.text
            transferred = transferred or was_transferred(turn.text, language)
            continue
        context = ReplyContext(customer_text, _key_words(timeline), transferred)
        key = (turn.text, context)
        if key not in answered:  # the same words to the same line match the same: 嗯, 好的, 明白 are matched once
            answered[key] = match_text(turn.text, language, lists, context)
        norm, matches = answered[key]
        clock = _Clock(turn, norm, language)
        for m in matches:
            hits[m.category].append(PhraseHit(m.category, i, clock.at(m.start), m.text, m.phrase, m.tag,
                                              round(clock.confidence(m.start, m.end), 3)))
    return hits


def was_transferred(customer_text: str, language: str) -> bool:
    """The customer says they have been passed from one person to another already (转了四次 / "transferred four times")."""
    lists = load_customer_lists(language)
    return bool(match_patterns(normalise(customer_text, language), lists["transferred"], lists))


_PRONOUNS = {
    "zh": {"您": r"您", "你": r"你(?!们)", "你们": r"你们", "我们": r"我们|咱们", "我": r"我(?!们)"},
    "en": {"we": r"\b(we|we're|we'll|we've|us|our|ours)\b", "i": r"\b(i|i'm|i'll|i've|i'd|me|my|mine)\b",
           "you": r"\b(you|you're|you'll|you've|you'd|your|yours)\b"},
}


def pronoun_use(timeline: Timeline) -> dict[str, int]:
    """How the trainee addresses the customer: zh 您/你/你们/我们/我; en we/i/you."""
    table = _PRONOUNS["zh" if timeline.language == "zh" else "en"]
    texts = [normalise(t.text, timeline.language) for t in timeline.by("trainee")]
    return {k: sum(len(re.findall(rx, t)) for t in texts) for k, rx in table.items()}


def filler_density(timeline: Timeline) -> float:
    """Fillers per 100 characters (zh) or per 100 words (en) of trainee speech."""
    language = timeline.language
    lists = load_phrase_lists(language)
    fillers = size = 0
    for turn in timeline.by("trainee"):
        norm = normalise(turn.text, language)
        counted = _FILLERS.get((norm, language))
        if counted is None:  # the call's analysis and its scorecard both ask: count each reply once
            counted = (len(match_patterns(norm, lists["filler"], lists)),
                       sum(1 for c in norm if is_cjk(c)) if language == "zh" else len(re.findall(r"[a-z0-9']+", norm)))
            _FILLERS.put((norm, language), counted, 0)
        fillers += counted[0]
        size += counted[1]
    return 100.0 * fillers / size if size else 0.0


_FILLERS = TextMemo(MEMO_CHARS)
