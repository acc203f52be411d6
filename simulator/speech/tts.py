"""Persona lines to WAV files with pyttsx3 on espeak-ng: correct on every call, cached on disk.

pyttsx3 2.99 drives espeak-ng in its asynchronous mode, which makes its espeak driver racy:
- the first runAndWait returns before the file exists (synthesis starts after its loop has ended);
- properties go through espeak-ng's command queue, and the driver's own Cancel (called when the
  queue is still busy) drops the ones not yet applied; its GetParameter binding omits the `current`
  argument, so reading a property back returns garbage;
- espeak-ng is one process-wide library with one callback: a second engine steals the first one's
  callback, and two threads in runAndWait deadlock;
- its Synth binding tells espeak_Synth the text is ten times longer than it is, and espeak-ng's
  asynchronous mode copies that many bytes: an over-read past the end of the Python bytes that now and
  then reaches an unmapped page and kills the process (SIGSEGV inside Synth).
So here one thread owns the one engine, sets voice and parameters on the library while it is idle
and reads them back until they hold, counts a render as done only on the finished-utterance event
with espeak-ng idle again, and checks the file before it enters the cache.
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import queue
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from simulator.core.messages import Message
from simulator.core.voice import PITCH_RANGE, RATE_RANGE, VoiceSettings
from simulator.speech.tts_cache import AudioInfo, LineCache, cache_key, load_audio, verify_audio

__all__ = ["RenderedLine", "SpeechRenderer", "TtsUnavailable", "VoiceSettings", "load_audio", "tts_problem"]

log = logging.getLogger(__name__)

REQUIRED_VOICES = ("cmn-latn-pinyin", "en-us")
_ATTEMPTS = 3
_SETTLE_SECONDS = 2.0
_IDLE_SECONDS = 10.0
_FINISH_BASE_SECONDS = 20.0
_FINISH_SECONDS_PER_CHAR = 0.05
_POLL_SECONDS = 0.005
_PRIORITY_NOW, _PRIORITY_AHEAD, _PRIORITY_STOP = 0, 1, 2
_SSML_OPEN = "<speak>"
_SSML_FLAG = 0x10          # espeakSSML: the text is SSML (pyttsx3's driver never sets it)
# Where one sentence ends and another follows: after 。！？； (not inside a run of marks or before a closing
# quote), and after . ! ? ; followed by a space (so "4471.2093" or "3.5" stay whole).
_SENTENCE_END = re.compile(r"(?<=[。！？；])(?![。！？；…”’」』）\s]|$)|(?<=[.!?;])\s+(?=\S)")


class TtsUnavailable(RuntimeError):
    """Speech cannot be rendered here; raised with a one-line Message for the user."""


@dataclass(frozen=True)
class RenderedLine:
    path: Path
    sample_rate: int
    duration: float
    cached: bool


def check_voice_settings(voice: VoiceSettings) -> None:
    """Reject settings espeak-ng would silently clamp, so what is asked is what is heard."""
    problems = []
    if not RATE_RANGE[0] <= voice.rate <= RATE_RANGE[1]:
        problems.append(Message("tts.rate_out_of_range", value=voice.rate, low=RATE_RANGE[0], high=RATE_RANGE[1]))
    if not PITCH_RANGE[0] <= voice.pitch <= PITCH_RANGE[1]:
        problems.append(Message("tts.pitch_out_of_range", value=voice.pitch, low=PITCH_RANGE[0], high=PITCH_RANGE[1]))
    if not 0.0 <= voice.volume <= 1.0:
        problems.append(Message("tts.volume_out_of_range", value=voice.volume))
    if problems:
        raise TtsUnavailable(Message("tts.voice_out_of_range", voice=voice.voice, problems=tuple(problems)))


def _log_driver_print(*args: object, **_kwargs: object) -> None:
    """Stands in for print() inside the pyttsx3 espeak driver, which prints a line per saved file."""
    log.debug(" ".join(str(a) for a in args))


def _synth_exact_size(c_synth: Callable[..., int], text: str | bytes, position: int = 0, position_type: int = 1,
                      end_position: int = 0, flags: int = 0, user_data: object = None) -> int:
    """espeak_Synth with the text's true size (its bytes and the terminating NUL Python keeps after them), in
    place of pyttsx3's ten-fold size that makes espeak-ng read past the buffer; text made by with_pauses()
    is passed as SSML."""
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    if data.startswith(_SSML_OPEN.encode()):
        flags |= _SSML_FLAG
    return c_synth(data, len(data) + 1, position, position_type, end_position, flags, None, user_data)


def with_pauses(text: str, seconds: float) -> str:
    """The line as SSML with a pause of at least `seconds` between its sentences (espeak-ng keeps its own
    pause where that is longer); the plain line when no pause is asked for."""
    if seconds <= 0:
        return text
    marked = _SENTENCE_END.sub(lambda m: m.group(0) + "\0", text.replace("\0", ""))
    escaped = marked.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SSML_OPEN + escaped.replace("\0", f'<break time="{round(seconds * 1000)}ms"/>') + "</speak>"


class _EspeakEngine:
    """The process's one pyttsx3 engine; only the TTS thread touches it."""

    def __init__(self) -> None:
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak
            from pyttsx3.drivers import espeak as espeak_driver

            self._engine = pyttsx3.init("espeak")
        except ImportError as exc:
            raise TtsUnavailable(Message("tts.pyttsx3_missing", error=exc)) from exc
        except (OSError, RuntimeError) as exc:
            raise TtsUnavailable(Message("tts.espeak_failed", error=exc)) from exc
        espeak_driver.print = _log_driver_print
        _espeak.Synth = partial(_synth_exact_size, _espeak.cSynth)
        self._espeak = _espeak
        self._get_parameter = _espeak.dll.espeak_GetParameter
        self._get_parameter.argtypes = (ctypes.c_int, ctypes.c_int)
        self._get_parameter.restype = ctypes.c_int
        self._finished = threading.Event()
        self._engine.connect("finished-utterance", self._on_finished)

    def _on_finished(self, name: object = None, completed: bool = True) -> None:
        """Runs on espeak-ng's thread; a cancelled utterance (completed=False) does not count."""
        if completed:
            self._finished.set()

    def has_voice(self, voice: str) -> bool:
        return self._espeak.SetVoiceByName(voice.encode("utf-8")) == self._espeak.EE_OK

    def render(self, text: str, voice: VoiceSettings, out: Path) -> AudioInfo:
        """Synthesise `text` into `out` with exactly these settings, retrying a lost or broken render;
        `out` is left behind only when it is a verified file."""
        out.parent.mkdir(parents=True, exist_ok=True)
        info: AudioInfo | None = None
        try:
            for attempt in range(1, _ATTEMPTS + 1):
                info = self._attempt(text, voice, out)
                if info is not None:
                    return info
                log.warning("espeak-ng render attempt %d of %d failed for %r", attempt, _ATTEMPTS, text[:40])
                self._espeak.Cancel()
        finally:
            if info is None:
                out.unlink(missing_ok=True)
        raise TtsUnavailable(Message("tts.no_audio", attempts=_ATTEMPTS))

    def _attempt(self, text: str, voice: VoiceSettings, out: Path) -> AudioInfo | None:
        """Done means: finished-utterance arrived, espeak-ng is idle, settings still hold, file checks out."""
        self._wait_idle()
        self._apply(voice)
        self._finished.clear()
        out.unlink(missing_ok=True)
        self._engine.save_to_file(with_pauses(text, voice.pause), str(out))
        self._engine.runAndWait()
        timeout = _FINISH_BASE_SECONDS + _FINISH_SECONDS_PER_CHAR * len(text)
        if not (self._finished.wait(timeout) and self._wait_idle() and self._holds(voice)):
            return None
        return verify_audio(out)

    def _wanted(self, voice: VoiceSettings) -> dict[int, int]:
        e = self._espeak
        return {e.RATE: voice.rate, e.PITCH: voice.pitch, e.VOLUME: round(voice.volume * 100)}

    def _holds(self, voice: VoiceSettings) -> bool:
        return all(self._get_parameter(p, 1) == v for p, v in self._wanted(voice).items())

    def _apply(self, voice: VoiceSettings) -> None:
        """Set voice, rate, pitch and volume, re-sending any value the library has not taken yet."""
        if not self.has_voice(voice.voice):
            raise TtsUnavailable(Message("tts.no_voice", voice=voice.voice))
        deadline = time.monotonic() + _SETTLE_SECONDS
        while True:
            for parameter, value in self._wanted(voice).items():
                if self._get_parameter(parameter, 1) != value:
                    self._espeak.SetParameter(parameter, value, 0)
            time.sleep(_POLL_SECONDS)
            if self._holds(voice) and not self._espeak.IsPlaying():
                return
            if time.monotonic() > deadline:
                raise TtsUnavailable(Message("tts.settings_not_taken", voice=voice.voice))

    def _wait_idle(self) -> bool:
        """espeak-ng idle means its thread has also left the callback that wrote the file."""
        deadline = time.monotonic() + _IDLE_SECONDS
        while self._espeak.IsPlaying():
            if time.monotonic() > deadline:
                return False
            time.sleep(_POLL_SECONDS)
        return True


