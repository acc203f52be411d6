"""Settings: round trip, migration of an older file, bad files and bad values, private file mode."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from simulator.settings import SETTINGS_VERSION, Settings, SettingsError, load_settings, save_settings, settings_path


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("ROLEPLAY_SIM_CONFIG", str(folder))
    return folder


def chosen() -> Settings:
    return Settings(ui_language="en", persona_language="en", model_dirs={"en": "/models/en", "zh": "/models/zh 中文"},
                    input_device="pulse", output_device=None, end_of_turn_silence=0.8, push_to_talk=True,
                    baseline_loudness_db=-23.5, trainee_name="王小明", db_url="postgresql://u:pw@host/db",
                    window_geometry="AdnQywADAAAAAAAA", setup_done=True)


def test_no_file_gives_defaults_without_warnings(config_dir: Path) -> None:
    settings = load_settings()
    assert settings == Settings()
    assert settings.load_warnings == []
    assert not (config_dir / "settings.json").exists()


def test_round_trip_keeps_every_field_in_the_env_folder(config_dir: Path) -> None:
    written = save_settings(chosen())
    assert written == config_dir / "settings.json" == settings_path()
    loaded = load_settings()
    assert loaded == chosen()
    assert loaded.load_warnings == []
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["version"] == SETTINGS_VERSION
    assert "load_warnings" not in data
    assert data["trainee_name"] == "王小明"


def test_file_is_private_and_replaced_atomically(config_dir: Path) -> None:
    path = config_dir / "settings.json"
    config_dir.mkdir()
    path.write_text("{}")
    path.chmod(0o644)
    save_settings(chosen())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in config_dir.iterdir()) == ["settings.json"]  # no temp file left behind


def test_version_1_file_is_migrated(config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / "settings.json").write_text(json.dumps(
        {"version": 1, "language": "en", "model_dir": "/old/model", "trainee_name": "Ann", "push_to_talk": True}))
    settings = load_settings()
    assert (settings.ui_language, settings.persona_language) == ("en", "en")
    assert settings.model_dirs == {"en": "/old/model"}
    assert settings.trainee_name == "Ann" and settings.push_to_talk is True
    assert settings.version == SETTINGS_VERSION
    save_settings(settings)
    data = json.loads((config_dir / "settings.json").read_text())
    assert data["version"] == SETTINGS_VERSION and "language" not in data and "model_dir" not in data


def test_file_without_version_is_treated_as_version_1(config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / "settings.json").write_text(json.dumps({"language": "zh", "model_dir": "/m"}))
    assert load_settings().model_dirs == {"zh": "/m"}


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "\xff\xfe garbage"])
def test_corrupt_file_gives_defaults_a_warning_naming_it_and_is_kept(config_dir: Path, content: str) -> None:
    config_dir.mkdir()
    path = config_dir / "settings.json"
    path.write_bytes(content.encode("latin-1"))
    settings = load_settings()
    assert settings == Settings()
    assert len(settings.load_warnings) == 1
    assert str(path) in settings.load_warnings[0]
    assert (config_dir / "settings.json.bad").read_bytes() == content.encode("latin-1")
    assert not path.exists()
    with pytest.raises(SettingsError, match="may name a team database"):
        save_settings(settings)  # the window's geometry saved on close would bury the bad file's db_url
    again = load_settings()
    assert again.unreadable and "settings.json.bad" in again.load_warnings[0]
    save_settings(Settings(ui_language="en"))  # chosen anew (the set-up assistant): the problem is settled
    assert load_settings().load_warnings == [] and not load_settings().unreadable


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_file_is_unreadable_not_a_recursion_error(config_dir: Path, depth: int) -> None:
    config_dir.mkdir()
    (config_dir / "settings.json").write_text('{"db_url": ' + "[" * depth + "]" * depth + "}")
    settings = load_settings()
    assert settings.unreadable and settings == Settings()
    assert "nested too deeply" in settings.load_warnings[0]


def test_invalid_values_fall_back_per_field_with_a_warning(config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / "settings.json").write_text(json.dumps(
        {"version": SETTINGS_VERSION, "ui_language": "fr", "end_of_turn_silence": 99, "push_to_talk": "yes",
         "model_dirs": {"zh": 3}, "trainee_name": "Li", "baseline_loudness_db": -20}))
    settings = load_settings()
    assert settings.ui_language == "system"
    assert settings.end_of_turn_silence == Settings().end_of_turn_silence
    assert settings.push_to_talk is False and settings.model_dirs == {}
    assert settings.trainee_name == "Li"
    assert settings.baseline_loudness_db == -20.0 and isinstance(settings.baseline_loudness_db, float)
    named = " ".join(settings.load_warnings)
    for name in ("ui_language", "end_of_turn_silence", "push_to_talk", "model_dirs"):
        assert f"'{name}'" in named
    assert len(settings.load_warnings) == 4


def test_explicit_path_overrides_the_config_folder(tmp_path: Path, config_dir: Path) -> None:
    path = tmp_path / "elsewhere" / "my.json"
    save_settings(chosen(), path)
    assert load_settings(path) == chosen()
    assert not config_dir.exists()


def test_unwritable_folder_is_a_user_facing_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(SettingsError, match="Cannot save the settings"):
        save_settings(Settings(), blocker / "settings.json")
