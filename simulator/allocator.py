"""The desktop app runs under jemalloc when it is installed (Debian/Ubuntu: libjemalloc2, which scripts/install.sh
installs); without it, or with ROLEPLAY_SIM_SYSTEM_MALLOC=1, on the system allocator tuned by simulator.memory.

The speech model is ~4 million small blocks (OpenFst's reachability intervals, one per graph state, and two
500,000-word symbol tables): glibc gives each at least 32 bytes, jemalloc 8 or 16. With one arena, no
per-thread caches and freed pages returned at once, the app's peak over ten calls is ~70 MiB lower
(bench/bench_memory.py). An allocator is chosen when a program starts, so the app re-runs itself once with
jemalloc preloaded; the re-run puts the environment back, so what it starts (a PDF viewer) runs as before."""

from __future__ import annotations

import ctypes.util
import json
import os
import sys
from collections.abc import Mapping, MutableMapping, Sequence

SETTINGS = "narenas:1,tcache:false,dirty_decay_ms:0,muzzy_decay_ms:0"
SYSTEM = "ROLEPLAY_SIM_SYSTEM_MALLOC"      # set and not empty: stay on the system allocator
RESTARTED = "ROLEPLAY_SIM_ALLOCATOR_WAS"   # in the re-run: LD_PRELOAD and MALLOC_CONF as they were (JSON)
VARIABLES = ("LD_PRELOAD", "MALLOC_CONF")


def jemalloc_environment(env: Mapping[str, str]) -> dict[str, str] | None:
    """`env` with jemalloc preloaded and set up; None when the app stays on the system allocator (not Linux,
    not installed, asked for, or this is the re-run already)."""
    if not sys.platform.startswith("linux") or env.get(SYSTEM) or RESTARTED in env:
        return None
    library = ctypes.util.find_library("jemalloc")
    if library is None:
        return None
    was = {name: env.get(name) for name in VARIABLES}
    return {**env, "LD_PRELOAD": " ".join(filter(None, (library, env.get("LD_PRELOAD")))),
            "MALLOC_CONF": SETTINGS, RESTARTED: json.dumps(was)}


def restart_under_jemalloc(argv: Sequence[str]) -> None:
    """Re-run this program (same interpreter, same command line) under jemalloc: does not return then. In the
    re-run, or when jemalloc is not used, returns at once (the re-run first puts the environment back)."""
    if RESTARTED in os.environ:
        put_environment_back(os.environ)
        return
    env = jemalloc_environment(os.environ)
    if env is None:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, list(argv), env)


def put_environment_back(env: MutableMapping[str, str]) -> None:
    for name, value in json.loads(env.pop(RESTARTED, "{}")).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value


def jemalloc_loaded() -> bool:
    """Whether this process allocates with jemalloc (Linux)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            return any("jemalloc" in line for line in maps)
    except OSError:
        return False
