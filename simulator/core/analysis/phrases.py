"""Phrase checks on the trainee's words, from the editable lists in simulator/data/phrases/<lang>.toml.

Chinese entries match on characters or, for recognition errors, on the toneless pinyin of the whole
phrase when a character of it is kept (报歉 for 抱歉, not 到钱 for 道歉: see _homophone_spans). Guards drop a match they overlap (不理解 is not empathy). Three categories are
derived rather than listed: cancelled_apology (an apology followed closely by 但是/but), resolution
(an action plus a time expression = a commitment, or two step words = clear steps) and restate (the
customer's own key words said back).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Sequence

from simulator.core.analysis.text import char_readings, content_count, is_cjk, is_content, normalise
from simulator.core.timeline import Timeline, Turn

PHRASE_CATEGORIES = (
    "empathy", "thanks", "apology", "cancelled_apology", "resolution", "taboo", "over_promise", "negative",
    "filler", "restate", "options", "boundary", "escalation_path", "explain_rule", "retaliation",
    "vague_promise", "follow_up",
)
DERIVED = ("cancelled_apology", "resolution", "restate")
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


@dataclass(frozen=True)
class Category:
    name: str
    patterns: tuple[Pattern, ...]
    guards: tuple[Pattern, ...] = ()
    pinyin: bool = True
    options: dict[str, Any] = field(default_factory=dict)

    def tagged(self, tag: str) -> tuple[Pattern, ...]:
        return tuple(p for p in self.patterns if p.tag == tag)


@dataclass(frozen=True)
class PhraseLists:
    language: str
    gap: int
    categories: dict[str, Category]

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


CUSTOMER_CATEGORIES = ("insult", "dwell")


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
                   homophones=homophones)


def _literal(part: str, language: str) -> re.Pattern[str]:
    """zh: the characters; en: the whole words, with any spaces or punctuation between them."""
    if language == "zh":
        return re.compile(re.escape(part))
    words = r"[\s,.;:!?-]+".join(re.escape(w) for w in re.findall(r"[a-z0-9'%]+", part))
    return re.compile(rf"(?<![a-z0-9']){words}(?![a-z0-9])")


# ---------------------------------------------------------------- matching

class Said:
    """One normalised text being matched: its pinyin (worked out once, indexed by syllable, for homophone
    search) and the spans found for each part, since many patterns share parts (保证, 不能 …)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.chars = frozenset(text)
        self._spans: dict[tuple[str, bool], list[tuple[int, int]]] = {}
        self._by_reading: dict[str, list[int]] | None = None

    def starts(self, reading: str) -> list[int]:
        """Positions whose character reads `reading` (toneless)."""
        if self._by_reading is None:
            self._by_reading = {}
            for i, r in enumerate(char_readings(self.text)):
                self._by_reading.setdefault(r, []).append(i)
        return self._by_reading.get(reading, [])

    def part_spans(self, pattern: Pattern, k: int, pinyin: bool) -> list[tuple[int, int]]:
        part = pattern.parts[k]
        homophones = pinyin and pattern.homophones[k]
        found = self._spans.get((part, homophones))
        if found is None:
            spans: set[tuple[int, int]] = set()
            if not self.chars.isdisjoint(part):  # a match, even a homophone, keeps a character of the part
                spans = {m.span() for m in pattern.compiled[k].finditer(self.text)}
                if homophones:
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
    for i in said.starts(wanted[0]):
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
        joined = []
        for s, e in spans:
            nxt = next((f for f in following if _near((s, e), f, gap) and f[0] >= e), None)
            if nxt is not None:
                joined.append((s, nxt[1]))
        spans = joined
    return spans


