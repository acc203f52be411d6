"""Keeping the app's memory flat over many calls on glibc (Linux); a no-op elsewhere.

Every call runs on fresh threads (listening, dialogue, meters, scoring) that allocate and free tens of MB: the
recogniser's decoder state, audio blocks, the analysis of the recording. By default glibc gives busy threads
arenas of their own (up to eight per core) and keeps what they free, and it raises its threshold for returning
large blocks to the system each time one is freed, so the same work leaves a little more memory held after
every call. Two arenas, a fixed threshold and handing freed memory back after each call keep the app's
resident memory where the first call left it."""

from __future__ import annotations

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3       # mallopt parameters, from glibc's malloc.h
M_ARENA_MAX = -8
ARENAS = 2
MMAP_THRESHOLD = 256 * 1024   # blocks this large (audio, decoder buffers) are mapped, and unmapped when freed


def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def tune_allocator() -> bool:
    """Set the allocator up for a long-running app; call before any thread starts. False: not glibc."""
    libc = _libc()
    if libc is None:
        return False
    libc.mallopt(M_ARENA_MAX, ARENAS)
    libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    return True


def release_freed_memory() -> None:
    """Hand memory freed inside the process back to the system (after a call, when its parts are gone)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def set_aside_startup_objects() -> None:
    """Take everything made so far (modules, persona files, the pinyin dictionary, the window: ~170,000
    objects) out of Python's full garbage collections. A full collection walks every tracked object while
    holding the GIL, whichever thread triggers it: 90-220 ms over the start-up objects on a busy 2-core
    machine, a freeze of the window each time (issue 13.2). They live as long as the app, so leaving them
    out loses nothing; what is made later is still collected."""
    import gc

    gc.collect()    # what start-up left as garbage goes first, not set aside for good
    gc.freeze()
