"""`serve`: start the dashboard with the port and upload limit from settings."""
from __future__ import annotations

import math
import os
import sys

import click

from lib.cli import Context, pass_ctx
from lib.settings import ROOT, apply_offline_environment


def register(cli: click.Group) -> None:
    cli.add_command(serve)


@click.command()
@pass_ctx
def serve(ctx: Context) -> None:
    """Serve the dashboard (streamlit run dashboard.py) on FACTDESK_PORT."""
    s = ctx.settings
    apply_offline_environment()
    if ctx.db:
        os.environ["FACTDESK_DATABASE_URL"] = ctx.db
    args = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
            "--server.port", str(s.port),
            "--server.maxUploadSize", str(max(1, math.ceil(s.max_file_mb)))]
    click.echo(f"Factdesk: serving on http://localhost:{s.port}", err=True)
    os.chdir(ROOT)
    os.execv(sys.executable, args)
