"""Qt widgets. No business rules here: they live in simulator.core."""

from simulator.ui.import_sources import forget_import_sources

forget_import_sources()   # before the widgets' modules import everything else: see import_sources
