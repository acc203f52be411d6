"""The user's settings: one typed, versioned JSON file in the per-user config folder.

Typed so that every reader gets valid values (a bad value falls back to its default with a warning
instead of failing later), versioned so that an older file is upgraded rather than thrown away, and
written atomically with mode 0600 because it may hold a database URL with a password.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from simulator.core.messages import Message
from simulator.core.nesting import too_deep

APP_NAME = "roleplay-sim"
ENV_CONFIG = "ROLEPLAY_SIM_CONFIG"
FILE_NAME = "settings.json"
SETTINGS_VERSION = 2
UI_LANGUAGES = ("system", "zh", "en")
PERSONA_LANGUAGES = ("zh", "en")
SILENCE_RANGE = (0.3, 5.0)  # seconds of silence that end a turn: shorter cuts people off, longer feels dead
RECENT_TRAINEES = 12        # names the facilitator's quick picker offers
NAME_LENGTH = 200           # the database's limit for a trainee's name and a group


class SettingsError(RuntimeError):
    """The settings file cannot be written; raised with a Message for the user."""


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    ui_language: str = "system"
    persona_language: str = "zh"
    model_dirs: dict[str, str] = field(default_factory=dict)  # language -> model folder
    input_device: str | None = None  # PortAudio device name; None = the system default
    output_device: str | None = None
    end_of_turn_silence: float = 1.6   # silence after words that stop mid-phrase (simulator.core.turn_taking)
    end_of_turn_short: float = 0.64   # silence after a complete reply (bench/bench_end_of_turn.py)
    push_to_talk: bool = False
    baseline_loudness_db: float | None = None
    trainee_name: str = ""     # who takes the next call, as they gave it (never the computer's user name)
    trainee_group: str = ""    # their class or team, optional
    recent_trainees: list[dict[str, str]] = field(default_factory=list)  # {"name", "group"}, newest first
    reviewer_name: str = ""    # who signs transcript corrections in review, asked once (see reviewer_name())
    db_url: str | None = None
    window_geometry: str = ""  # base64 of QWidget.saveGeometry()
    last_persona: str = ""     # persona id and scenario id of the last call, preselected at start
    last_scenario: str = ""
    setup_done: bool = False
    # What went wrong while loading (Messages, shown to the user once); never saved.
    load_warnings: list[str] = field(default_factory=list, compare=False, repr=False)
    # The file could not be read: it may have named a team database, so nothing may silently fall back
    # to the local one, and these defaults are not saved over it; never saved.
    unreadable: bool = field(default=False, compare=False, repr=False)


_NOT_SAVED = {"load_warnings", "unreadable"}
_FLOATS = {"end_of_turn_silence", "end_of_turn_short", "baseline_loudness_db"}  # JSON may hold them as ints


def settings_path() -> Path:
    """settings.json in the user config folder (env ROLEPLAY_SIM_CONFIG names another folder)."""
    override = os.environ.get(ENV_CONFIG)
    folder = Path(override).expanduser() if override else Path(platformdirs.user_config_dir(APP_NAME))
    return folder / FILE_NAME


def _is_optional_str(v: Any) -> bool:
    return v is None or isinstance(v, str)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


_VALID: dict[str, Callable[[Any], bool]] = {
    "ui_language": lambda v: v in UI_LANGUAGES,
    "persona_language": lambda v: v in PERSONA_LANGUAGES,
    "model_dirs": lambda v: isinstance(v, dict) and all(isinstance(k, str) and isinstance(p, str) for k, p in v.items()),
    "input_device": _is_optional_str,
    "output_device": _is_optional_str,
    "end_of_turn_silence": lambda v: _is_number(v) and SILENCE_RANGE[0] <= v <= SILENCE_RANGE[1],
    "end_of_turn_short": lambda v: _is_number(v) and SILENCE_RANGE[0] <= v <= SILENCE_RANGE[1],
    "push_to_talk": lambda v: isinstance(v, bool),
    "baseline_loudness_db": lambda v: v is None or _is_number(v),
    "trainee_name": lambda v: isinstance(v, str),
    "trainee_group": lambda v: isinstance(v, str),
    "recent_trainees": lambda v: isinstance(v, list) and all(
        isinstance(e, dict) and set(e) == {"name", "group"} and all(isinstance(x, str) for x in e.values())
        for e in v),
    "reviewer_name": lambda v: isinstance(v, str),
    "db_url": _is_optional_str,
    "window_geometry": lambda v: isinstance(v, str),
    "last_persona": lambda v: isinstance(v, str),
    "last_scenario": lambda v: isinstance(v, str),
    "setup_done": lambda v: isinstance(v, bool),
}


def tidy_name(text: str) -> str:
    """A name or group as kept: inner runs of spaces made one, ends trimmed, cut at NAME_LENGTH."""
    return " ".join(text.split())[:NAME_LENGTH]


def set_trainee(settings: Settings, name: str, group: str = "") -> None:
    """Make (name, group) the current trainee and the first of the recent ones. Raises ValueError for a
    blank name: every attempt belongs to a named trainee."""
    name, group = tidy_name(name), tidy_name(group)
    if not name:
        raise ValueError("a trainee name is required")
    settings.trainee_name, settings.trainee_group = name, group
    entry = {"name": name, "group": group}
    settings.recent_trainees = [entry] + [e for e in settings.recent_trainees if e != entry][:RECENT_TRAINEES - 1]


def _from_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 had one `language` for both the interface and the persona, and one `model_dir`."""
    data = dict(data)
    language = data.pop("language", None)
    if language in PERSONA_LANGUAGES:
        data.setdefault("ui_language", language)
        data.setdefault("persona_language", language)
    model_dir = data.pop("model_dir", None)
    if isinstance(model_dir, str) and model_dir:
        data.setdefault("model_dirs", {data.get("persona_language", "zh"): model_dir})
    return data


