"""Backups of the store (issue #6).

SQLite: ``backup(store, FILE)`` copies the live database with SQLite's online
backup API (consistent even while editors write; WAL included), and
``restore(store, FILE)`` copies a backup back over the store, then brings its
schema to the newest migration. PostgreSQL: use pg_dump / pg_restore, which
know the server's own consistency rules; both functions say so.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from lib import db
from lib.errors import BackupError

PG_HINT = (
    "The store is PostgreSQL: back it up with `pg_dump -Fc -f FILE DATABASE_URL` "
    "and restore with `pg_restore --clean --if-exists -d DATABASE_URL FILE` "
    "(URL without the +psycopg part). See the README, section 'Backups'.")


def _require_sqlite(store) -> None:
    if store.dialect != "sqlite":
        raise BackupError(PG_HINT)


def _raw(store) -> sqlite3.Connection:
    return store.engine.raw_connection()


def backup(store, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write a consistent copy of the SQLite store to ``path``; returns the path."""
    _require_sqlite(store)
    path = Path(path)
    if path.exists() and not overwrite:
        raise BackupError(f"{path} exists already; choose a new file name (or pass --force).")
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = _raw(store)
    try:
        target = sqlite3.connect(path)
        try:
            raw.driver_connection.backup(target)
        finally:
            target.close()
    finally:
        raw.close()
    check_backup(path)
    return path


def check_backup(path: str | Path) -> str:
    """The schema revision of a backup file; raises BackupError when it is not one."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise BackupError(f"{path}: not a SQLite database, so not a Factdesk backup")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise BackupError(f"{path}: the database is damaged ({ok})")
        try:
            revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            revision = None
    finally:
        con.close()
    if not revision:
        raise BackupError(f"{path}: a SQLite database, but not a Factdesk store (no schema version)")
    return revision[0]


def restore(store, path: str | Path, actor: str = "cli") -> None:
    """Replace the SQLite store's content with the backup at ``path``.

    Everything in the store now is overwritten; the schema is then migrated
    to the newest revision, so an older backup still restores.
    """
    _require_sqlite(store)
    check_backup(path)
    source = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    raw = _raw(store)
    try:
        source.backup(raw.driver_connection)
    finally:
        raw.close()
        source.close()
    store.engine.dispose()  # pooled connections must not keep cached pages
    db.migrate(store.engine)
    with store.session() as session:
        store.record(session, actor, "restore", "store", None, after={"file": str(path)})
