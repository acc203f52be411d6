"""An attempt's report as a PDF made with Qt: header, scores, a picture of the timeline (both voices and the
markers, as on screen), findings, transcript and notes. Content and wording come from
simulator.core.review.report; this module only lays it out, with a CJK font so Chinese prints."""

from __future__ import annotations

from html import escape
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QMarginsF, Qt, QTimer, QUrl
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from simulator.app import PreparedReport, ReviewService
from simulator.core.private_files import private_file
from simulator.core.review import call_markers
from simulator.core.review.call_audio import CallAudio
from simulator.core.review.report import Report
from simulator.ui.timeline_view import TimelineView

FONT_FAMILIES = ["Noto Sans CJK SC", "Noto Sans SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", "sans-serif"]
TIMELINE_SIZE = (1100, 300)  # pixels of the rendered timeline picture
TIMELINE_URL = QUrl("report://timeline.png")
PAGE_MARGIN_MM = 15
RESOLUTION = 150  # dpi of the PDF page; text stays vector, this sets the layout scale


class ReportError(Exception):
    """The report cannot be written; str() is the user-facing line."""


def picture_steps(analysis: Any, audio: CallAudio | None,
                  size: tuple[int, int] = TIMELINE_SIZE) -> Iterator[QImage | None]:
    """The timeline widget rendered off screen, a step at a time: None after each step, the image last. The
    caller runs the event loop between steps (it lays the view out), so the review window is never held for
    the whole drawing (each step takes 10-30 ms, all of them 70-100 ms on a busy machine)."""
    view = TimelineView()
    view.setAttribute(Qt.WA_DontShowOnScreen)  # laid out and painted like a shown window, never on screen
    view.caption.hide()
    view.resize(*size)
    view.show()
    yield None
    view.set_call(analysis.timeline, audio, call_markers(analysis))
    yield None
    yield None   # twice: the plot's own layout is posted after the view's
    image = view.grab().toImage()
    view.close()
    view.deleteLater()
    yield image


def timeline_picture(analysis: Any, audio: CallAudio | None, size: tuple[int, int] = TIMELINE_SIZE) -> QImage:
    """The timeline picture in one go (command line)."""
    for image in picture_steps(analysis, audio, size):
        QEventLoop().processEvents()  # not QApplication.processEvents: in PySide6 6.12 it drops a reference to None
    return image


def draw_picture_later(prepared: PreparedReport, done: Callable[[QImage | None], None]) -> None:
    """Draw the report's timeline picture between turns of the event loop, then `done(picture)` (None: the
    attempt has no timeline); the PDF itself can then be written on a worker thread (write_pdf uses no widget)."""
    if prepared.call is None:
        done(None)
        return
    steps = picture_steps(prepared.call.analysis, prepared.call.audio)

    def step() -> None:
        image = next(steps)
        if image is None:
            QTimer.singleShot(0, step)
        else:
            done(image)

    step()


