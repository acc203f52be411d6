"""Pre-roll on the real speaker (private PulseAudio): a line written into the stream ahead of time is heard at
the moment it was pre-rolled for, though confirmed less than an output latency before it; dropped, or never
confirmed, none of it reaches the speaker or the call's record of what was played, and the speaker goes on."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from simulator.speech.audio_io import CallClock, Player
from simulator.speech.player import PREROLL_MARGIN
from tests.pulse import best_lag, dominant_frequency, loud_spans, tone

pytestmark = pytest.mark.audio

RATE = 16000
ONSET_TOLERANCE = 0.02   # the speaker monitor is read in 10 ms steps; a line queued on confirm comes >= 0.15 s late


class Listened:
    """The speaker monitor and the Player's reports of what it played, on one time axis (call time)."""

    def __init__(self, pulse, tmp_path: Path) -> None:
        self.pulse = pulse
        self.wav = tmp_path / "speaker.wav"
        self.clock = CallClock()
        self.player = Player(self.clock)
        self.played: list[tuple[float, np.ndarray]] = []
        self.player.on_played = lambda at, samples: self.played.append((at, samples))

    def __enter__(self) -> Listened:
        self.recorder = self.pulse.record(self.pulse.speaker_monitor, self.wav)
        time.sleep(0.3)
        self.player.start()
        self.reference = tone(440.0, 0.3, RATE, 0.3)
        self.reference_start = self.player.play(self.reference, RATE)
        self.wait_quiet()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.wait_quiet()
        time.sleep(0.3)
        self.player.stop()
        self.pulse.stop_recording(self.recorder)

    def wait_quiet(self) -> None:
        deadline = time.monotonic() + 10
        while self.player.is_playing() and time.monotonic() < deadline:
            time.sleep(0.01)

    def wait_until(self, moment: float) -> None:
        while self.clock.now() < moment:
            time.sleep(0.002)

    def heard(self) -> list[tuple[float, float, float]]:
        """Loud stretches at the speaker as (call time of start, call time of end, pitch), aligned by the
        reference tone (the first thing played)."""
        audio, rate = sf.read(self.wav, dtype="float32")
        spans = loud_spans(audio, rate, join=0.05)
        assert spans, "nothing reached the speaker"
        shift = self.reference_start - spans[0][0]
        return [(a + shift, b + shift, dominant_frequency(audio[int(a * rate):int(b * rate)], rate)) for a, b in spans]


def test_a_confirmed_preroll_is_heard_when_it_was_due(pulse, tmp_path: Path) -> None:
    with Listened(pulse, tmp_path) as listened:
        player = listened.player
        line = tone(660.0, 0.4, RATE, 0.3)
        clip = player.prepare(line, RATE)
        due = player.preroll(clip, listened.clock.now() + 0.4)
        assert due is not None and due == pytest.approx(listened.clock.now() + 0.4, abs=0.02)
        listened.wait_until(due - 0.06)
        assert clip.position > 0                        # already in the stream ...
        assert not player.is_playing()                  # ... and not yet the customer's line
        assert player.confirm(clip) == due              # confirmed 0.06 s before it is due: far inside the latency
        assert player.confirm(clip) is None             # once
    heard = listened.heard()
    assert [round(pitch / 110) for _, _, pitch in heard] == [4, 6]
    assert heard[1][0] == pytest.approx(due, abs=ONSET_TOLERANCE)
    assert heard[1][1] - heard[1][0] == pytest.approx(0.4, abs=ONSET_TOLERANCE)
    assert player.preroll_aborts == 0 and player.underflows == 0
    # what was played is reported in full, the pre-rolled part included, at the time it was heard
    reported = [(at, s) for at, s in listened.played if at > listened.reference_start + 0.31]
    assert np.array_equal(np.concatenate([s for _, s in reported]), line)
    assert reported[0][0] == pytest.approx(due, abs=0.005)


def waiting_preroll(listened, ahead: float):
    """An 880 Hz line pre-rolled 0.4 s ahead, waited on until `ahead` s before it is due."""
    clip = listened.player.prepare(tone(880.0, 0.4, RATE, 0.3), RATE)
    due = listened.player.preroll(clip, listened.clock.now() + 0.4)
    assert due is not None
    listened.wait_until(due - ahead)
    return clip, due


@pytest.mark.parametrize("how", ["dropped", "never confirmed"])
def test_a_preroll_not_confirmed_is_never_heard_nor_reported_and_the_speaker_goes_on(pulse, tmp_path: Path,
                                                                                      how: str) -> None:
    with Listened(pulse, tmp_path) as listened:
        player = listened.player
        clip, due = waiting_preroll(listened, 0.08)
        assert clip.position > 0                        # some of it is in the stream, ahead of the speaker
        if how == "dropped":
            player.drop_preroll()
        listened.wait_until(due + 0.1)
        assert player.confirm(clip) is None             # too late: the guard dropped it PREROLL_MARGIN before
        assert not player.is_playing()
        after = player.play(tone(660.0, 0.3, RATE, 0.3), RATE)   # the next line plays at once and on time
        assert after < listened.clock.now() + 0.25
    heard = listened.heard()
    assert [round(pitch / 110) for _, _, pitch in heard] == [4, 6], heard
    assert heard[1][0] == pytest.approx(after, abs=ONSET_TOLERANCE)
    assert player.preroll_aborts == 1
    reported = sum(s.size for at, s in listened.played) / RATE
    assert reported == pytest.approx(0.3 + 0.3, abs=1e-3)     # the reference and the next line, nothing of 880 Hz
    assert PREROLL_MARGIN < 0.08


def test_a_line_queued_while_a_preroll_waits_replaces_it(pulse, tmp_path: Path) -> None:
    """Something else to say (a typed reply's answer, a cut-in) while a pre-rolled answer waits: the pre-roll is
    dropped unheard and the new line plays from its first sample."""
    with Listened(pulse, tmp_path) as listened:
        player = listened.player
        clip, due = waiting_preroll(listened, 0.1)
        other = tone(550.0, 0.3, RATE, 0.3)
        start = player.play(other, RATE)
    heard = listened.heard()
    assert [round(pitch / 110) for _, _, pitch in heard] == [4, 5], heard
    assert heard[1][0] == pytest.approx(start, abs=ONSET_TOLERANCE)
    recorded = np.concatenate([s for at, s in listened.played if at > listened.reference_start + 0.31])
    lag, match = best_lag(other, recorded)
    assert lag == 0 and match > 0.99 and recorded.size == other.size
