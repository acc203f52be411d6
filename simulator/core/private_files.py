"""Files and folders readable by the user only, whatever the umask: recordings, lock files, exports and
speech models belong to one person (a voice is personal data; a lock's name says who is in a call)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any


def private_dirs(folder: Path) -> None:
    """Create `folder` and the missing folders above it with mode 0700 (existing ones are left as they are)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
        path.chmod(0o700)  # mkdir's mode is reduced by the umask only; stay exact


def private_file(path: Path, mode: str = "wb", **kwargs: Any) -> IO[Any]:
    """`path` opened for writing (created or emptied) with mode 0600, also when it existed with another."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)
    return os.fdopen(fd, mode, **kwargs)
