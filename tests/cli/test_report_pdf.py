"""The PDF report of an attempt, in Chinese and in English: page 1 rendered by poppler is not blank and holds
the timeline picture, and the text layer has the persona's name, the overall score and (zh) Chinese headings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from simulator.core.review.report import build_report
from simulator.ui.report_pdf import ReportError, write_attempt_pdf, write_pdf
from simulator.core.personas.index import load_persona_index
from tests.missing import missing_part
from tests.review_store import backend_url, new_store, spoken_attempts
from tests.storage_fixtures import BACKENDS

NAMES = {"zh": "暴躁的王先生", "en": "Mr. Walker, furious"}


@pytest.fixture(autouse=True)
def poppler() -> None:
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        missing_part("poppler-utils (pdftoppm, pdftotext) is not installed")


@pytest.fixture(scope="module", params=BACKENDS)
def spoken(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    store = new_store(folder / "db", backend_url(request, request.param))
    ids = spoken_attempts(store, folder / "calls")
    yield store, ids
    store.close()


def page_one(pdf: Path) -> np.ndarray:
    """Page 1 at 50 dpi as an RGB array."""
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
                   check=True, timeout=60)
    image = QImage(str(prefix) + ".png").convertToFormat(QImage.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return data[:, :image.width() * 3].reshape(image.height(), image.width(), 3).copy()   # outlives the QImage


def pdf_text(pdf: Path) -> str:
    """The text layer; NFKC because CJK fonts map some characters to their Kangxi-radical look-alikes."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60)
    return unicodedata.normalize("NFKC", out.stdout.decode("utf-8"))


def ink(page: np.ndarray) -> float:
    return float((page.min(axis=2) < 200).mean())


@pytest.mark.parametrize("language, heading", [("zh", "通话评估报告"), ("en", "Call report")])
def test_attempt_report_in_each_language(qapp, spoken, tmp_path, language, heading):
    store, ids = spoken
    record = store.get_attempt(ids[language])
    pdf = write_attempt_pdf(store, record.id, tmp_path / f"report-{language}.pdf", language, load_persona_index())
    assert pdf.read_bytes()[:5] == b"%PDF-"
    page = page_one(pdf)
    assert page.shape[0] > page.shape[1] > 300  # A4 portrait
    assert 0.03 < ink(page) < 0.6
    colours = page.reshape(-1, 3).astype(int)
    orange = ((colours[:, 0] > 180) & (colours[:, 1] < 140) & (colours[:, 2] < 100)).mean()
    assert orange > 0.001  # the customer's waveform/turns in the timeline picture
    text = pdf_text(pdf)
    assert heading in text and NAMES[record.language] in text and str(record.overall) in text
    assert record.trainee in text
    persona = load_persona_index()[record.persona_id]
    title = next(s.title for s in persona.scenarios if s.id == record.scenario_id)
    flat = "".join(text.split())
    assert unicodedata.normalize("NFKC", "".join(title.split())) in flat and record.scenario_id not in flat  # title, not id
    assert ("先处理情绪" if language == "zh" else "Trainee") in text  # zh: the notes; en: the transcript speaker
    assert unicodedata.normalize("NFKC", record.timeline["turns"][1]["text"][:10]) in text.replace("\n", "")


def test_both_languages_of_the_same_attempt_differ_only_in_wording(qapp, spoken, tmp_path):
    store, ids = spoken
    record = store.get_attempt(ids["zh"])
    texts = {lang: pdf_text(write_attempt_pdf(store, record.id, tmp_path / f"{lang}.pdf", lang)) for lang in ("zh", "en")}
    assert "通话评估报告" in texts["zh"] and "通话评估报告" not in texts["en"]
    assert "Transcript" in texts["en"] and "通话记录" in texts["zh"]
    for turn in record.timeline["turns"][:2]:
        said = unicodedata.normalize("NFKC", turn["text"][:8])
        assert all(said in t.replace("\n", "") for t in texts.values())


def test_anonymous_report_has_no_name_and_no_notes(qapp, spoken, tmp_path):
    store, ids = spoken
    text = pdf_text(write_attempt_pdf(store, ids["zh"], tmp_path / "anon.pdf", "zh", anonymous=True))
    assert "王小明" not in text and "先处理情绪" not in text and "学员 1" in text


def test_a_report_without_turns_or_recording_still_renders(qapp, spoken, tmp_path):
    store, ids = spoken
    record = store.get_attempt(ids["en"])
    record.timeline, record.findings = {}, []
    pdf = write_pdf(build_report(record, "en"), tmp_path / "plain.pdf")
    assert ink(page_one(pdf)) > 0.01 and "(none)" in pdf_text(pdf)


def test_an_unwritable_path_is_a_clear_error(qapp, spoken, tmp_path):
    store, ids = spoken
    (tmp_path / "file").write_text("x")
    with pytest.raises(ReportError, match="cannot write"):
        write_pdf(build_report(store.get_attempt(ids["en"]), "en"), tmp_path / "file" / "r.pdf")


def test_attempts_report_command(spoken, tmp_path):
    store, ids = spoken
    url = str(store.engine.url)
    env = {**os.environ, "ROLEPLAY_SIM_DATA": str(tmp_path / "data"),
           "ROLEPLAY_SIM_RECORDINGS": str(store.recordings_dir)}
    out = subprocess.run([sys.executable, "-m", "simulator", "attempts", "--db", url, "report", str(ids["en"]),
                          "--pdf", str(tmp_path / "cli.pdf"), "--language", "en"],
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert "Mr. Walker, furious" in pdf_text(tmp_path / "cli.pdf")
    missing = subprocess.run([sys.executable, "-m", "simulator", "attempts", "--db", url, "report", "999999",
                              "--pdf", str(tmp_path / "x.pdf")], capture_output=True, text=True, timeout=120, env=env)
    assert missing.returncode == 2 and missing.stderr.strip() == "error: attempt 999999 does not exist"
