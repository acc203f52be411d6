"""A private PostgreSQL server for the storage tests, from Debian's `postgresql` package.

initdb into a fresh folder, listen on a unix socket only (no port clash with anything on the machine),
fsync off (test data). PostgreSQL refuses to run as root, so under root the folder is handed to the
`postgres` system user and the server commands run through runuser. Stopped with pg_ctl, the folder removed.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PORT = 5432  # only names the socket file; nothing listens on TCP
USER = "sim"


@dataclass
class PostgresServer:
    root: Path
    bin_dir: Path
    as_user: list[str]

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@/{database}?host={self.socket_dir}&port={PORT}"

    def new_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host=str(self.socket_dir), port=PORT, user=USER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def pg_ctl(self, *args: str) -> None:
        run(self.as_user + [str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), *args])


def postgres_missing() -> str | None:
    if _bin_dir() is None:
        return "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): apt-get install postgresql"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root and runuser is missing: cannot start PostgreSQL as the postgres user"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    return None


def postgres_session() -> Iterator[PostgresServer]:
    bin_dir = _bin_dir()
    assert bin_dir is not None
    root = Path(tempfile.mkdtemp(prefix="sim-pg-"))  # not under pytest's 0700 root: postgres must reach it
    (root / "socket").mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(root / "socket", "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    server = PostgresServer(root, bin_dir, as_user)
    run(as_user + [str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", USER, "-A", "trust", "-E", "UTF8",
                   "--no-sync", "--locale=C.UTF-8"])
    options = f"-c listen_addresses='' -k {root / 'socket'} -p {PORT} -c fsync=off -c full_page_writes=off"
    server.pg_ctl("-o", options, "-l", str(root / "server.log"), "-w", "-t", "60", "start")
    try:
        yield server
    finally:
        server.pg_ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {(done.stderr or done.stdout).strip()}")


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None
