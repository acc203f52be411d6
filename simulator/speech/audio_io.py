"""Real audio in and out for a live call (the names the rest of the app codes against).

Microphone and Player are separate streams sharing one CallClock, so every captured and played block is
placed on the same time axis; CallRecorder writes both sides into one time-aligned stereo file.
"""

from __future__ import annotations

from .audio_devices import AudioUnavailable, audio_problem, reinitialise_portaudio
from .call_clock import CallClock
from .microphone import CALL_BLOCKSIZE, Microphone
from .player import Player
from .recorder import CallRecorder

__all__ = ["AudioUnavailable", "CALL_BLOCKSIZE", "CallClock", "CallRecorder", "Microphone", "Player",
           "audio_problem", "reinitialise_portaudio"]
