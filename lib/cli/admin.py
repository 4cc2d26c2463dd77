"""Operator commands for the whole store: backup and restore (issue #6)."""
from __future__ import annotations

from pathlib import Path

import click

from lib.cli import Context, pass_ctx


def register(cli: click.Group) -> None:
    cli.add_command(backup)
    cli.add_command(restore)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE when it exists.")
@pass_ctx
def backup(ctx: Context, file: Path, force: bool) -> None:
    """Copy the SQLite store to FILE while it runs (PostgreSQL: use pg_dump)."""
    from lib import backup as backups

    backups.backup(ctx.store, file, overwrite=force)
    click.echo(f"Backed up {ctx.settings.database_url} to {file}.")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
def restore(ctx: Context, file: Path) -> None:
    """Replace the SQLite store with the backup FILE (PostgreSQL: use pg_restore)."""
    from lib import backup as backups

    backups.restore(ctx.store, file, actor=ctx.actor)
    click.echo(f"Restored {ctx.settings.database_url} from {file}.")
