"""The scorecard: a 0-100 score per criterion and overall, with findings tied to turns and the course.

Criteria that need audio or timing (pauses, pace, loudness, intonation, interruptions) are left out when
they were not measured, so a typed call is scored on its words only. Weights, penalties and feedback
texts live in simulator/data/scoring.toml with their sources.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import accumulate
from typing import Any, Callable

from simulator.core.analysis.assess import REPEAT_WINDOW, bigrams, event_for, long_enough, repeats
from simulator.core.analysis.course import CourseCheck, course_checks
from simulator.core.analysis.clear import SOLUTION, ClearCoverage, clear_coverage, first_hit, shouting_turns
from simulator.core.analysis.phrases import GAP, PhraseHit, filler_density, load_phrase_lists, pronoun_use
from simulator.core.analysis.rubric import run_checks
from simulator.core.analysis.scorecard import CRITERIA, Finding, Scorecard, ScoringConfig, load_scoring_config
from simulator.core.analysis.text import normalise
from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.analysis.timing import is_backchannel_text
from simulator.core.events import Event
from simulator.core.timeline import Timeline

Occurrence = tuple[int | None, float | None, str]


@dataclass
class _Call:
    """Everything a criterion looks at, and the findings it adds."""

    timeline: Timeline
    hits: dict[str, list[PhraseHit]]
    measures: Any
    cfg: ScoringConfig
    clear: ClearCoverage
    persona: str | None
    closed_early: bool = False  # the customer ended the call satisfied: closing checks had no turn to happen in
    findings: list[Finding] = field(default_factory=list)
    # (code, criterion, points): points a criterion lost for a cause another finding already names
    folds: list[tuple[str, str, float]] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.timeline.language

    def knob(self, section: str, name: str) -> float:
        return self.cfg.knob(section, name)

    def add(self, code: str, criterion: str, severity: str, turn: int | None, time: float | None, points: float = 0.0,
            said: str = "", better: str = "", **values: Any) -> None:
        """A finding; `points` is what it cost its criterion (turned into overall points once scored)."""
        message = self.cfg.message(code, self.language, **values)
        if not said and turn is not None and severity != "good" and 0 <= turn < len(self.timeline.turns):
            said = self.timeline.turns[turn].text
        self.findings.append(Finding(code, turn, None if time is None else round(time, 2), message, criterion, severity,
                                     points, said, better or (self.cfg.better(code, self.language) if severity != "good" else "")))

    def add_hit(self, code: str, criterion: str, severity: str, hit: PhraseHit, points: float = 0.0) -> None:
        self.add(code, criterion, severity, hit.turn, hit.time, points, hit.text, better_wording(hit, self.language), text=hit.text)

    def trainee(self) -> list[int]:
        return self._trainee

    @cached_property
    def _trainee(self) -> list[int]:
        return [i for i, t in enumerate(self.timeline.turns) if t.speaker == "trainee"]

    def at_turn(self, index: int | None) -> tuple[int | None, float | None]:
        """(turn, start time) of a turn index, or (None, None) when there is no such turn."""
        if index is None or not 0 <= index < len(self.timeline.turns):
            return None, None
        return index, self.timeline.turns[index].start

    @cached_property
    def _first_said(self) -> int | None:
        own = self.trainee()
        listening = set(self.measured("backchannel_turns") or [])
        phrases = load_thresholds().backchannel_phrases
        said = [i for i in own if i not in listening and not _only_listening(self.timeline.turns[i].text, phrases)]
        return next(iter(said or own), None)

    def first_trainee(self) -> tuple[int | None, float | None]:
        """The first trainee turn that says something: call-level findings point there, not at a 嗯 / "I see"."""
        return self.at_turn(self._first_said)

    def last_trainee(self) -> tuple[int | None, float | None]:
        return self.at_turn(self.trainee()[-1] if self.trainee() else None)

    def turn_at(self, time: float) -> int | None:
        """The trainee turn that contains a moment, else the first one after it (dead air before a reply)."""
        own = self.trainee()
        turns = self.timeline.turns
        starts, reach = self._reach
        if starts is None:  # replies out of time order: ask each (never so for a recorded or typed call)
            inside = [i for i in own if turns[i].start <= time <= turns[i].end]
            after = [i for i in own if turns[i].start >= time]
            return (inside or after or own[-1:] or [None])[0]
        begun = bisect_right(starts, time)  # own[:begun] started by then; the first of them still going holds it
        first = bisect_left(reach, time, 0, begun)
        if first < begun:
            return own[first]
        after = bisect_left(starts, time)
        if after < len(own):
            return own[after]
        return own[-1] if own else None

    @cached_property
    def _reach(self) -> tuple[list[float] | None, list[float]]:
        """The replies' starts and the running latest end, when the replies are in time order."""
        starts = [self.timeline.turns[i].start for i in self.trainee()]
        if any(a > b for a, b in zip(starts, starts[1:])):
            return None, []
        return starts, list(accumulate((self.timeline.turns[i].end for i in self.trainee()), max))

    def measured(self, name: str) -> Any:
        return None if self.measures is None else getattr(self.measures, name, None)


