"""The customer's side of a call: mood, line choice, reactions and endings (no audio needed)."""

from simulator.core.dialogue.engine import CallEndedError, CustomerLine, DialogueEngine, Ending
from simulator.core.dialogue.mood import DEFAULT_DELTAS, TYPE_DELTAS

__all__ = ["DEFAULT_DELTAS", "TYPE_DELTAS", "CallEndedError", "CustomerLine", "DialogueEngine", "Ending"]
