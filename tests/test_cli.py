"""The CLI contract independent checks call (issue #2)."""
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lib.cli import cli

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def run(db_url, model):
    """Invoke `python -m lib --db URL ...` in-process; returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str, **kw):
        return runner.invoke(cli, ["--db", db_url, *args], catch_exceptions=False, **kw)

    return invoke


def test_ingest_seeds_twice(run):
    first = run("ingest", str(SEEDS))
    assert first.exit_code == 0, first.output
    assert [line.split(":")[0] for line in first.output.splitlines()] == ["added"] * 5
    second = run("ingest", str(SEEDS))
    assert second.exit_code == 0, second.output
    assert [line.split(":")[0] for line in second.output.splitlines()] == ["present"] * 5
    assert "already stored as" in second.output


def test_ingest_json_output_and_exit_1_on_rejection(run, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "003_1379b8f685d6ab53.txt", folder / "cnn.txt")
    (folder / "bad.txt").write_bytes(b"\x00\x01binary")
    result = run("ingest", "--json", str(folder))
    assert result.exit_code == 1, result.output
    rows = json.loads(result.output)
    assert [(Path(r["path"]).name, r["status"]) for r in rows] == [("bad.txt", "rejected"), ("cnn.txt", "added")]
    assert rows[0]["reason"] == f"{folder / 'bad.txt'}: binary file (contains NUL bytes); expected text"
    assert rows[0]["report_id"] is None and len(rows[1]["report_id"]) == 16


def test_ingest_plain_rejection_line(run, tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF")
    result = run("ingest", str(bad))
    assert result.exit_code == 1
    assert result.output.strip() == (f"rejected: {bad}: unsupported file type .pdf; "
                                     "expected one of .htm, .html, .json, .jsonl, .md, .txt")


def test_reports_json_shape(run):
    run("ingest", str(SEEDS))
    result = run("reports", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 5
    assert set(rows[0]) == {"id", "outlet", "title", "date", "url", "language", "sentences"}
    by_outlet = {r["outlet"]: r for r in rows if r["outlet"] != "Euronews"}
    assert by_outlet["Ukrainska Pravda"]["date"] == "2024-10-24"
    assert by_outlet["CNN"]["title"].startswith("North Korean troops spotted")
    assert all(isinstance(r["sentences"], int) and r["sentences"] > 0 for r in rows)


def test_ids_are_stable_across_stores(run, tmp_path):
    run("ingest", str(SEEDS))
    ids = sorted(r["id"] for r in json.loads(run("reports", "--json").output))
    other = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path / 'other.db'}", "ingest", str(SEEDS)])
    assert other.exit_code == 0, other.output
    again = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path / 'other.db'}", "reports", "--json"])
    assert sorted(r["id"] for r in json.loads(again.output)) == ids


def test_writes_are_audited_as_the_given_name(run, db_url):
    result = CliRunner().invoke(cli, ["--db", db_url, "--as", "night-desk", "ingest",
                                      str(SEEDS / "000_461d28e8d12f0d46.txt")])
    assert result.exit_code == 0, result.output
    from lib.store import Store
    from lib import settings

    store = Store.open(settings.load({}, database_url=db_url))
    assert {e["actor"] for e in store.audit_events(action="ingest")} == {"night-desk"}


def test_init_seeds_only_an_empty_store(run):
    first = run("init", "--seed", str(SEEDS))
    assert first.exit_code == 0 and first.output.count("added:") == 5
    second = run("init", "--seed", str(SEEDS))
    assert second.output.strip() == "Store ready: 5 reports."


def test_bad_setting_is_a_clean_error(db_url, monkeypatch):
    monkeypatch.setenv("FACTDESK_MAX_FILE_MB", "lots")
    result = CliRunner().invoke(cli, ["--db", db_url, "reports"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: FACTDESK_MAX_FILE_MB must be a number between 0.001 and 10000, got 'lots'."
