"""A voice that follows the mood: persona files shift rate, pitch, volume and the pause between sentences per
mood band, checked with clear errors; every shipped persona measurably sounds more agitated at the top band
than at the bottom (real espeak-ng through pyttsx3, measured with Praat); the rendered-line cache keys on the
band voice, and a live call speaks each line in the voice of the band it was chosen in."""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path

import numpy as np
import parselmouth
import pytest

from simulator.core.call_session import CallSession
from simulator.core.personas import (
    BAND_NAMES,
    PersonaFileError,
    band_of,
    default_personas_dir,
    load_persona,
    load_personas,
)
from simulator.core.voice import VoiceSettings, VoiceShift
from simulator.speech.live_call import LiveCall
from simulator.speech.tts import SpeechRenderer, load_audio, with_pauses
from simulator.speech.tts_cache import cache_key

SHIPPED = load_personas(default_personas_dir()).personas
SCHEMA = Path(__file__).resolve().parents[2] / "simulator" / "data" / "persona.schema.json"
# Furious against calm, on the same sentence: what "clearly more agitated" has to measure at least.
MAX_DURATION_RATIO = 0.8     # the whole line, pauses included
MAX_SPEECH_RATIO = 0.85      # the speaking time alone (the rate, not only the pauses)
MIN_PITCH_RISE = 2.0         # semitones of median F0
MIN_LOUDER_DB = 2.0          # RMS


