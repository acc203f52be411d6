"""Voice settings of a persona, shared by persona files and the TTS adapter.

A persona file's [voice] table gives the base voice and, per mood band, how it shifts (an angrier
customer speaks faster, higher and louder; a calm one slower, with longer pauses): `for_band` gives the
voice a line is rendered with, so the rendered-line cache keys on the band voice."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

RATE_RANGE = (80, 450)   # words/min; espeak-ng clamps outside this, so the rendered rate would not be the asked one
PITCH_RANGE = (0, 99)
VOLUME_RANGE = (0.0, 1.0)


@dataclass(frozen=True)
class VoiceShift:
    """What one mood band adds to the base voice (rate, pitch, volume), and its pause between sentences in
    seconds (0: espeak-ng's own)."""

    rate: int = 0
    pitch: int = 0
    volume: float = 0.0
    pause: float = 0.0


@dataclass(frozen=True)
class VoiceSettings:
    """espeak-ng voice id (with an optional +variant), rate in words/min, pitch 0-99, volume 0-1, pause: the
    least pause between sentences in seconds (0: espeak-ng's own). `bands` holds the persona's shift per
    mood band; it is not part of the sound of this voice (see for_band)."""

    voice: str = "cmn-latn-pinyin"
    rate: int = 175
    pitch: int = 50
    volume: float = 1.0
    pause: float = 0.0
    bands: tuple[tuple[str, VoiceShift], ...] = ()

    def key(self) -> str:
        """What the rendered sound depends on (the pause only when set, so older cache entries stay valid)."""
        base = f"{self.voice}|{self.rate}|{self.pitch}|{self.volume:.2f}"
        return base if not self.pause else f"{base}|pause{self.pause:+.3f}"

    def for_band(self, band: str) -> VoiceSettings:
        """The voice of a mood band: the base voice plus that band's shift (the base voice when it has none)."""
        shift = dict(self.bands).get(band)
        if shift is None:
            return VoiceSettings(self.voice, self.rate, self.pitch, self.volume, self.pause)
        return VoiceSettings(self.voice, self.rate + shift.rate, self.pitch + shift.pitch,
                             round(self.volume + shift.volume, 2), round(self.pause + shift.pause, 3))


def voice_settings(table: Mapping[str, Any]) -> VoiceSettings:
    """A validated persona [voice] table -> VoiceSettings; sub-tables named after a mood band are its shifts."""
    plain = {k: v for k, v in table.items() if not isinstance(v, Mapping)}
    bands = tuple((name, VoiceShift(**shift)) for name, shift in table.items() if isinstance(shift, Mapping))
    return VoiceSettings(**plain, bands=bands)


def band_voice_problems(table: Mapping[str, Any]) -> Iterator[tuple[tuple[str, ...], str]]:
    """Band shifts that would take the voice out of what espeak-ng renders as asked: (field path, message)."""
    limits = {"rate": RATE_RANGE, "pitch": PITCH_RANGE, "volume": VOLUME_RANGE}
    for band, shift in table.items():
        if not isinstance(shift, Mapping):
            continue
        for name, (low, high) in limits.items():
            if name not in shift:
                continue
            value = round(table[name] + shift[name], 6)
            if not low <= value <= high:
                yield (("voice", band, name),
                       f"{table[name]} {shift[name]:+} = {value:g} is outside {low}..{high} for the {band} voice")
