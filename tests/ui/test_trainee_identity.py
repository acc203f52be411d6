"""Every attempt belongs to a named trainee, on the real window: the first start asks for the name (and an
optional group), the facilitator switches trainee from the menu bar between calls (never during one), each
attempt carries the name and group it was made under, and the computer's user name is never stored,
exported or printed."""

from __future__ import annotations

import csv
import getpass
import json
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import text

from simulator.settings import RECENT_TRAINEES, Settings, load_settings, set_trainee
from simulator.speech.tts import SpeechRenderer
from simulator.storage.export import export_attempt, export_csv
from simulator.ui.call_controller import CallController, CallInProgress, Capabilities
from simulator.ui.main_window import MainWindow
from tests.dialogs import answer_end_question
from tests.missing import missing_part

TYPED_ONLY = Capabilities(audio=False, model_path=None, problems=())
REPLY = "您好，非常抱歉让您久等了，我马上帮您查一下。"


def open_window(qtbot, tmp_path: Path, store, settings: Settings) -> MainWindow:
    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=TYPED_ONLY, store=store,
                                settings=settings)
    window = MainWindow(controller, "zh")
    qtbot.addWidget(window)
    window.show()
    return window


def asked(qtbot, window: MainWindow):
    """The trainee dialog, once it shows."""
    qtbot.waitUntil(lambda: window.trainee_dialog is not None and window.trainee_dialog.isVisible(), timeout=5000)
    return window.trainee_dialog


def answer(dialog, name: str, group: str = "") -> None:
    dialog.name.setEditText(name)
    dialog.group.setEditText(group)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def take_call(qtbot, window: MainWindow, persona: str = "zh.stubborn") -> int:
    """Start a typed call, reply once, end it early; the stored attempt's id."""
    saved: list[int] = []
    window.controller.attemptSaved.connect(saved.append)
    assert window.picker.select(persona)
    window.start_call()
    qtbot.waitUntil(lambda: window.call_page.active and window.call_page.transcript.count() >= 1, timeout=30000)
    count = window.call_page.transcript.count()
    window.controller.send_text(REPLY)
    qtbot.waitUntil(lambda: window.call_page.transcript.count() > count, timeout=30000)
    answer_end_question(end=True)
    window.end_call()
    qtbot.waitUntil(lambda: bool(saved), timeout=60000)
    qtbot.waitUntil(lambda: not window.call_page.active, timeout=30000)
    return saved[0]


def test_the_first_start_asks_who_trains_and_the_attempt_carries_name_and_group(qtbot, tmp_path, store) -> None:
    window = open_window(qtbot, tmp_path, store, Settings())       # a first start: nobody named yet
    dialog = asked(qtbot, window)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.name.currentText() == "" and not ok.isEnabled()   # a name is required, the group is not
    dialog.name.setEditText("   ")
    assert not ok.isEnabled()
    answer(dialog, "  Li   Lei ", " 客服 二班 ")
    assert window.trainee_dialog is None
    assert window.controller.trainee() == "Li Lei" and window.controller.trainee_group() == "客服 二班"
    assert window.windowTitle().endswith("— Li Lei (客服 二班)")
    assert window.trainee_button.text() == "Trainee: Li Lei (客服 二班)"
    saved = load_settings()                                         # kept for the next start
    assert (saved.trainee_name, saved.trainee_group) == ("Li Lei", "客服 二班")
    assert saved.recent_trainees == [{"name": "Li Lei", "group": "客服 二班"}]

    record = store.get_attempt(take_call(qtbot, window))
    assert (record.trainee, record.group) == ("Li Lei", "客服 二班")
    assert [r.trainee for r in window.controller.recent_attempts()] == ["Li Lei"]

    again = open_window(qtbot, tmp_path, store, load_settings())    # the next start does not ask again
    qtbot.wait(100)
    assert again.trainee_dialog is None and again.controller.trainee() == "Li Lei"


