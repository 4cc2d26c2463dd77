"""Ingest into a real store, on SQLite and PostgreSQL (issue #2)."""
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lib.models import AuditEvent, Report, Sentence, SentenceVector

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def counts(store) -> dict:
    """Row counts of the tables ingest writes: 'unchanged' means these are equal."""
    with store.session() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                for m in (Report, Sentence, SentenceVector, AuditEvent)}


def test_seeds_twice_added_then_present(pipeline):
    first = pipeline.ingest_paths([SEEDS], actor="tester")
    assert [r.status for r in first] == ["added"] * 5
    second = pipeline.ingest_paths([SEEDS], actor="tester")
    assert [r.status for r in second] == ["present"] * 5
    assert [r.report_id for r in first] == [r.report_id for r in second]
    rows = pipeline.store.reports()
    assert sorted(r["outlet"] for r in rows) == ["CNN", "Euronews", "Euronews", "Politico", "Ukrainska Pravda"]
    assert all(r["sentences"] > 5 and r["language"] == "en" for r in rows)


def test_each_distinct_sentence_is_encoded_once(pipeline):
    from lib.pipeline import has_own_title
    from lib.segment import text_hash

    pipeline.ingest_paths([SEEDS], actor="t")
    with pipeline.store.session() as s:
        texts = set(s.scalars(select(Sentence.text_hash)))
        vectors = list(s.scalars(select(SentenceVector.text_hash)))
    # Headlines are encoded once too, for topic grouping (issue #3).
    texts |= {text_hash(r["title"]) for r in map(pipeline.store.report, [r["id"] for r in pipeline.store.reports()])
              if has_own_title(r["title"], r["text"])}
    assert sorted(vectors) == sorted(texts)


BAD_FILES = {
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
    "empty.txt": b"",
    "latin1.txt": "Caf\u00e9 report.".encode("latin-1"),
    "broken.jsonl": b'{"text": "A fine first report about troops."}\n{"text": \n',
    "image.png": b"\x89PNG",
    "big.txt": b"word " * 400_000,
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_rejected_and_store_unchanged(pipeline, tmp_path, name):
    pipeline.ingest_paths([SEEDS / "000_461d28e8d12f0d46.txt"], actor="t")
    before = counts(pipeline.store)
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    pipeline.settings = pipeline.settings.replace(max_file_mb=1)
    [result] = pipeline.ingest_paths([path], actor="t")
    assert result.status == "rejected"
    assert result.reason.startswith(str(path) + ": ")
    assert counts(pipeline.store) == before


def test_jsonl_file_goes_in_whole_or_not_at_all(pipeline, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text('{"text": "First report on the summit in Kazan."}\n{"title": "no text"}\n')
    [result] = pipeline.ingest_paths([path], actor="t")
    assert result.status == "rejected" and "line 2" in result.reason
    assert pipeline.store.reports() == []


def test_mixed_folder_stores_good_files_and_names_bad_ones(pipeline, tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(SEEDS, folder)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / "empty.txt").write_bytes(b"")
    results = pipeline.ingest_paths([folder], actor="t")
    by_name = {Path(r.path).name: r for r in results}
    assert "manifest.csv" not in by_name
    assert by_name["notes.pdf"].status == "rejected" and "unsupported file type .pdf" in by_name["notes.pdf"].reason
    assert by_name["empty.txt"].reason.endswith("empty.txt: file is empty")
    assert sum(r.status == "added" for r in results) == 5
    assert len(pipeline.store.reports()) == 5


def test_same_url_new_text_is_a_new_version(pipeline, tmp_path):
    v1, v2 = tmp_path / "v1.json", tmp_path / "v2.json"
    v1.write_text(json.dumps({"text": "Troops were seen in Kursk on Wednesday, officials said.", "url": "https://news.test/a"}))
    v2.write_text(json.dumps({"text": "Troops were seen in Kursk on Wednesday and Thursday, officials said.", "url": "https://news.test/a"}))
    [r1] = pipeline.ingest_paths([v1], actor="t")
    [r2] = pipeline.ingest_paths([v2], actor="t")
    assert r1.status == r2.status == "added" and r1.report_id != r2.report_id
    rows = {r["id"]: r for r in pipeline.store.reports()}
    assert rows[r1.report_id]["superseded_by"] == r2.report_id
    assert rows[r2.report_id]["superseded_by"] is None


def test_non_english_report_is_stored_and_flagged(pipeline, tmp_path):
    path = tmp_path / "de.txt"
    path.write_text("Nordkoreanische Soldaten sind nach Angaben des ukrainischen Geheimdienstes "
                    "in der russischen Region Kursk eingetroffen. Die Regierung in Kiew fordert mehr Hilfe.")
    [result] = pipeline.ingest_paths([path], actor="t")
    assert result.status == "added"
    [row] = pipeline.store.reports()
    assert row["language"] == "de" and row["language_flagged"] is True


def test_ingest_is_audited_under_the_actor(pipeline):
    pipeline.ingest_paths([SEEDS / "003_1379b8f685d6ab53.txt"], actor="alice")
    [event] = pipeline.store.audit_events(action="ingest")
    assert event["actor"] == "alice" and event["after"]["outlet"] == "CNN"


def test_progress_is_reported_per_file(pipeline):
    seen = []
    pipeline.ingest_paths([SEEDS], actor="t", progress=lambda done, total, name: seen.append((done, total)))
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)


def test_processing_marks_every_report_done(pipeline):
    pipeline.ingest_paths([SEEDS], actor="t")
    assert pipeline.store.pending_count() == 0
