"""The attempts database for the app: chosen and opened as the settings say, and calls a crash left running
recovered (slow for long recordings: the ui runs it off the GUI thread)."""

from __future__ import annotations

from simulator.settings import Settings
from simulator.storage import AttemptStore


def open_attempts_store(settings: Settings) -> AttemptStore:
    """The store the settings choose (StorageError when it cannot be opened)."""
    from simulator.settings import settings_path
    from simulator.storage.db import chosen_database, open_store

    return open_store(chosen_database(setting=settings.db_url,
                                      settings_unreadable=str(settings_path()) if settings.unreadable else None))


def recover_interrupted(store: AttemptStore) -> int:
    """How many interrupted calls were recovered."""
    return len(store.recover_interrupted())
