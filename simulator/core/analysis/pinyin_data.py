"""pypinyin with its phrase dictionary held once and compactly: the same readings, half the memory.

pypinyin's own loader turns its 47,000 phrases into 144,000 one-reading lists, although only ~1,250 differ,
and keeps a second copy of both dictionaries; that is ~53 MiB in a process that also holds a ~500 MiB speech
model. Here the phrases are read from pypinyin's own data file with equal readings sharing one list (pypinyin
deep-copies a phrase's readings before it changes them, so sharing is invisible to it), into the dictionary
pypinyin's converter and segmenter use: ~25 MiB, and every conversion is the same. Import this module instead
of importing pypinyin directly; the import lock makes the load happen once."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

_ENTRY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*\[((?:\s*\[[^\[\]]*\]\s*,?)*)\s*\]')
_READING = re.compile(r"\[([^\[\]]*)\]")
_FLAGS = {"PYPINYIN_NO_DICT_COPY": "1", "PYPINYIN_NO_PHRASES": "1"}   # pypinyin's own switches, read on import


def _import_pypinyin() -> bool:
    """Import pypinyin without its copies and phrase loader; False if something imported it before."""
    if "pypinyin" in sys.modules:
        return False
    saved = {name: os.environ.get(name) for name in _FLAGS}
    os.environ.update(_FLAGS)
    try:
        import pypinyin  # noqa: F401  (its constants now hold an empty phrase dictionary, filled below)
    finally:
        for name, value in saved.items():   # child processes and other code see the environment as it was
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return True


def _read_phrases(path: Path) -> dict[str, list[list[str]]]:
    """pypinyin's phrases_dict.json ({"一丁点儿": [["yī"], ["dīng"], ...]}), equal readings shared."""
    shared: dict[str, list[str]] = {}
    phrases = {}
    for entry in _ENTRY.finditer(path.read_text(encoding="utf-8")):
        readings = []
        for inner in _READING.findall(entry.group(2)):
            found = shared.get(inner)
            if found is None:
                found = shared[inner] = json.loads(f"[{inner}]")
            readings.append(found)
        key = entry.group(1)
        phrases[json.loads(f'"{key}"') if "\\" in key else key] = readings
    return phrases


def _load() -> None:
    fresh = _import_pypinyin()
    import pypinyin
    from pypinyin import constants
    from pypinyin.seg import mmseg

    if not fresh or constants.PHRASES_DICT:
        return                               # loaded the stock way already: complete, only larger
    data = Path(pypinyin.__file__).parent / "phrases_dict.json"
    if data.is_file():
        constants.PHRASES_DICT.update(_read_phrases(data))
    else:                                    # another pypinyin layout: its own loader, the same readings
        from pypinyin.phrases_dict import phrases_dict
        constants.PHRASES_DICT.update(phrases_dict)
    mmseg.retrain(mmseg.seg)                 # the segmenter learnt its words from the (then empty) dictionary


_load()