_engine: _EspeakEngine | None = None  # kept for the process: espeak-ng initialises once per process


def _shared_engine() -> _EspeakEngine:
    global _engine
    if _engine is None:
        _engine = _EspeakEngine()
    return _engine


@dataclass(order=True)
class _Job:
    priority: int
    seq: int
    run: Callable[[_EspeakEngine], Any] | None = field(compare=False)
    future: Future = field(compare=False)


class _TtsThread:
    """The one thread that talks to espeak-ng; renderers share it, and it stops with the last one."""

    _lock = threading.Lock()
    _current: _TtsThread | None = None
    _users = 0

    def __init__(self) -> None:
        self._queue: queue.PriorityQueue[_Job] = queue.PriorityQueue()
        self._seq = itertools.count()
        self._thread = threading.Thread(target=self._loop, name="tts-espeak", daemon=True)
        self._thread.start()

    @classmethod
    def acquire(cls) -> _TtsThread:
        with cls._lock:
            if cls._current is None:
                cls._current = cls()
            cls._users += 1
            return cls._current

    @classmethod
    def release(cls) -> None:
        """The last user stops the thread and waits for it, so a later one never runs beside it."""
        with cls._lock:
            cls._users -= 1
            if cls._users > 0 or cls._current is None:
                return
            current, cls._current = cls._current, None
            current.submit(None, _PRIORITY_STOP)
            if threading.current_thread() is not current._thread:
                current._thread.join()

    def submit(self, run: Callable[[_EspeakEngine], Any] | None, priority: int, future: Future | None = None) -> Future:
        """Queue `run`; passing an existing future re-queues that job at a higher priority."""
        job = _Job(priority, next(self._seq), run, future or Future())
        self._queue.put(job)
        return job.future

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job.run is None:
                return
            if job.future.done() or job.future.running() or not job.future.set_running_or_notify_cancel():
                continue
            try:
                job.future.set_result(job.run(_shared_engine()))
            except BaseException as exc:  # the caller of the future gets it
                job.future.set_exception(exc)


