"""Nothing a trainee reads names a course document: no "seed 001", no file name (issue 9)."""

from __future__ import annotations

import re
import tomllib

from simulator.core.analysis.phrases import load_phrase_lists
from simulator.core.analysis.scorecard import load_scoring_config
from simulator.core.personas import default_personas_dir, load_personas

DOCUMENT = re.compile(r"seed\s*0\d\d|\.txt\b|DESIGN\.md|seeds/", re.IGNORECASE)


def visible_texts() -> list[str]:
    cfg = load_scoring_config()
    texts = [t for table in (cfg.messages, cfg.betters) for entry in table.values() for t in entry.values()]
    texts += [t for table in cfg.personas.values() for key in ("name", "advice") for t in table[key].values()]
    for language in ("zh", "en"):
        for category in load_phrase_lists(language).categories.values():
            texts += [str(v) for v in category.options.get("better", {}).values()]
    for persona in load_personas(default_personas_dir()).personas:
        texts += [persona.display_name, persona.description, *persona.coping.works, *persona.coping.backfires,
                  persona.coping.notes, *persona.all_lines()]
        texts += [t for s in persona.scenarios for t in (s.title, s.situation, s.wants, *s.facts)]
    return texts


def test_no_trainee_visible_text_names_a_course_document() -> None:
    texts = visible_texts()
    assert len(texts) > 500
    assert [t for t in texts if DOCUMENT.search(t)] == []
