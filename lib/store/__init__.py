"""The store: the one place that talks SQL (../shared/STYLE.md).

``Store`` is assembled from one mixin per concern, each in its own module:
reports (ingest's writes and reads), stories, claims, users and audit. Every
query goes through SQLAlchemy with bound parameters, never string-built SQL.

    store = Store.open()                  # settings from FACTDESK_* variables
    store.reports()                       # -> list of dicts
    with store.session() as s: ...        # one transaction; commits or rolls back
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lib import db
from lib import settings as settings_module
from lib.settings import Settings
from lib.store.audit import AuditMixin
from lib.store.claims import ClaimsMixin
from lib.store.reports import ReportsMixin
from lib.store.stories import StoriesMixin
from lib.store.desk import DeskMixin
from lib.store.users import UsersMixin


class Store(ReportsMixin, StoriesMixin, ClaimsMixin, DeskMixin, UsersMixin, AuditMixin):
    """Factdesk's data, on SQLite or PostgreSQL alike."""

    def __init__(self, engine: Engine, settings: Settings):
        self.engine = engine
        self.settings = settings
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, settings: Settings | None = None, url: str | None = None,
             migrate: bool = True) -> "Store":
        """Connect to ``url`` (default settings.database_url) and migrate to head."""
        settings = settings or settings_module.get()
        if url:
            settings = settings.replace(database_url=url)
        engine = db.make_engine(settings.database_url)
        if migrate:
            db.migrate(engine)
        return cls(engine, settings)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error."""
        with self._sessions() as session:
            with session.begin():
                yield session

    def close(self) -> None:
        self.engine.dispose()
