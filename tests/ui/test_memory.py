"""Memory that does not grow with calls (the figures are in bench/bench_memory.py): every call's recogniser
shares the one loaded model, and memory freed after a call is handed back to the system; and memory not taken
at all: pypinyin's data held compactly, Alembic only imported when the schema needs it, no module's source kept
after PySide6's import hook has read it, the zeros Praat writes over its static buffers given back; and the
desktop app re-run under jemalloc, which holds the speech model in less."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest


def _loaded_models() -> list:
    import vosk

    return [o for o in gc.get_objects() if isinstance(o, vosk.Model)]


def test_a_second_call_does_not_load_a_second_model(ko_model: Path, tmp_path: Path) -> None:
    from simulator.speech.recognizer import StreamingRecognizer, load_model

    first = StreamingRecognizer(ko_model)                 # the first call's recogniser loads the model
    first.accept(np.zeros(1600, dtype=np.int16))
    loaded = _loaded_models()
    link = tmp_path / "same-model"                        # the same folder reached another way (settings, env)
    link.symlink_to(ko_model, target_is_directory=True)
    for path in (ko_model, link, Path(f"{ko_model}/")):
        StreamingRecognizer(path, time_offset=12.0).accept(np.zeros(1600, dtype=np.int16))
        assert load_model(path) is load_model(ko_model)
    assert len(_loaded_models()) == len(loaded) >= 1


CHILD = r"""
import ctypes, json, sys
from pathlib import Path
from simulator.memory import release_freed_memory, tune_allocator

def rss():
    line = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmRSS"))
    return int(line.split()[1]) / 1024

if not tune_allocator():
    print(json.dumps({"glibc": False}))
    sys.exit(0)
blocks = [bytearray(4000) for _ in range(40_000)]     # 160 MB in blocks below the mapping threshold
kept = blocks[-1]                                     # the last one keeps the heap from shrinking by itself
before = rss()
del blocks
freed = rss()
release_freed_memory()
print(json.dumps({"glibc": True, "before": before, "freed": freed, "released": rss()}))
"""


def test_memory_freed_after_a_call_goes_back_to_the_system() -> None:
    """In a child process: the allocator is set up as the app sets it, not in the test process."""
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    mib = json.loads(out.stdout)
    if not mib["glibc"]:
        pytest.skip("not glibc: the allocator is the system's own")
    assert mib["before"] > 150
    assert mib["freed"] > mib["before"] - 40          # freed inside the process, still held by it
    assert mib["released"] < mib["freed"] - 120       # handed back


PINYIN_CHILD = r"""
import ctypes, json, re, sys
from pathlib import Path

def rss():
    getattr(ctypes.CDLL(None), "malloc_trim", lambda _pad: 0)(0)   # what is freed is not counted
    return int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024

import numpy
before = rss()
if sys.argv[1] == "app":
    import simulator.core.analysis.pinyin_data
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT
grown = rss() - before
data = json.loads((Path(sys.modules["pypinyin"].__file__).parent / "phrases_dict.json").read_text(encoding="utf-8"))
text = "，".join(data) + "。重复一下：您的问题我们马上处理，不会再让您失望了。银行卡还不上了吗？"
print(json.dumps({"mib": grown, "same_data": PHRASES_DICT == data,
                  "plain": lazy_pinyin(text), "tones": lazy_pinyin(text, style=Style.TONE3)}))
"""


def _pinyin_child(how: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PINYIN_CHILD, how], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    return json.loads(out.stdout)


def test_pinyin_data_is_held_compactly_and_reads_every_phrase_the_same() -> None:
    """The app's pypinyin holds the same phrase dictionary in about half the memory, and converts all 47,000
    phrases (run together, so the segmenter has to find them) to the same pinyin as stock pypinyin."""
    stock, app = _pinyin_child("stock"), _pinyin_child("app")
    assert stock["same_data"] and app["same_data"]
    assert len(app["plain"]) > 100_000
    assert app["plain"] == stock["plain"] and app["tones"] == stock["tones"]
    assert app["mib"] < stock["mib"] - 15, (app["mib"], stock["mib"])


STORE_CHILD = r"""
import json, sys
from simulator.storage.db import open_store
open_store(sys.argv[1]).close()
print(json.dumps({"alembic": "alembic" in sys.modules}))
"""


def test_a_database_at_the_newest_schema_opens_without_alembic(tmp_path: Path) -> None:
    """Alembic (~17 MiB kept for good) is imported to create or upgrade the schema, not for every start."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from simulator.storage.db import MIGRATIONS, head_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()
    url = f"sqlite:///{tmp_path / 'attempts.sqlite3'}"
    env = {**os.environ, "ROLEPLAY_SIM_DATA": str(tmp_path / "data")}
    opened = [json.loads(subprocess.run([sys.executable, "-c", STORE_CHILD, url], capture_output=True, text=True,
                                        check=True, env=env, cwd=Path(__file__).resolve().parents[2]).stdout)
              for _ in range(2)]
    assert opened == [{"alembic": True}, {"alembic": False}]    # created by the migrations, then only opened