def _clamp(x: float) -> int:
    return int(round(max(0.0, min(100.0, x))))


# ---------------------------------------------------------------- measured criteria

def _pauses(c: _Call) -> float | None:
    if c.measures is None:
        return None
    max_latency = load_thresholds().max_latency
    score = 100.0
    for d in c.measured("dead_air") or []:
        score -= c.knob("pauses", "dead_air_penalty")
        c.add("dead_air", "pauses", "bad", c.turn_at(d.start), d.start, c.knob("pauses", "dead_air_penalty"),
              seconds=round(d.end - d.start, 1))
    for t in c.measured("turns") or []:
        latency = getattr(t, "latency", None)
        if latency is not None and latency > max_latency:
            score -= c.knob("pauses", "slow_reply_penalty")
            c.add("slow_reply", "pauses", "warn", t.turn, t.start, c.knob("pauses", "slow_reply_penalty"), seconds=round(latency, 1))
        if getattr(t, "cut_in_early", False):
            score -= c.knob("pauses", "cut_in_penalty")
            c.add("cut_in_early", "pauses", "warn", t.turn, t.start, c.knob("pauses", "cut_in_penalty"))
    return score


def _pace_band(c: _Call) -> tuple[float, float]:
    return tuple(c.measured("pace_band") or load_thresholds().pace_band(c.language))  # type: ignore[return-value]


def _pace(c: _Call) -> float | None:
    pace = c.measured("pace")
    if pace is None:
        return None
    low, high = _pace_band(c)
    outside = (pace - high) / high if pace > high else (low - pace) / low if pace < low else 0.0
    score = 100.0 - c.knob("pace", "per_10pct_outside") * outside * 10
    for t in c.measured("turns") or []:
        p = getattr(t, "pace", None)
        if p is not None and not low <= p <= high:
            score -= c.knob("pace", "turn_penalty")
            c.add("pace_fast" if p > high else "pace_slow", "pace", "warn", t.turn, t.start, c.knob("pace", "turn_penalty"),
                  pace=round(p), low=round(low), high=round(high))
    customer = c.measured("customer_pace")
    if customer and pace > customer:
        score -= c.knob("pace", "faster_than_customer_penalty")
        c.add("faster_than_customer", "pace", "warn", *c.first_trainee(), c.knob("pace", "faster_than_customer_penalty"),
              pace=round(pace), customer=round(customer))
    return score


def _loudness(c: _Call) -> float | None:
    loud = c.measured("loudness") or {}
    if not {"shouting_turns", "shouting"} & set(loud):
        return None
    score = 100.0
    for turn in shouting_turns(c.measures):
        score -= c.knob("loudness", "shouting_penalty")
        c.add("shouting", "loudness", "bad", *c.at_turn(turn), c.knob("loudness", "shouting_penalty"))
    if loud.get("louder_than_customer"):
        score -= c.knob("loudness", "louder_than_customer_penalty")
        levels = [(getattr(t, "loudness_rel_db", None) or 0.0, t.turn) for t in c.measured("turns") or []]
        c.add("louder_than_customer", "loudness", "warn", *c.at_turn(max(levels)[1] if levels else c.first_trainee()[0]),
              c.knob("loudness", "louder_than_customer_penalty"))
    return score


