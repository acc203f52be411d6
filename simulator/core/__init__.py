"""Pure, deterministic core: personas, dialogue, analysis, scoring, the call timeline.

Imports neither Qt, sounddevice nor vosk (tests/project/test_architecture.py enforces it)."""
