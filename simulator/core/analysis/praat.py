"""Praat (parselmouth), with the zeros its start-up code wrote over its static buffers given back at once
(~39 MiB; see simulator.zero_pages). Import parselmouth from here."""

from __future__ import annotations

import sys

from simulator.zero_pages import release_zero_pages

_FIRST = "parselmouth" not in sys.modules   # loaded only now: none of Praat's code has run yet

import parselmouth  # noqa: E402

if _FIRST:
    release_zero_pages(parselmouth.__file__)

__all__ = ["parselmouth"]