def _intonation(c: _Call) -> float | None:
    pitch = c.measured("pitch") or {}
    if pitch.get("sd_semitones") is None:
        return None
    score = 100.0
    if pitch.get("monotone"):
        score -= c.knob("intonation", "monotone_penalty")
        flat = pitch.get("monotone_turns") or []
        c.add("monotone", "intonation", "warn", *(c.at_turn(flat[0]) if flat else c.first_trainee()), c.knob("intonation", "monotone_penalty"))
    for turn in pitch.get("sharp_rise_turns") or []:
        score -= c.knob("intonation", "sharp_rise_penalty")
        c.add("sharp_rise", "intonation", "warn", *c.at_turn(turn), c.knob("intonation", "sharp_rise_penalty"))
    return score


def _interruptions(c: _Call) -> float | None:
    found = c.measured("interruptions")
    if found is None:
        return None
    for x in found:
        c.add("interruption", "interruptions", "bad", x.turn, x.start, c.knob("interruptions", "per_interruption"), x.text, text=x.text)
    overtalk = float(c.measured("overtalk_seconds") or 0.0)
    return 100.0 - c.knob("interruptions", "per_interruption") * len(found) - c.knob("interruptions", "per_overtalk_second") * overtalk


# ---------------------------------------------------------------- text criteria

def _empathy(c: _Call) -> float:
    empathy, restate = c.hits.get("empathy", []), c.hits.get("restate", [])
    score = 0.0
    if empathy:
        score += c.knob("empathy", "empathy")
        c.add_hit("empathy_good", "empathy", "good", empathy[0])
    else:
        c.add("no_empathy", "empathy", "bad", *c.first_trainee(), c.knob("empathy", "empathy"))
    if any(h.tag == "emotion" for h in empathy):
        score += c.knob("empathy", "emotion")
    if restate:
        score += c.knob("empathy", "restate")
        c.add_hit("restate_good", "empathy", "good", restate[0])
    return score


def _first_turn_with(c: _Call, needle: str) -> tuple[int | None, float | None]:
    turn = next((i for i in c.trainee() if needle in normalise(c.timeline.turns[i].text, c.language).replace("你们", "")), None)
    return c.at_turn(turn)


def _courtesy(c: _Call) -> float:
    thanks = c.hits.get("thanks", [])
    score = 0.0
    unjudged = 0.0  # thanks belong at the close: a call the satisfied customer ended had none to say them in
    if thanks:
        score += c.knob("courtesy", "thanks")
        c.add_hit("thanks_good", "courtesy", "good", thanks[0])
    elif c.closed_early:
        unjudged = c.knob("courtesy", "thanks")
    else:
        c.add("no_thanks", "courtesy", "warn", *c.last_trainee(), c.knob("courtesy", "thanks"))
    use = pronoun_use(c.timeline)
    polite, plain, we, me = (use["您"], use["你"], use["我们"], use["我"]) if c.language == "zh" else (1, 0, use["we"], use["i"])
    polite_share = polite / (polite + plain) if polite + plain else 1.0
    we_share = we / (we + me) if we + me else 0.5
    score += c.knob("courtesy", "polite_address") * polite_share + c.knob("courtesy", "we") * min(1.0, 2 * we_share)
    if plain:
        c.add("ni_not_nin", "courtesy", "warn", *_first_turn_with(c, "你"), c.knob("courtesy", "polite_address") * (1 - polite_share), count=plain)
    if we_share < 0.25 and me >= 3:
        c.add("few_we", "courtesy", "warn", *c.first_trainee(), c.knob("courtesy", "we") * (1 - min(1.0, 2 * we_share)))
    return _rescaled(score, unjudged)


