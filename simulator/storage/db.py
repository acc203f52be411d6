"""Where the attempts live and how to open them: SQLite in the user's data folder, or a PostgreSQL URL.

The data folder is private (0700, database file 0600): attempts hold recordings of people's voices.
The schema is brought up to date with Alembic every time the store opens, so an old database upgrades
itself and a new one is created from the same migrations the tests check against the ORM. A database already
at this build's newest revision opens without importing Alembic (~17 MiB the app would keep for nothing).
"""

from __future__ import annotations

import ast
import errno
import functools
import hashlib
import os
from contextlib import nullcontext
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from simulator.core.messages import Message
from simulator.core.private_files import private_dirs

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
    return private_dir(data_root_path())


def data_root_path() -> Path:
    """Where the data folder is, without creating it (ROLEPLAY_SIM_DATA, else the platform's data folder)."""
    if override := os.environ.get(DATA_ENV):
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))


def private_dir(path: Path) -> Path:
    """`path`, created if needed and made readable by the user only. A folder the user does not own or
    that sits on a read-only disk is a StorageError with the reason, never an OSError traceback."""
    try:
        private_dirs(path)
        if path.stat().st_mode & 0o777 != 0o700:
            path.chmod(0o700)
    except OSError as exc:
        raise StorageError(folder_problem(path, exc)) from exc
    return path


def folder_problem(path: Path, exc: OSError) -> str:
    """What the user can do about a data folder that cannot be written or made private."""
    owner = _owner(path)
    if owner is not None and hasattr(os, "getuid") and owner != os.getuid():
        return (f"the data folder {path} belongs to another user (uid {owner}); set {DATA_ENV} to a folder "
                f"of your own")
    if exc.errno == errno.EROFS:
        return f"the data folder {path} is on a read-only disk; set {DATA_ENV} to a writable folder"
    if exc.errno == errno.ENOSPC:
        return f"the disk holding the data folder {path} is full; free some space"
    return f"cannot use the data folder {path}: {exc.strerror or exc}"


def _owner(path: Path) -> int | None:
    for candidate in (path, *path.parents):
        try:
            return candidate.stat().st_uid
        except OSError:
            continue
    return None


def database_url() -> str:
    if url := os.environ.get(DB_URL_ENV):
        return url
    return f"sqlite:///{data_root_path() / 'attempts.sqlite3'}"  # created private by make_engine


def chosen_database(given: str | None = None, setting: str | None = None,
                    settings_unreadable: str | None = None) -> str | None:
    """The one rule the app and the CLI share: a URL given for this run (--db), else ROLEPLAY_SIM_DB_URL,
    else the db_url setting; None means the local SQLite. The environment beats the setting so that a
    deployment or a test can point any user's app at a server without editing their settings file.
    `settings_unreadable` names a settings file that could not be read: it may have named the team's
    database, so answering from the local one instead would mislead; that is a StorageError."""
    chosen = given or os.environ.get(DB_URL_ENV) or setting or None
    if chosen is None and settings_unreadable:
        raise StorageError(Message("storage.settings_unreadable", path=settings_unreadable, env=DB_URL_ENV))
    return chosen


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


@functools.cache
def head_revision() -> str | None:
    """This build's newest schema revision, read from the migration files without importing Alembic (their
    `revision` and `down_revision` lines); None when they do not form one line of revisions."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                name, value = node.targets[0].id, node.value
                if name in ("revision", "down_revision") and isinstance(value, ast.Constant):
                    (revisions if name == "revision" else parents).add(value.value)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def current_revision(engine: Engine) -> str | None:
    """The revision the database's schema is at; None for a new database or one that cannot be read."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError:
        return None
    return rows[0] if len(rows) == 1 else None


def upgrade(engine: Engine) -> None:
    """Alembic `upgrade head` on this engine, with the migrations packaged beside this module. One process at
    a time: two apps opening a brand-new database together would both create the tables, and one would fail.
    SQLite: a lock file beside the database; PostgreSQL: an advisory lock held until the upgrade commits.
    A database already at the head is left as it is, and Alembic is not imported."""
    head = head_revision()
    if head is not None and current_revision(engine) == head:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    beside = Path(f"{database}.migrate.lock") if database and database != ":memory:" else None
    try:
        with exclusive(beside) if beside is not None else nullcontext(), engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            config.attributes["connection"] = connection
            refuse_newer_schema(connection, config)
            command.upgrade(config, "head")
    except CommandError as exc:
        raise MigrationError(str(exc)) from exc


class MigrationError(Exception):
    """Alembic could not upgrade the schema (its CommandError, without importing Alembic to catch it)."""


def refuse_newer_schema(connection, config) -> None:
    """A database a newer simulator upgraded has a revision this build does not know: say so plainly
    instead of Alembic's "Can't locate revision" traceback, and touch nothing."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(config)
    for revision in MigrationContext.configure(connection).get_current_heads():
        try:
            known = script.get_revision(revision)
        except CommandError:
            known = None
        if known is None:
            raise NewerSchemaError(
                f"the attempts database was made by a newer version of the simulator (schema {revision}; this "
                f"version knows up to {script.get_current_head()}): update the simulator to open it")


class NewerSchemaError(StorageError):
    """The database's schema is newer than this build; nothing was written to it."""


def open_store(url: str | None = None, recordings_dir: Path | None = None) -> AttemptStore:
    """The attempts store, schema upgraded. With PostgreSQL and no shared recordings folder (argument or
    ROLEPLAY_SIM_RECORDINGS) the audio goes into the database so every reviewer can play it, and this
    machine's cached copies of attempts deleted meanwhile (by any reviewer) are removed."""
    url = url or database_url()
    engine = None
    try:
        engine = make_engine(url)
        upgrade(engine)
    except NewerSchemaError:
        engine.dispose()
        raise
    except (SQLAlchemyError, OSError, ImportError, MigrationError) as exc:
        if engine is not None:
            engine.dispose()
        if (store := _read_only_store(url, recordings_dir)) is not None:
            return store
        reason = first_line(exc)
        if isinstance(exc, OSError) and exc.filename:
            reason = folder_problem(Path(exc.filename).parent, exc)
        elif (folder := _sqlite_folder(url)) is not None and _full(folder):
            reason = f"{reason}: the disk holding {folder} is full; free some space"
        raise StorageError(f"cannot open the attempts database {safe_url(url)}: {reason}") from exc
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


def _sqlite_folder(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).parent


def _full(folder: Path) -> bool:
    """Less room than SQLite needs to open a database (its shared-memory file and one journal page)."""
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return stats.f_bavail * stats.f_frsize < 64 * 1024


def _read_only_store(url: str, recordings_dir: Path | None) -> AttemptStore | None:
    """An existing, up-to-date SQLite database this user may read but not write (read-only disk, another
    user's folder): opened for review only, so that past attempts stay viewable. None when not possible."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    if not path.is_file() or not os.access(path, os.R_OK) or os.access(path.parent, os.W_OK):
        return None
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&immutable=1&uri=true")
    if current_revision(engine) != head_revision():
        engine.dispose()
        return None
    recordings = recordings_dir or _env_path(SHARED_RECORDINGS_ENV) or data_root_path() / "recordings"
    return AttemptStore(engine, recordings, locks_dir=recordings / "locks", read_only=True)


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
