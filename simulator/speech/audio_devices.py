"""Loading PortAudio (via sounddevice) and checking for usable devices, with user-facing messages.

sounddevice is imported lazily so that the typed-reply mode works on machines without PortAudio or
without any audio device: every failure becomes an AudioUnavailable with a one-line message.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from types import ModuleType

from simulator.core.messages import Message

from .call_clock import CallClock


class AudioUnavailable(RuntimeError):
    """Audio cannot be used (no PortAudio library, no input/output device, device lost); raised with a Message."""


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
        raise AudioUnavailable(Message("audio.no_portaudio")) from exc
    return sounddevice


def reinitialise_portaudio() -> None:
    """Re-read the device list and the environment (PULSE_SERVER, ALSA config): PortAudio reads them only at
    initialisation. Closes every open stream, so call it only between calls."""
    sd = load_sounddevice()
    with _quiet_stderr():
        sd._terminate()
        sd._initialize()


def _device_problem(sd: ModuleType, kind: str, device: int | str | None = None) -> Message | None:
    try:
        sd.query_devices(device, kind=kind)
    except (sd.PortAudioError, ValueError):
        if device is None:
            return Message(f"audio.no_{kind}")
        return Message(f"audio.no_{kind}_named", device=repr(device))
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


def audio_problem(refresh: bool = False) -> Message | None:
    """None if a default input and output device are usable, else a one-line message for the user.

    refresh=True re-initialises PortAudio first to see devices plugged in since start-up (only between calls).
    """
    try:
        if refresh:
            reinitialise_portaudio()
        sd = load_sounddevice()
        if not sd.query_devices():
            return Message("audio.no_devices")
    except AudioUnavailable as exc:
        return exc.args[0]
    return _device_problem(sd, "input") or _device_problem(sd, "output")


def open_failed(kind: str, exc: Exception) -> AudioUnavailable:
    """Turn a PortAudio error while opening the "microphone" or "speaker" (`kind`) into the user-facing exception."""
    return AudioUnavailable(Message(f"audio.{kind}_open_failed", error=exc))