def _measure(path: Path) -> tuple[float, float, float, float]:
    """(duration s, speaking time s, median F0 Hz, RMS) of a rendered line."""
    samples, rate = load_audio(path)
    x = samples.astype(np.float64)
    f0 = parselmouth.Sound(x, rate).to_pitch(pitch_floor=40.0, pitch_ceiling=600.0).selected_array["frequency"]
    frame = rate // 100
    peaks = np.abs(x[: len(x) // frame * frame]).reshape(-1, frame).max(axis=1)
    return len(x) / rate, float((peaks > 0.01).sum()) / 100, float(np.median(f0[f0 > 0])), float(np.sqrt(np.mean(x**2)))


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory):
    with SpeechRenderer(tmp_path_factory.mktemp("tts")) as r:
        yield r


@pytest.mark.parametrize("persona", SHIPPED, ids=lambda p: p.id)
def test_every_shipped_persona_sounds_more_agitated_when_furious(renderer: SpeechRenderer, persona) -> None:
    text = persona.scenarios[0].opening[0]
    calm = _measure(renderer.render(text, persona.voice.for_band("calm")).path)
    furious = _measure(renderer.render(text, persona.voice.for_band("furious")).path)
    report = {"calm": calm, "furious": furious}
    assert furious[0] / calm[0] <= MAX_DURATION_RATIO, report
    assert furious[1] / calm[1] <= MAX_SPEECH_RATIO, report
    assert 12 * math.log2(furious[2] / calm[2]) >= MIN_PITCH_RISE, report
    assert 20 * math.log10(furious[3] / calm[3]) >= MIN_LOUDER_DB, report


@pytest.mark.parametrize("persona", SHIPPED, ids=lambda p: p.id)
def test_shipped_voices_rise_band_by_band(persona) -> None:
    """Calm to furious, no band sounds calmer than the one below it; British speakers have British voices."""
    voices = [persona.voice.for_band(band) for band in BAND_NAMES]
    for lower, higher in zip(voices, voices[1:]):
        assert higher.rate >= lower.rate and higher.pitch >= lower.pitch and higher.volume >= lower.volume
        assert higher.pause <= lower.pause
    assert voices[-1].rate - voices[0].rate >= 50 and voices[-1].pitch - voices[0].pitch >= 20
    if persona.language == "en":
        assert persona.voice.voice.startswith("en-gb"), persona.voice


def test_a_pause_between_sentences_is_silence_of_that_length(renderer: SpeechRenderer) -> None:
    text = "暖气两天不热了。老人都病了。你们到底管不管？"
    plain = VoiceSettings("cmn-latn-pinyin+m3", 200, 40, 1.0)
    paused = VoiceSettings("cmn-latn-pinyin+m3", 200, 40, 1.0, pause=0.8)
    gaps = {name: _silences(renderer.render(text, voice).path)
            for name, voice in (("plain", plain), ("paused", paused))}
    assert max(gaps["plain"], default=0.0) < 0.5, gaps
    assert len([g for g in gaps["paused"] if 0.75 <= g <= 0.95]) == 2, gaps
    assert with_pauses("Flat 3.5. Is it & <b>? Yes", 0.25) == (
        '<speak>Flat 3.5. <break time="250ms"/>Is it &amp; &lt;b&gt;? <break time="250ms"/>Yes</speak>')
    assert with_pauses("一句。", 0.25) == "<speak>一句。</speak>" and with_pauses("一句。两句", 0) == "一句。两句"


def _silences(path: Path) -> list[float]:
    """Lengths of the runs of digital silence inside a line (espeak-ng pauses), in seconds."""
    samples, rate = load_audio(path)
    quiet = np.abs(samples) < 1e-4
    edges = np.flatnonzero(np.diff(quiet.astype(np.int8)))
    runs = [(a + 1, b + 1) for a, b in zip(edges[::2], edges[1::2])] if not quiet[0] else \
        [(a + 1, b + 1) for a, b in zip(edges[1::2], edges[2::2])]
    return [(b - a) / rate for a, b in runs if (b - a) / rate > 0.05]


def test_the_cache_keys_on_the_band_voice(renderer: SpeechRenderer) -> None:
    persona = next(p for p in SHIPPED if p.id == "zh.stubborn")
    text = persona.scenarios[0].opening[0]
    keys = {band: cache_key(text, persona.voice.for_band(band)) for band in BAND_NAMES}
    assert len(set(keys.values())) == len(BAND_NAMES)
    assert persona.voice.for_band("angry").key() == persona.voice.key()    # the file's own values: no shift
    before = renderer.engine_renders
    first = {band: renderer.render(text, persona.voice.for_band(band)) for band in ("calm", "furious")}
    again = {band: renderer.render(text, persona.voice.for_band(band)) for band in ("calm", "furious")}
    assert first["calm"].path != first["furious"].path and first["calm"].duration > first["furious"].duration
    assert all(line.cached for line in again.values())
    assert renderer.engine_renders - before <= 2
    assert VoiceSettings("en-us").key() == "en-us|175|50|1.00"     # files cached before band voices stay valid


class _Lines:
    """A CallListener keeping the customer's lines."""

    def __init__(self) -> None:
        self.lines: list[tuple[object, float, float]] = []
        self.changed = threading.Condition()

    def customer_line(self, line, start, end) -> None:
        with self.changed:
            self.lines.append((line, start, end))
            self.changed.notify_all()

    def partial(self, text) -> None: ...
    def trainee_turn(self, assessment) -> None: ...
    def marker(self, marker) -> None: ...
    def ended(self, ending) -> None: ...
    def problem(self, message) -> None: ...

    def wait(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.lines) >= count, 60)


class _QueuedOnly(SpeechRenderer):
    """Records what the call queues ahead instead of rendering it (the lines it says are still rendered)."""

    def __init__(self, cache_dir: Path) -> None:
        super().__init__(cache_dir)
        self.queued: list[tuple[str, VoiceSettings]] = []

    def prefetch(self, items) -> None:
        self.queued.extend(items)


