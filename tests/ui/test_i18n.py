"""The interface in Chinese and English: a complete, compiled catalogue; the language setting (system,
zh, en) and the in-window switch; a font that really draws Chinese."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QLocale
from PySide6.QtGui import QFontDatabase, QImage
from PySide6.QtWidgets import QApplication, QLabel

import simulator.ui
from simulator.settings import Settings, load_settings
from simulator.ui import i18n
from simulator.ui.call_controller import CallController, Capabilities

UI_DIR = Path(simulator.ui.__file__).parent
TS = i18n.CATALOGUE_DIR / f"{i18n.CATALOGUE}.ts"
QM = i18n.CATALOGUE_DIR / f"{i18n.CATALOGUE}.qm"
TYPED_ONLY = Capabilities(audio=False, model_path=None, problems=())
PLACEHOLDER = re.compile(r"%(?:\d|n|s|v|[+.\d]*f)|\{\w+\}")


def _qt_tool(name: str) -> str:
    import PySide6

    return str(Path(PySide6.__file__).parent / name)


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    return {(context.findtext("name"), message.findtext("source")): message
            for context in ET.parse(ts).getroot().iter("context") for message in context.iter("message")}


def _code_strings() -> set[tuple[str, str]]:
    """(context, source) of every tr()/translate() call with literal text, read from the code itself:
    lupdate silently skips some call shapes (tr() inside an f-string, len() as the count)."""
    found: set[tuple[str, str]] = set()
    for path in sorted(UI_DIR.rglob("*.py")):
        classes: list[str] = []

        class Visitor(ast.NodeVisitor):
            def visit_ClassDef(self, node: ast.ClassDef) -> None:
                classes.append(node.name)
                self.generic_visit(node)
                classes.pop()

            def visit_Call(self, node: ast.Call) -> None:
                name = getattr(node.func, "attr", None)
                args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if name == "tr" and args and classes:
                    found.add((classes[-1], args[0]))
                elif name == "translate" and len(args) >= 2:
                    found.add((args[0], args[1]))
                self.generic_visit(node)

        Visitor().visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_catalogue_holds_exactly_the_strings_of_the_code(tmp_path) -> None:
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in UI_DIR.rglob("*.py"))
    subprocess.run([_qt_tool("lupdate"), "-extensions", "py", "-locations", "none", *sources, "-ts", str(fresh)],
                   check=True, capture_output=True)
    extracted = set(_messages(fresh))
    committed = set(_messages(TS))
    assert len(extracted) > 300
    assert extracted - committed == set(), "new strings: run scripts/update_translations.sh and translate them"
    assert committed - extracted == set(), "strings no longer in the code: run scripts/update_translations.sh"
    assert _code_strings() - extracted == set(), "tr() calls that lupdate cannot see: take them out of f-strings"


def test_every_string_has_a_chinese_translation_with_the_same_placeholders() -> None:
    for (context, source), message in _messages(TS).items():
        translation = message.find("translation")
        where = f"{context}: {source!r}"
        assert translation.get("type") is None, f"{where} is {translation.get('type')}"
        forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
        for text in forms:
            assert text.strip(), f"{where} has an empty translation"
            assert Counter(PLACEHOLDER.findall(text)) == Counter(PLACEHOLDER.findall(source)), where
            if re.search(r"&\w", source):
                assert re.search(r"&\w", text), f"{where} lost its keyboard accelerator"
        if len(re.findall(r"[A-Za-z]", source)) > 8:   # real words, not just a unit or a shortcut list
            assert any(re.search(r"[\u4e00-\u9fff]", t) for t in forms), f"{where} is not Chinese"


def test_committed_qm_is_what_lrelease_makes_of_the_ts(tmp_path) -> None:
    compiled = tmp_path / "fresh.qm"
    subprocess.run([_qt_tool("lrelease"), str(TS), "-qm", str(compiled)], check=True, capture_output=True)
    assert compiled.read_bytes() == QM.read_bytes(), "run scripts/update_translations.sh"


@pytest.fixture
def english_after(qapp):
    """Leave the application untranslated for whatever runs next."""
    yield qapp
    i18n.install_translator(qapp, "en")


def _window(qtbot, tmp_path, monkeypatch, ui_language: str):
    from simulator.ui.main_window import MainWindow

    monkeypatch.setenv("ROLEPLAY_SIM_CONFIG", str(tmp_path / "config"))
    i18n.install_translator(QApplication.instance(), ui_language)
    controller = CallController(capabilities=TYPED_ONLY, settings=Settings(ui_language=ui_language))
    window = MainWindow(controller, "zh")
    qtbot.addWidget(window)
    window.show()
    return window


def _menu_titles(window) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


@pytest.mark.parametrize("language, start, end, menus", [
    ("zh", "开始通话(&S)", "结束通话(&E)", ["通话(&C)", "视图(&V)"]),
    ("en", "&Start call", "&End call", ["&Call", "&View"]),
])
def test_window_speaks_the_chosen_language(english_after, qtbot, tmp_path, monkeypatch,
                                           language, start, end, menus) -> None:
    window = _window(qtbot, tmp_path, monkeypatch, language)
    assert window.picker.start_button.text() == start
    assert window.call_page.end_button.text() == end
    assert window.end_action.text() == end
    assert _menu_titles(window) == menus
    title = window.windowTitle()
    assert bool(re.search(r"[\u4e00-\u9fff]", title)) == (language == "zh")


@pytest.mark.parametrize("lang_env, expected", [("zh_CN.UTF-8", "zh"), ("en_US.UTF-8", "en"), ("de_DE.UTF-8", "en")])
def test_system_setting_follows_the_system_locale(lang_env, expected) -> None:
    script = ("from PySide6.QtWidgets import QApplication; from PySide6.QtCore import QCoreApplication as C; "
              "from simulator.ui.i18n import install_translator; app = QApplication([]); "
              "print(install_translator(app, 'system'), C.translate('MainWindow', '&Start call'))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update(LANG=lang_env, LANGUAGE="", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    language, text = result.stdout.strip().split(" ", 1)
    assert language == expected
    assert text == ("开始通话(&S)" if expected == "zh" else "&Start call")


def test_resolve_language_without_the_system() -> None:
    chinese, taiwan, english = QLocale("zh_CN"), QLocale("zh_TW"), QLocale("en_GB")
    assert [i18n.resolve_language("system", loc) for loc in (chinese, taiwan, english)] == ["zh", "zh", "en"]
    assert i18n.resolve_language("en", chinese) == "en" and i18n.resolve_language("zh", english) == "zh"


def _language_action(window, code: str):
    return next(a for a in window.language_actions.actions() if a.data() == code)


def test_language_menu_rebuilds_the_window_in_place(english_after, qtbot, tmp_path, monkeypatch) -> None:
    window = _window(qtbot, tmp_path, monkeypatch, "en")
    controller, old_picker = window.controller, window.picker
    assert window.picker.select("zh.stubborn")
    _language_action(window, "zh").trigger()
    assert window.picker is not old_picker and window.controller is controller
    assert window.picker.start_button.text() == "开始通话(&S)"
    assert _menu_titles(window) == ["通话(&C)", "视图(&V)"]
    assert window.picker.current_entry().persona_id == "zh.stubborn"
    assert _language_action(window, "zh").isChecked()
    assert load_settings().ui_language == "zh"
    _language_action(window, "en").trigger()
    assert window.picker.start_button.text() == "&Start call"
    assert load_settings().ui_language == "en"


def test_language_cannot_change_during_a_call(english_after, qtbot, tmp_path, monkeypatch) -> None:
    from simulator.speech.tts import SpeechRenderer

    window = _window(qtbot, tmp_path, monkeypatch, "en")
    window.controller.renderer = SpeechRenderer(tmp_path / "tts")
    window.start_call()
    try:
        page = window.call_page
        _language_action(window, "zh").trigger()
        assert window.call_page is page and page.end_button.text() == "&End call"
        assert _language_action(window, "en").isChecked() and window.settings.ui_language == "en"
        assert "End the call before" in window.problems.text()
    finally:
        window.controller.end_call()


def test_a_simplified_chinese_font_is_installed_and_preferred(qapp) -> None:
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    assert i18n.cjk_family(families) == "Noto Sans CJK SC"
    assert i18n.ensure_cjk_font() is None


def test_without_a_chinese_font_the_user_is_told_which_package_to_install(qapp) -> None:
    assert i18n.cjk_family([]) is None
    warning = i18n.missing_font_warning(i18n.cjk_family([]))
    assert "fonts-noto-cjk" in warning and "%1" not in warning
    assert i18n.missing_font_warning("Noto Sans CJK SC") is None
    assert i18n.cjk_family(["AR PL UMing CN", "WenQuanYi Zen Hei"]) == "WenQuanYi Zen Hei"
    assert i18n.cjk_family(["AR PL UMing CN"]) == "AR PL UMing CN"


def _render(text: str) -> QImage:
    label = QLabel(text)
    font = label.font()
    font.setPixelSize(32)
    label.setFont(font)
    label.setStyleSheet("background: white; color: black;")
    label.adjustSize()
    return label.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def _ink(image: QImage) -> int:
    return sum(1 for y in range(image.height()) for x in range(image.width()) if image.pixelColor(x, y).lightness() < 128)


def test_chinese_text_is_drawn_with_real_glyphs_not_boxes(qapp) -> None:
    i18n.ensure_cjk_font()
    tofu = _render("\U000f0000")  # a private-use character no font draws: the missing-glyph box
    glyphs = [_render(ch) for ch in "暖气不达标"]
    assert all(_ink(g) > 20 for g in glyphs), "a character was drawn blank"
    assert len({bytes(g.constBits()) for g in glyphs}) == 5, "different characters look identical"
    assert all(g.size() != tofu.size() or bytes(g.constBits()) != bytes(tofu.constBits()) for g in glyphs)
    whole = _render("暖气不达标")
    assert whole.width() > 4 * glyphs[0].width() * 0.8


def test_language_switch_reopens_the_projector_in_the_new_language(english_after, qtbot, tmp_path,
                                                                   monkeypatch) -> None:
    window = _window(qtbot, tmp_path, monkeypatch, "en")
    window.open_projector()
    old = window.projector
    assert old.windowTitle() == "Call simulator — projector"
    _language_action(window, "zh").trigger()
    assert window.projector is not old and window.projector.isVisible() and not old.isVisible()
    assert window.projector.windowTitle() == "通话模拟器 — 投影"
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)   # the old pages and projector are gone
    window.controller.bridge.problemRaised.emit("a problem after the switch")
    assert "a problem after the switch" in window.problems.text()
    window.projector.close()


def test_lists_and_numbers_follow_the_interface_language(qapp) -> None:
    from PySide6.QtCore import QLocale

    from simulator.ui.i18n import install_translator

    try:
        install_translator(qapp, "zh")
        assert QLocale().createSeparatedList(["停顿", "语速", "音量"]) == "停顿、语速和音量"
        install_translator(qapp, "en")
        assert QLocale().createSeparatedList(["pauses", "pace"]) == "pauses and pace"
    finally:
        install_translator(qapp, "en")
