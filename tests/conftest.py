"""Shared test set-up: Qt without a screen, and the location of the shared real-speech recordings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REALSPEECH = SHARED / "realspeech"


@pytest.fixture(scope="session")
def realspeech() -> Path:
    if not (REALSPEECH / "manifest.tsv").is_file():
        pytest.skip(f"real-speech recordings not found at {REALSPEECH} (../shared/realspeech beside the repo)")
    return REALSPEECH