def test_a_live_call_speaks_each_line_in_its_bands_voice_and_prefetches_each_band_it_reaches(tmp_path: Path) -> None:
    persona = load_persona(default_personas_dir() / "zh" / "angry_threatening.toml")
    heard = _Lines()
    renderer = _QueuedOnly(tmp_path / "tts")
    session = CallSession(persona, seed=3)
    call = LiveCall(session, renderer, heard)
    call.open()
    angry = persona.voice.for_band("angry")                       # mood 70: the call starts in the angry band
    assert sorted(text for text, _ in renderer.queued) == sorted(persona.all_lines())
    assert {voice for _, voice in renderer.queued} == {angry}
    call.begin()
    try:
        heard.wait(1)
        for n, reply in enumerate(("这不是我们的问题，规定就是这样", "不可能，我不知道", "你听我说，这不归我们管"), start=2):
            call.submit_text(reply)
            heard.wait(n)
            if session.ending is not None:
                break
    finally:
        call.stop()
        renderer.close()
    bands = [line.band for line, _, _ in heard.lines]
    assert bands[0] == "angry" and "furious" in bands, bands
    with SpeechRenderer(tmp_path / "tts") as check:
        for line, start, end in heard.lines:
            own = check.render(line.text, persona.voice.for_band(line.band))
            assert own.cached, "the line was rendered in the voice of its band"
            assert end - start == pytest.approx(own.duration)
            if line.band != "angry":
                base = check.render(line.text, persona.voice)
                assert abs(base.duration - own.duration) > 0.1
    queued = [voice for _, voice in renderer.queued]
    assert set(queued) == {persona.voice.for_band(band) for band in bands}
    assert all(queued.count(voice) == len(persona.all_lines()) for voice in set(queued))   # each band once


BASE_VOICE = 'voice = "cmn-latn-pinyin+m3"\nrate = 210\npitch = 35\nvolume = 1.0\n'


@pytest.mark.parametrize(("band_line", "field", "message"), [
    ('furious = { rate = 300 }', "voice.furious.rate", "210 +300 = 510 is outside 80..450 for the furious voice"),
    ('calm = { volume = -1.2, pause = 0.5 }', "voice.calm.volume", "must be >= -1 (got -1.2)"),
    ('calm = { pitch = -40 }', "voice.calm.pitch", "35 -40 = -5 is outside 0..99 for the calm voice"),
    ('furious = { rate = "fast" }', "voice.furious.rate", "expected whole number, got text 'fast'"),
    ('furious = { speed = 40 }', "voice.furious.speed", "unknown field (expected one of: pause, pitch, rate, volume)"),
    ('livid = { rate = 40 }', "voice.livid",
     "unknown field (expected one of: angry, annoyed, calm, furious, pitch, rate, voice, volume)"),
    ('annoyed = { pause = -0.2 }', "voice.annoyed.pause", "must be >= 0 (got -0.2)"),
])
def test_a_bad_band_voice_names_file_line_and_field(tmp_path: Path, band_line: str, field: str, message: str) -> None:
    shipped = (default_personas_dir() / "zh" / "angry_threatening.toml").read_text(encoding="utf-8")
    start = shipped.index("[voice]\n") + len("[voice]\n")
    end = shipped.index("\n[", start) + 1
    path = tmp_path / "bad.toml"
    text = shipped[:start] + BASE_VOICE + "# a comment line\n" + band_line + "\n" + shipped[end:]
    path.write_text(text, encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index(band_line) + 1
    with pytest.raises(PersonaFileError) as caught:
        load_persona(path)
    assert [str(e) for e in caught.value.errors] == [f"{path}:{line}: {field}: {message}"]


def test_band_voices_are_read_from_the_file(tmp_path: Path) -> None:
    persona = load_persona(default_personas_dir() / "zh" / "angry_threatening.toml")
    shifts = dict(persona.voice.bands)
    assert set(shifts) == {"calm", "annoyed", "furious"}
    assert shifts["calm"] == VoiceShift(rate=-40, pitch=-12, volume=-0.3, pause=0.5)
    calm = persona.voice.for_band("calm")
    assert (calm.rate, calm.pitch, calm.volume, calm.pause, calm.bands) == (170, 23, 0.7, 0.5, ())
    assert persona.voice.for_band(band_of(persona.mood.initial)) == VoiceSettings("cmn-latn-pinyin+m3", 210, 35, 1.0)


def test_the_schema_names_the_bands_of_the_voice_table() -> None:
    voice = json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]["voice"]["properties"]
    assert [name for name in voice if name in BAND_NAMES] == list(BAND_NAMES)
