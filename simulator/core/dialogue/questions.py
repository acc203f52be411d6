"""Is a trainee turn a question about the customer's own case, and about which topic?

A real caller answers "请问您的地址是哪里" with the address. The analysis (assess.py) reports behaviours,
not questions, so this module reads the text itself: clause by clause, after normalisation, so
recognised speech without punctuation works. A clause is a question when it has a question mark, a
final particle or a question word not inside a statement (zh), an auxiliary or question word first
(en), or asks for information ("请提供", "can I have"). Its topic is the case topic whose question words match it
(the longest match wins). Questions that offer or check something ("还有什么可以帮您", "does that
work") are not questions for the customer. The word lists are data: simulator/data/questions.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from simulator.core.analysis.text import normalise

UNKNOWN = "unknown"   # an information question with no topic the customer knows
_CLAUSES = re.compile(r"(?<=\?)|[.!;,\n]+")


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
    fillers: tuple[str, ...]
    topics: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Question:
    """topic: a case topic, or UNKNOWN for an information question about something else."""

    topic: str
    asked: str   # the clause that asked


@lru_cache(maxsize=4)
def question_words(language: str) -> QuestionWords:
    data = tomllib.loads(resources.files("simulator.data").joinpath("questions.toml").read_text(encoding="utf-8"))
    table = data["zh" if language == "zh" else "en"]
    return QuestionWords(
        words=tuple(table.get("words", ())), yes_no=tuple(table.get("yes_no", ())), starts=tuple(table.get("starts", ())),
        endings=tuple(table.get("endings", ())), requests=tuple(table.get("requests", ())),
        offers=tuple(table.get("offers", ())), you=tuple(table.get("you", ())),
        embedders=tuple(table.get("embedders", ())), fillers=tuple(table.get("fillers", ())),
        topics={name: tuple(words) for name, words in table.get("topics", {}).items()},
    )


def builtin_topics() -> set[str]:
    """Topics that have question words without a persona's [scenarios.asks] (the same in zh and en)."""
    return set(question_words("zh").topics) & set(question_words("en").topics)


def _has(clause: str, needle: str, language: str) -> bool:
    if language == "zh":
        return needle in clause
    return re.search(rf"(?<![a-z']){re.escape(needle)}(?![a-z'])", clause) is not None


def _is_question(clause: str, words: QuestionWords, language: str) -> bool:
    """A question mark, a request, a final particle (zh), a question word not inside a statement
    ("我明白您为什么着急" is not a question), or (en) a question or auxiliary word first."""
    if "?" in clause or any(_has(clause, r, language) for r in words.requests):
        return True
    if language == "zh":
        if clause.endswith(words.endings):
            return True
        found = [clause.find(w) for w in words.words if w in clause]
        if not found:
            return False
        embedded = [clause.find(e) for e in words.embedders if e in clause]
        return not embedded or min(embedded) > min(found)
    tokens = clause.split(" ")
    while tokens and tokens[0].strip("'") in words.fillers:
        tokens.pop(0)
    return bool(tokens) and (tokens[0] in words.starts or tokens[0] in words.words)


def _asks_the_customer(clause: str, words: QuestionWords, language: str) -> bool:
    """A question word aimed at the customer ("您…什么", "what … your"): asking them for a fact
    (not a yes/no question such as "请问您是王先生吗")."""
    aimed = any(_has(clause, y, language) for y in words.you)
    return aimed and (any(_has(clause, w, language) for w in words.words if w not in words.yes_no)
                      or any(_has(clause, r, language) for r in words.requests))


def find_question(text: str, language: str, asks: Mapping[str, Sequence[str]] | None = None) -> Question | None:
    """The first question in text about a case topic, else an information question with no known topic
    (UNKNOWN), else None. asks: extra question words per topic (the scenario's [scenarios.asks])."""
    words = question_words(language)
    topics: dict[str, tuple[str, ...]] = dict(words.topics)
    for topic, extra in (asks or {}).items():
        topics[topic] = topics.get(topic, ()) + tuple(normalise(w, language) for w in extra)
    unknown: Question | None = None
    for clause in (c.strip() for c in _CLAUSES.split(normalise(text, language))):
        if not clause or not _is_question(clause, words, language):
            continue
        if any(_has(clause, o, language) for o in words.offers):
            continue
        hits = [(len(w), topic) for topic, ask in topics.items() for w in ask if _has(clause, w, language)]
        if hits:
            return Question(max(hits, key=lambda h: h[0])[1], clause)
        if unknown is None and _asks_the_customer(clause, words, language):
            unknown = Question(UNKNOWN, clause)
    return unknown
