"""The manager's review screen (DESIGN §2): attempts list, one attempt's replay, comparison, trends, export."""

from simulator.ui.review.review_window import ReviewWindow, open_review

__all__ = ["ReviewWindow", "open_review"]
