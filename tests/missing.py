"""Tests that need a server or a program (PostgreSQL, PulseAudio, espeak-ng, sox, poppler, Xvfb, the Korean
speech model) skip, saying what is missing, on a machine without it. scripts/test.sh installs all of them
and sets ROLEPLAY_SIM_TESTS_STRICT=1, so there a missing part fails the test with the same reason instead:
CI cannot pass without having run them."""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import NoReturn

import pytest

STRICT_ENV = "ROLEPLAY_SIM_TESTS_STRICT"


def strict() -> bool:
    return os.environ.get(STRICT_ENV, "").strip() not in ("", "0")


def missing_part(reason: str) -> NoReturn:
    """Skip with `reason`; in strict mode fail with it."""
    if strict():
        pytest.fail(f"{reason} ({STRICT_ENV} is set, so a missing part is a failure)", pytrace=False)
    pytest.skip(reason)


def import_or_missing(module: str, reason: str) -> ModuleType:
    """The module, or missing_part(reason) when it cannot be imported."""
    try:
        return importlib.import_module(module)
    except ImportError:
        missing_part(reason)
