"""Commands for stories and topics (issue #3): stories, cluster, recluster."""
from __future__ import annotations

import json
from pathlib import Path

import click

from lib.cli import Context, dumps, pass_ctx
from lib.errors import UnsupportedFile


def register(cli: click.Group) -> None:
    for command in (stories, cluster, recluster):
        cli.add_command(command)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of stories.")
@pass_ctx
def stories(ctx: Context, as_json: bool) -> None:
    """Stories (versions of one report) with their topic and reports."""
    rows = ctx.store.stories()
    if as_json:
        keys = ("id", "title", "topic", "topic_title", "reports")
        click.echo(dumps([{k: s[k] for k in keys} for s in rows]))
        return
    for s in rows:
        click.echo(f"{s['id']}  [{s['topic']}]  {s['title']}  ({len(s['reports'])} version(s))")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def cluster(ctx: Context, file: Path) -> None:
    """Cluster a JSONL file's reports, with no database: one {id, story, topic} per line.

    Each line: {"id": "...", "text": "...", "title": ..., "date": "YYYY-MM-DD" or null}.
    """
    from lib import embed, pipeline

    items = read_jsonl(file)
    result = pipeline.cluster_items(items, ctx.settings, embed.load(ctx.settings))
    labels = result.as_dict()
    for rid, _ in items:
        story, topic = labels[rid]
        click.echo(json.dumps({"id": rid, "story": story, "topic": topic}, ensure_ascii=False))


def read_jsonl(file: Path) -> list:
    """(id, ReportInput) per non-blank line; UnsupportedFile naming the line when malformed."""
    from lib import ingest

    items, seen = [], set()
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UnsupportedFile(f"{file}: not valid UTF-8; save it as UTF-8") from None
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{file} line {line_no}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UnsupportedFile(f"{where}: malformed JSON: {exc.msg}") from None
        if not isinstance(obj, dict):
            raise UnsupportedFile(f"{where}: expected a JSON object, got {type(obj).__name__}")
        rid = obj.get("id")
        if not isinstance(rid, str) or not rid:
            raise UnsupportedFile(f"{where}: field 'id' must be a non-empty string")
        if rid in seen:
            raise UnsupportedFile(f"{where}: id {rid!r} appears twice")
        seen.add(rid)
        fields = {k: obj.get(k) for k in ("text", "title", "date")}
        items.append((rid, ingest.from_object(where, fields, ingest.Meta())))
    return items


@click.command()
@pass_ctx
def recluster(ctx: Context) -> None:
    """Recompute all stories and topics from stored vectors, keeping editors' merges/splits."""
    summary = ctx.pipeline().recluster(actor=ctx.actor)
    click.echo(f"{summary['stories']} stories in {summary['topics']} topics "
               f"({summary['corrections']} editors' corrections replayed).")