def _near(a: tuple[int, int], b: tuple[int, int], gap: int) -> bool:
    """At most `gap` characters between two spans, in either order (overlap counts as near)."""
    return max(a[0], b[0]) - min(a[1], b[1]) <= gap


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match_patterns(
    text: str | Said, category: Category, lists: PhraseLists, patterns: Iterable[Pattern] | None = None
) -> list[Match]:
    """Matches of a category's patterns in normalised text: guarded ones dropped, overlapping ones folded into the first, longest."""
    said = text if isinstance(text, Said) else Said(text)
    text = said.text
    guard_spans = [
        (s, e + lists.gap if g.scope else e)
        for g in category.guards
        for s, e in _pattern_spans(said, g, category.pinyin, lists.gap)
    ]
    found = []
    for p in category.patterns if patterns is None else patterns:
        for span in _pattern_spans(said, p, category.pinyin, lists.gap):
            if not any(_overlaps(span, g) for g in guard_spans):
                found.append(Match(category.name, p.tag, text[span[0]:span[1]], span[0], span[1], p.source))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Match] = []
    for m in found:
        if not any(_overlaps((k.start, k.end), (m.start, m.end)) for k in kept):
            kept.append(m)
    return kept


def _cancelled(apologies: list[Match], lists: PhraseLists, said: Said) -> tuple[list[Match], list[Match]]:
    """Split apologies into sincere ones and those cancelled by a following 但是 / but."""
    text = said.text
    contrast = match_patterns(said, lists["cancelled_apology"], lists)
    sincere, cancelled = [], []
    for a in apologies:
        c = next((c for c in contrast if c.start >= a.end and _near((a.start, a.end), (c.start, c.end), lists.gap)), None)
        if c is None:
            sincere.append(a)
        else:
            cancelled.append(Match("cancelled_apology", "cancelled", text[a.start:c.end], a.start, c.end, f"{a.phrase}{GAP}{c.phrase}"))
    return sincere, cancelled


def _resolution(said: Said, lists: PhraseLists) -> list[Match]:
    """A commitment (action and time close together, either order) and clear steps (two step words)."""
    text = said.text
    cat = lists["resolution"]
    actions = match_patterns(said, cat, lists, cat.tagged("actions"))
    times = match_patterns(said, cat, lists, cat.tagged("times"))
    out = []
    for a in actions:
        t = next((t for t in times if _near((a.start, a.end), (t.start, t.end), lists.gap)), None)
        if t is not None:
            s, e = min(a.start, t.start), max(a.end, t.end)
            out.append(Match("resolution", "commitment", text[s:e], s, e, f"{a.phrase}+{t.phrase}"))
            break
    steps = match_patterns(said, cat, lists, cat.tagged("steps"))
    if len({m.phrase for m in steps}) >= 2:
        s, e = steps[0].start, steps[-1].end
        out.append(Match("resolution", "steps", text[s:e], s, e, "+".join(m.phrase for m in steps)))
    return out


def match_text(text: str, language: str, lists: PhraseLists | None = None) -> tuple[str, list[Match]]:
    """Normalised text and every listed or derived match in it (restate needs the customer: see restated)."""
    lists = lists or load_phrase_lists(language)
    norm = normalise(text, language)
    said = Said(norm)
    out: list[Match] = []
    for name, category in lists.categories.items():
        if name not in DERIVED:
            out += match_patterns(said, category, lists)
    apologies = [m for m in out if m.category == "apology"]
    sincere, cancelled = _cancelled(apologies, lists, said)
    out = [m for m in out if m.category != "apology"] + sincere + cancelled
    resolution = _resolution(said, lists)
    if any(m.tag == "commitment" for m in resolution):
        out = [m for m in out if m.category != "vague_promise"]
    out += resolution
    out.sort(key=lambda m: (m.start, m.category))
    return norm, out


def find_in_text(text: str, language: str, lists: PhraseLists | None = None) -> list[tuple[str, str, int]]:
    """(category, matched text, char offset in the normalised text), in order of appearance."""
    return [(m.category, m.text, m.start) for m in match_text(text, language, lists)[1]]


# ---------------------------------------------------------------- restate

