"""The application layer between the widgets and storage/speech: what the review screens and the call page
ask for, as plain Python (no Qt). The ui runs these calls off the GUI thread and gets the results back by
Qt signals; widgets import records and errors from here, never from simulator.storage."""

from simulator.app.attempts import open_attempts_store, recover_interrupted
from simulator.app.review import (
    AttemptPage, Cancelled, PreparedReport, ReviewedCall, ReviewService, StoreProblem,
)
from simulator.storage import AttemptNotFound, AttemptRecord, AttemptStore, AttemptSummary, StorageError

__all__ = ["AttemptNotFound", "AttemptPage", "AttemptRecord", "AttemptStore", "AttemptSummary", "Cancelled",
           "PreparedReport", "ReviewService", "ReviewedCall", "StorageError", "StoreProblem", "open_attempts_store",
           "recover_interrupted"]
