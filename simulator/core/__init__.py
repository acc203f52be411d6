"""Pure, deterministic core: personas, dialogue, analysis, scoring, the call timeline.

Imports neither Qt, sounddevice nor vosk (tests/test_architecture.py enforces it)."""
