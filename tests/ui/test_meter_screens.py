"""One meter specification (simulator.core.live_meters.METER_SPECS: name, unit, format, band) names, writes and
bands pace, loudness and pitch on the call page, the projector and the scorecard. Each screen is read as the
trainee sees it and compared with what the spec gives; then the spec alone is changed and all three follow, so
none of them writes a meter its own way."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from simulator.core.analysis.call import analyze_call
from simulator.core.analysis.thresholds import load_thresholds
from simulator.core.live_meters import METER_BY_NAME, METERS, LiveMeters, LiveMeterState, call_readings
from simulator.core.personas import default_personas_dir, load_persona
from simulator.core.review.call_audio import CallAudio
from simulator.speech.tts import SpeechRenderer
from simulator.ui.call_controller import CallController, Capabilities
from simulator.ui.call_page import CallPage
from simulator.ui.meter_text import meter_label, meter_title, meter_unit
from simulator.ui.projector_window import ProjectorWindow
from simulator.ui.scorecard_view import METER_SEPARATOR, ScorecardView
from tests.review_call import speak_call, zh_review_timeline

LANGUAGE = "zh"


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    """A spoken Chinese call (espeak-ng on both channels), analysed as a finished call is."""
    timeline = zh_review_timeline()
    audio = CallAudio.read(speak_call(timeline, tmp_path_factory.mktemp("meters") / "call.flac"))
    return analyze_call(timeline, audio=audio, language=LANGUAGE, persona_type="angry_threatening")


@pytest.fixture
def screens(qtbot, tmp_path: Path):
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"),
                                capabilities=Capabilities(audio=False, model_path=None, problems=()))
    page, projector, card = CallPage(controller), ProjectorWindow(controller, LANGUAGE), ScorecardView()
    for widget in (page, projector, card):
        qtbot.addWidget(widget)
    yield page, projector, card
    card.release_audio()


def _expected(name: str, value: float, band) -> tuple[str, str, str]:
    """(reading, band ends, full title) as the spec writes them."""
    spec = METER_BY_NAME[name]
    return spec.format(value), f"{spec.format(band.low)}–{spec.format(band.high)}", meter_title(name, LANGUAGE)


def _check_all_three(screens, analysis) -> None:
    page, projector, card = screens
    readings = call_readings(analysis.measures)
    bands = LiveMeterState(LANGUAGE, load_thresholds()).bands          # what a live call measures against
    live = LiveMeters(1.0, True, readings["pace"], readings["loudness"], readings["pitch"], bands)
    page.begin(LANGUAGE, False)
    page.meters.update_meters(live)
    projector.show_meters(live)
    projector._captions(LANGUAGE)
    card.set_result(analysis, load_persona(default_personas_dir() / "zh" / "angry_threatening.toml"), None)
    shown = dict(zip(METERS, card.meters_label.text().split(METER_SEPARATOR)))   # the scorecard's one line
    full = dict(zip(METERS, card.meters_label.toolTip().split("\n")))
    assert len(shown) == len(full) == len(card.meters_label.text().split(METER_SEPARATOR)) == len(METERS)
    for name in METERS:
        assert readings[name] is not None, f"the spoken call measured no {name}"
        value, ends, title = _expected(name, readings[name], bands[name])
        assert bands[name] == METER_BY_NAME[name].band(load_thresholds(), LANGUAGE)
        chart = page.meters.charts[name]
        assert (chart.title, chart.band, chart.accessibleDescription()) == (title, bands[name], f"target {ends}")
        assert projector.meter_values[name].text().split()[0] == value
        assert projector.meter_captions[name].text() == meter_title(name, LANGUAGE, short=True)
        assert projector.strips[name].band == bands[name]
        unit = meter_unit(name, LANGUAGE, short=True)
        assert shown[name] == f"{meter_label(name)}: {value} {unit} ({ends})"
        assert full[name] == f"{title}: {value} (target {ends})"


def test_call_page_projector_and_scorecard_write_every_meter_as_its_spec_does(screens, analysis) -> None:
    _check_all_three(screens, analysis)
    readings = call_readings(analysis.measures)
    assert readings["pace"] == analysis.measures.pace
    band = METER_BY_NAME["pace"].band(load_thresholds(), LANGUAGE)
    assert (band.low, band.high) == tuple(analysis.measures.pace_band)   # the band the pace criterion judged
    turns = analysis.measures.turns
    assert readings["loudness"] in [t.loudness_rel_db for t in turns]
    assert abs(readings["loudness"]) == max(abs(t.loudness_rel_db) for t in turns if t.loudness_rel_db is not None)


def test_a_change_to_the_spec_alone_shows_on_all_three(screens, analysis, monkeypatch) -> None:
    card = screens[2]
    for name, spec in list(METER_BY_NAME.items()):
        monkeypatch.setitem(METER_BY_NAME, name, replace(spec, decimals=spec.decimals + 2, signed=not spec.signed))
    monkeypatch.setitem(METER_BY_NAME, "pitch", replace(METER_BY_NAME["pitch"], unit="db"))
    _check_all_three(screens, analysis)
    pace, _, pitch = card.meters_label.text().split(METER_SEPARATOR)
    assert f"{analysis.measures.pace:+.2f}" in pace                      # two decimals and a sign now
    assert "dB" in pitch and "semitones" not in pitch + card.meters_label.toolTip().split("\n")[2]