def report_html(report: Report, with_picture: bool) -> str:
    """The report as HTML for QTextDocument (which supports a subset: tables, simple CSS)."""
    facts = "".join(f"<tr><td class='label'>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in report.facts)
    scores = "".join(f"<tr><td>{escape(name)}</td><td align='right'><b>{score}</b></td>"
                     f"<td><span style='color:{_colour(score)}'>{'█' * max(1, score // 5)}</span></td></tr>"
                     for name, score in report.scores)
    parts = [
        f"<h1>{escape(report.title)}</h1>",
        "<table width='100%'><tr><td width='65%'>",
        f"<table cellpadding='2'>{facts}</table></td>",
        f"<td align='center' valign='middle'><div style='font-size:40pt; font-weight:bold; "
        f"color:{_colour(report.overall)}'>{escape(report.overall_text)}</div>"
        f"<div>{escape(report.overall_label)}</div></td></tr></table>",
    ]
    if report.scores:
        parts.append(f"<h2>{escape(report.scores_title)}</h2><table cellpadding='2'>{scores}</table>")
    if with_picture:
        parts.append(f"<h2>{escape(report.timeline_title)}</h2><img src='{TIMELINE_URL.toString()}' width='500'>")
    if report.next_time:
        parts.append(_next_time(report))
    parts.append(_findings(report.findings_title, report.findings, report.none_text))
    parts.append(_findings(report.praise_title, report.praise, report.none_text))
    if report.transcript:
        rows = "".join(f"<tr><td class='label'>{escape(t)}</td><td><b>{escape(s)}</b></td><td>{escape(x)}</td></tr>"
                       for t, s, x in report.transcript)
        parts.append(f"<h2>{escape(report.transcript_title)}</h2><table cellpadding='2'>{rows}</table>")
    if report.notes:
        parts.append(f"<h2>{escape(report.notes_title)}</h2><p>{escape(report.notes)}</p>")
    style = ("<style>h1 { font-size: 18pt; } h2 { font-size: 13pt; margin-top: 12px; color: #2f4f6f; }"
             " td.label { color: #666666; white-space: nowrap; } </style>")
    return f"<html><head>{style}</head><body>{''.join(parts)}</body></html>"


def _findings(title: str, findings, none_text: str) -> str:
    rows = "".join(f"<tr><td class='label'>{escape(f.time or '—')}</td><td class='label'>{escape(f.criterion)}</td>"
                   f"<td>{escape(f.message)}</td></tr>" for f in findings)
    return f"<h2>{escape(title)}</h2>" + (f"<table cellpadding='2'>{rows}</table>" if rows else f"<p>{escape(none_text)}</p>")


def _next_time(report: Report) -> str:
    items = []
    for f in report.next_time:
        said = f"<br><span class='label'>{escape(report.said_label)}:</span> “{escape(f.said)}”" if f.said else ""
        better = f"<br><span class='label'>{escape(report.better_label)}:</span> {escape(f.better)}" if f.better else ""
        items.append(f"<li><b>{escape(f.time or '—')}</b> {escape(f.message)} "
                     f"<span class='label'>(−{f.cost:.1f} {escape(report.points_label)})</span>{said}{better}</li>")
    return f"<h2>{escape(report.next_time_title)}</h2><ol>{''.join(items)}</ol>"


def _colour(score: int | None) -> str:
    from simulator.core.review import score_band

    return "#555555" if score is None else {"good": "#27ae60", "fair": "#c98a00", "poor": "#c0392b"}[score_band(score)]


def write_pdf(report: Report, path: Path, picture: QImage | None = None) -> Path:
    """Lay the report out on A4 pages and write the PDF (no widget: any thread; 50-250 ms of layout)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        private_file(path).close()  # QPdfWriter fails silently on a path it cannot write; it keeps the mode
    except OSError as exc:
        raise ReportError(f"cannot write {path}: {exc.strerror}") from exc
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setTitle(report.title)
    writer.setCreator("roleplay simulator")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Portrait,
                                     QMarginsF(*[PAGE_MARGIN_MM] * 4), QPageLayout.Millimeter))
    doc = QTextDocument()
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(10)
    doc.setDefaultFont(font)
    if picture is not None:
        doc.addResource(QTextDocument.ImageResource, TIMELINE_URL, picture)
    doc.setHtml(report_html(report, picture is not None))
    doc.print_(writer)
    del writer  # finishes the file
    return path


def write_prepared(prepared: PreparedReport, path: Path) -> Path:
    """Draw a report the review service prepared off the GUI thread."""
    call = prepared.call
    picture = timeline_picture(call.analysis, call.audio) if call is not None else None
    return write_pdf(prepared.report, path, picture)


def write_attempt_pdf(store: Any, attempt_id: int, path: Path, language: str,
                      personas: dict[str, Any] | None = None, anonymous: bool = False) -> Path:
    """The whole job for one stored attempt, in one go (command line)."""
    return write_prepared(ReviewService(store).report(attempt_id, language, personas, anonymous), path)
