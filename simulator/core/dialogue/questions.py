"""Is a trainee turn a question about the customer's own case, and about which topic?

A real caller answers "请问您的地址是哪里" with the address. The analysis (assess.py) reports behaviours,
not questions, so this module reads the text itself: clause by clause, after normalisation, so
recognised speech without punctuation works. A clause is a question when it has a question mark, a
final particle or a question word not inside a statement (zh), an auxiliary or question word first
(en), asks for information ("请提供", "can I have"), or is a bare request for a case item ("您的地址是",
"and your address please"). Its topic is the case topic whose question words match it (the longest
match wins; "A…B" matches A with B later in the clause). Questions that offer or check something
("还有什么可以帮您", "does that work") are not questions for the customer. The word lists are data:
simulator/data/questions.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from simulator.core.analysis.text import normalise

UNKNOWN = "unknown"   # an information question with no topic the customer knows
GAP = "…"             # in a topic word: the parts in this order, anything between
_CLAUSES = re.compile(r"(?<=\?)|[.!;,\n]+")
BARE_GAP = {"zh": 4, "en": 2}   # what may stand between "您"/"your" and the case item in a bare request


@dataclass(frozen=True)
class QuestionWords:
    words: tuple[str, ...]
    yes_no: tuple[str, ...]
    starts: tuple[str, ...]
    endings: tuple[str, ...]
    requests: tuple[str, ...]
    offers: tuple[str, ...]
    you: tuple[str, ...]
    embedders: tuple[str, ...]
    restarts: tuple[str, ...]
    fillers: tuple[str, ...]
    tails: tuple[str, ...]
    bare: tuple[str, ...]
    inverted: tuple[str, ...]
    spoken: tuple[tuple[str, str], ...]
    topics: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Question:
    """topic: a case topic, or UNKNOWN for an information question about something else."""

    topic: str
    asked: str   # the clause that asked


@lru_cache(maxsize=4)
def question_words(language: str) -> QuestionWords:
    """The word lists of a language, normalised like the text they are looked for in ("what's" is
    "what is" on both sides)."""
    data = tomllib.loads(resources.files("simulator.data").joinpath("questions.toml").read_text(encoding="utf-8"))
    lang = "zh" if language == "zh" else "en"
    table = data[lang]

    def words(key: str) -> tuple[str, ...]:
        return tuple(_normal(w, lang) for w in table.get(key, ()))

    return QuestionWords(
        words=words("words"), yes_no=words("yes_no"), starts=words("starts"), endings=words("endings"),
        requests=words("requests"), offers=words("offers"), you=words("you"), embedders=words("embedders"),
        restarts=words("restarts"), fillers=words("fillers"), tails=words("tails"), bare=words("bare"),
        inverted=words("inverted"),
        spoken=tuple((_normal(k, lang), _normal(v, lang)) for k, v in table.get("spoken", {}).items()),
        topics={name: tuple(_normal(w, lang) for w in ask) for name, ask in table.get("topics", {}).items()},
    )


def builtin_topics() -> set[str]:
    """Topics that have question words without a persona's [scenarios.asks] (the same in zh and en)."""
    return set(question_words("zh").topics) & set(question_words("en").topics)


def _normal(word: str, language: str) -> str:
    """A list word normalised part by part (the gap mark is no punctuation to normalise away)."""
    return GAP.join(normalise(part, language) for part in word.split(GAP))


def _find(clause: str, needle: str, language: str, start: int = 0) -> int:
    """Where needle is in clause from start (en: as whole words), or -1."""
    if language == "zh":
        return clause.find(needle, start)
    found = _word(needle).search(clause, start)
    return found.start() if found else -1


@lru_cache(maxsize=4096)
def _word(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z']){re.escape(needle)}(?![a-z'])")


def _has(clause: str, needle: str, language: str) -> bool:
    return _find(clause, needle, language) >= 0


def _match(clause: str, word: str, language: str) -> bool:
    """word in clause; a word with gaps matches its parts in order."""
    at = 0
    for part in word.split(GAP):
        found = _find(clause, part, language, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def _first(clause: str, needles: Sequence[str], language: str) -> int | None:
    found = [at for at in (_find(clause, n, language) for n in needles) if at >= 0]
    return min(found) if found else None


def _embedding(clause: str, words: QuestionWords, language: str, items: Sequence[str]) -> Callable[[int], bool]:
    """Whether a question word or request at a position is inside a statement: an embedder before it
    ("我明白您为什么…", "我跟您说一下", "I know what is going on") with no fresh start and no case item
    between them ("我明白，麻烦您报一下账号" and "我明白您的意思您家地址是哪里" ask). Positions are found
    once, so many questions in a clause stay linear."""
    embedder = _first(clause, words.embedders, language)
    if embedder is None:
        return lambda at: False
    starts = [*words.restarts, *(item for item in items if GAP not in item)]
    restarts = sorted(at for at in (_find(clause, r, language, embedder + 1) for r in starts) if at >= 0)
    return lambda at: embedder <= at and not (restarts and restarts[0] < at)


def _is_question(clause: str, words: QuestionWords, language: str, items: Sequence[str]) -> bool:
    """A question mark, a request, a final particle (zh), a question word not inside a statement
    ("我明白您为什么着急" is not a question), or (en) a question or auxiliary word first. items: the
    words of the case topics."""
    if "?" in clause:
        return True
    embedded = _embedding(clause, words, language, items)
    request = _first(clause, words.requests, language)
    if request is not None and (language != "zh" or not embedded(request)):
        return True
    if language == "zh":
        if clause.endswith(words.endings):
            return True
        found = _first(clause, words.words, language)
        return found is not None and not embedded(found)
    tokens = _without_fillers(clause, words).split(" ")
    if tokens[0] in words.starts or tokens[0] in words.words:
        return True
    return any(not embedded(found.start()) for found in _inversions(words).finditer(clause))


@lru_cache(maxsize=2)
def _inversions_of(wh: tuple[str, ...], inverted: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z'])(?:{'|'.join(map(re.escape, wh))})(?: [a-z]+)? (?:{'|'.join(map(re.escape, inverted))})(?![a-z'])")


