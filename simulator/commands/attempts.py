"""`python -m simulator attempts list|show|correct|export|report|import`: the recorded attempts from a terminal."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.storage import AttemptStore

USAGE_ERROR = 2


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("attempts", help="list, show, export, report and import recorded attempts")
    parser.add_argument("--db", metavar="URL",
                        help="database URL (default: ROLEPLAY_SIM_DB_URL, else the db_url setting, "
                             "else the local SQLite)")
    actions = parser.add_subparsers(dest="attempts_command", required=True)

    listing = actions.add_parser("list", help="list attempts, newest first")
    listing.add_argument("--trainee", help="one trainee's attempts (the name given in the app)")
    listing.add_argument("--group", help="the attempts made in one group or class")
    listing.add_argument("--persona", help="persona id or type")
    listing.add_argument("--scenario")
    listing.add_argument("--ending")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    listing.set_defaults(func=_run(list_command))

    show = actions.add_parser("show", help="one attempt with its scores and findings")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true", help="the full record, timeline included")
    show.set_defaults(func=_run(show_command))

    correct = actions.add_parser("correct", help="correct what was recognised in one turn and score the attempt again")
    correct.add_argument("id", type=int)
    correct.add_argument("--turn", type=int, required=True, metavar="N",
                         help="the turn's number (0 is the first turn; as `show --json` numbers them)")
    what = correct.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", help="what was really said in the turn")
    what.add_argument("--revert", action="store_true", help="go back to the recognised text of the turn")
    correct.add_argument("--reviewer", help="who corrects it (default: the reviewer or trainee name in the settings)")
    correct.add_argument("--json", action="store_true", help="print the attempt as `show --json` does")
    correct.set_defaults(func=_run(correct_command))

    export = actions.add_parser("export", help="one attempt as a zip bundle, or the list as CSV")
    export.add_argument("id", type=int, nargs="?")
    export.add_argument("--out", type=Path, help="bundle file to write (with ID)")
    export.add_argument("--csv", type=Path, help="CSV file of all attempts to write (without ID)")
    export.add_argument("--anonymous", action="store_true",
                        help="trainee names become 'trainee N' and groups 'group N'; notes are left out")
    export.add_argument("--trainee", help="with --csv: only this trainee's attempts")
    export.add_argument("--group", help="with --csv: only the attempts of this group or class")
    export.set_defaults(func=_run(export_command))

    report = actions.add_parser("report", help="one attempt as a PDF report (scorecard, timeline, transcript)")
    report.add_argument("id", type=int)
    report.add_argument("--pdf", type=Path, required=True, metavar="FILE", help="PDF file to write")
    report.add_argument("--language", choices=("zh", "en"), default="zh", help="language of the report (default zh)")
    report.add_argument("--anonymous", action="store_true", help="leave out the trainee's name and the notes")
    report.set_defaults(func=_run(report_command))

    imported = actions.add_parser("import", help="add an exported attempt bundle to this database")
    imported.add_argument("file", type=Path)
    imported.set_defaults(func=_run(import_command))


def list_command(store: AttemptStore, args: argparse.Namespace) -> int:
    import json

    filters = dict(trainee=args.trainee, group=args.group, persona=args.persona, scenario=args.scenario,
                   ending=args.ending)
    rows = store.list_attempts(**filters, limit=args.limit)
    if args.json:
        for row in rows:
            print(json.dumps(_as_json(row), ensure_ascii=False))
        return 0
    for row in rows:
        score = "-" if row.overall is None else str(row.overall)
        print(clean(f"{row.id:>6}  {row.started_at:%Y-%m-%d %H:%M}  {row.trainee:<16}  {row.group or '-':<10}  "
                    f"{row.persona_id:<20}  {row.scenario_id:<16}  {row.status:<11}  {row.ending or '-':<10}  "
                    f"{score:>3}"))
    total = store.count_attempts(**filters)
    print(f"{len(rows)} of {total} attempt(s)")
    return 0


def show_command(store: AttemptStore, args: argparse.Namespace) -> int:
    import json

    record = store.get_attempt(args.id)
    if args.json:
        print(json.dumps(_record_json(record), ensure_ascii=False, indent=1))
        return 0
    duration = f"{record.duration:.0f} s" if record.duration is not None else "-"
    who = f"{record.trainee} ({record.group})" if record.group else record.trainee
    print(clean(f"attempt {record.id}: {who}, {record.persona_id} ({record.persona_type}), "
                f"scenario {record.scenario_id}, {record.language}"))
    print(clean(f"started {record.started_at:%Y-%m-%d %H:%M:%S} UTC, {duration}, {record.status}, "
                f"ending {record.ending or '-'}" + (f" ({record.ending_reason})" if record.ending_reason else "")))
    print(f"overall {'-' if record.overall is None else record.overall}, "
          f"{len(record.timeline.get('turns', []))} turn(s), recording {clean(record.recording or 'none')}")
    if record.recording_error:
        print(f"recording problem: {clean(record.recording_error)}")
    for name, value in record.scores.items():
        print(clean(f"  {name}: {value}"))
    for finding in record.findings:
        at = f"{finding['time']:.1f}s " if isinstance(finding.get("time"), (int, float)) else ""
        print(clean(f"  - {at}{finding.get('code', '')}: {finding.get('message', '')}"))
    if record.notes:
        print(f"notes: {clean(record.notes, keep_newlines=True)}")
    if record.corrections:
        print(clean(_corrected_line(record)))
    return 0


def correct_command(store: AttemptStore, args: argparse.Namespace) -> int:
    """Correct (or revert) one turn; a bad id, turn or text is a StorageError: one line, exit 2."""
    import json

    from simulator.settings import load_settings, reviewer_name
    from simulator.storage import StorageError
    from simulator.storage.corrections import correct_turn, revert_turn

    if args.revert:
        record = revert_turn(store, args.id, args.turn)
    else:
        reviewer = args.reviewer if args.reviewer is not None else reviewer_name(load_settings())
        if not reviewer.strip():
            raise StorageError("no reviewer or trainee name in the settings: give --reviewer NAME")
        record = correct_turn(store, args.id, args.turn, args.text, reviewer)
    if args.json:
        print(json.dumps(_record_json(record), ensure_ascii=False, indent=1))
        return 0
    done = "reverted to the recognised text" if args.revert else "corrected"
    print(clean(f"attempt {record.id}: turn {args.turn} {done}; overall "
                f"{'-' if record.overall is None else record.overall} (recognised "
                f"{'-' if record.recognised_score.overall is None else record.recognised_score.overall})"))
    return 0


def export_command(store: AttemptStore, args: argparse.Namespace) -> int:
    from simulator.storage import StorageError
    from simulator.storage.export import export_attempt, export_csv

    chosen = {k: v for k, v in (("trainee", args.trainee), ("group", args.group)) if v is not None}
    if chosen and args.csv is None:
        raise StorageError("--trainee and --group choose the attempts of a --csv export")
    if args.csv is not None and args.id is None:
        count = export_csv(store, args.csv, anonymous=args.anonymous, **chosen)
        print(f"wrote {count} attempt(s) to {args.csv}")
    elif args.id is not None and args.out is not None and args.csv is None:
        print(f"wrote {export_attempt(store, args.id, args.out, anonymous=args.anonymous)}")
    else:
        raise StorageError("give either an attempt ID with --out FILE, or --csv FILE")
    return 0


def report_command(store: AttemptStore, args: argparse.Namespace) -> int:
    """Needs Qt for layout and the timeline picture; without a display it renders off screen."""
    import os

    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from simulator.ui.report_pdf import ReportError, write_attempt_pdf
    from simulator.core.personas.index import load_persona_index

    app = QApplication.instance() or QApplication([])  # noqa: F841 (kept alive while rendering)
    try:
        path = write_attempt_pdf(store, args.id, args.pdf, args.language, load_persona_index(), args.anonymous)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    print(f"wrote {path}")
    return 0


def import_command(store: AttemptStore, args: argparse.Namespace) -> int:
    from simulator.storage.export import import_attempt

    print(clean(f"imported {args.file} as attempt {import_attempt(store, args.file)}"))
    return 0


def database_choice(db: str | None) -> str | None:
    """--db, else ROLEPLAY_SIM_DB_URL, else the settings file's db_url; None: the local SQLite. Problems
    with the settings file are printed; an unreadable one is an error unless the database is given."""
    from simulator.settings import load_settings, settings_path
    from simulator.storage.db import chosen_database

    settings = load_settings()
    for warning in settings.load_warnings:
        print(f"warning: {clean(str(warning))}", file=sys.stderr)
    return chosen_database(db, settings.db_url, str(settings_path()) if settings.unreadable else None)


def _run(command):
    """Open the store, recover calls a crash left running (as the app does at start), run the command, and
    turn storage errors into one line and exit status 2."""

    def run(args: argparse.Namespace) -> int:
        from simulator.storage import StorageError, open_store

        try:
            store = open_store(database_choice(args.db))
            try:
                _recover(store)
                return command(store, args)
            finally:
                store.close()
        except StorageError as exc:
            print(f"error: {clean(str(exc))}", file=sys.stderr)
            return USAGE_ERROR

    return run


def _recover(store: AttemptStore) -> None:
    from simulator.storage import StorageError

    if store.read_only:
        print("warning: the attempts database can only be read here; nothing will be saved", file=sys.stderr)
        return
    try:
        recovered = store.recover_interrupted()
    except StorageError as exc:
        print(f"warning: interrupted calls not recovered: {clean(str(exc))}", file=sys.stderr)
        return
    if recovered:
        print(f"recovered {len(recovered)} interrupted call(s): {', '.join(map(str, recovered))}", file=sys.stderr)


_CONTROL = dict.fromkeys([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)], "?")
_CONTROL.update({0x2028: "?", 0x2029: "?", 0x202E: "?", 0x202D: "?", 0x2066: "?", 0x2067: "?", 0x2068: "?",
                 0x2069: "?"})


def clean(text: str, keep_newlines: bool = False) -> str:
    """`text` without terminal control characters (ESC sequences, carriage returns, bidi overrides) that
    a name or note typed elsewhere could use to rewrite what the terminal shows."""
    table = _CONTROL if not keep_newlines else {k: v for k, v in _CONTROL.items() if k != 0x0A}
    return text.translate(table)


def _record_json(record: Any) -> dict[str, Any]:
    """`show --json`: the record with its current (corrected) score, the recognised score beside it, and each
    turn's recognised and current text."""
    from simulator.core.review.stored import recognised_timeline, record_timeline

    data = _as_json(record)
    data["corrections"] = [c.to_json() for c in record.corrections]
    data["recognised"] = record.recognised_score.to_json()
    by_turn = {c.turn: c for c in record.corrections}
    current = record_timeline(record).turns
    data["turns"] = [{"turn": i, "speaker": t.speaker, "start": t.start, "end": t.end, "recognised_text": t.text,
                      "text": current[i].text, "corrected_by": by_turn[i].reviewer if i in by_turn else None,
                      "corrected_at": by_turn[i].corrected_at.isoformat() if i in by_turn else None}
                     for i, t in enumerate(recognised_timeline(record).turns)]
    return data


def _corrected_line(record: Any) -> str:
    from simulator.core.review.correction import latest

    last = latest(record.corrections)
    recognised = record.recognised_score.overall
    return (f"transcript corrected by {last.reviewer} on {last.corrected_at:%Y-%m-%d} "
            f"({len(record.corrections)} turn(s)); recognised score {'-' if recognised is None else recognised}")


def _as_json(record: Any) -> dict[str, Any]:
    """A record or summary dataclass with ISO times and its duration in seconds."""
    from dataclasses import asdict

    data = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in asdict(record).items()
            if k not in ("corrections", "recognised")}
    data["duration"] = record.duration
    return data
