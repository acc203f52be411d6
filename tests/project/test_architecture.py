"""simulator.core stays pure: no Qt, no audio devices, no recogniser, no app adapters (also not by relative import).
And the layers above it import only from below: core < speech, storage, settings < app < ui < commands; the
widgets reach the store only through the application layer, and nothing under ui imports Qt-free layers' Qt."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "simulator" / "core"
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "pyqtgraph", "sounddevice", "vosk", "pyttsx3", "simulator.speech", "simulator.ui")


def _forbidden(names: list[str]) -> list[str]:
    return [n for n in names if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(text: str, module: str, is_package: bool = False) -> list[str]:
    """Absolute names of everything the module text imports; `from .. import x` counts as the module x."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    names: list[str] = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            source = ".".join(base + ([node.module] if node.module else []))
            names.append(source)
            names += [f"{source}.{a.name}" for a in node.names if a.name != "*"]
    return names


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_nothing_forbidden(path: Path) -> None:
    names = _imports(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py")
    bad = _forbidden(names)
    assert not bad, f"{path.name} imports {bad}"


def test_the_scan_catches_relative_and_from_package_imports() -> None:
    fake = ("from ..speech import audio_io\n"
            "from .. import ui\n"
            "from simulator import speech\n"
            "from .timeline import Word\n"
            "from . import voice\n")
    names = _imports(fake, "simulator.core.fake")
    assert _forbidden(names) == ["simulator.speech", "simulator.speech.audio_io", "simulator.ui",
                                 "simulator.speech"]
    assert {"simulator.core.timeline", "simulator.core.voice"} <= set(names)
    assert _imports("from .. import ui\n", "simulator.core.personas", is_package=True) == ["simulator.core",
                                                                                          "simulator.core.ui"]
    assert _forbidden(["simulator.speech.live_call", "simulator.ui", "vosk", "PySide6.QtCore"]) == [
        "simulator.speech.live_call", "simulator.ui", "vosk", "PySide6.QtCore"]
    assert _forbidden(["simulator.core.speech_rate", "simulator.uikit", "voskish", "simulator"]) == []


def test_core_import_loads_no_forbidden_module() -> None:
    code = (
        "import sys, pkgutil, importlib, simulator.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'simulator.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    loaded = out.stdout.split()
    assert "simulator.core.personas.loader" in loaded
    assert _forbidden(loaded) == []


SIMULATOR = ROOT / "simulator"
# rank of each top-level part of the package: a module imports only from lower ranks and its own part
LAYERS = {"core": 0, "speech": 1, "storage": 1, "settings": 1, "app": 2, "ui": 3, "commands": 4, "cli": 4,
          "__main__": 5}
NOT_FROM = {"ui": {"storage"}}   # widgets read and change attempts through simulator.app only
QT = ("PySide6", "PyQt5", "PyQt6", "pyqtgraph")
QT_FREE = {"core", "speech", "storage", "settings", "app"}


def _part(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def layer_violations(module: str, names: list[str]) -> list[str]:
    """The imports of `module` (a simulator.* name) that break the layer table."""
    own = _part(module)
    bad = []
    for name in names:
        if name.split(".")[0] in QT and own in QT_FREE:
            bad.append(name)
        if not name.startswith("simulator.") or (part := _part(name)) == own:
            continue
        if part not in LAYERS:
            continue   # a name imported from the package root, e.g. `from simulator import x` counted above
        if LAYERS[part] >= LAYERS[own] or part in NOT_FROM.get(own, ()):
            bad.append(name)
    return bad


@pytest.mark.parametrize("path", sorted(p for p in SIMULATOR.rglob("*.py") if "migrations" not in p.parts),
                         ids=lambda p: str(p.relative_to(SIMULATOR)))
def test_every_module_imports_only_from_the_layers_below(path: Path) -> None:
    module = _module_name(path)
    names = _imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
    bad = layer_violations(module, names)
    assert not bad, f"{module} ({_part(module)}) imports {bad}"


def test_the_layer_scan_catches_upward_and_sideways_imports() -> None:
    assert layer_violations("simulator.storage.db", ["simulator.ui.messages", "simulator.app", "simulator.core.x"]) == [
        "simulator.ui.messages", "simulator.app"]
    assert layer_violations("simulator.ui.review.notes_editor", ["simulator.storage", "simulator.app",
                                                                  "simulator.speech.player", "PySide6.QtCore"]) == [
        "simulator.storage"]
    assert layer_violations("simulator.app.review", ["PySide6.QtCore", "simulator.storage.export",
                                                     "simulator.ui.service_jobs", "simulator.commands"]) == [
        "PySide6.QtCore", "simulator.ui.service_jobs", "simulator.commands"]
    assert layer_violations("simulator.speech.tts", ["simulator.storage.db", "simulator.settings"]) == [
        "simulator.storage.db", "simulator.settings"]
    assert layer_violations("simulator.commands.attempts", ["simulator.ui.report_pdf", "simulator.storage"]) == []