def _inversions(words: QuestionWords) -> re.Pattern[str]:
    """(en) A question word and an inverted auxiliary anywhere in the clause ("okay mr walker and what is
    your postcode", "how much did you pay")."""
    return _inversions_of(words.words, words.inverted)


def _without_fillers(clause: str, words: QuestionWords) -> str:
    """The clause without the words a question may start with ("那", "好的", "and so", "ok")."""
    changed = True
    while changed and clause:
        changed = False
        for filler in words.fillers:
            if clause.startswith(filler) and (clause == filler or clause[len(filler)] == " " or not filler.isascii()):
                clause = clause[len(filler):].lstrip()
                changed = True
    return clause


def _bare_request(clause: str, words: QuestionWords, language: str, topic_words: Sequence[str]) -> bool:
    """A request for a case item with no question form, as said on the phone: the customer's item and at
    most a tail ("您的电话", "您家具体地址是", "and your address please")."""
    rest = _without_fillers(clause, words)
    for tail in words.tails:
        if rest.endswith(tail) and len(rest) > len(tail):
            rest = rest[: -len(tail)].rstrip()
    start = next((b for b in sorted(words.bare, key=len, reverse=True) if rest.startswith(b)
                  and (language == "zh" or rest[len(b):len(b) + 1] in ("", " "))), None)
    if start is None:
        return False
    rest = rest[len(start):].lstrip()
    for item in topic_words:
        if GAP not in item and rest.endswith(item) and (language == "zh" or rest[:-len(item)][-1:] in ("", " ")):
            between = rest[: -len(item)].strip()
            if language == "zh":
                size = len(between.removeprefix("的"))
            else:
                size = len(between.split()) if between else 0
            if size <= BARE_GAP[language]:
                return True
    return False


def _asks_the_customer(clause: str, words: QuestionWords, language: str) -> bool:
    """A question word aimed at the customer ("您…什么", "what … your"): asking them for a fact
    (not a yes/no question such as "请问您是王先生吗"). In zh the customer comes before the question
    word or the clause ends as a question ("我们几天之内给您答复" asks nothing)."""
    fact_words = [w for w in words.words if w not in words.yes_no]
    asking = _first(clause, fact_words, language)
    request = _first(clause, words.requests, language)
    if asking is None and request is None:
        return False
    you = _first(clause, words.you, language)
    if you is None:
        return False
    if language != "zh" or request is not None or "?" in clause or clause.endswith(words.endings):
        return True
    return asking is not None and you < asking


def _offer(clause: str, words: QuestionWords, language: str) -> bool:
    """The clause's question is an offer or a check ("还有什么可以帮您", "我们能为您做点什么", "does that work"):
    no question to the customer follows the last offer ("我马上帮您处理您的工单号是多少" still asks)."""
    ends = [at + len(o) for o in words.offers if (at := _last(clause, o, language)) >= 0]
    if not ends:
        return False
    after = clause[max(ends):]
    return not (any(_has(after, y, language) for y in words.you)
                and (any(_has(after, w, language) for w in words.words if w not in words.yes_no)
                     or any(_has(after, r, language) for r in words.requests)))


def _last(clause: str, needle: str, language: str) -> int:
    at = found = _find(clause, needle, language)
    while found >= 0:
        at = found
        found = _find(clause, needle, language, found + 1)
    return at


def _spoken(clause: str, words: QuestionWords) -> str:
    """Colloquial forms written as the lists have them (啥 -> 什么, 咋 -> 怎么)."""
    for said, written in words.spoken:
        clause = clause.replace(said, written)
    return clause


def find_question(text: str, language: str, asks: Mapping[str, Sequence[str]] | None = None) -> Question | None:
    """The first question in text about a case topic, else an information question with no known topic
    (UNKNOWN), else None. asks: extra question words per topic (the scenario's [scenarios.asks])."""
    words = question_words(language)
    topics: dict[str, tuple[str, ...]] = dict(words.topics)
    for topic, extra in (asks or {}).items():
        topics[topic] = topics.get(topic, ()) + tuple(_normal(w, language) for w in extra)
    every_word = [w for ask in topics.values() for w in ask]
    unknown: Question | None = None
    for clause in (_spoken(c.strip(), words) for c in _CLAUSES.split(normalise(text, language))):
        if not clause:
            continue
        if not (_is_question(clause, words, language, every_word) or _bare_request(clause, words, language, every_word)):
            continue
        if _offer(clause, words, language):
            continue
        hits = [(len(w.replace(GAP, "")), topic) for topic, ask in topics.items() for w in ask if _match(clause, w, language)]
        if hits:
            return Question(max(hits, key=lambda h: h[0])[1], clause)
        if unknown is None and _asks_the_customer(clause, words, language):
            unknown = Question(UNKNOWN, clause)
    return unknown
