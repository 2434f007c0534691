"""Each benchmark's own throw-away database: PostgreSQL (a database on the server of DATABASE_URL) or SQLite
(a file in a temporary directory), and a data directory for the rest (uploads, the job queue)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def postgres_admin(url: str):
    """An autocommit connection to the server's `postgres` database, to create and drop others."""
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def prepare_database(url: str, *, name: str, directory: str, reuse: bool = False) -> tuple[str, str, Path]:
    """Create the database `name` (or keep it with `reuse`); return (vendor, its URL, the data directory
    `directory`-pg or `directory`-sqlite under the temporary directory)."""
    postgres = url.startswith(("postgres://", "postgresql://"))
    if url and not postgres and not url.startswith("sqlite:"):
        raise SystemExit(f"unsupported DATABASE_URL: {url.split(':')[0]}")
    data_dir = Path(tempfile.gettempdir()) / f"{directory}-{'pg' if postgres else 'sqlite'}"
    if not reuse:
        shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(exist_ok=True)
    if not postgres:
        return "sqlite", f"sqlite:///{data_dir / 'bench.sqlite3'}", data_dir
    with postgres_admin(url) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (reuse and exists):
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
    return "postgresql", urlunsplit(urlsplit(url)._replace(path=f"/{name}")), data_dir


def drop_database(vendor: str, url: str, data_dir: Path, *, name: str) -> None:
    """Close Django's connections, drop the database `name` (PostgreSQL) and remove the data directory."""
    from django.db import connections

    connections.close_all()
    if vendor == "postgresql":
        with postgres_admin(url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    shutil.rmtree(data_dir, ignore_errors=True)
