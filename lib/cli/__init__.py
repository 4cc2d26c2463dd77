"""Factdesk's command line, the operator's shell access (issue #2).

    python -m lib [--db URL] [--as NAME] COMMAND [ARGS]

Global options come before the command. Writes are audited as ``--as NAME``
(default ``cli``). Each command's body calls the library; library errors
become clean messages here, at the edge, and nowhere else.
"""
from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Any

import click

from lib import settings as settings_module
from lib.errors import FactdeskError


class Context:
    """What commands share: settings, and a store opened on first use."""

    def __init__(self, db: str | None, actor: str):
        self.db = db
        self.actor = actor
        self._settings = None
        self._store = None

    @property
    def settings(self):
        if self._settings is None:
            self._settings = settings_module.load(database_url=self.db)
        return self._settings

    @property
    def store(self):
        if self._store is None:
            from lib.store import Store

            self._store = Store.open(self.settings)
        return self._store

    def pipeline(self):
        from lib.pipeline import Pipeline

        return Pipeline(self.store, self.settings)


pass_ctx = click.make_pass_decorator(Context)


def dumps(value: Any) -> str:
    """JSON with ISO dates, as every --json output uses."""
    def default(obj: Any) -> Any:
        if isinstance(obj, (date, datetime)):
            return obj.isoformat()
        raise TypeError(f"{type(obj).__name__} is not JSON serialisable")

    return json.dumps(value, ensure_ascii=False, default=default)


class FactdeskGroup(click.Group):
    """Turns library errors into one clean line and exit status 1 (no traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FactdeskError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=FactdeskGroup)
@click.option("--db", metavar="URL", help="Database URL; overrides FACTDESK_DATABASE_URL.")
@click.option("--as", "actor", default="cli", show_default=True, metavar="NAME",
              help="Name the CLI's writes are recorded under in the audit trail.")
@click.pass_context
def cli(ctx: click.Context, db: str | None, actor: str) -> None:
    """Factdesk: gather versions of a story, extract claims, track verification."""
    ctx.obj = Context(db, actor)


# Commands live one module per concern; each module's register() adds its own.
from lib.cli import admin, claims, export, reports, serve, stories, users  # noqa: E402

for _module in (reports, stories, claims, export, users, admin, serve):
    _module.register(cli)


def main() -> None:
    try:
        cli(prog_name="python -m lib")
    except settings_module.SettingsError as exc:  # raised before a command runs
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
