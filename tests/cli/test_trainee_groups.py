"""The trainee's group on SQLite and PostgreSQL: migration 0003 keeps old attempts' names as they were,
bundles carry the group from one database to another (anonymous: "group N"), the CSV has a group column,
the command line filters by group, and the review window filters by trainee and group and draws one
trainee's trend within a group."""

from __future__ import annotations

import csv
import dataclasses
import json
import random
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from PySide6.QtCore import Qt

from simulator.cli import main
from simulator.storage import AttemptRecord, open_store
from simulator.storage.db import MIGRATIONS, make_engine
from simulator.storage.export import export_attempt, export_csv, import_attempt
from tests.storage_fixtures import db_url, generated, record_call

__all__ = ["db_url"]

BEFORE = "0002_import_content_hash"
OLD_NAMES = ("root", "王小明", "Alice Smith")   # as an older version stored them, the login name included


def alembic_on(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def old_database(url: str) -> dict[int, str]:
    """A database at revision 0002 holding attempts of three trainees; attempt id -> trainee name."""
    engine = make_engine(url)
    owners: dict[int, str] = {}
    with engine.begin() as connection:
        command.upgrade(alembic_on(connection), BEFORE)
        meta = sa.MetaData()
        trainees = sa.Table("trainees", meta, autoload_with=connection)
        attempts = sa.Table("attempts", meta, autoload_with=connection)
        start = datetime(2026, 3, 1, 9, 0)
        for number, name in enumerate(OLD_NAMES, 1):
            connection.execute(trainees.insert().values(id=number, name=name, created_at=start))
            for k in range(2):
                attempt_id = connection.execute(attempts.insert().values(
                    trainee_id=number, persona_id="angry_zh", persona_type="angry", scenario_id="heating",
                    language="zh", started_at=start + timedelta(hours=number, minutes=k), updated_at=start,
                    status="complete", overall=50 + number + k, scores={}, findings=[], timeline={}, notes="",
                    host="old-laptop", pid=1).returning(attempts.c.id)).scalar_one()
                owners[attempt_id] = name
    engine.dispose()
    return owners


def test_migration_0003_keeps_old_names_and_adds_an_empty_group(db_url: str) -> None:
    owners = old_database(db_url)
    store = open_store(db_url)                                   # upgrades to the head, as the app does
    try:
        with store.engine.connect() as connection:
            head = ScriptDirectory.from_config(alembic_on(connection)).get_current_head()
            assert connection.scalar(sa.text("SELECT version_num FROM alembic_version")) == head
        assert {a: store.get_attempt(a).trainee for a in owners} == owners
        assert all(store.get_attempt(a).group is None for a in owners)
        assert sorted(store.trainees()) == sorted(OLD_NAMES) and store.groups() == []
        assert [s for _, s in store.trainee_trend("root")] == [51, 52]
        new = record_call(store, "root", group="Class A")        # an old name goes on, now with a group
        assert store.count_attempts(trainee="root") == 3 and store.count_attempts(group="Class A") == 1
        assert store.list_attempts(trainee="root", group="Class A")[0].id == new
    finally:
        store.close()

    engine = make_engine(db_url)                                 # and back down: the names stay
    with engine.begin() as connection:
        command.downgrade(alembic_on(connection), BEFORE)
        columns = {c["name"] for c in sa.inspect(connection).get_columns("attempts")}
        names = dict(connection.execute(sa.text("SELECT attempts.id, trainees.name FROM attempts "
                                                "JOIN trainees ON trainees.id = attempts.trainee_id")).all())
    engine.dispose()
    assert "trainee_group" not in columns
    assert {a: names[a] for a in owners} == owners and names[new] == "root"


def other_url(db_url: str, tmp_path: Path, request) -> str:
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'other' / 'attempts.sqlite3'}"
    return request.getfixturevalue("postgres").new_database()


