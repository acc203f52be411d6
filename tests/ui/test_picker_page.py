"""The persona picker: personas and scenarios from the files in Chinese and English, with situation,
difficulty and coping goal, and the trainee's recent attempts from the store."""

from __future__ import annotations

import pytest

from simulator.core.personas.loader import default_personas_dir, load_personas
from simulator.core.personas.picker import type_label
from simulator.ui.picker_page import COPING_GOALS, PERSONA_ROLE, SCENARIO_ROLE, PickerPage, stars


@pytest.fixture(scope="module")
def library():
    return load_personas(default_personas_dir())


@pytest.fixture
def page(qtbot, library):
    widget = PickerPage(library, "zh")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _tree_rows(page: PickerPage) -> dict[str, list[str]]:
    """Group label -> the persona rows under it."""
    rows = {}
    for g in range(page.tree.topLevelItemCount()):
        group = page.tree.topLevelItem(g)
        rows[group.text(0)] = [group.child(i).text(0) for i in range(group.childCount())]
    return rows


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_persona_of_the_language_is_listed_by_type_with_difficulty_and_situation(page, library, language) -> None:
    page.set_language(language)
    personas = [p for p in library.personas if p.language == language]
    assert len(personas) >= 4
    rows = _tree_rows(page)
    for persona in personas:
        assert persona.display_name in rows[type_label(persona.type, language)]
        assert page.select(persona.id)
        assert page.name_label.text() == persona.display_name
        assert stars(persona.difficulty) in page.type_label.text()
        assert page.current_persona().difficulty == persona.difficulty
        goal = page.goal.text()
        assert all(line in goal.replace("&quot;", '"').replace("&#x27;", "'") for line in persona.coping.works[:COPING_GOALS])
        assert page.scenario_box.count() == len(persona.scenarios)
        for scenario in persona.scenarios:
            assert page.select(persona.id, scenario.id)
            assert page.situation.text() == scenario.situation
            entry = page.current_entry()
            assert (entry.persona_id, entry.scenario_id) == (persona.id, scenario.id)


def test_switching_language_lists_the_other_personas(page, qtbot) -> None:
    assert {e.persona_id.split(".")[0] for e in page.entries} == {"zh"}
    with qtbot.waitSignal(page.languageChanged) as changed:
        page.language_box.setCurrentIndex(page.language_box.findData("en"))
    assert changed.args == ["en"]
    assert {e.persona_id.split(".")[0] for e in page.entries} == {"en"}
    assert "Stubborn" in _tree_rows(page)
    assert page.situation.text().isascii() and page.situation.text()


def test_choosing_a_scenario_row_or_the_scenario_box_agree_and_start_names_it(page, qtbot) -> None:
    page.select("zh.stubborn")
    persona_row = page.tree.currentItem().parent()   # select() lands on the first scenario row
    third = persona_row.child(2)
    page.tree.setCurrentItem(third)
    assert page.scenario_box.currentData() == third.data(0, SCENARIO_ROLE)
    page.scenario_box.setCurrentIndex(1)
    assert page.tree.currentItem().data(0, SCENARIO_ROLE) == page.scenario_box.currentData()
    assert page.tree.currentItem().data(0, PERSONA_ROLE) == "zh.stubborn"
    with qtbot.waitSignal(page.startRequested) as started:
        page.start_button.click()
    assert started.args == ["zh.stubborn", page.scenario_box.currentData()]


def test_recent_attempts_show_score_customer_and_ending(page, library, tmp_path) -> None:
    from simulator.storage.db import open_store

    store = open_store(f"sqlite:///{tmp_path / 'attempts.db'}", tmp_path / "recordings")
    try:
        first, _ = store.begin_attempt("王五", "zh.insulting", "insulting", "s1", "zh")
        store.finish_attempt(first, "resolved", "calm", {"turns": []}, 77, {"empathy": 80}, [])
        second, _ = store.begin_attempt("王五", "zh.stubborn", "stubborn", "s1", "zh")
        store.finish_attempt(second, "escalated", "hung up", {"turns": []}, 31, {"empathy": 20}, [])
        store.begin_attempt("someone else", "zh.stubborn", "stubborn", "s1", "zh")
        page.show_attempts(store.list_attempts(trainee="王五"))
    finally:
        store.close()
    table = page.recent
    assert table.rowCount() == 2
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(2)]
    names = {p.id: p.display_name for p in library.personas}
    assert rows[0][1:] == [names["zh.stubborn"], "31", "escalated"]   # newest first
    assert rows[1][1:] == [names["zh.insulting"], "77", "resolved"]
