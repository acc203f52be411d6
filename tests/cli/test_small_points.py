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
    from simulator.app import ReviewService

    window = ReviewWindow(ReviewService(store), trainee="李四")
    qtbot.addWidget(window)
    window.show()
    window.jobs.settle()
    window.tabs.setCurrentWidget(window.trend_chart)                   # the tab itself, no Ctrl+T
    window.jobs.settle()
    assert [s for _, s in window.trend_chart.points()] == [30.0]       # nothing selected: the app's trainee
    assert "李四" in window.trend_chart.title.text()
    window.tabs.setCurrentWidget(window.detail)
    window.select_attempt(store.list_attempts(trainee="王五")[0].id)
    window.jobs.settle()
    window.tabs.setCurrentWidget(window.trend_chart)
    window.jobs.settle()
    assert [s for _, s in window.trend_chart.points()] == [60.0, 80.0]
    assert "王五" in window.trend_chart.title.text()


def _call_window(qtbot, tmp_path: Path, store, caps=None):
    from simulator.settings import Settings
    from simulator.speech.tts import SpeechRenderer
    from simulator.ui.call_controller import CallController, Capabilities
    from simulator.ui.main_window import MainWindow

    caps = caps or Capabilities(audio=False, model_path=None, problems=())
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=caps, store=store,
                                settings=Settings(trainee_name="张三"))
    win = MainWindow(controller, "en")
    qtbot.addWidget(win)
    win.resize(1024, 700)
    win.show()
    return win


def test_a_long_typed_reply_wraps_in_full_and_the_customer_cuts_in(qtbot, tmp_path: Path, store) -> None:
    from tests.dialogs import answer_end_question

    win = _call_window(qtbot, tmp_path, store)
    assert win.picker.select("zh.angry_threatening")
    with qtbot.waitSignal(win.controller.bridge.callStarted, timeout=30000):
        win.start_call()
    page = win.call_page
    qtbot.waitUntil(lambda: page.transcript.count() >= 1, timeout=30000)
    session = win.controller.call.session
    long = "您好，" + "我们这边会尽快安排师傅上门检查暖气管道和阀门，" * 220     # about 5,000 characters
    assert len(long) > 4800 and session.spoken_seconds(long) > session.persona.mood.monologue_seconds
    page.reply.setText(long)
    page.send_reply()
    qtbot.waitUntil(lambda: page.transcript.count() >= 4, timeout=30000)
    items = [page.transcript.item(i) for i in range(page.transcript.count())]
    mine = next(i for i in items if i.text().startswith("You: "))
    assert mine.text() == "You: " + long                                 # the whole reply, not cut
    height = page.transcript.visualItemRect(mine).height()
    assert height >= page.transcript.needed_height(mine.text()) - 2 > 20 * page.transcript.fontMetrics().height()
    cut_in = set(session.persona.endings["interrupt_monologue"])
    customer = [t for t in session.timeline.turns if t.speaker == "customer"]
    assert customer[1].text in cut_in                                     # the persona's cut-in, first
    assert "long_monologue" in session.timeline.by("trainee")[0].extra["events"]
    answer_end_question()
    page.end_button.click()
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.result_page, timeout=60000)
    card = win.result_page.scorecard
    card.all_findings_button.click()
    assert "客户插话打断了你" in card.findings_list.toPlainText()           # the long-monologue finding


def test_push_to_talk_is_enabled_only_with_voice_replies_on(qtbot, tmp_path: Path, store) -> None:
    win = _call_window(qtbot, tmp_path, store)
    assert win.picker.select("zh.stubborn")
    with qtbot.waitSignal(win.controller.capabilitiesChecked, timeout=30000):
        win.start_call()
    page = win.call_page
    assert page.active and page.reply.isEnabled() and not page.push_to_talk.isEnabled()
    page.set_voice(True)                                                  # what a microphone and a model give
    assert page.push_to_talk.isEnabled()
    page.set_active(False)
    assert not page.push_to_talk.isEnabled()
    win.controller.end_call()


def test_the_projector_shows_the_customers_line_once(qtbot, tmp_path: Path, store) -> None:
    from simulator.ui.projector_window import ProjectorWindow

    win = _call_window(qtbot, tmp_path, store)
    projector = ProjectorWindow(win.controller, "zh")
    qtbot.addWidget(projector)
    projector.resize(1280, 720)   # a projector's screen: the transcript keeps only the lines that fit whole
    projector.show()
    projector.select("zh.stubborn", None)
    with qtbot.waitSignal(win.controller.bridge.callStarted, timeout=30000):
        projector.start_call()
    qtbot.waitUntil(lambda: bool(projector.customer_line.text()), timeout=30000)
    line = projector.customer_line.text()
    assert line and line not in projector.transcript.text()               # once, large; not again below
    win.controller.send_text("您好，我理解您的心情，我们一起来看看怎么解决。")
    qtbot.waitUntil(lambda: projector.customer_line.text() != line, timeout=30000)
    assert line in projector.transcript.text()                            # the earlier line moves down
    assert projector.customer_line.text() not in projector.transcript.text()
    win.controller.end_call()


def test_the_projector_wraps_a_long_scenario_title_before_cutting_it(qtbot, tmp_path: Path, store) -> None:
    from simulator.ui.projector_window import ProjectorWindow

    win = _call_window(qtbot, tmp_path, store)
    projector = ProjectorWindow(win.controller, "zh")
    qtbot.addWidget(projector)
    projector.resize(1024, 640)
    projector.show()
    title = "第三次投诉：维修师傅没按约定时间上门，电话里还说要找媒体曝光，要求今天给出书面答复和赔偿方案"
    projector._started("爱投诉的赵阿姨", title)
    projector._show_chooser(False)
    qtbot.waitUntil(lambda: projector.title.isVisible(), timeout=5000)
    label = projector.title
    assert label.fontMetrics().horizontalAdvance(label.text()) > label.contentsRect().width()   # longer than a line
    shown = label.shown_text()
    assert "…" not in shown and "".join(shown.split()) == "".join(label.text().split())  # all of it, on two lines
    assert label.height() >= 2 * label.fontMetrics().lineSpacing()
