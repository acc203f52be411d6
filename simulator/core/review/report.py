"""What goes into an attempt's PDF report, in the report's own language (zh or en), whatever the screen's
language is: a manager may read English while the trainee gets the report in Chinese. The PDF writer only
lays this out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.core.review.correction import latest
from simulator.core.review.findings import next_time
from simulator.core.review.stored import record_timeline, stored_criteria, stored_findings

LANGUAGES = ("zh", "en")

TEXT = {
    "en": {
        "title": "Call report", "trainee": "Trainee", "group": "Group", "persona": "Customer",
        "scenario": "Scenario", "started": "Date", "duration": "Duration", "ending": "Ending", "status": "Status",
        "overall": "Overall score",
        "scores": "Scores", "findings": "Findings", "praise": "What went well", "transcript": "Transcript",
        "timeline": "Timeline", "notes": "Manager's notes", "customer": "Customer", "trainee_speaker": "Trainee",
        "none": "(none)", "not_scored": "not scored", "attempt": "Attempt", "next_time": "Next time: what cost most",
        "said": "You said", "better": "Better", "points": "points", "all_findings": "All findings",
        "corrected": "Transcript", "corrected_by": "corrected by {name} on {date} (recognised score {score})",
        "reviewer": "a reviewer",
    },
    "zh": {
        "title": "通话评估报告", "trainee": "学员", "group": "班组", "persona": "客户", "scenario": "场景",
        "started": "日期", "duration": "时长", "ending": "结果", "status": "状态", "overall": "总分", "scores": "各项得分",
        "findings": "改进建议", "praise": "做得好的地方", "transcript": "通话记录", "timeline": "时间轴",
        "notes": "主管备注", "customer": "客户", "trainee_speaker": "学员", "none": "（无）",
        "not_scored": "未评分", "attempt": "练习编号", "next_time": "下次重点改进（扣分最多的几项）", "said": "原话",
        "better": "更好的说法", "points": "分", "all_findings": "全部建议",
        "corrected": "通话记录", "corrected_by": "已由{name}于 {date} 更正（识别结果得分 {score}）", "reviewer": "审核人",
    },
}

CRITERION_TEXT = {
    "en": {"pauses": "Pauses", "pace": "Pace", "loudness": "Loudness", "intonation": "Intonation",
           "interruptions": "Interruptions", "empathy": "Empathy", "courtesy": "Courtesy", "apology": "Apology",
           "resolution": "Resolution", "taboo": "Taboo phrases", "fillers": "Fillers", "clear": "CLEAR order",
           "persona": "Coping with this customer"},
    "zh": {"pauses": "停顿", "pace": "语速", "loudness": "音量", "intonation": "语调", "interruptions": "打断",
           "empathy": "共情", "courtesy": "礼貌用语", "apology": "道歉", "resolution": "解决方案", "taboo": "禁忌语",
           "fillers": "口头禅", "clear": "CLEAR 顺序", "persona": "针对客户类型的应对"},
}

ENDING_TEXT = {
    "en": {"resolved": "resolved", "escalated": "escalated", "turn_limit": "turn limit reached", "ended_early": "ended early"},
    "zh": {"resolved": "已解决", "escalated": "升级投诉", "turn_limit": "轮次用完", "ended_early": "提前结束"},
}


@dataclass(frozen=True)
class ReportFinding:
    time: str  # m:ss or "" for the whole call
    criterion: str
    message: str
    said: str = ""
    better: str = ""
    cost: float = 0.0


@dataclass(frozen=True)
class Report:
    language: str
    title: str
    facts: list[tuple[str, str]]  # (label, value) rows of the header
    overall_label: str
    overall: int | None
    overall_text: str  # the score, or "not scored"
    scores_title: str
    scores: list[tuple[str, int]]
    next_time_title: str
    next_time: list[ReportFinding]
    said_label: str
    better_label: str
    points_label: str
    findings_title: str
    findings: list[ReportFinding]
    praise_title: str
    praise: list[ReportFinding]
    transcript_title: str
    transcript: list[tuple[str, str, str]]  # (m:ss, speaker, text)
    timeline_title: str
    notes_title: str
    notes: str
    none_text: str


def clock(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def build_report(record: Any, language: str, persona_name: str | None = None, anonymous: bool = False,
                 scenario_title: str | None = None) -> Report:
    """Everything the report says about an AttemptRecord. `anonymous` replaces the trainee's name (also in
    the transcript) and leaves out the notes, like the anonymous export. The persona's name and the
    scenario's title come from the persona file when it is on this machine, else their ids. The trainee's
    group is shown when the attempt has one (anonymous: "Group 1", as the anonymous export numbers it)."""
    if language not in LANGUAGES:
        raise ValueError(f"report language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    text, criteria_text = TEXT[language], CRITERION_TEXT[language]
    trainee = text["trainee"] + " 1" if anonymous else record.trainee
    hide = (lambda s: s.replace(record.trainee, trainee)) if anonymous and record.trainee else (lambda s: s)
    group = getattr(record, "group", None)
    group_fact = [(text["group"], text["group"] + " 1" if anonymous else group)] if group else []
    duration = record.duration
    facts = [
        (text["attempt"], str(record.id)),
        (text["trainee"], trainee),
        *group_fact,
        (text["persona"], persona_name or record.persona_id),
        (text["scenario"], scenario_title or record.scenario_id),
        (text["started"], f"{record.started_at:%Y-%m-%d %H:%M} UTC"),
        (text["duration"], clock(duration) if duration is not None else "—"),
        (text["ending"], ENDING_TEXT[language].get(record.ending or "", record.ending or "—")),
    ]
    if (last := latest(getattr(record, "corrections", ()))) is not None:   # the scores below are the corrected ones
        was = record.recognised.overall if record.recognised else None
        facts.append((text["corrected"], text["corrected_by"].format(
            name=text["reviewer"] if anonymous else last.reviewer, date=f"{last.corrected_at:%Y-%m-%d}",
            score=text["not_scored"] if was is None else was)))
    findings = stored_findings(record.findings)

    def row(f: Any) -> ReportFinding:
        return ReportFinding(clock(f.time) if f.time is not None else "", criteria_text.get(f.criterion, f.criterion),
                             hide(f.message), hide(f.said.strip()), f.better, f.cost)

    def rows(good: bool) -> list[ReportFinding]:
        return [row(f) for f in sorted((f for f in findings if (f.severity == "good") == good),
                                       key=lambda f: (f.time is None, f.time or 0.0))]

    speakers = {"customer": text["customer"], "trainee": text["trainee_speaker"]}
    transcript = [(clock(t.start), speakers.get(t.speaker, t.speaker), hide(t.text))
                  for t in record_timeline(record).turns]
    return Report(
        language=language, title=text["title"], facts=facts, overall_label=text["overall"], overall=record.overall,
        overall_text=text["not_scored"] if record.overall is None else str(record.overall),
        scores_title=text["scores"],
        scores=[(criteria_text.get(n, n), s) for n, s in stored_criteria(record.scores).items()],
        next_time_title=text["next_time"], next_time=[row(f) for f in next_time(findings)], said_label=text["said"],
        better_label=text["better"], points_label=text["points"],
        findings_title=text["all_findings"], findings=rows(False), praise_title=text["praise"], praise=rows(True),
        transcript_title=text["transcript"], transcript=transcript, timeline_title=text["timeline"],
        notes_title=text["notes"], notes="" if anonymous else record.notes, none_text=text["none"],
    )
