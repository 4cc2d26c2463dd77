"""Commands for the store and its reports: init, ingest, reports, process."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from lib.cli import Context, dumps, pass_ctx


def register(cli: click.Group) -> None:
    for command in (init, ingest, reports, process):
        cli.add_command(command)


@click.command()
@click.option("--seed", "seed_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to ingest when the store holds no report yet.")
@pass_ctx
def init(ctx: Context, seed_dir: Path | None) -> None:
    """Create or upgrade the store; ingest SEED when it is empty."""
    store = ctx.store  # opening migrates to the newest schema
    if seed_dir and not store.has_reports():
        results = ctx.pipeline().ingest_paths([seed_dir], actor=ctx.actor)
        for r in results:
            click.echo(_line(r))
    else:
        click.echo(f"Store ready: {len(store.reports())} reports.")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of results.")
@pass_ctx
def ingest(ctx: Context, paths: tuple[Path, ...], as_json: bool) -> None:
    """Ingest report files and folders. Exit 1 when any file is rejected."""
    from tqdm import tqdm

    bar = tqdm(total=0, unit="file", file=sys.stderr, disable=None, leave=False)

    def progress(done: int, total: int, name: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(Path(name).name if name else "")
        bar.refresh()

    results = ctx.pipeline().ingest_paths(paths, actor=ctx.actor, progress=progress)
    bar.close()
    if as_json:
        click.echo(dumps([r.as_dict() for r in results]))
    else:
        for r in results:
            click.echo(_line(r))
    if any(r.status == "rejected" for r in results):
        sys.exit(1)


def _line(result) -> str:
    if result.status == "rejected":
        return f"rejected: {result.reason}"
    if result.status == "present":
        return f"present: {result.path} (already stored as {', '.join(result.report_ids)})"
    return f"added: {result.path} ({', '.join(result.report_ids)})"


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_ctx
def reports(ctx: Context, as_json: bool) -> None:
    """List stored reports."""
    rows = ctx.store.reports()
    if as_json:
        keys = ("id", "outlet", "title", "date", "url", "language", "sentences")
        click.echo(dumps([{k: r[k] for k in keys} for r in rows]))
        return
    for r in rows:
        flag = " [language: %s]" % r["language"] if r["language_flagged"] else ""
        click.echo(f"{r['id']}  {r['date'] or '----------'}  {r['outlet'] or '?':<18} {r['title']}{flag}")


@click.command()
@click.option("--worker", default="worker", show_default=True, help="This worker's name.")
@pass_ctx
def process(ctx: Context, worker: str) -> None:
    """Derive stories and claims for stored reports not processed yet.

    Several `process` workers can run at once on PostgreSQL: each takes
    reports with SELECT ... FOR UPDATE SKIP LOCKED.
    """
    count = ctx.pipeline().process_pending(worker=worker)
    click.echo(f"Processed {count} reports.")
