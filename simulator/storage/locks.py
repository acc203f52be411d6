"""Which calls are still running: the process running a call holds an exclusive lock on the attempt's
lock file until the attempt is finished (and `exclusive` lets one process at a time create a database).
The operating system drops the lock when that process dies, however it dies, so a restarted app that happens to get the same process id (common in containers)
still sees the call as interrupted — a pid check cannot tell.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from simulator.core.private_files import private_dirs

if os.name == "nt":
    import msvcrt

    def _try_lock(f: BinaryIO) -> bool:
        try:
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _wait_lock(f: BinaryIO) -> None:
        while True:
            try:
                msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)  # retries for about 10 s, then raises
                return
            except OSError:
                continue
else:
    import fcntl

    def _try_lock(f: BinaryIO) -> bool:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # per open file: also excludes this process
        except OSError:
            return False
        return True

    def _wait_lock(f: BinaryIO) -> None:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)


def hold(path: Path) -> BinaryIO | None:
    """Open and lock `path`; keep the returned file open for as long as the call runs (None: held elsewhere)."""
    private_dirs(path.parent)
    f = open(os.open(path, os.O_CREAT | os.O_RDWR, 0o600), "r+b")
    if _try_lock(f):
        return f
    f.close()
    return None


def release(f: BinaryIO, path: Path) -> None:
    """Let go of the lock (closing drops it) and remove the file."""
    f.close()
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # Windows: another process has just opened it; it removes the file when done


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Wait for the lock on `path` and hold it inside the block. The file stays: removing it would let a
    process still waiting on the old file and a newcomer locking a new one both in."""
    private_dirs(path.parent)
    with open(os.open(path, os.O_CREAT | os.O_RDWR, 0o600), "r+b") as f:
        _wait_lock(f)
        yield
