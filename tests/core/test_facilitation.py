"""Pure facilitation rules: teachable moments, the last exchange, projector text sizes, contrast, screen choice."""

from __future__ import annotations

import math

import pytest

from simulator.core.facilitation import (
    BACKGROUND, MIN_CONTRAST, MOMENTS_KEY, MOOD_COLOURS, READING_ARCMIN, TEXT_COLOURS, TeachableMoment, context_note,
    contrast_ratio, last_exchange, mark_moment, moments_of, projector_font_px, projector_screen,
    redact, screen_height_m, timeline_now, visual_arcmin,
)
from simulator.core.live_meters import Band
from simulator.core.timeline import Timeline, Turn


def _timeline(*turns: tuple[str, float, float, str]) -> Timeline:
    return Timeline("zh", "zh.stubborn", [Turn(s, a, b, t) for s, a, b, t in turns])


CALL = _timeline(("customer", 0.5, 4.0, "你们这暖气怎么回事？"), ("trainee", 5.0, 8.0, "您好，我理解您的心情。"),
                 ("customer", 8.5, 12.0, "理解有什么用！"), ("trainee", 13.0, 16.5, "我马上给您派师傅。"),
                 ("customer", 17.0, 20.0, "那还差不多。"))


def test_last_exchange_is_the_last_reply_and_the_customer_line_before_it() -> None:
    assert last_exchange(CALL, pad=0.0) == pytest.approx((8.5, 16.5))
    assert last_exchange(CALL, pad=0.5) == pytest.approx((8.0, 17.0))


def test_last_exchange_before_any_reply_is_the_opening_and_none_before_anything() -> None:
    opening = _timeline(("customer", 0.2, 3.0, "喂？"))
    assert last_exchange(opening) == pytest.approx((0.0, 3.25))   # never before the call start
    assert last_exchange(_timeline()) is None


def test_last_exchange_with_a_typed_reply_keeps_the_whole_customer_line() -> None:
    typed = _timeline(("customer", 1.0, 6.0, "喂？"), ("trainee", 4.0, 4.0, "您好"))   # typed while it spoke
    assert last_exchange(typed, pad=0.0) == pytest.approx((1.0, 6.0))


def test_marked_moments_are_stored_in_the_timeline_and_survive_json() -> None:
    timeline = _timeline(*[(t.speaker, t.start, t.end, t.text) for t in CALL.turns])
    first = mark_moment(timeline, 9.25)
    second = mark_moment(timeline, 2.0, note="listen to the tone")
    assert first == TeachableMoment(9.25, "理解有什么用！")
    assert second.note == "listen to the tone"
    again = Timeline.from_json(timeline.to_json())
    assert moments_of(again) == [second, first]          # in time order
    assert again.to_json()[MOMENTS_KEY] == [{"time": 9.25, "note": "理解有什么用！"},
                                            {"time": 2.0, "note": "listen to the tone"}]


def test_context_note_is_the_line_in_progress_shortened() -> None:
    assert context_note(CALL, 0.1) == ""
    assert context_note(CALL, 6.0) == "您好，我理解您的心情。"
    long = _timeline(("customer", 0.0, 1.0, "x" * 100))
    note = context_note(long, 0.5, limit=20)
    assert len(note) == 20 and note.endswith("…")


@pytest.mark.parametrize("role", sorted(READING_ARCMIN))
@pytest.mark.parametrize("height", [720, 1080, 2160])
def test_font_sizes_meet_the_reading_angle_from_ten_metres(role: str, height: int) -> None:
    px = projector_font_px(height, role)
    assert visual_arcmin(px, height) >= READING_ARCMIN[role] - 1e-9
    assert visual_arcmin(px - 1, height) < READING_ARCMIN[role]     # the smallest size that does


def test_font_sizes_scale_with_the_screen_and_the_customer_line_is_at_least_4_percent() -> None:
    assert projector_font_px(2160, "customer") == pytest.approx(2 * projector_font_px(1080, "customer"), abs=1)
    for height in (600, 768, 1080, 1440):
        assert projector_font_px(height, "customer") >= 0.04 * height
        assert projector_font_px(height, "meter") > projector_font_px(height, "customer") > 0
        assert projector_font_px(height, "transcript") >= 0.03 * height


