"""Download a Vosk model: resumable HTTP, SHA-256 check, safe unzip, atomic install.

The partial file stays in place after a network error or a cancel so the next attempt resumes
with an HTTP Range request; a file that fails the checksum is deleted because resuming it
cannot help.
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import os
import re
import shutil
import socket
import stat
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath
from typing import Callable

from simulator.core.messages import Message
from simulator.core.private_files import private_dirs
from simulator.speech.models import REQUIRED_FILES, ModelError, ModelInfo, check_model_dir, models_dir

Progress = Callable[[int, int], None]
CHUNK = 64 * 1024
TIMEOUT_S = 30
STALL_SECONDS = 60.0        # a download that brings fewer than STALL_BYTES in this long has stalled: a server
STALL_BYTES = 64 * 1024     # trickling a byte now and then would otherwise hold it open for ever
USER_AGENT = "roleplay-sim model downloader"


class DownloadCancelled(ModelError):
    """The user stopped the download; the partial file is kept for resuming."""


def download_model(
    info: ModelInfo,
    dest: Path | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    stall_seconds: float = STALL_SECONDS,
) -> Path:
    """Fetch, verify and unpack `info` into dest (default models_dir()); returns the model folder. Progress
    is reported for every piece received, and fewer than STALL_BYTES in `stall_seconds` is an error."""
    dest = Path(dest) if dest is not None else models_dir()
    target = dest / info.name
    if target.exists():
        try:
            check_model_dir(target)
        except ModelError as exc:
            raise ModelError(Message("download.existing_bad", problem=exc.args[0], path=target)) from None
        return target
    private_dirs(dest)  # models are the user's, as the data folder is
    part = dest / f"{info.name}.zip.part"
    _fetch(info, part, progress, cancel, stall_seconds)
    _verify(info, part)
    _unpack(info, part, dest, target)
    part.unlink()
    return target


def _failure(info: ModelInfo, exc: BaseException) -> Message:
    """The failed download in words: no network (the name of the server cannot be looked up, the network is
    unreachable) and a server that does not answer say so and what to do; anything else keeps its reason."""
    reason = getattr(exc, "reason", None) or exc
    host = urllib.parse.urlsplit(info.url).hostname or info.url
    if isinstance(reason, socket.gaierror) or getattr(reason, "errno", None) in (errno.ENETUNREACH, errno.ENETDOWN):
        return Message("download.offline", name=info.name, host=host)
    if isinstance(reason, (TimeoutError, socket.timeout, ConnectionError)):
        return Message("download.unreachable", name=info.name, host=host)
    return Message("download.failed", name=info.name, reason=reason)


def _fetch(info: ModelInfo, part: Path, progress: Progress | None, cancel: threading.Event | None,
           stall_seconds: float) -> None:
    have = part.stat().st_size if part.exists() else 0
    if have and have >= info.size_bytes:
        return  # complete already (or too long): the checksum decides
    headers = {"User-Agent": USER_AGENT}
    if have:
        headers["Range"] = f"bytes={have}-"
    try:
        with urllib.request.urlopen(urllib.request.Request(info.url, headers=headers), timeout=TIMEOUT_S) as response:
            if have and response.status != 206:
                have = 0  # the server ignored the range: start over
            total = _total_size(response, have, info.size_bytes)
            done = _copy(response, part, have, total, progress, cancel, info.name, stall_seconds)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:
            return  # nothing left to fetch: the checksum decides
        raise ModelError(Message("download.http_error", name=info.name, status=exc.code, reason=exc.reason,
                                 url=info.url)) from None
    except (OSError, http.client.HTTPException) as exc:
        raise ModelError(_failure(info, exc)) from None
    if done < total:
        raise ModelError(Message("download.stopped_early", name=info.name, done=done, total=total))


def _total_size(response: http.client.HTTPResponse, have: int, fallback: int) -> int:
    match = re.search(r"/(\d+)\s*$", response.headers.get("Content-Range", ""))
    if match:
        return int(match.group(1))
    length = response.headers.get("Content-Length")
    return have + int(length) if length and length.isdigit() else fallback


def _copy(
    response: http.client.HTTPResponse,
    part: Path,
    have: int,
    total: int,
    progress: Progress | None,
    cancel: threading.Event | None,
    name: str,
    stall_seconds: float = STALL_SECONDS,
) -> int:
    """Append what arrives to `part`; read1 returns whatever one receive brought, so progress moves (and
    a stall is noticed) however slowly the bytes come."""
    done = have
    window_start, window_done = time.monotonic(), done
    with part.open("ab" if have else "wb") as out:
        while True:
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled(Message("download.cancelled", name=name))
            chunk = response.read1(CHUNK)
            if not chunk:
                return done
            out.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
            if (now := time.monotonic()) - window_start >= stall_seconds:
                if done - window_done < STALL_BYTES:
                    raise ModelError(Message("download.stalled", name=name, received=done - window_done,
                                             seconds=round(stall_seconds), done=done, total=total))
                window_start, window_done = now, done


def _verify(info: ModelInfo, part: Path) -> None:
    digest = hashlib.sha256()
    with part.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    got = digest.hexdigest()
    if got != info.sha256:
        part.unlink()
        raise ModelError(Message("download.corrupt", name=info.name, got=got[:12], expected=info.sha256[:12]))


def _unpack(info: ModelInfo, archive: Path, dest: Path, target: Path) -> None:
    """Unpack into a hidden staging folder next to the target, then move the model folder into place."""
    staging = Path(tempfile.mkdtemp(prefix=f".{info.name}.unpack-", dir=dest))
    try:
        _extract(info.name, archive, staging)
        root = _model_root(staging, info.name)
        try:
            check_model_dir(root)
        except ModelError as exc:
            raise ModelError(Message("download.no_model", name=info.name, problem=exc.args[0])) from None
        os.replace(root, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _extract(name: str, archive: Path, staging: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            for member in zf.infolist():
                problem = _unsafe(member)
                if problem:
                    archive.unlink()
                    raise ModelError(Message("download.unsafe_entry", name=name, entry=member.filename, reason=problem))
            zf.extractall(staging)
    except zipfile.BadZipFile as exc:
        archive.unlink()
        raise ModelError(Message("download.bad_zip", name=name, error=exc)) from None


def _unsafe(member: zipfile.ZipInfo) -> Message | None:
    """Why an entry could write outside the staging folder, or None when it cannot."""
    path = PurePosixPath(member.filename.replace("\\", "/"))
    if path.is_absolute() or re.match(r"^[A-Za-z]:", member.filename):
        return Message("download.absolute_path")
    if ".." in path.parts:
        return Message("download.parent_path")
    if stat.S_ISLNK(member.external_attr >> 16):
        return Message("download.symbolic_link")
    return None


def _model_root(staging: Path, name: str) -> Path:
    """Official zips hold one top folder named like the model; accept a bare model too."""
    subdirs = [d for d in staging.iterdir() if d.is_dir()]
    candidates = [staging / name, staging, *subdirs]
    for folder in candidates:
        if all((folder / f).is_file() for f in REQUIRED_FILES):
            return folder
    return subdirs[0] if len(subdirs) == 1 else staging
