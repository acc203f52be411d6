"""Reading an attempt bundle for import without trusting it.

A bundle comes from another machine, or from anyone: attempt.json is checked against
simulator/data/bundle.schema.json (types, ranges, lengths), timeline.json against the timeline format and
the analysis limits, and every member is read with a size cap that does not believe the zip's headers.
The recording must decode as a stereo FLAC no longer than the call it belongs to (a small zip can hold
hours of compressed silence). The same checks run before the database is touched, so SQLite and
PostgreSQL accept and refuse the same bundles. The content hash lets a store recognise a bundle it has
imported already.
"""

from __future__ import annotations

import hashlib
import json
import math
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import soundfile as sf

from simulator.core.nesting import MAX_DEPTH, too_deep
from simulator.core.recording_file import decoded
from simulator.core.timeline import MAX_CALL_SECONDS, TimelineError, validate

from .errors import StorageError

BUNDLE_FORMAT = 1
META_LIMIT = 1 << 20             # attempt.json: its longest fields (notes) are capped far below this
TIMELINE_LIMIT = 32 << 20        # timeline.json: a four-hour call's words with times
RECORDING_LIMIT = 1 << 30        # a four-hour FLAC at 16 kHz stereo is about 500 MB
RECORDING_SLACK_S = 60.0         # the recording may run this much past the call's end (the close of the call)
_COPY = 1 << 20
RECORDING_NAMES = ("recording.flac", "recording.wav")  # the app records FLAC; WAV from older versions
AUDIO_FORMATS = ("FLAC", "WAV")


class BundleError(StorageError):
    """The file is not an attempt bundle this version can import; str() says why in one line."""


@dataclass
class Bundle:
    meta: dict[str, Any]
    timeline: dict[str, Any]
    recording: Path | None
    content_hash: str


def read_bundle(path: Path, workdir: Path) -> Bundle:
    """The checked contents of the bundle at `path`; the recording is extracted into `workdir`. Raises
    BundleError naming the file."""
    try:
        return _read(path, workdir)
    except BundleError as exc:
        message = str(exc)
        raise BundleError(message if message.startswith(f"{path}: ") else f"{path}: {message}") from None


