"""How right the phrase checks are: labelled trainee replies (tests/fixtures/judgement/) scored class by
class, so that a change to a phrase list is measured rather than guessed.

A reply's labels are closed-world: every class it triggers is listed, so a class found but not listed is
a false alarm and a class listed but not found is a miss. The overall figure is micro-averaged over every
(reply, class) decision.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from simulator.core.analysis.phrases import Match, ReplyContext, load_phrase_lists, match_text, was_transferred

VERDICT_CLASSES = (
    "empathy", "apology", "cancelled_apology", "taboo", "retaliation", "commitment", "vague_promise",
    "over_promise", "follow_up", "thanks", "restate", "boundary", "escalation_path", "options", "explain_rule",
)


class CorpusError(ValueError):
    """A corpus file that cannot be read or names an unknown class (message names the file and the reply)."""


@dataclass(frozen=True)
class LabelledReply:
    text: str
    language: str
    labels: frozenset[str]
    unsure: frozenset[str] = frozenset()
    customer: str = ""
    scenario: str = ""
    where: str = ""  # file and reply number, for messages


def verdict_class(match: Match) -> str | None:
    """The class a phrase match counts for (negative words, fillers and clear steps have none)."""
    if match.category == "resolution":
        return "commitment" if match.tag == "commitment" else None
    return match.category if match.category in VERDICT_CLASSES else None


def load_corpus(path: Path) -> list[LabelledReply]:
    """The replies of one corpus file; its language is the file name's last part (tune_zh.toml -> zh)."""
    language = path.stem.rsplit("_", 1)[-1]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{path.name}: cannot be read: {exc}") from None
    out = []
    for i, item in enumerate(data.get("reply", []), 1):
        where = f"{path.name} reply {i}"
        labels, unsure = frozenset(item.get("labels", [])), frozenset(item.get("unsure", []))
        unknown = sorted((labels | unsure) - set(VERDICT_CLASSES))
        if unknown or not str(item.get("text", "")).strip():
            raise CorpusError(f"{where}: {'unknown class ' + unknown[0] if unknown else 'empty text'}")
        out.append(LabelledReply(str(item["text"]), language, labels, unsure, str(item.get("customer", "")),
                                 str(item.get("scenario", "")), where))
    return out


@dataclass
class ClassScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Mistake:
    reply: LabelledReply
    missed: frozenset[str]
    false: frozenset[str]


@dataclass
class CorpusScore:
    classes: dict[str, ClassScore] = field(default_factory=lambda: {c: ClassScore() for c in VERDICT_CLASSES})
    mistakes: list[Mistake] = field(default_factory=list)
    replies: int = 0

    @property
    def overall(self) -> ClassScore:
        total = ClassScore()
        for s in self.classes.values():
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        return total


KeyWords = dict[str, tuple[str, ...]]


def scenario_key_words(personas: list) -> KeyWords:
    """'persona id/scenario id' -> the scenario's key words, for replies that name their scenario."""
    return {f"{p.id}/{s.id}": tuple(s.key_words) for p in personas for s in p.scenarios}


def classes_found(reply: LabelledReply, key_words: KeyWords) -> set[str]:
    context = ReplyContext(reply.customer, key_words.get(reply.scenario, ()),
                           bool(reply.customer) and was_transferred(reply.customer, reply.language))
    _, matches = match_text(reply.text, reply.language, load_phrase_lists(reply.language), context)
    return {c for c in map(verdict_class, matches) if c is not None}


def score_corpus(replies: list[LabelledReply], key_words: KeyWords) -> CorpusScore:
    score = CorpusScore()
    for reply in replies:
        found = classes_found(reply, key_words) - reply.unsure
        wanted = set(reply.labels) - reply.unsure
        for c in VERDICT_CLASSES:
            s = score.classes[c]
            s.tp += c in found and c in wanted
            s.fp += c in found and c not in wanted
            s.fn += c in wanted and c not in found
        if found != wanted:
            score.mistakes.append(Mistake(reply, frozenset(wanted - found), frozenset(found - wanted)))
        score.replies += 1
    return score


def format_table(scores: dict[str, CorpusScore]) -> str:
    """Precision / recall / F1 per class, one column group per named set."""
    names = list(scores)
    head = f"{'class':<18}" + "".join(f"{n + ' P':>12}{'R':>7}{'F1':>7}{'n':>5}" for n in names)
    rows = [head, "-" * len(head)]
    for c in (*VERDICT_CLASSES, "overall"):
        cells = ""
        for n in names:
            s = scores[n].overall if c == "overall" else scores[n].classes[c]
            cells += f"{s.precision:>12.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp + s.fn:>5}"
        rows.append(f"{c:<18}{cells}")
    rows.append(f"{'replies':<18}" + "".join(f"{scores[n].replies:>31}" for n in names))
    return "\n".join(rows)


def markdown_table(scores: dict[str, CorpusScore]) -> str:
    """The same figures as a Markdown table (F1 per class and set; precision / recall overall), for the README."""
    names = list(scores)
    rows = ["| class | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for c in VERDICT_CLASSES:
        rows.append(f"| {c} | " + " | ".join(f"{scores[n].classes[c].f1:.3f}" for n in names) + " |")
    rows.append("| **overall F1** | " + " | ".join(f"**{scores[n].overall.f1:.3f}**" for n in names) + " |")
    rows.append("| precision / recall | " + " | ".join(
        f"{scores[n].overall.precision:.3f} / {scores[n].overall.recall:.3f}" for n in names) + " |")
    rows.append("| replies | " + " | ".join(str(scores[n].replies) for n in names) + " |")
    return "\n".join(rows)