def _rescaled(score: float, unjudged: float) -> float:
    """A criterion's points out of what could be judged: points not judged move to the rest."""
    return score * 100.0 / (100.0 - unjudged) if 0 < unjudged < 100 else score


def _apology(c: _Call) -> float:
    sincere, cancelled = c.hits.get("apology", []), c.hits.get("cancelled_apology", [])
    if sincere:
        c.add_hit("apology_good", "apology", "good", sincere[0])
    else:
        c.add("no_apology", "apology", "warn", *c.first_trainee(), c.knob("apology", "sincere") - c.knob("apology", "none"))
    for h in cancelled:
        c.add_hit("cancelled_apology", "apology", "bad", h, c.knob("apology", "cancelled_penalty"))
    base = c.knob("apology", "sincere") if sincere else c.knob("apology", "none")
    return base - c.knob("apology", "cancelled_penalty") * len(cancelled)


def _resolution(c: _Call) -> float:
    res = c.hits.get("resolution", [])
    commitment = [h for h in res if h.tag == "commitment"]
    steps = [h for h in res if h.tag == "steps"]
    score = 0.0
    if commitment:
        score += c.knob("resolution", "commitment")
        c.add_hit("commitment_good", "resolution", "good", commitment[0])
    else:
        c.add("no_commitment", "resolution", "bad", *c.last_trainee(), c.knob("resolution", "commitment"))
    unjudged = 0.0
    if c.hits.get("follow_up"):
        score += c.knob("resolution", "follow_up")
    elif c.closed_early:  # the customer hung up satisfied before a call-back could be arranged
        unjudged = c.knob("resolution", "follow_up")
    elif commitment:
        c.add("no_follow_up", "resolution", "warn", commitment[0].turn, commitment[0].time, c.knob("resolution", "follow_up"), commitment[0].text)
    if steps:
        score += c.knob("resolution", "steps")
        c.add_hit("steps_good", "resolution", "good", steps[0])
    if c.hits.get("options"):
        score += c.knob("resolution", "options")
    for h in c.hits.get("vague_promise", []):
        score -= c.knob("resolution", "vague_penalty")
        c.add_hit("vague_promise", "resolution", "warn", h, c.knob("resolution", "vague_penalty"))
    for h in c.hits.get("over_promise", []):
        score -= c.knob("resolution", "over_promise_penalty")
        c.add_hit("over_promise", "resolution", "bad", h, c.knob("resolution", "over_promise_penalty"))
    return _rescaled(score, unjudged)


def _taboo(c: _Call) -> float:
    score = 100.0
    for h in c.hits.get("taboo", []):
        score -= c.knob("taboo", "taboo_penalty")
        c.add_hit("defensive" if h.tag == "defensive" else "taboo", "taboo", "bad", h, c.knob("taboo", "taboo_penalty"))
    for h in c.hits.get("retaliation", []):
        score -= c.knob("taboo", "retaliation_penalty")
        c.add_hit("retaliation", "taboo", "bad", h, c.knob("taboo", "retaliation_penalty"))
    negative = c.hits.get("negative", [])
    free = int(c.knob("taboo", "negative_free"))
    for h in negative[free:]:
        score -= c.knob("taboo", "negative_penalty")
        c.add_hit("negative", "taboo", "warn", h, c.knob("taboo", "negative_penalty"))
    return score


def _fillers(c: _Call) -> float:
    density = filler_density(c.timeline)
    ok, bad = c.knob("fillers", f"ok_{c.language}"), c.knob("fillers", f"bad_{c.language}")
    if density > ok:
        per_turn = defaultdict(int)
        for h in c.hits.get("filler", []):
            per_turn[h.turn] += 1
        worst = max(per_turn, key=per_turn.__getitem__, default=None)
        c.add("fillers", "fillers", "warn", *c.at_turn(worst), 100.0 * min(1.0, (density - ok) / (bad - ok)), density=round(density, 1))
    return 100.0 * (bad - density) / (bad - ok) if density > ok else 100.0


