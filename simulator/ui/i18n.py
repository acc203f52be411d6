"""The interface language and a font that can draw it.

English is the source text of every tr() string, so English needs no translator; Chinese comes from the
compiled catalogue simulator/data/i18n/roleplay_zh_CN.qm (committed, so no Qt tools are needed at run
time) plus Qt's own catalogue for the standard dialog buttons. Chinese also needs a CJK font: without one
every character is drawn as an empty box, so the user is told which package to install."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFontDatabase

CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "data" / "i18n"
CATALOGUE = "roleplay_zh_CN"
PREFERRED_CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Noto Sans SC")
CJK_FONT_PACKAGE = "fonts-noto-cjk"

_installed: list[QTranslator] = []  # kept alive here: Qt does not own installed translators


def resolve_language(ui_language: str, locale: QLocale | None = None) -> str:
    """"zh" or "en": the setting itself, or for "system" Chinese when the system locale is Chinese."""
    if ui_language in ("zh", "en"):
        return ui_language
    locale = locale if locale is not None else QLocale.system()
    return "zh" if locale.language() == QLocale.Language.Chinese else "en"


def install_translator(app: QCoreApplication, ui_language: str) -> str:
    """Replace the translators of a previous call with those for `ui_language`; returns "zh" or "en".

    Widgets built afterwards show the new language; existing ones keep their text (rebuild them)."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = resolve_language(ui_language)
    QLocale.setDefault(QLocale("zh_CN" if language == "zh" else "en_US"))  # numbers and lists follow the UI
    if language != "zh":
        return language
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((CATALOGUE, str(CATALOGUE_DIR)), ("qtbase_zh_CN", qt_dir)):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
    return language


def cjk_family(families: Iterable[str], preferred: Iterable[str] = PREFERRED_CJK_FONTS) -> str | None:
    """The font to draw Simplified Chinese with: a preferred one if present, else any of `families`."""
    available = list(families)
    for name in preferred:
        if name in available:
            return name
    return available[0] if available else None


def missing_font_warning(family: str | None) -> str | None:
    """What to tell the user when no font can draw Chinese (None when one can)."""
    if family is not None:
        return None
    return QCoreApplication.translate(
        "I18n", "No Chinese font is installed, so Chinese text shows as empty boxes. "
                "Install the %1 package (sudo apt install %1) and restart the simulator.").replace(
        "%1", CJK_FONT_PACKAGE)


def ensure_cjk_font() -> str | None:
    """The user-facing warning when no installed font can draw Simplified Chinese (None when one can).

    The font itself is left to fontconfig's fallback, which picks a CJK face for Chinese characters.
    Naming it in the application font (substitution or a second family) was tried and dropped: Qt then
    measures every line with the CJK font's taller line spacing (35 -> 44 px at 30 px), which makes all
    layouts taller and keeps the projector view from fitting a 600-pixel-high screen."""
    return missing_font_warning(cjk_family(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)))


__all__ = ["CATALOGUE", "CATALOGUE_DIR", "cjk_family", "ensure_cjk_font", "install_translator",
           "missing_font_warning", "resolve_language"]
