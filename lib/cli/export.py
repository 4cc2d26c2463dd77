"""`export`: claim sheets from the shell, the same bytes as the dashboard's downloads."""
from __future__ import annotations

from pathlib import Path

import click

from lib.cli import Context, pass_ctx
from lib.errors import InvalidValue
from lib.export import FORMATS


def register(cli: click.Group) -> None:
    cli.add_command(export)


@click.command()
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS),
              help="csv (UTF-8 with BOM), xlsx, claimreview (JSON array of ClaimReview) or html (printable).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; '-' writes to standard output.")
@click.option("--story", "story_id", metavar="ID", help="Only the claims of this story.")
@click.option("--status", metavar="CODE", help="Only claims with this desk status code.")
@click.option("--sheet-per-story", is_flag=True, help="xlsx: one sheet per story instead of a Story column.")
@pass_ctx
def export(ctx: Context, fmt: str, out: Path, story_id: str | None, status: str | None,
           sheet_per_story: bool) -> None:
    """Write the claims (of a story, a status, or all) as a claim sheet."""
    from lib import export as exporter

    if story_id:
        ctx.store.story(story_id)  # raises StoryNotFound with a clear message
    if status:
        codes = ctx.store.status_labels()
        if status not in codes:
            raise InvalidValue(f"Unknown desk status {status!r}; expected one of {', '.join(codes)}.")
    data = exporter.gather(ctx.store, story_id=story_id, status=status)
    payload = exporter.render(data, fmt, ctx.settings, sheet_per_story=sheet_per_story)
    if str(out) == "-":
        click.get_binary_stream("stdout").write(payload)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(payload)
    n = len(data.claims) if fmt != "claimreview" else len(exporter.to_claimreview(data, ctx.settings))
    click.echo(f"Wrote {n} claims to {out} ({fmt}).", err=True)