# MIGRATIONS[n] turns a version-n dict into a version-(n+1) dict.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _from_v1}


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        version = 1
    while version < SETTINGS_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return data


def _kept(path: Path) -> Path:
    return path.with_name(path.name + ".bad")


def _corrupt(path: Path, reason: str) -> Settings:
    """Keep the bad file for inspection (settings.json.bad) and start from defaults, marked unreadable."""
    kept = _kept(path)
    try:
        os.replace(path, kept)
    except OSError:
        return Settings(load_warnings=[Message("settings.unreadable", path=path, reason=reason)], unreadable=True)
    return Settings(load_warnings=[Message("settings.unreadable_kept", path=path, reason=reason, kept=kept)],
                    unreadable=True)


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, upgraded to the current version; defaults when there is no file yet.

    Never raises for a bad file: the user gets defaults and a warning in `load_warnings`.
    """
    path = Path(path) if path is not None else settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if _kept(path).exists():  # an earlier start found the file unreadable and nobody has fixed it yet
            return Settings(load_warnings=[Message("settings.still_unreadable", path=path, kept=_kept(path))],
                            unreadable=True)
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        return _corrupt(path, getattr(exc, "strerror", None) or str(exc))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return _corrupt(path, Message("settings.not_json", error=exc.msg, line=exc.lineno))
    except RecursionError:
        return _corrupt(path, Message("settings.too_deep"))
    if not isinstance(data, dict):
        return _corrupt(path, Message("settings.not_object"))
    if too_deep(data):
        return _corrupt(path, Message("settings.too_deep"))
    data = _migrate(data)
    settings = Settings()
    for name, valid in _VALID.items():
        if name not in data:
            continue
        value = data[name]
        if valid(value):
            setattr(settings, name, float(value) if name in _FLOATS and value is not None else value)
        else:
            settings.load_warnings.append(Message("settings.invalid_value", name=name, path=path, value=repr(value)))
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write atomically (temp file + rename) with mode 0600; returns the file written. Raises SettingsError,
    also for settings loaded from an unreadable file: saving their defaults would drop its db_url unseen."""
    path = Path(path) if path is not None else settings_path()
    if settings.unreadable:
        raise SettingsError(Message("settings.not_saved_unreadable", path=path, kept=_kept(path)))
    data = {k: v for k, v in asdict(settings).items() if k not in _NOT_SAVED}
    data["version"] = SETTINGS_VERSION
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise SettingsError(Message("settings.cannot_save_in", folder=path.parent, error=exc.strerror)) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)
            json.dump(data, out, ensure_ascii=False, indent=2, sort_keys=True)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise SettingsError(Message("settings.cannot_save_to", path=path, error=exc.strerror)) from exc
    return path


__all__ = ["SETTINGS_VERSION", "Settings", "SettingsError", "load_settings", "save_settings", "set_trainee",
           "reviewer_name", "settings_path", "tidy_name"]


def reviewer_name(settings: Settings) -> str:
    """Who signs a transcript correction: the reviewer name given before, else the name this machine's trainee
    uses; "" when neither is set (the review window then asks once, the CLI wants --reviewer)."""
    return (settings.reviewer_name or settings.trainee_name).strip()
