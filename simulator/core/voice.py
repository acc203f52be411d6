"""Voice settings of a persona, shared by persona files and the TTS adapter."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VoiceSettings:
    """espeak-ng voice id (with an optional +variant), rate in words/min, pitch 0-99, volume 0-1."""

    voice: str = "cmn-latn-pinyin"
    rate: int = 175
    pitch: int = 50
    volume: float = 1.0

    def key(self) -> str:
        return f"{self.voice}|{self.rate}|{self.pitch}|{self.volume:.2f}"