def _clear(c: _Call) -> float:
    cov = c.clear
    where = {
        "control": _first_at(c, ("retaliation", "taboo")) or c.first_trainee(),
        "listen": _first_interruption(c),
        "establish": c.first_trainee(),
        "apologize": c.first_trainee(),
        "resolve": c.last_trainee(),
    }
    judged = {step: ok for step, ok in cov.steps().items() if ok is not None}
    for step, ok in judged.items():
        if not ok:
            c.add(f"clear_{step}", "clear", "warn", *where[step], c.knob("clear", "per_step"))
    # a step that could not be judged (Listen on a typed call) neither earns nor costs: the rest fill its share
    score = c.knob("clear", "per_step") * len(cov.steps()) * sum(judged.values()) / max(1, len(judged))
    if cov.emotion_before_solution:
        score += c.knob("clear", "order")
    elif cov.emotion_before_solution is False:
        solution = first_hit(c.hits, SOLUTION)
        assert solution is not None
        c.add("solution_before_emotion", "clear", "bad", solution.turn, solution.time, c.knob("clear", "order"), solution.text, text=solution.text)
    return score


def _first_at(c: _Call, categories: tuple[str, ...]) -> tuple[int | None, float | None] | None:
    hit = first_hit(c.hits, categories)
    return None if hit is None else (hit.turn, hit.time)


def _first_interruption(c: _Call) -> tuple[int | None, float | None]:
    found = c.measured("interruptions") or []
    return (found[0].turn, found[0].start) if found else c.first_trainee()


# ---------------------------------------------------------------- persona rubric (DESIGN §3)

def persona_key(cfg: ScoringConfig, persona: str | None) -> str | None:
    """Canonical persona type from a type name, an alias or a persona id that contains one."""
    if not persona:
        return None
    name = persona.lower()
    for key, table in cfg.personas.items():
        names = [key, *table.get("aliases", [])]
        if name in names or any(n in name for n in names):
            return key
    return None


def occurrences(c: _Call) -> dict[str, list[Occurrence]]:
    """Every engine event seen in the call, from phrases, repeated replies and measures."""
    occ: dict[str, list[Occurrence]] = defaultdict(list)
    for hits in c.hits.values():
        for h in hits:
            event = event_for(h.category, h.tag)
            if event is not None:
                occ[event.value].append((h.turn, h.time, h.text))
    own = c.trainee()
    turns = c.timeline.turns
    units = [bigrams(turns[j].text, c.language) for j in own]  # once per reply, compared with the next twenty
    for k, j in enumerate(own):
        if long_enough(units[k], c.language) and any(repeats(units[k], x) for x in units[max(0, k - REPEAT_WINDOW):k]):
            occ["repeated_explanation"].append((j, turns[j].start, turns[j].text))
    for x in c.measured("interruptions") or []:
        occ["interruption"].append((x.turn, x.start, x.text))
    for d in c.measured("dead_air") or []:
        occ["dead_air"].append((c.turn_at(d.start), d.start, ""))
    for turn in shouting_turns(c.measures):
        occ["shouting"].append((*c.at_turn(turn), ""))
    if c.measures is not None:
        high = _pace_band(c)[1]
        for t in c.measured("turns") or []:
            if getattr(t, "pace", None) is not None and t.pace > high:
                occ["rushed"].append((t.turn, t.start, ""))
    return occ


_RUBRIC_SEVERITY = {"consistent_answers": "bad", "steer_back": "bad"}
# persona rewards that another finding already asks for: persona_missing does not say them again
_REPORTS = {"no_empathy": ("empathy",), "no_apology": ("apology",), "no_commitment": ("commitment",),
            "no_follow_up": ("follow_up",), "clear_establish": ("empathy", "restate")}
# the finding that already names a behaviour the persona penalises
_EVENT_FINDINGS = {"taboo": ("taboo",), "defensive": ("defensive",), "retaliation": ("retaliation",),
                   "vague_promise": ("vague_promise",), "cancelled_apology": ("cancelled_apology",),
                   "over_promise": ("over_promise",), "interruption": ("interruption",), "dead_air": ("dead_air",),
                   "shouting": ("shouting",)}