def _read(path: Path, workdir: Path) -> Bundle:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            meta = _json(z, "attempt.json", META_LIMIT)
            timeline = _json(z, "timeline.json", TIMELINE_LIMIT)
            check_meta(meta)
            _check_timeline(timeline)
            _check_corrections(meta, timeline)
            audio_names = [n for n in names if n.startswith("recording.")]
            if len(audio_names) > 1 or (audio_names and audio_names[0] not in RECORDING_NAMES):
                raise BundleError(f"unexpected recording {', '.join(audio_names)} (a bundle holds one of "
                                  f"{', '.join(RECORDING_NAMES)})")
            recording = _extract(z, audio_names[0], workdir) if audio_names else None
    except FileNotFoundError as exc:
        raise BundleError(f"{path}: no such file") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise BundleError(f"{path}: not an attempt bundle ({exc})") from exc
    except OSError as exc:
        raise BundleError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    digest = hashlib.sha256()
    for part in (meta | {"bundle_format": None}, timeline):
        digest.update(json.dumps(part, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())
        digest.update(b"\0")
    if recording is not None:
        _check_recording(recording, _call_seconds(meta, timeline))
        with recording.open("rb") as f:
            while block := f.read(_COPY):
                digest.update(block)
    return Bundle(meta, timeline, recording, digest.hexdigest())


def check_meta(meta: Any) -> None:
    """attempt.json against the bundle schema, then what a schema cannot say (dates, their order)."""
    import jsonschema

    if not isinstance(meta, dict):
        raise BundleError(f"attempt.json is not a JSON object but {type(meta).__name__}")
    if isinstance(meta.get("bundle_format"), int) and meta["bundle_format"] > BUNDLE_FORMAT:
        raise BundleError("the bundle was made by a newer version of the simulator")
    try:
        jsonschema.validate(meta, _schema())
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise BundleError(f"attempt.json is invalid at {where}: {_short(exc.message)}") from None
    started, ended = parse_time(meta, "started_at"), parse_time(meta, "ended_at")
    if ended is not None and not started <= ended <= started + timedelta(seconds=MAX_CALL_SECONDS):
        raise BundleError(f"attempt.json: ended_at must be between started_at and {MAX_CALL_SECONDS // 3600} "
                          f"hours after it")


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return json.loads(resources.files("simulator.data").joinpath("bundle.schema.json").read_text(encoding="utf-8"))


def _json(z: zipfile.ZipFile, name: str, limit: int) -> Any:
    try:
        with z.open(name) as member:
            data = member.read(limit + 1)
    except KeyError:
        raise BundleError(f"not an attempt bundle: {name} is missing") from None
    if len(data) > limit:
        raise BundleError(f"{name} is larger than {limit >> 20} MB")
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{name} is not JSON ({_short(str(exc))})") from None
    except RecursionError:
        value = None
    if value is None or too_deep(value):
        raise BundleError(f"{name} is nested too deeply (more than {MAX_DEPTH} levels)")
    return value


def _no_constant(name: str) -> float:
    raise BundleError(f"not JSON ({name} is not a number)")


def _check_timeline(timeline: Any) -> None:
    if timeline in ({}, None):
        return  # an attempt cut off before its first turn
    try:
        validate(timeline)
    except TimelineError as exc:
        raise BundleError(f"the bundle's timeline is broken: {exc}") from None


def _check_corrections(meta: dict[str, Any], timeline: Any) -> None:
    """Each correction names a turn of the timeline, at most once, with a date."""
    corrections = meta.get("corrections") or []
    turns = len(timeline.get("turns", [])) if timeline else 0
    seen: set[int] = set()
    for i, c in enumerate(corrections):
        if c["turn"] >= turns or c["turn"] in seen:
            raise BundleError(f"attempt.json: correction {i} names turn {c['turn']}, which the timeline "
                              f"{'corrects twice' if c['turn'] in seen else 'does not have'}")
        seen.add(c["turn"])
        parse_time(c, "corrected_at")
    if corrections and not meta.get("recognised"):
        raise BundleError("attempt.json: a corrected attempt must keep its recognised score (recognised)")


def _extract(z: zipfile.ZipFile, name: str, workdir: Path) -> Path:
    """Copy the member out, counting the bytes really decompressed rather than the size the zip claims."""
    target = workdir / name
    copied = 0
    with z.open(name) as member, target.open("wb") as out:
        while block := member.read(_COPY):
            copied += len(block)
            if copied > RECORDING_LIMIT:
                raise BundleError(f"{name} is larger than {RECORDING_LIMIT >> 20} MB")
            out.write(block)
    return target


def _call_seconds(meta: dict[str, Any], timeline: dict[str, Any]) -> float:
    """How long the call ran by its own account: its times, else its last turn."""
    started, ended = parse_time(meta, "started_at"), parse_time(meta, "ended_at")
    last = max((t["end"] for t in timeline.get("turns", [])), default=0.0) if timeline else 0.0
    span = (ended - started).total_seconds() if ended is not None else 0.0
    return max(span, last)


def _check_recording(path: Path, call_seconds: float) -> None:
    """A stereo FLAC (or WAV) that decodes, and no longer than the call: decoded to the end (or just past the
    call's length), never trusting the length its header claims."""
    try:
        info = sf.info(str(path))
        if info.format not in AUDIO_FORMATS or info.channels != 2 or path.suffix[1:].upper() != info.format:
            raise BundleError(f"{path.name} is not a stereo {path.suffix[1:].upper()} file ({info.format}, "
                              f"{info.channels} channel(s))")
        allowed = math.ceil(min(call_seconds + RECORDING_SLACK_S, MAX_CALL_SECONDS) * info.samplerate)
        frames = 0
        for block in decoded(path, "int16"):
            frames += len(block)
            if frames > allowed:
                raise BundleError(f"the recording is longer than the call ({call_seconds:.0f} s) it belongs to")
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise BundleError(f"the recording is not audio this version can read ({_short(str(exc))})") from None
    if frames == 0:
        raise BundleError("the recording holds no audio")


def parse_time(meta: dict[str, Any], key: str) -> datetime | None:
    """An ISO time of attempt.json (or of one of its corrections), aware (UTC when it names no zone); None when
    absent."""
    value = meta.get(key)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise BundleError(f"attempt.json: {key} is not a date and time ({_short(str(value))})") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _short(text: str) -> str:
    first = (text.strip().splitlines() or [""])[0]
    return first if len(first) <= 160 else first[:157] + "…"
