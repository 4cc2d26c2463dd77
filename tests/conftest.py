"""Shared fixtures: settings, stores on both databases, the real model, seeds.

Store tests run on SQLite and on a real PostgreSQL server started for the
run (issue #6). ``FACTDESK_TEST_BACKENDS=sqlite`` narrows a local run; `make
test` always runs both.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from lib import settings as settings_module
from lib.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BACKENDS = [b.strip() for b in os.environ.get("FACTDESK_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server for the whole run."""
    if "postgresql" not in BACKENDS:
        pytest.skip("PostgreSQL excluded by FACTDESK_TEST_BACKENDS")
    from tests.pgserver import PostgresServer

    server = PostgresServer().start()
    yield server
    server.stop()


def _new_pg_database(server, template: str | None = None) -> str:
    name = "t_" + uuid.uuid4().hex[:12]
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    engine.dispose()
    return name


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A URL of an empty database, on each backend in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'factdesk.db'}"
    server = request.getfixturevalue("postgres")
    return server.url(_new_pg_database(server))


@pytest.fixture
def settings(db_url):
    """Default settings pointing at this test's database."""
    return settings_module.load({}, database_url=db_url)


@pytest.fixture
def store(settings):
    """An empty, migrated store on this test's backend."""
    s = Store.open(settings)
    yield s
    s.close()


@pytest.fixture(scope="session")
def model():
    """The real sentence model, loaded once per test run."""
    from lib import embed

    return embed.load(settings_module.load({}))


@pytest.fixture(scope="session")
def seeded_sqlite_template(tmp_path_factory, model) -> Path:
    """A SQLite store with the five seeds ingested, built once per run."""
    from lib.pipeline import Pipeline

    path = tmp_path_factory.mktemp("seeded") / "factdesk.db"
    s = Store.open(settings_module.load({}, database_url=f"sqlite:///{path}"))
    Pipeline(s, s.settings, model=model).ingest_paths([SEEDS], actor="seed")
    s.close()
    return path


@pytest.fixture(scope="session")
def seeded_pg_template(request, model):
    """The PostgreSQL template database holding the ingested seeds."""
    from lib.pipeline import Pipeline

    server = request.getfixturevalue("postgres")
    name = _new_pg_database(server)
    s = Store.open(settings_module.load({}, database_url=server.url(name)))
    Pipeline(s, s.settings, model=model).ingest_paths([SEEDS], actor="seed")
    s.close()
    return name


@pytest.fixture
def seeded_store(db_url, request, tmp_path, model):
    """A store holding the five seed reports, fully processed; private to the test."""
    if db_url.startswith("sqlite"):
        src = request.getfixturevalue("seeded_sqlite_template")
        dst = tmp_path / "seeded.db"
        shutil.copy(src, dst)
        url = f"sqlite:///{dst}"
    else:
        server = request.getfixturevalue("postgres")
        url = server.url(_new_pg_database(server, template=request.getfixturevalue("seeded_pg_template")))
    s = Store.open(settings_module.load({}, database_url=url))
    yield s
    s.close()


@pytest.fixture
def pipeline(store, model):
    """A pipeline on the empty test store, with the real model."""
    from lib.pipeline import Pipeline

    return Pipeline(store, store.settings, model=model)
