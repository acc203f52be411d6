"""The words of a live meter (simulator.core.live_meters.METER_SPECS): its name with its unit, in full on the
trainee's call page and short on the projector, so every screen names a meter alike."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from simulator.core.live_meters import METER_BY_NAME


def meter_label(name: str) -> str:
    return {"pace": QCoreApplication.translate("Meters", "Pace"), "loudness": QCoreApplication.translate("Meters", "Loudness"), "pitch": QCoreApplication.translate("Meters", "Pitch")}[name]


def meter_unit(name: str, language: str, short: bool = False) -> str:
    unit = METER_BY_NAME[name].unit
    if unit == "rate":
        return QCoreApplication.translate("Meters", "chars/min") if language == "zh" else QCoreApplication.translate("Meters", "words/min")
    if short:
        return {"db": QCoreApplication.translate("Meters", "dB"), "semitones": QCoreApplication.translate("Meters", "semitones")}[unit]
    return {"db": QCoreApplication.translate("Meters", "dB vs. your normal level"), "semitones": QCoreApplication.translate("Meters", "semitones vs. your usual pitch")}[unit]


def meter_title(name: str, language: str, short: bool = False) -> str:
    """"Pace (chars/min)"; `short` leaves the reference level out of the unit (projector captions)."""
    return QCoreApplication.translate("Meters", "%1 (%2)").replace("%1", meter_label(name)).replace("%2", meter_unit(name, language, short))