def restated(text: str, customer_text: str, key_words: Sequence[str], language: str, lists: PhraseLists | None = None) -> Match | None:
    """The customer's own words said back: a scenario key word, or a long enough shared stretch."""
    lists = lists or load_phrase_lists(language)
    norm = normalise(text, language)
    cat = lists["restate"]
    said = Said(norm)
    for kw in key_words:
        pattern = _pattern(kw, "key_words", language)
        spans = _pattern_spans(said, pattern, cat.pinyin, lists.gap)
        if spans:
            s, e = spans[0]
            return Match("restate", "key_words", norm[s:e], s, e, kw)
    if not customer_text:
        return None
    customer = normalise(customer_text, language)
    stop = sorted((p.parts[0] for p in cat.tagged("stopwords") if p.parts), key=len, reverse=True)
    shared = _shared_zh if language == "zh" else _shared_en
    return shared(norm, customer, stop, int(cat.options.get("min_chars" if language == "zh" else "min_words", 3)))


def _shared_zh(text: str, customer: str, stop: list[str], min_chars: int) -> Match | None:
    """Longest stretch of content characters shared with the customer once stop words are masked out."""
    mine, theirs = _mask(text, stop), _mask(customer, stop)
    best: tuple[int, int] | None = None
    for i in range(len(mine)):
        j = i
        while j < len(mine) and is_content(mine[j]) and mine[i:j + 1] in theirs:
            j += 1
        if j - i >= min_chars and (best is None or j - i > best[1] - best[0]):
            best = (i, j)
    if best is None:
        return None
    return Match("restate", "shared", text[best[0]:best[1]], best[0], best[1], text[best[0]:best[1]])


def _mask(text: str, stop: list[str]) -> str:
    """Stop words replaced by a non-content mark of the same length, so offsets still index `text`."""
    for w in stop:
        text = text.replace(w, "|" * len(w))
    return text


def _shared_en(text: str, customer: str, stop: list[str], min_words: int) -> Match | None:
    """A run of words shared with the customer holding at least `min_words` content words."""
    tokens = [(m.group(), m.start(), m.end()) for m in re.finditer(r"[a-z0-9']+", text)]
    theirs = re.findall(r"[a-z0-9']+", customer)
    their_text = " " + " ".join(theirs) + " "
    stopset = set(stop)
    best: tuple[int, int] | None = None
    for i in range(len(tokens)):
        for j in range(len(tokens), i, -1):
            words = [t[0] for t in tokens[i:j]]
            if " " + " ".join(words) + " " not in their_text:
                continue
            content = [w for w in words if w not in stopset and len(w) >= 3]
            if len(content) >= min_words and (best is None or j - i > best[1] - best[0]):
                best = (i, j)
            break
    if best is None:
        return None
    s, e = tokens[best[0]][1], tokens[best[1] - 1][2]
    return Match("restate", "shared", text[s:e], s, e, text[s:e])


# ---------------------------------------------------------------- timeline

def time_at(turn: Turn, norm: str, offset: int, language: str) -> float:
    """Call time of a character offset in the turn's normalised text, from word times (or spread evenly)."""
    k = content_count(norm[:offset])
    acc = 0
    words = turn.timed_words()
    for w in words:
        n = content_count(normalise(w.word, language))
        if n and k < acc + n:
            return w.start + (k - acc) / n * (w.end - w.start)
        acc += n
    return words[-1].end if words else turn.start


def _key_words(timeline: Timeline) -> list[str]:
    return [str(k) for k in timeline.extra.get("key_words", []) or []]


def find_phrases(timeline: Timeline) -> dict[str, list[PhraseHit]]:
    """Every category's hits in the trainee turns, each pointing to its turn and call time."""
    language = timeline.language
    lists = load_phrase_lists(language)
    hits: dict[str, list[PhraseHit]] = {c: [] for c in PHRASE_CATEGORIES}
    customer_text = ""
    for i, turn in enumerate(timeline.turns):
        if turn.speaker == "customer":
            customer_text = turn.text
            continue
        norm, matches = match_text(turn.text, language, lists)
        again = restated(turn.text, customer_text, _key_words(timeline), language, lists)
        for m in matches + ([again] if again else []):
            hits[m.category].append(PhraseHit(m.category, i, time_at(turn, norm, m.start, language), m.text, m.phrase, m.tag))
    return hits


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
        fillers += len(match_patterns(norm, lists["filler"], lists))
        size += sum(1 for c in norm if is_cjk(c)) if language == "zh" else len(re.findall(r"[a-z0-9']+", norm))
    return 100.0 * fillers / size if size else 0.0