def test_bundles_carry_the_group_between_databases_and_anonymous_ones_number_it(
        db_url: str, tmp_path: Path, request, monkeypatch, capsys) -> None:
    first = open_store(db_url)
    grouped = record_call(first, "李雷", group="客服二班", notes="steady")
    lone = record_call(first, "Li Na", seed=2)
    for attempt, name in ((grouped, "named.zip"), (lone, "lone.zip")):
        export_attempt(first, attempt, tmp_path / name)
    assert main(["attempts", "--db", db_url, "export", str(grouped), "--out", str(tmp_path / "anon.zip"),
                 "--anonymous"]) == 0
    first.close()
    with zipfile.ZipFile(tmp_path / "anon.zip") as z:
        anonymous = json.loads(z.read("attempt.json"))
    assert (anonymous["trainee"], anonymous["group"]) == ("trainee 1", "group 1")

    url = other_url(db_url, tmp_path, request)
    monkeypatch.setenv("ROLEPLAY_SIM_DATA", str(tmp_path / "second-machine"))
    capsys.readouterr()
    for name in ("named.zip", "lone.zip", "anon.zip"):
        assert main(["attempts", "--db", url, "import", str(tmp_path / name)]) == 0
    second = open_store(url)
    try:
        imported = {r.trainee: r for r in second.list_attempts()}
        assert imported["李雷"].group == "客服二班" and imported["Li Na"].group is None
        assert imported["trainee 1"].group == "group 1"
        assert second.get_attempt(imported["李雷"].id).notes == "steady"
        assert second.groups() == ["group 1", "客服二班"]
    finally:
        second.close()

    capsys.readouterr()
    assert main(["attempts", "--db", url, "list", "--group", "客服二班", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["trainee"], r["group"]) for r in rows] == [("李雷", "客服二班")]
    assert main(["attempts", "--db", url, "list", "--trainee", "Li Na"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and "Li Na" in listed[0] and listed[-1] == "1 of 1 attempt(s)"
    assert main(["attempts", "--db", url, "show", str(rows[0]["id"])]) == 0
    assert capsys.readouterr().out.startswith(f"attempt {rows[0]['id']}: 李雷 (客服二班), angry_zh")


def test_a_bundle_from_before_groups_imports_without_one(store, tmp_path: Path) -> None:
    attempt = record_call(store, "Ann", group="G")
    bundle = export_attempt(store, attempt, tmp_path / "new.zip")
    old = tmp_path / "old.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(old, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "attempt.json":
                meta = json.loads(data)
                del meta["group"]
                data = json.dumps(meta).encode()
            target.writestr(name, data)
    other = open_store(f"sqlite:///{tmp_path / 'other.sqlite3'}", tmp_path / "other-recordings")
    try:
        record = other.get_attempt(import_attempt(other, old))
        assert (record.trainee, record.group) == ("Ann", None)
    finally:
        other.close()


def grouped_records(count: int) -> list[AttemptRecord]:
    """Generated attempts spread over groups; "张伟" is two people, one in each class."""
    rnd = random.Random(3)
    groups = ("1班", "2班", None)
    return [dataclasses.replace(r, group=rnd.choice(groups)) for r in generated(count)]


def test_csv_has_the_group_and_the_anonymous_one_numbers_groups_stably(store, tmp_path: Path) -> None:
    records = grouped_records(400)
    ids = store.add_records(records)
    truth = dict(zip(ids, records))
    out = tmp_path / "list.csv"
    assert export_csv(store, out, group="2班") == sum(r.group == "2班" for r in records)
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert rows and all(r["group"] == "2班" == truth[int(r["id"])].group for r in rows)
    assert main(["attempts", "--db", str(store.engine.url), "export", "--csv", str(tmp_path / "cli.csv"),
                 "--trainee", "张伟", "--group", "1班"]) == 0
    rows = list(csv.DictReader((tmp_path / "cli.csv").open(encoding="utf-8-sig")))
    assert len(rows) == sum(r.trainee == "张伟" and r.group == "1班" for r in records) > 0

    export_csv(store, tmp_path / "anon.csv", anonymous=True)
    text = (tmp_path / "anon.csv").read_text(encoding="utf-8-sig")
    assert "1班" not in text and "2班" not in text
    pairs = {(truth[int(r["id"])].group, r["group"]) for r in csv.DictReader(text.splitlines())}
    assert pairs == {("1班", pairs_of(pairs, "1班")), ("2班", pairs_of(pairs, "2班")), (None, "")}
    assert {pairs_of(pairs, "1班"), pairs_of(pairs, "2班")} == {"group 1", "group 2"}


def pairs_of(pairs: set[tuple[str | None, str]], group: str) -> str:
    return next(shown for real, shown in pairs if real == group)


@pytest.fixture
def review(qtbot, store):
    from simulator.ui.review import ReviewWindow

    records = grouped_records(300)
    store.add_records(records)
    from simulator.app import ReviewService

    window = ReviewWindow(ReviewService(store))
    qtbot.addWidget(window)
    window.show()
    window.jobs.settle()
    yield window, store, records
    window.close()


def test_review_filters_by_trainee_and_group_and_lists_the_group(review) -> None:
    from simulator.ui.review.attempts_model import COLUMNS

    window, store, records = review
    bar = window.filter_bar
    assert [bar.group.itemText(i) for i in range(bar.group.count())] == ["All groups", "1班", "2班"]
    bar.group.setCurrentIndex(bar.group.findData("2班"))
    window.jobs.settle()
    model = window.model
    expected = sum(r.group == "2班" for r in records)
    assert model.total == expected == store.count_attempts(group="2班") > 0
    column = COLUMNS.index("group")
    assert {model.index(row, column).data() for row in range(model.rowCount())} == {"2班"}
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Group"
    bar.trainee.setCurrentIndex(bar.trainee.findData("张伟"))
    window.jobs.settle()
    assert model.total == sum(r.group == "2班" and r.trainee == "张伟" for r in records) > 0
    assert {(model.attempt(row).trainee, model.attempt(row).group) for row in range(model.rowCount())} == {
        ("张伟", "2班")}
    bar.group.setCurrentIndex(0)
    window.jobs.settle()
    assert model.total == sum(r.trainee == "张伟" for r in records)


def test_the_trend_of_a_trainee_stays_within_the_group_filtered_on(review) -> None:
    window, store, records = review
    bar = window.filter_bar
    bar.trainee.setCurrentIndex(bar.trainee.findData("张伟"))
    bar.group.setCurrentIndex(bar.group.findData("1班"))
    window.table.clearSelection()
    window.show_trend()
    window.jobs.settle()
    mine = sorted((r.started_at.timestamp(), float(r.overall)) for r in records
                  if r.trainee == "张伟" and r.group == "1班" and r.overall is not None)
    assert window.trend_chart.points() == mine and len(mine) > 5
    assert window.trend_chart.title.text().startswith("张伟 (1班): %d scored" % len(mine))
    bar.group.setCurrentIndex(0)                                  # every class: all of 张伟's attempts
    window.show_trend()
    window.jobs.settle()
    assert len(window.trend_chart.points()) == sum(r.trainee == "张伟" and r.overall is not None for r in records)
    assert datetime.fromtimestamp(window.trend_chart.points()[0][0], UTC).year == 2026
