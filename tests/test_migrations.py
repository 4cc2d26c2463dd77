"""The schema comes from Alembic migrations and matches the models (issue #2)."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from lib import db
from lib.models import Base


def test_empty_to_head(db_url):
    engine = db.make_engine(db_url)
    assert not db.has_schema(engine)
    db.migrate(engine)
    head = ScriptDirectory.from_config(db.alembic_config(db_url)).get_current_head()
    assert db.current_revision(engine) == head
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    db.migrate(engine)  # a second upgrade is a no-op
    assert db.current_revision(engine) == head
    engine.dispose()


def test_models_and_migrations_agree(db_url):
    engine = db.make_engine(db_url)
    db.migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == [], "a model changed without a migration: " + repr(diff)


def test_sqlite_runs_in_wal_mode(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.BUSY_TIMEOUT_MS
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
