"""Qt widgets. No business rules here: they live in simulator.core."""
