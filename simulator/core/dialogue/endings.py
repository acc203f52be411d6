"""Why a call ended: a code (the ending kind) with its numbers, worded in the call's language.

The engine keeps the code and numbers; the text is made here in zh or en, so a Chinese call never
shows an English reason (the interface shows it as it comes, beside the customer's own words)."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.core.events import Event

E = Event
EVENT_NAMES_ZH: dict[str, str] = {
    E.INTERRUPTION: "打断", E.BACKCHANNEL: "简短回应", E.DEAD_AIR: "冷场", E.SHOUTING: "音量过高",
    E.RUSHED: "语速过快", E.LONG_MONOLOGUE: "长时间独白", E.EMPATHY: "共情", E.RESTATE: "复述",
    E.THANKS: "致谢", E.APOLOGY: "道歉", E.CANCELLED_APOLOGY: "“抱歉，但是……”", E.COMMITMENT: "具体承诺",
    E.FOLLOW_UP: "工单号/回访", E.OPTIONS: "给出选项", E.BOUNDARY: "礼貌设限", E.ESCALATION_PATH: "升级渠道",
    E.EXPLAIN_RULE: "解释规定", E.TABOO: "话术禁忌", E.DEFENSIVE: "辩解", E.RETALIATION: "回击",
    E.OVER_PROMISE: "违规承诺", E.VAGUE_PROMISE: "空泛承诺", E.REPEATED_EXPLANATION: "重复解释",
}

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "escalated": "mood reached {mood:.0f} (hang-up at {limit:.0f}) after: {events}",
        "resolved": "mood fell to {mood:.0f} (below {limit:.0f}) and a concrete commitment was made",
        "turn_limit": "{turns} trainee turns without resolution (limit {limit:.0f}); mood {mood:.0f}",
        "nothing": "nothing detected",
        "separator": ", ",
    },
    "zh": {
        "escalated": "情绪升到 {mood:.0f}（达到 {limit:.0f} 即挂断/升级），最后一轮：{events}",
        "resolved": "情绪降到 {mood:.0f}（低于 {limit:.0f}），并已作出具体承诺",
        "turn_limit": "学员说了 {turns} 轮仍未解决（上限 {limit:.0f} 轮），情绪 {mood:.0f}",
        "nothing": "未检测到任何行为",
        "separator": "、",
    },
}


@dataclass(frozen=True)
class Ending:
    """kind: resolved | escalated | turn_limit. limit: the threshold that ended the call (escalate_at,
    resolve_below or max_turns); events: what the trainee did in the last turn."""

    kind: str
    mood: float
    limit: float
    turns: int
    events: tuple[str, ...] = ()
    language: str = "en"

    @property
    def reason(self) -> str:
        """The reason in the call's language."""
        return self.describe(self.language)

    def describe(self, language: str) -> str:
        """The reason in zh or en (en for any other language)."""
        text = _TEXT.get(language, _TEXT["en"])
        names = [EVENT_NAMES_ZH.get(e, e) if language == "zh" else e for e in self.events]
        events = text["separator"].join(names) or text["nothing"]
        return text[self.kind].format(mood=self.mood, limit=self.limit, turns=self.turns, events=events)