def test_a_call_without_a_name_asks_for_it_first(qtbot, tmp_path, store) -> None:
    window = open_window(qtbot, tmp_path, store, Settings())
    asked(qtbot, window).reject()                                   # "later"
    assert window.picker.select("zh.stubborn")
    window.start_call()
    dialog = asked(qtbot, window)                                   # the call waits for a name
    assert not window.call_page.active and store.count_attempts() == 0
    answer(dialog, "韩梅梅")
    qtbot.waitUntil(lambda: window.call_page.active, timeout=30000)  # ... and then starts
    qtbot.waitUntil(lambda: store.count_attempts() == 1, timeout=30000)
    assert store.list_attempts()[0].trainee == "韩梅梅" and store.list_attempts()[0].group is None
    window.controller.end_call()
    window.controller.wait_finished()


def test_the_picker_switches_between_calls_and_never_during_one(qtbot, tmp_path, store) -> None:
    settings = Settings()
    set_trainee(settings, "王芳", "1班")
    set_trainee(settings, "张伟", "2班")
    window = open_window(qtbot, tmp_path, store, settings)
    first = take_call(qtbot, window)

    menu = window.trainee_button.menu()
    entries = [a for a in menu.actions() if not a.isSeparator()]
    assert [a.text() for a in entries] == ["张伟 (2班)", "王芳 (1班)", "&Other trainee…"]
    assert [a.isChecked() for a in entries[:2]] == [True, False]
    entries[1].trigger()                                            # the facilitator picks the next trainee
    assert window.trainee_button.text() == "Trainee: 王芳 (1班)"
    assert load_settings().recent_trainees == [{"name": "王芳", "group": "1班"}, {"name": "张伟", "group": "2班"}]
    second = take_call(qtbot, window)
    assert [(store.get_attempt(i).trainee, store.get_attempt(i).group) for i in (first, second)] == [
        ("张伟", "2班"), ("王芳", "1班")]

    assert window.picker.select("zh.stubborn")
    window.start_call()
    qtbot.waitUntil(lambda: window.call_page.active and window.controller.call is not None, timeout=30000)
    assert not window.trainee_button.isEnabled() and not window.trainee_action.isEnabled()
    assert window.switch_trainee("张伟", "2班") is False             # refused, and said why
    assert "End the call before switching the trainee." in window.problems.text()
    window.ask_trainee()
    assert window.trainee_dialog is None
    with pytest.raises(CallInProgress):
        window.controller.switch_trainee("张伟", "2班")
    assert window.controller.trainee() == "王芳"
    answer_end_question(end=True)
    window.end_call()
    window.controller.wait_finished()
    qtbot.waitUntil(lambda: store.count_attempts() == 3 and store.list_attempts()[0].status == "complete",
                    timeout=30000)
    assert store.list_attempts()[0].trainee == "王芳"
    qtbot.waitUntil(lambda: window.trainee_button.isEnabled(), timeout=30000)

    entries = [a for a in window.trainee_button.menu().actions() if not a.isSeparator()]
    entries[-1].trigger()                                           # "Other trainee…": the dialog, with recent ones
    dialog = asked(qtbot, window)
    assert [dialog.name.itemText(i) for i in range(dialog.name.count())] == ["王芳", "张伟"]
    assert [dialog.group.itemText(i) for i in range(dialog.group.count())] == ["1班", "2班"]
    dialog.name.setCurrentIndex(1)
    dialog.name.activated.emit(1)                                   # a recent name brings its group along
    assert dialog.group.currentText() == "2班"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert (window.controller.trainee(), window.controller.trainee_group()) == ("张伟", "2班")


def test_a_long_name_is_elided_in_the_menu_bar_not_widening_the_window(qtbot, tmp_path, store) -> None:
    settings = Settings()
    set_trainee(settings, "Ann", "A")
    window = open_window(qtbot, tmp_path, store, settings)
    short = window.minimumSizeHint().width()
    long_name = "Maximiliana Konstantinopoulou-Wiśniewska " * 4     # 164 characters, under the 200 kept
    assert window.switch_trainee(long_name, "Evening class of the second-line complaints team")
    assert window.minimumSizeHint().width() <= short + 200
    assert window.trainee_button.text().endswith("…") and long_name.split()[0] in window.trainee_button.text()
    assert long_name.strip() in window.trainee_button.toolTip()
    window.ask_trainee()
    dialog = asked(qtbot, window)
    assert dialog.width() < 900 and dialog.name.currentText() == " ".join(long_name.split())
    dialog.reject()


