"""What review shows of a recorded call: markers on its timeline, moments to replay, waveform envelopes.

Pure functions, so the timeline and scorecard widgets only draw what is computed here.
"""

from simulator.core.review.envelope import Envelope, envelope
from simulator.core.review.findings import next_time, score_band, split_findings
from simulator.core.review.markers import KINDS, Marker, call_markers, moment_window, next_marker, turns_at

__all__ = ["KINDS", "Envelope", "Marker", "call_markers", "envelope", "moment_window", "next_marker", "next_time", "score_band", "split_findings", "turns_at"]
