"""Loading PortAudio (via sounddevice) and checking for usable devices, with user-facing messages.

sounddevice is imported lazily so that the typed-reply mode works on machines without PortAudio or
without any audio device: every failure becomes an AudioUnavailable with a one-line message.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from types import ModuleType

from .call_clock import CallClock

TYPED_REPLIES_HINT = "typed replies still work"


class AudioUnavailable(RuntimeError):
    """Audio cannot be used (no PortAudio library, no input/output device, device lost); str() is for the user."""


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence the C-level chatter ALSA prints while PortAudio probes devices ("ALSA lib pcm.c: ...")."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def load_sounddevice() -> ModuleType:
    """Import sounddevice (which initialises PortAudio), or raise AudioUnavailable."""
    try:
        with _quiet_stderr():
            import sounddevice
    except (OSError, ImportError) as exc:
        raise AudioUnavailable(
            f"Audio is unavailable: the PortAudio library is not installed (libportaudio2); {TYPED_REPLIES_HINT}."
        ) from exc
    return sounddevice


def reinitialise_portaudio() -> None:
    """Re-read the device list and the environment (PULSE_SERVER, ALSA config): PortAudio reads them only at
    initialisation. Closes every open stream, so call it only between calls."""
    sd = load_sounddevice()
    with _quiet_stderr():
        sd._terminate()
        sd._initialize()


def _device_problem(sd: ModuleType, kind: str, device: int | str | None = None) -> str | None:
    try:
        sd.query_devices(device, kind=kind)
    except (sd.PortAudioError, ValueError):
        what = "microphone (audio input)" if kind == "input" else "speaker or headset (audio output)"
        named = "" if device is None else f" matching {device!r}"
        return f"No {what}{named} found: connect a headset or check the sound settings; {TYPED_REPLIES_HINT}."
    return None


def require_device(sd: ModuleType, kind: str, device: int | str | None) -> None:
    """Raise AudioUnavailable unless an input/output ("kind") device is there (the default one if None)."""
    if (problem := _device_problem(sd, kind, device)) is not None:
        raise AudioUnavailable(problem)


def device_for_call(kind: str, device: int | str | None, clock: CallClock) -> ModuleType:
    """What opening a call's stream needs first: PortAudio, the device, and the call clock running."""
    sd = load_sounddevice()
    require_device(sd, kind, device)
    if not clock.started:
        clock.start()
    return sd


def audio_problem(refresh: bool = False) -> str | None:
    """None if a default input and output device are usable, else a one-line message for the user.

    refresh=True re-initialises PortAudio first to see devices plugged in since start-up (only between calls).
    """
    try:
        if refresh:
            reinitialise_portaudio()
        sd = load_sounddevice()
        if not sd.query_devices():
            return f"No audio devices found (is the sound server running?); {TYPED_REPLIES_HINT}."
    except AudioUnavailable as exc:
        return str(exc)
    return _device_problem(sd, "input") or _device_problem(sd, "output")


def open_failed(what: str, exc: Exception) -> AudioUnavailable:
    """Turn a PortAudio error while opening `what` into the user-facing exception."""
    return AudioUnavailable(f"Cannot open the {what} ({exc}); check the headset or use typed replies.")