def test_modules_imported_after_qt_keep_no_source_and_get_pyside6s_answer(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import linecache

    from shibokensupport import feature

    from simulator.ui.import_sources import forget_import_sources

    assert forget_import_sources()   # this PySide6 has the hook (an upgrade that drops it would show here)
    (tmp_path / "mem_probe_qt.py").write_text("from PySide6 import QtCore  # names PySide6\n" + "X = 1\n" * 5000)
    (tmp_path / "mem_probe_plain.py").write_text("Y = 2\n" * 5000)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("mem_probe_qt", "mem_probe_plain"):
        monkeypatch.delitem(sys.modules, name, raising=False)
        exec(f"import {name}")   # through builtins.__import__, where PySide6's hook sits
    assert feature.pyside_feature_dict["mem_probe_qt"] == 0       # uses PySide6: features may apply
    assert feature.pyside_feature_dict["mem_probe_plain"] == -1   # does not: left alone
    kept = {name for name, entry in linecache.cache.items() if len(entry) > 1 and name.startswith(str(tmp_path))}
    assert not kept


PRAAT_CHILD = r"""
import json, re, sys
from pathlib import Path
import numpy as np

if sys.argv[1] == "stock":
    import parselmouth   # loaded before the app's module: nothing is given back
from simulator.core.analysis.audio import pitch_track
from simulator.core.analysis.praat import parselmouth

rss = int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024
rng = np.random.default_rng(7)
t = np.arange(16000 * 4) / 16000
voice = 0.3 * np.sin(2 * np.pi * (140 + 30 * t) * t) + 0.01 * rng.standard_normal(t.size)
times, f0 = pitch_track(voice, 16000)
level = parselmouth.Sound(voice, 16000).to_intensity().values.ravel()
print(json.dumps({"rss": rss, "times": times.tolist(), "f0": f0.tolist(), "level": level.tolist()}))
"""


def test_praat_s_zeroed_static_buffers_are_given_back_and_it_measures_the_same() -> None:
    """Praat fills ~39 MiB of static buffers with zeros as it loads; the app gives those pages back, and pitch
    and intensity come out bit for bit as from a Praat that keeps them."""
    def child(how: str) -> dict:
        out = subprocess.run([sys.executable, "-c", PRAAT_CHILD, how], capture_output=True, text=True, check=True,
                             cwd=Path(__file__).resolve().parents[2])
        return json.loads(out.stdout)

    stock, app = child("stock"), child("app")
    assert len(app["f0"]) > 300
    assert app["times"] == stock["times"] and app["f0"] == stock["f0"] and app["level"] == stock["level"]
    assert app["rss"] < stock["rss"] - 30, (app["rss"], stock["rss"])


ALLOCATOR_CHILD = r"""
import json, os, re, sys
from pathlib import Path
from simulator.allocator import jemalloc_loaded, restart_under_jemalloc

restart_under_jemalloc(sys.orig_argv)   # as `python -m simulator` does
mib = None
if len(sys.argv) > 1:
    import vosk
    vosk.SetLogLevel(-1)
    model = vosk.Model(sys.argv[1])
    mib = int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024
print(json.dumps({"jemalloc": jemalloc_loaded(), "mib": mib,
                  "env": {name: os.environ.get(name) for name in ("LD_PRELOAD", "MALLOC_CONF")}}))
"""


def _allocator_child(env: dict[str, str], *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", ALLOCATOR_CHILD, *args], capture_output=True, text=True, check=True,
                         env=env, cwd=Path(__file__).resolve().parents[2])
    return json.loads(out.stdout)


def _jemalloc_or_missing() -> None:
    import ctypes.util

    from tests.missing import missing_part

    if not sys.platform.startswith("linux"):
        pytest.skip("jemalloc is preloaded on Linux only")
    if ctypes.util.find_library("jemalloc") is None:
        missing_part("jemalloc is not installed (Debian/Ubuntu package libjemalloc2)")


def test_the_environment_for_jemalloc_keeps_what_was_there_and_can_be_refused() -> None:
    from simulator.allocator import RESTARTED, SETTINGS, SYSTEM, jemalloc_environment, put_environment_back

    _jemalloc_or_missing()
    env = jemalloc_environment({"LD_PRELOAD": "libother.so", "PATH": "/bin"})
    assert env is not None and env["LD_PRELOAD"].split() == [env["LD_PRELOAD"].split()[0], "libother.so"]
    assert "jemalloc" in env["LD_PRELOAD"].split()[0] and env["MALLOC_CONF"] == SETTINGS and env["PATH"] == "/bin"
    put_environment_back(env)
    assert env == {"LD_PRELOAD": "libother.so", "PATH": "/bin"}
    assert jemalloc_environment({SYSTEM: "1"}) is None
    assert jemalloc_environment({RESTARTED: "{}"}) is None   # the re-run does not run again


def test_the_app_re_runs_itself_under_jemalloc_and_holds_the_model_in_less(ko_model: Path) -> None:
    """The app goes on under jemalloc with the environment as it was; the speech model takes
    tens of MiB less than on the system allocator (ROLEPLAY_SIM_SYSTEM_MALLOC=1)."""
    _jemalloc_or_missing()
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "MALLOC_CONF")}
    plain = _allocator_child(env)
    assert plain["jemalloc"] and plain["env"] == {"LD_PRELOAD": None, "MALLOC_CONF": None}
    system = _allocator_child({**env, "ROLEPLAY_SIM_SYSTEM_MALLOC": "1"}, str(ko_model))
    jemalloc = _allocator_child(env, str(ko_model))
    assert not system["jemalloc"] and jemalloc["jemalloc"]
    assert jemalloc["mib"] < system["mib"] - 30, (jemalloc["mib"], system["mib"])
