"""Shipped persona content (issue 10): enough lines per mood band and per reaction for a call that does not
loop, escalation signals per type, the customer's own case per scenario, the reported slips fixed; and
`personas check` warns about thin or shared content and rejects the new fields' mistakes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.core.dialogue import DialogueEngine
from simulator.core.events import Event as E
from simulator.core.events import TurnAssessment
from simulator.core.personas import BAND_NAMES, Persona, PersonaFileError, default_personas_dir, load_persona, load_personas
from simulator.core.personas.coverage import MIN_BAND_LINES, MIN_REACTION_LINES, persona_warnings

SHIPPED = load_personas(default_personas_dir()).personas
FIXTURE = Path(__file__).parents[1] / "fixtures" / "personas" / "valid" / "stubborn.toml"
SIGNALS = {"zh": ["幺二三四五", "消协", "记者", "律师", "录"], "en": ["ombudsman", "paper", "solicitor", "record"]}


def _id(p: Persona) -> str:
    return p.id


@pytest.mark.parametrize("persona", SHIPPED, ids=_id)
def test_enough_lines_per_band_and_reaction_in_every_scenario(persona: Persona) -> None:
    for scenario in persona.scenarios:
        for band in BAND_NAMES:
            assert len(persona.pool(band, scenario)) >= MIN_BAND_LINES, (scenario.id, band)
        for event in {r.on for r in persona.reactions}:
            count = sum(len(r.lines) for r in persona.reactions
                        if r.on == event and (not r.scenarios or scenario.id in r.scenarios))
            assert count >= MIN_REACTION_LINES, (scenario.id, event)
    assert persona_warnings(persona) == []


@pytest.mark.parametrize("persona", SHIPPED, ids=_id)
def test_escalation_signals_name_the_real_channels(persona: Persona) -> None:
    said = " ".join(persona.escalation).lower()
    assert len(persona.escalation) >= 5
    assert all(word in said for word in SIGNALS[persona.language]), said


@pytest.mark.parametrize("persona", SHIPPED, ids=_id)
def test_answers_get_angrier_with_the_band(persona: Persona) -> None:
    answers = persona.answers
    assert all(answers[band] for band in BAND_NAMES) and answers["unknown"] and answers["repeated"]
    calm = sum(len(t) for t in answers["calm"]) / len(answers["calm"])
    furious = sum(len(t) for t in answers["furious"]) / len(answers["furious"])
    assert furious > calm   # the calm answer is plain, the furious one adds a complaint
    assert all("!" not in t and "！" not in t for t in answers["calm"])
    assert all("!" in t or "！" in t for t in answers["furious"])


@pytest.mark.parametrize("persona", SHIPPED, ids=_id)
def test_the_customer_gives_the_name_the_picker_shows(persona: Persona) -> None:
    pattern = r"的(.)(?:先生|女士|阿姨)" if persona.language == "zh" else r"(?:Mr|Mrs|Ms)\. (\w+)"
    surname = re.search(pattern, persona.display_name).group(1)
    assert all(surname in s.case["name"] for s in persona.scenarios), [s.case["name"] for s in persona.scenarios]


def test_the_reported_slips_are_fixed() -> None:
    zh = [p for p in SHIPPED if p.language == "zh"]
    en = [p for p in SHIPPED if p.language == "en"]
    assert not any("一二三四五" in line for p in zh for line in p.all_lines() | set(p.escalation))
    assert any("幺二三四五" in line for p in zh for line in p.all_lines())
    for persona in zh:
        for scenario in persona.scenarios:
            if scenario.industry == "broadband":
                owned = {line for pool in scenario.lines.values() for line in pool} | set(scenario.opening)
                shared = {line for pool in persona.lines.values() for line in pool}
                assert not any("携号转网" in line for line in owned | shared)
    assert not any("city hotline" in line.lower() for p in en for line in p.all_lines())
    assert not any("city hotline" in p.description.lower() for p in en)


def test_the_stubborn_customer_accepts_thanks() -> None:
    persona = next(p for p in SHIPPED if p.id == "zh.stubborn")
    thanks = [line for r in persona.reactions if r.on == "thanks" for line in r.lines]
    assert thanks and not any("没用" in line for line in thanks)
    engine = DialogueEngine(persona, seed=0)
    line = engine.respond(TurnAssessment(text="感谢您的耐心", language="zh", events=frozenset({E.THANKS}),
                                         evidence={"thanks": "感谢您的耐心"}))
    assert engine.mood < engine.mood_trace[0] and line.text in thanks


def test_over_promise_lines_stay_in_their_scenario() -> None:
    """误工费 belongs to the install delay, the interest to the card fee; no other scenario hears them."""
    for persona_id, word, home in (("zh.habitual_complainer", "误工费", "call_centre_install_delay"),
                                    ("en.habitual_complainer", "interest", "credit_card_annual_fee")):
        persona = next(p for p in SHIPPED if p.id == persona_id)
        for reaction in persona.reactions:
            if reaction.on == "over_promise" and any(word in line for line in reaction.lines):
                assert reaction.scenarios == (home,)


def _check(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, list[str]]:
    code = main(["personas", "check", str(path)])
    return code, capsys.readouterr().out.splitlines()


def test_check_warns_about_thin_and_shared_content(capsys, tmp_path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    block = text[text.index("[[scenarios]]"):text.index("\n[lines]")]
    opening = re.search(r'opening = \["([^"]+)"', block).group(1)
    second = block.replace('id = "', 'id = "second_', 1)   # a second scenario with the same opening line
    path = tmp_path / "thin.toml"
    path.write_text(text.replace(block, block + "\n" + second), encoding="utf-8")
    code, out = _check(capsys, path)
    assert code == 0   # warnings do not make a file invalid
    warnings = [line for line in out if ": warning: " in line]
    assert any(re.match(rf"{re.escape(str(path))}:\d+: lines\.calm: warning: .*at least {MIN_BAND_LINES}", w) for w in warnings)
    assert any("reactions[" in w and f"at least {MIN_REACTION_LINES}" in w for w in warnings)
    assert any(opening in w and "used in scenario" in w for w in warnings), warnings
    assert out[-1].endswith(f"; {len(warnings)} warning(s)")


def test_check_warns_about_a_quote_that_may_not_have_been_said(tmp_path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    at = text.index("\n[endings]")
    block = '\n[[reactions]]\non = "taboo"\nlines = ["什么叫“不可能”？", "什么叫“{said}”？"]\n'
    path = tmp_path / "quotes.toml"
    path.write_text(text[:at] + block + text[at:], encoding="utf-8")
    quoting = [w for w in persona_warnings(load_persona(path)) if "quotes" in w.message]
    assert len(quoting) == 1 and "'不可能'" in quoting[0].message and quoting[0].field.endswith("lines[0]")
    scoped = block.replace('lines = ["什么叫“不可能”？"', 'when = ["不可能"]\nlines = ["什么叫“不可能”？"')
    path.write_text(text[:at] + scoped + text[at:], encoding="utf-8")
    assert not [w for w in persona_warnings(load_persona(path)) if "quotes" in w.message]


def test_shipped_personas_check_without_warnings(capsys) -> None:
    code, out = _check(capsys, default_personas_dir())
    assert code == 0 and not any("warning" in line for line in out), out


@pytest.mark.parametrize("addition, field, message", [
    ('\n[answers]\ncalm = ["我在家。"]\n', "answers.calm[0]", "needs the slot {fact}"),
    ('\n[answers]\nunknown = ["{fact}？不知道。"]\n', "answers.unknown[0]", "unknown slot {fact}"),
    ('\n[[reactions]]\non = "taboo"\nlines = ["什么叫{what}？"]\n', "reactions[", "unknown slot {what}"),
    ('\n[[reactions]]\non = "taboo"\nscenarios = ["nope"]\nlines = ["嗯？"]\n', "reactions[", "no scenario 'nope'"),
    ('\n[[reactions]]\non = "taboo"\nbands = ["grumpy"]\nlines = ["嗯？"]\n', "reactions[", "'grumpy' is not one of"),
])
def test_mistakes_in_the_new_fields_are_errors(addition: str, field: str, message: str, tmp_path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    at = text.index("\n[endings]")
    path = tmp_path / "bad.toml"
    path.write_text(text[:at] + addition + text[at:], encoding="utf-8")
    with pytest.raises(PersonaFileError) as caught:
        load_persona(path)
    assert any(e.field.startswith(field) and message in e.message and e.line for e in caught.value.errors), caught.value


def test_a_case_topic_needs_question_words(tmp_path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    at = text.index("\n[lines]")
    path = tmp_path / "case.toml"
    path.write_text(text[:at] + '\n[scenarios.case]\nshoe_size = "四十二"\n' + text[at:], encoding="utf-8")
    with pytest.raises(PersonaFileError) as caught:
        load_persona(path)
    [error] = caught.value.errors
    assert error.field == "scenarios[0].case.shoe_size" and "[scenarios.asks]" in error.message
    fixed = text[:at] + '\n[scenarios.case]\nshoe_size = "四十二"\n\n[scenarios.asks]\nshoe_size = ["多大的鞋"]\n' + text[at:]
    path.write_text(fixed, encoding="utf-8")
    persona = load_persona(path)
    assert persona.scenarios[0].case == {"shoe_size": "四十二"} and persona.scenarios[0].asks == {"shoe_size": ("多大的鞋",)}


def test_check_counts_the_lines_a_reaction_says_whatever_the_words(tmp_path) -> None:
    """Four taboo lines, but three only for 不可能: other taboo words have one line to say, which warns."""
    text = FIXTURE.read_text(encoding="utf-8")
    at = text.index("\n[endings]")
    block = ('\n[[reactions]]\non = "taboo"\nlines = ["你这什么话？"]\n'
             '\n[[reactions]]\non = "taboo"\nwhen = ["不可能"]\nlines = ["不可能？", "什么叫不可能？", "你再说一遍不可能？"]\n')
    path = tmp_path / "when.toml"
    path.write_text(text[:at] + block + text[at:], encoding="utf-8")
    taboo = [w for w in persona_warnings(load_persona(path)) if "'taboo'" in w.message]
    assert len(taboo) == 1 and taboo[0].message.startswith("warning: 1 lines for reaction 'taboo'"), taboo
    general = block.replace('lines = ["你这什么话？"]', 'lines = ["你这什么话？", "你再说一遍？", "这话你也说得出口？", "行，我记下了。"]')
    path.write_text(text[:at] + general + text[at:], encoding="utf-8")
    assert not [w for w in persona_warnings(load_persona(path)) if "'taboo'" in w.message]


def test_check_warns_about_a_when_line_that_quotes_more_than_its_words(tmp_path) -> None:
    """when = ["尽快"] fires on 我尽快 too, so it cannot quote “我们会尽快”; “尽快” it can."""
    text = FIXTURE.read_text(encoding="utf-8")
    at = text.index("\n[endings]")
    block = '\n[[reactions]]\non = "vague_promise"\nwhen = ["尽快"]\nlines = ["“我们会尽快”？上次也这么说。"]\n'
    path = tmp_path / "when_quote.toml"
    path.write_text(text[:at] + block + text[at:], encoding="utf-8")
    [warning] = [w for w in persona_warnings(load_persona(path)) if "quotes" in w.message]
    assert "'我们会尽快'" in warning.message and "when" in warning.message and warning.line
    path.write_text(text[:at] + block.replace("“我们会尽快”", "“尽快”") + text[at:], encoding="utf-8")
    assert not [w for w in persona_warnings(load_persona(path)) if "quotes" in w.message]


@pytest.mark.parametrize("persona", SHIPPED, ids=_id)
def test_a_fact_is_said_as_its_own_sentence(persona: Persona) -> None:
    """Case facts are what the caller would say ("I rang twice, I bled the radiators myself", "我姓王，王建国"),
    so a template puts {fact} where a sentence or clause starts: "It's {fact}." or "是{fact}" would give
    "It's I rang twice" and "是我姓王"."""
    starts = ("", "，", "：", "。", "！", "？", "…") if persona.language == "zh" else ("", ". ", "! ", "? ")
    for band, templates in persona.answers.items():
        for template in templates:
            if "{fact}" in template:
                before = template[:template.index("{fact}")]
                assert any(before.endswith(s) for s in starts if s) or before == "", (band, template)
                if persona.language == "en":
                    assert before == "" or before.rstrip()[-1] in ".!?", (band, template)


@pytest.mark.parametrize("persona", SHIPPED, ids=_id)
def test_every_caller_knows_who_and_where_they_are(persona: Persona) -> None:
    """Asked for their own name, address or number, no caller says "how would I know?" (the `unknown` line)."""
    for scenario in persona.scenarios:
        assert {"name", "address", "phone"} <= set(scenario.case), (scenario.id, sorted(scenario.case))
