"""Small real filesystems (tmpfs) for the full-disk tests; mounting needs root, so they skip without it."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def mount_tmpfs(folder: Path, size: str) -> str | None:
    """Mount a tmpfs of `size` (e.g. "64k") on a new folder; the reason when mounting is refused, else None."""
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    return None if done.returncode == 0 else (done.stderr.decode().strip() or "mount refused")


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "--lazy", str(folder)], check=True)  # a pooled SQLite handle may outlive the test


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    if (refused := mount_tmpfs(folder, size)) is not None:
        pytest.skip(f"cannot mount a tmpfs here: {refused}")
    try:
        yield folder
    finally:
        unmount(folder)
