"""`pip install .` ships everything the app reads at run time: a real wheel is built (offline), checked for
every persona file, every asset and every module, installed into a folder and run from elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

PROJECT_FILES = ("pyproject.toml", "setup.py", "README.md", "simulator", "personas", "assets")


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def _offline_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROLEPLAY_SIM_")}
    env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS="", PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from a copy so the checkout gets no build/ or egg-info folders."""
    work = tmp_path_factory.mktemp("build")
    source = work / "source"
    for name in PROJECT_FILES:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(item, source / name)
    dist = work / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist)], check=True, env=_offline_env(), capture_output=True, timeout=300)
    (built,) = dist.glob("roleplay_sim-*.whl")
    return built


def test_wheel_holds_every_persona_asset_and_module(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    personas = _files(ROOT / "personas")
    assert len([p for p in personas if p.endswith(".toml")]) == 8
    assert {f"simulator/bundled/personas/{p}" for p in personas} <= names
    assets = _files(ROOT / "assets")
    assert "icon.svg" in assets
    assert {f"simulator/bundled/assets/{p}" for p in assets} <= names
    modules = {f"simulator/{p}" for p in _files(ROOT / "simulator") if p.endswith(".py")}
    assert modules - names == set()
    data = {f"simulator/{p}" for p in _files(ROOT / "simulator") if p.startswith("data/")}
    assert data - names == set()


def test_installed_copy_finds_its_personas_and_assets(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", str(wheel), "--no-deps", "-q", "--target", str(target)],
                   check=True, env=_offline_env(), capture_output=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _offline_env(PYTHONPATH=str(target))
    check = subprocess.run([sys.executable, "-m", "simulator", "personas", "check"], cwd=elsewhere, env=env,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    lines = check.stdout.splitlines()
    ids = sorted(line.split()[0] for line in lines[:-1])
    assert ids == sorted(f"{lang}.{kind}" for lang in ("zh", "en")
                         for kind in ("angry_threatening", "stubborn", "habitual_complainer", "insulting"))
    assert lines[-1] == (f"8 persona(s) valid, 0 error(s) in 0 file(s) under "
                         f"{target / 'simulator' / 'bundled' / 'personas'}")
    where = subprocess.run([sys.executable, "-c", "from simulator.core.bundled import bundled_dir; "
                            "print(bundled_dir('assets') / 'icon.svg')"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60, check=True)
    icon = Path(where.stdout.strip())
    assert icon == target / "simulator" / "bundled" / "assets" / "icon.svg"
    assert icon.read_bytes() == (ROOT / "assets" / "icon.svg").read_bytes()
