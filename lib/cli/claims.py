"""Claims commands (issue #4): ``extract`` and ``cues`` (stateless, no
database) and ``claims`` (the store's claims as JSON)."""
from __future__ import annotations

import json

import click

from lib.cli import Context, dumps, pass_ctx


def register(group: click.Group) -> None:
    group.add_command(extract_command)
    group.add_command(cues_command)
    group.add_command(claims_command)


def _read(file) -> str:
    data = file.read()
    return data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data


@click.command("extract")
@click.argument("file", type=click.File("rb"))
def extract_command(file) -> None:
    """Claims of one plain-text article (FILE or - for stdin), as JSON lines
    {text, speaker, figures, cue, sentence_index}. Needs no database."""
    from lib import ingest
    from lib.claims.extract import extract_text
    from lib.errors import UnsupportedFile

    name = getattr(file, "name", "-")
    try:
        # Same reading as ingest (date prefix, headline line) so sentence
        # indexes match the store's.
        item = ingest.from_text(name, _read(file), ingest.Meta())
    except UnsupportedFile as exc:
        raise click.ClickException(str(exc)) from None
    for claim in extract_text(item.text, report_date=item.published).claims:
        click.echo(dumps(claim.as_dict()))


@click.command("cues")
@click.argument("file", type=click.File("rb"))
def cues_command(file) -> None:
    """Verification cues of passages: one JSON object {text} per input line
    (FILE or - for stdin), one {text, status, actor, phrase} per output line."""
    from lib.claims import cues, nlp

    model = nlp.load()
    for number, line in enumerate(_read(file).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            text = json.loads(line)["text"]
        except (ValueError, KeyError, TypeError):
            raise click.ClickException(
                f"line {number}: expected a JSON object with a \"text\" field, got {line[:60]!r}"
            ) from None
        found = cues.find_cues(text, model(text))
        summary = cues.summary(found)
        click.echo(dumps({"text": text, "status": summary["status"], "actor": summary["actor"],
                          "phrase": summary["phrase"]}))


@click.command("claims")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--story", "story_id", metavar="ID", help="Only this story's claims.")
@click.option("--status", metavar="CODE", help="Only claims with this desk status.")
@pass_ctx
def claims_command(ctx: Context, as_json: bool, story_id: str | None, status: str | None) -> None:
    """Claims with speakers, figures, cues, appearances and conflicts."""
    claims = ctx.store.claims(story_id=story_id, status=status)
    if as_json:
        click.echo(dumps(claims))
        return
    for claim in claims:
        figures = ", ".join(f"{f['value']:g} {f['unit'] or ''}".strip() for f in claim["figures"])
        click.echo(f"{claim['id']}  [{claim['status']}|cue {claim['cue']['status']}]  "
                   f"{claim['speaker'] or '-'}: {claim['text'][:100]}" + (f"  ({figures})" if figures else ""))