def _probe(engine: _EspeakEngine) -> None:
    """The voices the personas use exist, and a short line really comes out as audio."""
    missing = [v for v in REQUIRED_VOICES if not engine.has_voice(v)]
    if missing:
        raise TtsUnavailable(Message("tts.voices_missing", voices=", ".join(missing)))
    with tempfile.TemporaryDirectory(prefix="tts-probe-") as folder:
        engine.render("ok", VoiceSettings(REQUIRED_VOICES[0]), Path(folder) / "probe.wav")


def tts_problem() -> Message | None:
    """None when speech can be rendered here, else a one-line message for the user."""
    thread = _TtsThread.acquire()
    try:
        thread.submit(_probe, _PRIORITY_NOW).result()
    except TtsUnavailable as exc:
        return exc.args[0]
    finally:
        _TtsThread.release()
    return None


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("roleplay-sim")) / "tts"


@dataclass
class _Pending:
    future: Future
    priority: int


class SpeechRenderer:
    """Renders persona lines to cached WAV files; safe to call from any thread."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache = LineCache(cache_dir if cache_dir is not None else default_cache_dir())
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending] = {}
        self._engine_renders = 0
        self._closed = False
        self._thread = _TtsThread.acquire()

    @property
    def cache_dir(self) -> Path:
        return self._cache.directory

    @property
    def engine_renders(self) -> int:
        """How many lines this renderer had espeak-ng synthesise (cache misses)."""
        return self._engine_renders

    def render(self, text: str, voice: VoiceSettings) -> RenderedLine:
        """The line's WAV, from the cache or rendered now ahead of any prefetch."""
        return self._request(text, voice, _PRIORITY_NOW).result()

    def render_async(self, text: str, voice: VoiceSettings) -> Future[RenderedLine]:
        return self._request(text, voice, _PRIORITY_NOW)

    def prefetch(self, items: Iterable[tuple[str, VoiceSettings]]) -> None:
        """Queue lines that will be needed soon, behind anything asked for now; settings that can never
        render (TtsUnavailable) are reported here at once rather than at call time."""
        for text, voice in items:
            self._request(text, voice, _PRIORITY_AHEAD)

    def close(self) -> None:
        """Cancel lines not started yet and let go of the TTS thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            pending = [p.future for p in self._pending.values()]
        for future in pending:
            future.cancel()
        _TtsThread.release()

    def __enter__(self) -> SpeechRenderer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _request(self, text: str, voice: VoiceSettings, priority: int) -> Future[RenderedLine]:
        """One future per line: a cache hit is already done, a line in the queue is shared."""
        if not text.strip():
            raise ValueError("cannot render an empty line")
        check_voice_settings(voice)
        key = cache_key(text, voice)
        with self._lock:
            if self._closed:
                raise RuntimeError("SpeechRenderer is closed")
            pending = self._pending.get(key)
            if pending is not None:
                if priority < pending.priority:
                    pending.priority = priority
                    self._thread.submit(partial(self._render_on_engine, text, voice, key), priority, pending.future)
                return pending.future
            hit = self._cached_line(key)
            if hit is not None:
                done: Future[RenderedLine] = Future()
                done.set_result(hit)
                return done
            future = self._thread.submit(partial(self._render_on_engine, text, voice, key), priority)
            self._pending[key] = _Pending(future, priority)
        future.add_done_callback(partial(self._forget, key))
        return future

    def _forget(self, key: str, future: Future) -> None:
        with self._lock:
            pending = self._pending.get(key)
            if pending is not None and pending.future is future:
                del self._pending[key]

    def _cached_line(self, key: str) -> RenderedLine | None:
        info = self._cache.lookup(key)
        if info is None:
            return None
        return RenderedLine(self._cache.path_for(key), info.sample_rate, info.duration, cached=True)

    def _render_on_engine(self, text: str, voice: VoiceSettings, key: str, engine: _EspeakEngine) -> RenderedLine:
        """Runs on the TTS thread; another renderer or process may have made the file meanwhile."""
        hit = self._cached_line(key)
        if hit is not None:
            return hit
        partial_path = self._cache.partial_path_for(key)
        info = engine.render(text, voice, partial_path)
        path = self._cache.commit(partial_path, key)
        self._engine_renders += 1
        return RenderedLine(path, info.sample_rate, info.duration, cached=False)