def test_font_size_grows_for_a_smaller_screen_or_a_longer_room() -> None:
    base = projector_font_px(1080, "transcript")
    assert projector_font_px(1080, "transcript", screen_m=1.0) > base          # 1 m image instead of 1.67 m
    assert projector_font_px(1080, "transcript", distance_m=15.0, screen_m=screen_height_m(10.0)) == \
        pytest.approx(1.5 * base, abs=1)
    assert screen_height_m(12.0) == pytest.approx(2.0)


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ff0000", "#000000") == pytest.approx(5.25, abs=0.01)   # plain red fails AAA
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)


PALETTE = {**TEXT_COLOURS, **{f"mood {k}": v for k, v in MOOD_COLOURS.items()}}


@pytest.mark.parametrize("name,colour", sorted(PALETTE.items()))
def test_every_projector_colour_is_high_contrast_on_the_background(name: str, colour: str) -> None:
    assert contrast_ratio(colour, BACKGROUND) >= MIN_CONTRAST, name


def test_meter_state_against_a_band() -> None:
    band = Band(0, 1)
    assert band.state(None) is None
    assert band.state(-0.5) == "low"
    assert band.state(0.0) == "in" and band.state(1.0) == "in"
    assert band.state(math.nextafter(1.0, 2.0)) == "high"


def test_one_meter_specification_names_formats_and_bands_every_meter() -> None:
    from simulator.core.analysis.thresholds import load_thresholds
    from simulator.core.live_meters import METER_BY_NAME, METER_SPECS, METERS, meter_bands

    assert METERS == ("pace", "loudness", "pitch")
    assert [METER_BY_NAME[n].format(v) for n, v in (("pace", 212.6), ("loudness", 3.04), ("pitch", -1.96))] == [
        "213", "+3.0", "-2.0"]
    thresholds = load_thresholds()
    for language in ("zh", "en"):
        assert {s.name: s.band(thresholds, language) for s in METER_SPECS} == meter_bands(thresholds, language)
    assert METER_BY_NAME["pace"].band(thresholds, "zh") != METER_BY_NAME["pace"].band(thresholds, "en")


def test_projector_goes_to_a_second_screen_when_there_is_one() -> None:
    laptop, projector, third = object(), object(), object()
    assert projector_screen([laptop], laptop) is laptop
    assert projector_screen([laptop, projector], laptop) is projector
    assert projector_screen([projector, laptop], laptop) is projector
    assert projector_screen([laptop, projector, third], laptop) is projector
    assert projector_screen([laptop, projector], None) is laptop        # no primary known: the first
    assert projector_screen([], None) is None


def test_redact_masks_every_listed_name_but_not_single_letters() -> None:
    assert redact("您好，我是张三，张三为您服务。", ["张三"]) == "您好，我是•••，•••为您服务。"
    assert redact("Hi, this is Alice Wong; alice here.", ["Alice Wong", "alice"]) == "Hi, this is •••; ••• here."
    assert redact("张先生您好", ["张", "", "  "]) == "张先生您好"        # a one-letter "name" would mask everything
    assert redact("a+b (x)", ["a+b", "(x)"]) == "••• •••"                 # names are not patterns


def test_redact_masks_latin_names_only_as_whole_words_and_chinese_names_anywhere() -> None:
    assert redact("Customer: Tom, tomorrow I call Tom.", ["tom"]) == "Customer: •••, tomorrow I call •••."
    assert redact("I called Ed; Ed's fine.", ["ed"]) == "I called •••; •••'s fine."
    assert redact("我是Tom，tom为您服务", ["Tom"]) == "我是•••，•••为您服务"       # beside Chinese text it is a word
    assert redact("我是张三丰的同事张三", ["张三"]) == "我是•••丰的同事•••"          # no spaces in Chinese: anywhere
    assert redact("This is Alice, Alice Wong. Wongs' call.", ["Alice Wong"]) == "This is •••, •••. Wongs' call."


def test_timeline_now_follows_the_clock_when_played_and_the_laid_out_lines_when_typed() -> None:
    assert timeline_now(CALL, 3.0, played=True) == 3.0            # played lines: the timeline is the clock
    assert timeline_now(CALL, 3.0, played=False) == 17.0          # typed call: the last line shown started at 17 s
    assert timeline_now(CALL, 25.0, played=False) == 25.0         # the clock has caught up
    assert timeline_now(_timeline(), 2.0, played=False) == 2.0
    moment = mark_moment(CALL, timeline_now(CALL, 3.0, played=False))
    assert (moment.time, moment.note) == (17.0, "那还差不多。")     # the line the room is reading
