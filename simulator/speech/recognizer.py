"""Streaming speech recognition with Vosk: partial text while the trainee speaks, timed words per utterance.

Word times come out in call seconds (Vosk's stream seconds + the recogniser's time_offset) so they
drop straight into the call timeline.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import vosk

from simulator.core.messages import Message
from simulator.core.timeline import Word
from simulator.speech.models import ModelError, check_model_dir

vosk.SetLogLevel(-1)

_models: dict[Path, vosk.Model] = {}
_models_lock = threading.Lock()


def load_model(path: Path) -> vosk.Model:
    """Load once per folder and share: loading takes seconds and the model is read-only."""
    key = Path(path).resolve()
    with _models_lock:
        model = _models.get(key)
        if model is None:
            check_model_dir(key)
            try:
                model = vosk.Model(str(key))
            except Exception as exc:  # Vosk raises a bare Exception("Failed to create a model")
                raise ModelError(Message("model.load_failed", path=key, error=exc)) from None
            _models[key] = model
        return model


@dataclass(frozen=True)
class RecognizedWords:
    text: str
    words: list[Word]
    start: float
    end: float


def to_pcm16(pcm: bytes | np.ndarray) -> bytes:
    """Mono 16-bit little-endian bytes from raw bytes, int16 or float (-1..1) arrays; channels are averaged."""
    if isinstance(pcm, (bytes, bytearray, memoryview)):
        return bytes(pcm)
    samples = np.asarray(pcm)
    if samples.dtype.kind == "f":
        samples = np.clip(samples, -1.0, 1.0) * 32767.0
    if samples.ndim == 2:
        samples = samples.mean(axis=1)
    return samples.astype("<i2").tobytes()


class StreamingRecognizer:
    """One continuous audio stream (e.g. the microphone during a call); utterances end at Vosk endpoints."""

    def __init__(self, model_path: Path, sample_rate: int = 16000, time_offset: float = 0.0) -> None:
        self.time_offset = time_offset
        self._recognizer = vosk.KaldiRecognizer(load_model(model_path), sample_rate)
        self._recognizer.SetWords(True)
        self._recognizer.SetPartialWords(True)

    def accept(self, pcm: bytes | np.ndarray) -> tuple[str, RecognizedWords | None]:
        """Feed audio; returns (partial text, the finished utterance when an endpoint was reached)."""
        if self._recognizer.AcceptWaveform(to_pcm16(pcm)):
            return "", self._utterance(self._recognizer.Result())
        return json.loads(self._recognizer.PartialResult()).get("partial", ""), None

    def finish(self) -> RecognizedWords | None:
        """Flush the audio still in the decoder (end of turn or end of call)."""
        return self._utterance(self._recognizer.FinalResult())

    def _utterance(self, result_json: str) -> RecognizedWords | None:
        result: dict[str, Any] = json.loads(result_json)
        words = [
            Word(w["word"], w["start"] + self.time_offset, w["end"] + self.time_offset, float(w.get("conf", 1.0)))
            for w in result.get("result", [])
        ]
        if not words:
            return None
        return RecognizedWords(result.get("text", " ".join(w.word for w in words)), words, words[0].start, words[-1].end)
