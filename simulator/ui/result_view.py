"""The simple after-call result as HTML for a QTextBrowser."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("ResultView", text)


def render_result(analysis: object) -> str:
    card = analysis.scorecard  # type: ignore[attr-defined]
    rows = "".join(f"<tr><td>{escape(name)}</td><td align='right'>{score}</td></tr>"
                   for name, score in card.criteria.items())
    findings = "".join(
        f"<li>{'' if f.time is None else f'[{f.time:5.1f}s] '}{escape(f.message)}</li>"
        for f in card.findings if f.severity != "good")
    return (f"<h2>{_tr('Overall score')}: {card.overall}</h2>"
            f"<table>{rows}</table><h3>{_tr('What to do next time')}</h3><ul>{findings}</ul>")
