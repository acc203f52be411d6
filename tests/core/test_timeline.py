import json

import pytest

from simulator.core.timeline import Timeline, TimelineError, Turn, Word


def _sample() -> dict:
    return {
        "version": 1, "language": "zh", "persona": "angry_threatening",
        "turns": [
            {"speaker": "customer", "start": 0.0, "end": 5.8, "text": "你们怎么回事"},
            {"speaker": "trainee", "start": 6.4, "end": 11.0, "text": "您好 我明白",
             "words": [{"word": "您好", "start": 6.4, "end": 6.9, "conf": 0.93}]},
        ],
    }


def test_round_trip_keeps_everything() -> None:
    data = _sample()
    data["turns"][0]["mood"] = 80
    tl = Timeline.from_json(data)
    assert tl.by("trainee")[0].words == [Word("您好", 6.4, 6.9, 0.93)]
    assert json.loads(tl.dumps()) == data


def test_words_spread_evenly_when_absent() -> None:
    turn = Turn("customer", 1.0, 3.0, "你好 OK 吗")
    words = turn.timed_words()
    assert [w.word for w in words] == ["你", "好", "OK", "吗"]
    assert words[0].start == pytest.approx(1.0) and words[-1].end == pytest.approx(3.0)
    assert words[1].end - words[1].start == pytest.approx(0.5)


@pytest.mark.parametrize(
    "mutate, where",
    [
        (lambda d: d["turns"][0].update(speaker="agent"), "turns/0/speaker"),
        (lambda d: d.pop("language"), "(top level)"),
        (lambda d: d["turns"][1]["words"][0].update(start=-1), "turns/1/words/0/start"),
        (lambda d: d["turns"][1].update(end=1.0), "turns/1"),
        (lambda d: d["turns"][1].update(end=float("nan")), "turns/1/end: nan is not a finite number"),
        (lambda d: d["turns"][1]["words"][0].update(end=0.1), "turns/1/words/0: end 0.1 is before start"),
    ],
)
def test_invalid_timelines_name_the_field(mutate, where) -> None:
    data = _sample()
    mutate(data)
    with pytest.raises(TimelineError, match=where):
        Timeline.from_json(data)


def test_load_reports_file_and_json_line(tmp_path) -> None:
    bad = tmp_path / "t.json"
    bad.write_text('{"version": 1,\n "turns": [}', encoding="utf-8")
    with pytest.raises(TimelineError, match=r"t\.json: not JSON \(line 2"):
        Timeline.load(bad)


def test_last_turn_of_a_speaker() -> None:
    tl = Timeline.from_json(_sample())
    tl.turns.append(Turn("customer", 12.0, 14.0, "那你说怎么办"))
    assert tl.last("customer").text == "那你说怎么办"
    assert tl.last("customer", before=2).text == "你们怎么回事"
    assert tl.last("trainee", before=1) is None