# CLEAR steps whose own finding says the same as a criterion's: one finding per cause, the criterion's kept
_SAME_CAUSE = {"clear_apologize": ("no_apology",), "clear_establish": ("no_empathy",), "clear_resolve": ("no_commitment",),
               "clear_listen": ("interruption",), "clear_control": ("taboo", "defensive", "retaliation", "shouting")}
_RUBRIC_BACKFIRES = ("consistent_answers",)  # DESIGN §3 投诉成癖型: inconsistent answers backfire


def _persona(c: _Call) -> float | None:
    if c.persona is None:
        return None
    table = c.cfg.personas[c.persona]
    name = table["name"].get(c.language, table["name"]["en"])
    advice = table["advice"].get(c.language, table["advice"]["en"])
    occ = occurrences(c)
    reward = [e for e in table["reward"] if occ.get(e) or not (c.closed_early and e in CLOSING_BEHAVIOURS)]
    shown = [e for e in reward if occ.get(e)]
    checks = {k: v for k, v in run_checks(list(table.get("rubric", [])), c.timeline, c.hits, c.measures).items() if v is not None}
    met = sum(check.ok for check in checks.values())
    wanted = len(reward) + len(checks)
    score = 100.0 * (len(shown) + met) / wanted if wanted else 100.0
    share = 100.0 / wanted if wanted else 0.0
    for check_name, check in checks.items():
        lost = 0.0 if check.ok else share + (c.knob("persona", "backfire_penalty") if check_name in _RUBRIC_BACKFIRES else 0.0)
        c.add(f"{check_name}_good" if check.ok else check_name, "persona",
              "good" if check.ok else _RUBRIC_SEVERITY.get(check_name, "warn"), check.turn, check.time, lost, **check.values)
        if not check.ok and check_name in _RUBRIC_BACKFIRES:
            score -= c.knob("persona", "backfire_penalty")
    joiner = "、" if c.language == "zh" else ", "
    reported = {code for f in c.findings for code in _REPORTS.get(f.code, ())}
    missing = [e for e in reward if e not in shown]
    for e in missing:
        own = next((f.code for f in c.findings if e in _REPORTS.get(f.code, ())), None)
        if own is not None:  # no_apology already asks for it: it carries this persona's share too
            c.folds.append((own, "persona", share))
    unreported = [c.cfg.label(e, c.language) for e in missing if e not in reported]
    if unreported:  # what has no finding of its own yet (no_apology already says "apologise")
        examples = [c.cfg.better(e, c.language) for e in missing if e not in reported]
        c.add("persona_missing", "persona", "warn", *c.first_trainee(), share * len(unreported),
              better=joiner.join(x for x in examples if x), persona=name, what=joiner.join(unreported), advice=advice)
    backfired = []
    named = {f.code for f in c.findings}
    for event in table["penalise"]:
        seen = occ.get(event, [])
        if seen:
            lost = c.knob("persona", "backfire_penalty") * min(len(seen), int(c.knob("persona", "backfire_max_count")))
            score -= lost
            own = next((code for code in _EVENT_FINDINGS.get(event, ()) if code in named), None)
            if own is not None:  # taboo already has its finding: it carries what it cost with this persona too
                c.folds.append((own, "persona", lost))
            else:
                backfired.append((min(seen, key=lambda o: (o[1] is None, o[1] or 0.0)), event, lost))
    if backfired:  # one finding for every other behaviour that backfired: they share the persona's advice
        (turn, time, said), _, _ = min(backfired, key=lambda b: (b[0][1] is None, b[0][1] or 0.0))
        c.add("persona_backfire", "persona", "bad", turn, time, sum(b[2] for b in backfired), said,
              better=c.cfg.better(backfired[0][1], c.language),
              persona=name, what=joiner.join(c.cfg.label(b[1], c.language) for b in backfired), advice=advice)
    return score


