"""The smaller points of issue 12: wording, empty charts, a closed pipe, the Trend tab, long typed replies,
the projector and push-to-talk."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from simulator.core.analysis.scorecard import load_scoring_config
from simulator.core.timeline import Timeline
from tests.storage_fixtures import generated


def test_few_we_asks_for_more_we_not_more_i() -> None:
    zh = load_scoring_config().message("few_we", "zh")
    assert '多用"我们"少用"我"' in zh
    assert '多用"我"' not in zh and "多用“我”" not in zh


def _tick_labels(plot) -> list[str]:
    """The labels of the two coarsest tick levels the bottom axis draws over the visible range."""
    axis = plot.getAxis("bottom")
    low, high = plot.viewRange()[0]
    levels = axis.tickValues(low, high, 600)[:2]
    return [label for spacing, values in levels for label in axis.tickStrings(values, 1, spacing)]


def test_an_empty_timeline_and_an_empty_trend_have_readable_axes(qtbot) -> None:
    from simulator.core.review.trend import trend_series
    from simulator.ui.review.trend_chart import TrendChart
    from simulator.ui.timeline_view import TimelineView

    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    view.set_call(Timeline("zh", "x", []), None, [])
    labels = _tick_labels(view.plot)
    assert len(labels) >= 4 and len(set(labels)) == len(labels)       # not 0:00 at every tick
    assert "0:10" in labels and "0:20" in labels
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(700, 300)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_trend("王五", trend_series([]))
    chart.grab()                                                        # painted: the date axis knows its font
    low, high = chart.plot.viewRange()[0]
    assert high - low >= 7 * 86400 and abs(high - datetime.now(UTC).timestamp()) < 2 * 86400  # recent weeks
    labels = _tick_labels(chart.plot)
    assert labels and not any(label.startswith("00.") for label in labels)  # dates, not 00.100 … 00.900


def test_attempts_list_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    from simulator.storage import open_store

    url = f"sqlite:///{tmp_path / 'many.sqlite3'}"
    store = open_store(url, tmp_path / "recordings")
    store.add_records(generated(3000))
    store.close()
    env = {**os.environ, "ROLEPLAY_SIM_DATA": str(tmp_path / "data"), "ROLEPLAY_SIM_DB_URL": url}
    listing = subprocess.Popen([sys.executable, "-m", "simulator", "attempts", "list", "--limit", "3000"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = listing.stdout.readline()                                   # `| head -1`
    listing.stdout.close()
    err = listing.stderr.read().decode()
    listing.wait(timeout=120)
    assert first.strip()
    assert "Traceback" not in err and "BrokenPipeError" not in err and err == ""
    assert listing.returncode == 141


def test_the_trend_tab_shows_the_selected_or_current_trainee_without_a_button(qtbot, store) -> None:
    from simulator.ui.review.review_window import ReviewWindow

    for trainee, score in (("王五", 60), ("王五", 80), ("李四", 30)):
        attempt, _ = store.begin_attempt(trainee, "zh.insulting", "insulting", "s", "zh")
        store.finish_attempt(attempt, "resolved", "calm", {}, score, {"empathy": score}, [])
    window = ReviewWindow(store, trainee="李四")
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.trend_chart)                   # the tab itself, no Ctrl+T
    assert [s for _, s in window.trend_chart.points()] == [30.0]       # nothing selected: the app's trainee
    assert "李四" in window.trend_chart.title.text()
    window.tabs.setCurrentWidget(window.detail)
    window.select_attempt(store.list_attempts(trainee="王五")[0].id)
    window.tabs.setCurrentWidget(window.trend_chart)
    assert [s for _, s in window.trend_chart.points()] == [60.0, 80.0]
    assert "王五" in window.trend_chart.title.text()
