"""The words of a meter (simulator.core.live_meters.METER_SPECS): its name with its unit, in full on the
trainee's call page and the scorecard and short on the projector, its target band and a reading written as the
spec writes them, so that every screen names and writes a meter alike."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from simulator.core.live_meters import METER_BY_NAME, Band


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


def meter_target(name: str, band: Band) -> str:
    """The band as the meter writes it: "target 180–260"."""
    return QCoreApplication.translate("Meters", "target %1").replace("%1", METER_BY_NAME[name].format_band(band))


def meter_summary(name: str, value: float | None, band: Band, language: str) -> str:
    """A reading with the meter's name, short unit and band: "Pace: 213 chars/min (180–260)", or "Pace: not
    measured"."""
    spec = METER_BY_NAME[name]
    shown = (QCoreApplication.translate("Meters", "not measured") if value is None
             else f"{spec.format(value)} {meter_unit(name, language, short=True)} ({spec.format_band(band)})")
    return QCoreApplication.translate("Meters", "%1: %2").replace("%1", meter_label(name)).replace("%2", shown)


def meter_reading(name: str, value: float | None, band: Band, language: str) -> str:
    """A reading with its name, unit and band: "Pace (chars/min): 213 (target 180–260)", or "not measured"."""
    shown = QCoreApplication.translate("Meters", "not measured") if value is None else METER_BY_NAME[name].format(value)
    return (QCoreApplication.translate("Meters", "%1: %2 (%3)").replace("%1", meter_title(name, language))
            .replace("%2", shown).replace("%3", meter_target(name, band)))