def test_recent_trainees_are_newest_first_without_repeats_and_bounded() -> None:
    settings = Settings()
    for i in range(RECENT_TRAINEES + 5):
        set_trainee(settings, f"trainee{i}", "A" if i % 2 else "")
    set_trainee(settings, "trainee15", "A")                         # picked again: moves to the front
    names = [e["name"] for e in settings.recent_trainees]
    assert len(names) == RECENT_TRAINEES and names[0] == "trainee15" and names.count("trainee15") == 1
    assert names[1:4] == ["trainee16", "trainee14", "trainee13"]
    set_trainee(settings, "trainee15", "B")                         # same name, other group: its own entry
    assert settings.recent_trainees[:2] == [{"name": "trainee15", "group": "B"}, {"name": "trainee15", "group": "A"}]
    with pytest.raises(ValueError):
        set_trainee(settings, " \t ")
    assert settings.trainee_name == "trainee15"


def test_a_damaged_recent_list_falls_back_with_a_warning(tmp_path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 2, "trainee_name": "Ann", "trainee_group": "G1",
                                "recent_trainees": [{"name": "Ann"}]}), encoding="utf-8")
    settings = load_settings(path)
    assert (settings.trainee_name, settings.trainee_group, settings.recent_trainees) == ("Ann", "G1", [])
    assert any("recent_trainees" in str(w) for w in settings.load_warnings)


def test_the_computers_user_name_is_never_stored_exported_or_printed(qtbot, tmp_path, store, monkeypatch) -> None:
    login = "qzlogin4417"
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, login)
    assert getpass.getuser() == login

    controller = CallController(renderer=SpeechRenderer(tmp_path / "tts"), capabilities=TYPED_ONLY, store=store,
                                settings=Settings())
    problems: list[str] = []
    finished: list[object] = []
    controller.bridge.problemRaised.connect(problems.append)
    controller.callFinished.connect(finished.append)
    controller.start_call("zh.stubborn", None)                      # no name: refused, nothing stored
    assert finished == [None] and store.count_attempts() == 0 and "trainee's name" in problems[0]
    assert controller.trainee() == "" and controller.recent_attempts() == []

    window = open_window(qtbot, tmp_path, store, Settings())
    answer(asked(qtbot, window), "Han Meimei", "Night shift")
    attempt = take_call(qtbot, window)

    with store.engine.connect() as connection:
        rows = [str(tuple(r)) for table in ("trainees", "attempts")
                for r in connection.execute(text(f"SELECT * FROM {table}"))]
    bundle = export_attempt(store, attempt, tmp_path / "attempt.zip")
    with zipfile.ZipFile(bundle) as z:
        exported = b"".join(z.read(n) for n in z.namelist() if n.endswith(".json")).decode("utf-8")
    export_csv(store, tmp_path / "attempts.csv")
    table = (tmp_path / "attempts.csv").read_text(encoding="utf-8-sig")
    pdf = pdf_texts(store, attempt, tmp_path)
    for what, content in [("database", "\n".join(rows)), ("bundle", exported), ("csv", table)] + pdf:
        assert "Han Meimei" in content and "Night shift" in content, what      # the name is there ...
        assert login not in content, what                                       # ... the login is not
    assert next(csv.DictReader(table.splitlines()))["group"] == "Night shift"


def pdf_texts(store, attempt: int, folder: Path) -> list[tuple[str, str]]:
    import shutil
    import subprocess
    import unicodedata

    from simulator.ui.report_pdf import write_attempt_pdf
    from simulator.core.personas.index import load_persona_index

    if shutil.which("pdftotext") is None:
        missing_part("poppler-utils (pdftotext) is not installed")
    out = []
    for language in ("en", "zh"):
        path = write_attempt_pdf(store, attempt, folder / f"report-{language}.pdf", language, load_persona_index())
        shown = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, timeout=60)
        out.append((f"pdf {language}", unicodedata.normalize("NFKC", shown.stdout.decode("utf-8"))))
    return out