_CRITERIA: dict[str, Callable[[_Call], float | None]] = {
    "pauses": _pauses, "pace": _pace, "loudness": _loudness, "intonation": _intonation,
    "interruptions": _interruptions, "empathy": _empathy, "courtesy": _courtesy, "apology": _apology,
    "resolution": _resolution, "taboo": _taboo, "fillers": _fillers, "clear": _clear, "persona": _persona,
}
assert tuple(_CRITERIA) == CRITERIA
def _only_listening(text: str, phrases: tuple[str, ...]) -> bool:
    """A turn of listener tokens only (嗯 / 对 / I see); a turn with no transcript is not known to be one."""
    return bool(text.strip()) and is_backchannel_text(text, phrases)


MEASURED_ONLY = ("pauses", "pace", "loudness", "intonation", "interruptions")
# what a trainee does late in a call (thanks, call-back, escalation path, "anything else?"): not asked of a
# call the customer ended satisfied before those turns came
CLOSING_BEHAVIOURS = ("thanks", "follow_up", "escalation_path")
CLOSING_COURSE_CHECKS = ("anything_else",)
RESOLVED = "resolved"  # the dialogue engine's ending kind for a customer who hangs up satisfied
ENDING_KEY = "ending"  # timeline extra: how the call ended (resolved / escalated / turn_limit / ended_early)


def replies(timeline: Timeline) -> list[int]:
    """Trainee turns that answer: a listening cue (嗯 said while the customer talks) is not a reply."""
    return [i for i, t in enumerate(timeline.turns)
            if t.speaker == "trainee" and t.extra.get("events") != [Event.BACKCHANNEL.value]]


def not_scored(timeline: Timeline) -> Scorecard:
    """A call the trainee never answered: nothing was judged, so there is no score (not a 100)."""
    unjudged = ClearCoverage(None, None, None, None, None, None)
    return Scorecard(None, {}, [], unjudged, list(CRITERIA))


PENALTIES = {"taboo": "taboo", "retaliation": "taboo", "negative": "taboo", "cancelled_apology": "apology",
             "over_promise": "resolution", "vague_promise": "resolution"}  # category -> the criterion it costs


def heard_surely(hits: dict[str, list[PhraseHit]], thr: Any) -> tuple[dict[str, list[PhraseHit]], list[PhraseHit]]:
    """The hits sure enough to judge on (thresholds.toml [confidence]: penalties need more than rewards), and
    the penalties that were only possibly heard: shown with their moment, never scored."""
    sure: dict[str, list[PhraseHit]] = {}
    possibly: list[PhraseHit] = []
    for category, found in hits.items():
        floor = thr.penalty_confidence if category in PENALTIES else thr.reward_confidence
        sure[category] = [h for h in found if h.confidence >= floor]
        if category in PENALTIES:
            possibly += [h for h in found if h.confidence < floor]
    return sure, sorted(possibly, key=lambda h: h.time)


def _possibly_heard(c: _Call, possibly: list[PhraseHit]) -> None:
    for h in possibly:
        c.add("possibly_heard", PENALTIES[h.category], "warn", h.turn, h.time, 0.0, h.text,
              text=h.text, confidence=f"{h.confidence:.2f}")


def _course_points(c: _Call, checks: list[CourseCheck]) -> float:
    """The course checks' findings for one criterion, and the points they cost it (scoring.toml [course])."""
    lost = 0.0
    counted: dict[str, int] = defaultdict(int)
    for k in checks:
        points = 0.0
        if k.severity != "good" and counted[k.code] < int(c.knob("course", "max_count")):
            points = c.knob("course", k.code)
            counted[k.code] += 1
        lost += points
        c.add(k.code, k.criterion, k.severity, k.turn, k.time, points, k.said, **k.values)
    return lost


