"""Benchmark-style accuracy table of the phrase and course checks on the labelled replies.

Prints precision, recall and F1 per class for the tuning set (tune*_<lang>.toml) and for the held-back
set (holdout_<lang>.toml: written first, never tuned on), per language and together; `--mistakes` lists every
tuning-set reply judged wrongly (never the held-back set's: reading its mistakes would be tuning on it).
Run: python -m bench.bench_judgement [--mistakes | --markdown]
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.core.analysis.corpus import (
    CorpusScore,
    format_table,
    load_corpus,
    markdown_table,
    scenario_key_words,
    score_corpus,
)
from simulator.core.personas.loader import default_personas_dir, load_personas

FOLDER = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "judgement"


def scores() -> dict[str, CorpusScore]:
    """tune / holdout, each per language and for both languages together."""
    key_words = scenario_key_words(load_personas(default_personas_dir()).personas)
    out: dict[str, CorpusScore] = {}
    for part in ("tune", "holdout"):
        replies = []
        for language in ("zh", "en"):
            these = [r for path in sorted(FOLDER.glob(f"{part}*_{language}.toml")) for r in load_corpus(path)]
            if these:
                out[f"{part}_{language}"] = score_corpus(these, key_words)
                replies += these
        out[part] = score_corpus(replies, key_words)
    return out


def main() -> int:
    result = scores()
    if "--markdown" in sys.argv:
        print(markdown_table({k: result[k] for k in ("tune", "holdout", "tune_zh", "holdout_zh", "tune_en", "holdout_en")}))
        return 0
    print(format_table({k: result[k] for k in ("tune", "holdout") if k in result}))
    print()
    print(format_table({k: v for k, v in result.items() if "_" in k}))
    if "--mistakes" in sys.argv:
        for name, score in result.items():
            if not name.startswith("tune_"):
                continue
            for m in score.mistakes:
                print(f"{m.reply.where}: missed {sorted(m.missed)} false {sorted(m.false)}: {m.reply.text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
