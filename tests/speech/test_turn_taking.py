"""Voice activity and end-of-turn rules from data: frame decisions, real speech clips, words and pitch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from simulator.core.turn_taking import (EndOfTurnSettings, VadSettings, VoiceActivity, ends_mid_phrase, frame_dbfs,
                                        pitch_rises_at_end, turn_over, turn_silence)
from simulator.speech.live_call import LiveCallOptions
from simulator.speech.resample import resample
from simulator.speech.vad import MicrophoneVad, rises_before

REALSPEECH = Path(__file__).resolve().parents[3] / "shared" / "realspeech"
RATE = 16000


def _feed(activity: VoiceActivity, pattern: str, level: float = -30.0, start: float = 0.0):
    """'S' a speech frame, '.' a quiet non-speech frame, 'n' a frame the classifier calls speech at -70 dBFS."""
    edges = []
    for i, c in enumerate(pattern):
        t = start + i * 0.02
        edge = activity.frame(t, c in "Sn", level if c == "S" else -70.0)
        if edge is not None:
            edges.append((edge.kind, round(edge.time, 3), round(t + 0.02, 3)))
    return edges


def test_onset_is_the_first_speech_frame_and_offset_the_end_of_the_last_after_the_hangover() -> None:
    edges = _feed(VoiceActivity(), "....." + "S" * 20 + "." * 15)
    assert edges == [("onset", 0.1, 0.16), ("offset", 0.5, 0.7)]    # reported 3 frames in / 0.2 s after


def test_a_click_a_gap_inside_a_word_and_a_quiet_noise_are_not_edges() -> None:
    assert _feed(VoiceActivity(), "..SS......") == []                       # two frames: a click
    assert _feed(VoiceActivity(), "nnnnnnnnnnnn") == []                      # the classifier alone, at -70 dBFS
    edges = _feed(VoiceActivity(), "SSSSS" + "....." + "SSSSS" + "." * 12)    # a 0.1 s gap < the 0.2 s hangover
    assert [k for k, _, _ in edges] == ["onset", "offset"] and edges[1][1] == pytest.approx(0.3)


def test_the_gate_follows_the_noise_floor_and_the_calibrated_level() -> None:
    noisy = VoiceActivity()
    for i in range(400):                      # 8 s of a hum at -40 dBFS that the classifier calls silence
        noisy.frame(i * 0.02 - 8.0, False, -40.0)
    assert noisy.gate_db() == pytest.approx(-31.0, abs=0.1)
    assert _feed(noisy, "SSSSSS", level=-35.0, start=1.0) == []               # under floor + margin
    assert _feed(noisy, "SSSSSS", level=-20.0, start=2.0)[0][0] == "onset"
    calibrated = VoiceActivity(calibrated_db=-18.0)
    assert _feed(calibrated, "SSSSSS", level=-45.0) == []                      # a voice far below the trainee's
    assert _feed(calibrated, "SSSSSS", level=-30.0)[0][0] == "onset"


def test_a_silence_is_sure_only_up_to_an_onset_being_confirmed() -> None:
    """Speech resuming after a pause is confirmed three frames in; until then the pause is over where its first
    speech frame is, so a turn is not ended on a pause the trainee has already broken."""
    activity = VoiceActivity()
    edges = _feed(activity, "S" * 10 + "." * 30)
    assert [k for k, _, _ in edges] == ["onset", "offset"] and activity.suspected_onset() is None
    assert _feed(activity, "SS", start=0.8) == []
    assert activity.suspected_onset() == pytest.approx(0.8)
    assert _feed(activity, ".....", start=0.84) == [] and activity.suspected_onset() is None   # a click, gone
    assert [k for k, _, _ in _feed(activity, "SSS", start=1.0)] == ["onset"]
    assert activity.suspected_onset() is None                                                  # speaking now
    settings = EndOfTurnSettings(0.6, 1.2, 2.0)
    assert turn_over(0.64, "好的", "zh", False, settings)
    assert not turn_over(0.64, "好的", "zh", False, settings, sure_for=0.58)
    assert turn_over(2.0, "好的", "zh", False, settings, sure_for=0.58)                      # the cap still ends it


def test_longer_hangover_setting_holds_speech_through_longer_gaps() -> None:
    edges = _feed(VoiceActivity(settings=VadSettings(hangover=0.4)), "SSSSS" + "." * 15 + "SSSSS" + "." * 25)
    assert [k for k, _, _ in edges] == ["onset", "offset"]


def _clip(path: Path) -> np.ndarray:
    samples, rate = soundfile.read(path, dtype="float32")
    if samples.ndim == 2:
        samples = samples.mean(axis=1)
    return (np.clip(resample(samples, rate, RATE), -1, 1) * 32767).astype(np.int16)


def _calibrated(samples: np.ndarray) -> float:
    """The speaker's normal level as the set-up assistant measures it: the median level of voiced 0.1 s blocks."""
    levels = [frame_dbfs(samples[i:i + RATE // 10]) for i in range(0, samples.size, RATE // 10)]
    return float(np.median([v for v in levels if v > -50.0]))


def _edges(samples: np.ndarray, lead: float = 0.5, calibrated: bool = True) -> list[tuple[str, float]]:
    """The clip after `lead` s of silence and followed by 2 s, in 0.1 s blocks as the microphone gives them."""
    audio = np.concatenate([np.zeros(int(lead * RATE), np.int16), samples, np.zeros(2 * RATE, np.int16)])
    vad = MicrophoneVad(RATE, _calibrated(samples) if calibrated else None)
    out = []
    for i in range(0, audio.size, RATE // 10):
        out += [(e.kind, e.time - lead) for e in vad.block(i / RATE, audio[i:i + RATE // 10])]
    return out


def _needs_realspeech() -> None:
    if not REALSPEECH.is_dir():
        pytest.skip(f"the real-speech clips are not at {REALSPEECH}")


@pytest.mark.parametrize("name", ["en06_librivox_sense_and_sensibility_0870", "en07_librivox_sense_and_sensibility_0880",
                                  "en08_librivox_sense_and_sensibility_0890", "en09_librivox_sense_and_sensibility_0920",
                                  "en10_librivox_sense_and_sensibility_0930"])
def test_onset_and_offset_on_real_speech_match_the_annotated_speech_span(name: str) -> None:
    _needs_realspeech()
    lab = [line.split("\t") for line in (REALSPEECH / "en" / f"{name}.lab").read_text().split("\n") if line.strip()]
    speech_start = float(next(r[0] for r in lab if r[2] == "speech"))
    speech_end = float(next(r[0] for r in lab if r[2] == "silence"))
    samples = _clip(REALSPEECH / "en" / f"{name}.wav")
    assert _edges(samples, calibrated=False)[0][1] < speech_start - 0.15     # the breath before it, uncalibrated
    edges = _edges(samples)
    onsets = [t for k, t in edges if k == "onset"]
    offsets = [t for k, t in edges if k == "offset"]
    assert onsets[0] == pytest.approx(speech_start, abs=0.1)
    assert offsets[-1] == pytest.approx(speech_end, abs=0.25)


def test_no_pause_inside_a_real_reply_outlasts_the_silence_the_rules_would_wait() -> None:
    """The defaults come from these clips: the longest pause after a level or falling pitch is 0.58 s (zh09),
    after a rising one 1.48 s (zh07, 我想问……). Each pause inside a clip must be shorter than the silence the
    rules wait at its start by two frames (words unknown here: the pitch decides). en05 reads digit groups with
    1.1-1.4 s pauses on a falling pitch: only its words (a trailing number) keep the turn open."""
    _needs_realspeech()
    live = LiveCallOptions()
    settings = EndOfTurnSettings(live.end_of_turn_short, live.end_of_turn_silence, live.end_of_turn_cap)
    checked = 0
    for path in sorted((REALSPEECH / "zh").glob("*.wav")) + sorted((REALSPEECH / "en").glob("*.wav")):
        if path.name.startswith("en05"):
            continue
        samples = _clip(path)
        edges = _edges(samples, lead=0.0)
        for (kind, offset), (next_kind, onset) in zip(edges, edges[1:]):
            if kind != "offset" or next_kind != "onset":
                continue
            blocks = [(i / RATE, samples[i:i + RATE // 10]) for i in range(0, samples.size, RATE // 10)]
            wait = turn_silence("好的", "zh", rises_before(blocks, offset, RATE), settings)
            assert onset - offset <= wait - 0.04 + 1e-6, (path.name, offset, onset)
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize(("text", "language", "mid"), [
    ("我帮您查一下，然后", "zh", True), ("因为", "zh", True), ("我们这边就是", "zh", True), ("好的，我马上安排", "zh", False),
    ("我非常理解您的心情。", "zh", False), ("I checked your order and", "en", True), ("because", "en", True),
    ("so", "en", True), ("It will arrive tomorrow.", "en", False), ("thank you", "en", False),
    ("my number is one zero zero", "en", True), ("单号是幺二三", "zh", True), ("여보세요 그리고", "zh", True),
])
def test_what_ends_mid_phrase(text: str, language: str, mid: bool) -> None:
    assert ends_mid_phrase(text, language) is mid


def test_the_silence_that_ends_a_turn_and_the_cap() -> None:
    settings = EndOfTurnSettings(0.6, 1.2, 2.0)
    assert turn_silence("好的，我马上安排", "zh", False, settings) == 0.6
    assert turn_silence("好的，我马上安排", "zh", True, settings) == 1.2            # rising pitch
    assert turn_silence("我查了一下，然后", "zh", False, settings) == 1.2
    assert not turn_over(0.55, "好的", "zh", False, settings) and turn_over(0.6, "好的", "zh", False, settings)
    assert not turn_over(1.1, "然后", "zh", False, settings) and turn_over(1.2, "然后", "zh", False, settings)
    long = EndOfTurnSettings(0.6, 5.0, 2.0)
    assert turn_over(2.0, "然后", "zh", True, long) and not turn_over(1.9, "然后", "zh", True, long)


def test_the_short_silence_grows_with_the_trainees_own_pauses_and_never_shrinks() -> None:
    from simulator.core.turn_taking import SpeakerPauses

    base = EndOfTurnSettings(0.62, 1.6, 2.0)
    pauses = SpeakerPauses()
    assert pauses.settings(base) == base
    pauses.resumed(0.45)                                  # shorter than the default less the margin: no change
    assert pauses.settings(base) == base
    pauses.resumed(0.58)                                  # went on after 0.58 s: the same pause again is no end
    assert pauses.settings(base).short == pytest.approx(0.68) and pauses.settings(base).long == 1.6
    pauses.resumed(0.4)
    assert pauses.settings(base).short == pytest.approx(0.68)
    pauses.resumed(1.55)
    assert pauses.settings(base) == base.__class__(1.6, 1.6, 2.0)   # never beyond the long silence


def test_a_rising_pitch_is_told_from_a_falling_or_level_one() -> None:
    times = np.arange(0, 0.6, 0.01)
    rising = 150 * 2 ** ((times / 0.6) * 1.5 / 12)      # +1.5 semitones over 0.6 s: +0.75 over the last 0.3 s
    falling = 150 * 2 ** (-(times / 0.6) * 4 / 12)
    level = 150 + 3 * np.sin(times * 40)
    assert pitch_rises_at_end(times, rising)
    assert not pitch_rises_at_end(times, falling)
    assert not pitch_rises_at_end(times, level)
    assert not pitch_rises_at_end(times[:3], rising[:3])                            # too little voiced pitch


# -- barge-in: the rule, the persona setting and the live marker ----------------------------------------------

def test_what_bids_for_the_turn_over_the_customer() -> None:
    from simulator.core.analysis.thresholds import load_thresholds
    from simulator.core.turn_taking import is_barge_in

    thr = load_thresholds()
    assert not is_barge_in("", 0.4, thr)                    # a hum with no words yet
    assert not is_barge_in("嗯嗯，对", 0.8, thr)            # listener tokens within the backchannel limit
    assert not is_barge_in("이", 0.3, thr)                  # one short word: a hum the recogniser named
    assert is_barge_in("", thr.backchannel_max + 0.05, thr)   # longer than any backchannel, words or not
    assert is_barge_in("不是这样的", 0.6, thr)              # words that are no backchannel
    assert is_barge_in("喂", 0.7, thr)                      # one word, longer than a hum


def _persona_text(replace: tuple[str, str]) -> str:
    text = (Path(__file__).resolve().parents[2] / "personas" / "zh" / "angry_threatening.toml").read_text(encoding="utf-8")
    assert replace[0] in text
    return text.replace(*replace)


@pytest.mark.parametrize(("change", "message"), [
    (('furious = "snap_back"\nlines = ["你让我说完！", "我话还没说完呢！", "你先听我说完！"]', 'furious = "snap_back"'),
     "barge_in.lines: required when a band snaps back (furious)"),
    (('angry = "finish"', 'angry = "shout"'), "barge_in.angry: 'shout' is not one of: yield, finish, snap_back"),
    (('calm = "yield"\nannoyed = "yield"\nangry', 'clam = "yield"\nannoyed = "yield"\nangry'), "barge_in.clam: unknown field"),
])
def test_a_wrong_barge_in_setting_is_named_with_its_line(tmp_path: Path, change, message: str) -> None:
    from simulator.core.personas.errors import PersonaFileError
    from simulator.core.personas.loader import load_persona

    path = tmp_path / "p.toml"
    text = _persona_text(change)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PersonaFileError) as caught:
        load_persona(path)
    (error,) = caught.value.errors
    assert message in str(error)
    section = text.splitlines().index("[barge_in]") + 1
    assert error.line is not None and section <= error.line <= section + 5      # a line of the [barge_in] table


def test_the_shipped_personas_barge_in_by_band() -> None:
    from simulator.core.personas.loader import default_personas_dir, load_persona

    angry = load_persona(default_personas_dir() / "zh" / "angry_threatening.toml").barge_in
    assert [angry.behaviour(b) for b in ("calm", "annoyed", "angry", "furious")] == ["yield", "yield", "finish", "snap_back"]
    assert "你让我说完！" in angry.lines
    en = load_persona(default_personas_dir() / "en" / "angry_threatening.toml").barge_in
    assert "Let me finish!" in en.lines
    stubborn = load_persona(default_personas_dir() / "zh" / "stubborn.toml").barge_in
    assert stubborn.behaviour("furious") == "finish" and not stubborn.lines


def test_an_interruption_marked_live_is_not_marked_again_by_the_turns_assessment() -> None:
    from simulator.core.analysis.thresholds import load_thresholds
    from simulator.core.events import Event, TurnAssessment
    from simulator.core.live_meters import LiveMarkers

    markers = LiveMarkers(load_thresholds(), listening=True)
    live = markers.interrupted(5.0, "不是这样的")
    assert (live.kind, live.time) == ("interruption", 5.0)
    assessed = TurnAssessment("不是这样的", events=frozenset({Event.INTERRUPTION, Event.TABOO}), start=5.0, end=6.0)
    assert [m.kind for m in markers.turn(assessed)] == ["taboo"]
    later = TurnAssessment("等一下", events=frozenset({Event.INTERRUPTION}), start=9.0, end=9.8)
    assert [m.kind for m in markers.turn(later)] == ["interruption"]
