"""Issue 14 point 2 (review transcript, live call transcript, scorecard quotes): words the recogniser was unsure of are dimmed and underlined, and
hovering shows the confidence; typed or confident turns are shown as they are."""

from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser

from simulator.core.review.heard import heard_words
from simulator.core.timeline import Timeline, Turn, Word
from simulator.ui.review.attempt_detail import transcript_html

NAMES = {"customer": "Customer", "trainee": "Trainee"}


def test_doubtful_words_are_marked_with_their_confidence(qapp) -> None:
    heard = Turn("trainee", 5.0, 7.0, "这 不可能 马上 查", [Word("这", 5.0, 5.3, 0.96), Word("不可能", 5.3, 6.0, 0.41),
                                                        Word("马上", 6.0, 6.5, 0.93), Word("查", 6.5, 7.0, 0.9)])
    typed = Turn("trainee", 8.0, 8.0, "我们马上安排", extra={"typed": True})
    assert [w.doubtful for w in heard_words(heard)] == [False, True, False, False] and heard_words(typed) is None
    browser = QTextBrowser()
    browser.setHtml(transcript_html([heard, typed], NAMES, "none", doubt="confidence %s"))
    doubtful = browser.document().find("不可能").charFormat()
    assert doubtful.fontUnderline() and doubtful.toolTip() == "confidence 0.41"
    sure = browser.document().find("马上").charFormat()
    assert not sure.fontUnderline() and sure.toolTip() == ""
    assert "我们马上安排" in browser.toPlainText()


def test_the_live_transcript_marks_what_the_recogniser_doubted(qtbot, tmp_path) -> None:
    """From the recognised reply through the session and the bridge to the call screen's line."""
    from simulator.core.call_session import CallSession, TraineeReply
    from simulator.core.personas import default_personas_dir, load_persona
    from simulator.settings import Settings
    from simulator.speech.tts import SpeechRenderer
    from simulator.ui.call_controller import CallController, Capabilities
    from simulator.ui.call_page import CallPage
    from simulator.ui.transcript_list import HTML_ROLE

    session = CallSession(load_persona(default_personas_dir() / "zh" / "angry_threatening.toml"), seed=1)
    session.customer_spoke(session.opening(), 0.0, 4.0)
    heard = [Word("这", 5.0, 5.3, 0.96), Word("不可能", 5.3, 6.0, 0.41), Word("马上", 6.0, 6.5, 0.93)]
    spoken, _ = session.trainee_replied(TraineeReply("这 不可能 马上", 5.0, 6.5, heard))
    typed, _ = session.trainee_replied(TraineeReply("我们马上安排", 9.0, 9.0, typed=True))
    assert [w.conf for w in spoken.words] == [0.96, 0.41, 0.93] and typed.words == ()

    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"),
                                capabilities=Capabilities(audio=False, model_path=None, problems=()),
                                settings=Settings(trainee_name="张三"))
    page = CallPage(controller)
    qtbot.addWidget(page)
    page.resize(800, 600)
    page.show()
    controller.bridge.trainee_turn(spoken)
    controller.bridge.trainee_turn(typed)
    marked, plain = page.transcript.item(0), page.transcript.item(1)
    assert marked.text() == "You: 这 不可能 马上" and plain.text() == "You: 我们马上安排"
    assert marked.toolTip() == "不可能: possibly misheard: recognised with confidence 0.41"
    document = QTextBrowser()
    document.setHtml(marked.data(HTML_ROLE))
    assert document.document().find("不可能").charFormat().fontUnderline()
    assert not document.document().find("马上").charFormat().fontUnderline()
    assert plain.data(HTML_ROLE) is None and plain.toolTip() == ""
    # the marked line is as tall as its rich text needs, and drawn (the delegate paints without error)
    assert marked.sizeHint().height() >= page.transcript.needed_height(marked.text()) - 2
    page.transcript.viewport().grab()


def test_the_scorecard_quotes_doubtful_words_marked(qtbot) -> None:
    from simulator.core.analysis.call import analyze_call
    from simulator.core.personas import default_personas_dir, load_persona
    from simulator.ui.scorecard_view import ScorecardView

    customer = Turn("customer", 0.0, 4.0, "我家暖气两天不热了！")
    reply = Turn("trainee", 5.0, 7.5, "你听我说 这 不可能",
                 [Word("你听我说", 5.0, 6.0, 0.95), Word("这", 6.0, 6.3, 0.9), Word("不可能", 6.3, 7.5, 0.3)])
    analysis = analyze_call(Timeline("zh", "zh.angry_threatening", [customer, reply]), language="zh",
                            persona_type="angry_threatening")
    view = ScorecardView()
    qtbot.addWidget(view)
    view.set_result(analysis, load_persona(default_personas_dir() / "zh" / "angry_threatening.toml"), None)
    view.all_findings_button.setChecked(False)
    document = view.findings_list.document()
    quoted = document.find("不可能")
    assert not quoted.isNull(), view.findings_list.toPlainText()
    assert quoted.charFormat().fontUnderline()
    assert quoted.charFormat().toolTip() == "possibly misheard: recognised with confidence 0.30"
    assert not document.find("你听我说").charFormat().fontUnderline()
    view.release_audio()