def _costed(findings: list[Finding], folds: list[tuple[str, str, float]], criteria: dict[str, int],
            weights: dict[str, float], total: float) -> list[Finding]:
    """Each finding's criterion points turned into overall points: its share of what the criterion lost
    (a criterion clamped at 0 lost less than its penalties add up to), times the criterion's weight; points
    folded into a finding of another criterion (the same cause) are added to the first finding of that code."""
    asked: dict[str, float] = defaultdict(float)
    for f in findings:
        asked[f.criterion] += f.cost if f.severity != "good" else 0.0
    for _, criterion, points in folds:
        asked[criterion] += points

    def overall(criterion: str, points: float) -> float:
        if criterion not in criteria or not asked[criterion] or not total:
            return 0.0
        return points * min(1.0, (100 - criteria[criterion]) / asked[criterion]) * weights[criterion] / total

    extra: dict[str, float] = defaultdict(float)
    for code, criterion, points in folds:
        extra[code] += overall(criterion, points)
    out = []
    for f in findings:
        cost = 0.0 if f.severity == "good" else overall(f.criterion, f.cost) + extra.pop(f.code, 0.0)
        out.append(replace(f, cost=round(cost, 2)))
    return out


def _one_per_cause(findings: list[Finding]) -> list[Finding]:
    """A CLEAR step finding that repeats a criterion's finding is folded into the first finding naming the same
    cause, its cost added there once (clear_control after a taboo and a defensive phrase counts once)."""
    first: dict[str, int] = {}
    for i, f in enumerate(findings):
        first.setdefault(f.code, i)
    extra: dict[int, float] = defaultdict(float)
    folded = set()
    for i, f in enumerate(findings):
        targets = [first[code] for code in _SAME_CAUSE.get(f.code, ()) if code in first]
        if targets:
            extra[min(targets)] += f.cost
            folded.add(i)
    return [replace(f, cost=round(f.cost + extra[i], 2)) if extra.get(i) else f
            for i, f in enumerate(findings) if i not in folded]


def better_wording(hit: PhraseHit, language: str) -> str:
    """The course's replacement for the phrase a finding is about (phrase file [category.better])."""
    table = load_phrase_lists(language)[hit.category].options.get("better", {})
    entry = hit.phrase.split("+")[0].split(GAP)[0]
    return str(table.get(hit.phrase) or table.get(entry) or table.get(hit.text) or "")


def score_call(timeline: Timeline, hits: dict[str, list[PhraseHit]], measures: object | None = None, persona_type: str | None = None) -> Scorecard:
    """Score a call; `measures` is duck-typed (None for a typed call) and `persona_type` may be a persona id.
    A call without a reply is not scored (overall None); one the customer ended satisfied (timeline extra
    "ending" = "resolved") is not asked for the closing behaviours it had no turn for.

    Criteria that could not be judged are left out of `criteria` and of the overall score: the measured ones
    without measures, the text ones when the trainee turns carry no words (audio without a transcript)."""
    if not replies(timeline):
        return not_scored(timeline)
    cfg = load_scoring_config()
    hits, possibly = heard_surely(hits, load_thresholds())
    persona = persona_key(cfg, persona_type or timeline.extra.get("persona_type") or timeline.persona)
    closed_early = timeline.extra.get(ENDING_KEY) == RESOLVED
    call = _Call(timeline, hits, measures, cfg, clear_coverage(timeline, hits, measures), persona, closed_early)
    has_words = any(t.text.strip() for t in timeline.by("trainee"))
    course = course_checks(timeline, hits) if has_words else []
    if closed_early:
        course = [k for k in course if k.code not in CLOSING_COURSE_CHECKS]
    criteria: dict[str, int] = {}
    for name, criterion in _CRITERIA.items():
        if not has_words and name not in MEASURED_ONLY:
            continue  # a recording without a transcript: the words were not "measured" either
        value = criterion(call)
        if value is not None:
            criteria[name] = _clamp(value - _course_points(call, [k for k in course if k.criterion == name]))
    if has_words:
        _possibly_heard(call, possibly)
    weight = sum(cfg.weights[k] for k in criteria)
    overall = _clamp(sum(cfg.weights[k] * v for k, v in criteria.items()) / weight) if weight else 0
    findings = _one_per_cause(_costed(call.findings, call.folds, criteria, cfg.weights, weight))
    findings = sorted(findings, key=lambda f: (f.time is None, f.time or 0.0, f.turn or 0))
    return Scorecard(overall, criteria, findings, call.clear, [k for k in CRITERIA if k not in criteria], possibly)
