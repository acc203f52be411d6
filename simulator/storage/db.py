"""Where the attempts live and how to open them: SQLite in the user's data folder, or a PostgreSQL URL.

The data folder is private (0700, database file 0600): attempts hold recordings of people's voices.
The schema is brought up to date with Alembic every time the store opens, so an old database upgrades
itself and a new one is created from the same migrations the tests check against the ORM.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from .errors import StorageError, first_line
from .locks import exclusive
from .repository import AttemptStore

APP_NAME = "roleplay-sim"
DB_URL_ENV = "ROLEPLAY_SIM_DB_URL"
DATA_ENV = "ROLEPLAY_SIM_DATA"
SHARED_RECORDINGS_ENV = "ROLEPLAY_SIM_RECORDINGS"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK_KEY = 0x5253494D  # "RSIM": the advisory lock every app takes around its schema upgrade


def data_root() -> Path:
    """The private folder for the database and recordings (created 0700)."""
    if override := os.environ.get(DATA_ENV):
        root = Path(override)
    else:
        from platformdirs import user_data_dir

        root = Path(user_data_dir(APP_NAME))
    return private_dir(root)


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def database_url() -> str:
    if url := os.environ.get(DB_URL_ENV):
        return url
    return f"sqlite:///{data_root() / 'attempts.sqlite3'}"


def chosen_database(given: str | None = None, setting: str | None = None) -> str | None:
    """The one rule the app and the CLI share: a URL given for this run (--db), else ROLEPLAY_SIM_DB_URL,
    else the db_url setting; None means the local SQLite. The environment beats the setting so that a
    deployment or a test can point any user's app at a server without editing their settings file."""
    return given or os.environ.get(DB_URL_ENV) or setting or None


def make_engine(url: str) -> Engine:
    """An engine with SQLite made private, in WAL mode and with foreign keys enforced."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        _create_private_file(Path(parsed.database))
    engine = create_engine(parsed)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def upgrade(engine: Engine) -> None:
    """Alembic `upgrade head` on this engine, with the migrations packaged beside this module. One process at
    a time: two apps opening a brand-new database together would both create the tables, and one would fail.
    SQLite: a lock file beside the database; PostgreSQL: an advisory lock held until the upgrade commits."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    beside = Path(f"{database}.migrate.lock") if database and database != ":memory:" else None
    with exclusive(beside) if beside is not None else nullcontext(), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_store(url: str | None = None, recordings_dir: Path | None = None) -> AttemptStore:
    """The attempts store, schema upgraded. With PostgreSQL and no shared recordings folder (argument or
    ROLEPLAY_SIM_RECORDINGS) the audio goes into the database so every reviewer can play it, and this
    machine's cached copies of attempts deleted meanwhile (by any reviewer) are removed."""
    url = url or database_url()
    engine = None
    try:
        engine = make_engine(url)
        upgrade(engine)
    except (SQLAlchemyError, OSError, ImportError) as exc:
        if engine is not None:
            engine.dispose()
        raise StorageError(f"cannot open the attempts database {safe_url(url)}: {first_line(exc)}") from exc
    shared = recordings_dir or _env_path(SHARED_RECORDINGS_ENV)
    server = hashlib.sha1(safe_url(url).encode()).hexdigest()[:12]
    locks = data_root() / "locks" / f"db-{server}"  # on this machine, whatever folder holds the recordings
    if engine.dialect.name == "sqlite":
        return AttemptStore(engine, private_dir(shared or data_root() / "recordings"), locks_dir=locks)
    if shared is not None:
        shared.mkdir(parents=True, exist_ok=True)  # the team's folder: its permissions are the team's
        return AttemptStore(engine, shared, private_files=False, locks_dir=locks)
    store = AttemptStore(engine, private_dir(data_root() / "recordings" / f"server-{server}"),
                         audio_in_database=True, locks_dir=locks)
    store.prune_cache()
    return store


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unreadable database URL)"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


def _create_private_file(path: Path) -> None:
    if not path.parent.exists():
        private_dir(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    path.chmod(0o600)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
