"""Stories in the store and on the command line (issue #3)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lib.cli import cli
from lib.errors import StoryNotFound
from lib.pipeline import Pipeline


def outlets(story: dict) -> set[str]:
    return {r["outlet"] for r in story["reports"]}


def test_seed_stories_in_one_topic(seeded_store):
    stories = seeded_store.stories()
    sizes = sorted(len(s["reports"]) for s in stories)
    assert sizes == [1, 1, 1, 2]
    pair = next(s for s in stories if len(s["reports"]) == 2)
    assert outlets(pair) == {"Politico", "Euronews"}
    assert pair["id"] == min(r["id"] for r in pair["reports"])
    assert len({s["topic"] for s in stories}) == 1


def test_story_title_is_its_own_earliest_report_and_topic_title_the_topics(seeded_store):
    # A lone report's story and the topic it heads share an id (lowest report
    # id); each keeps its own title.
    for story in seeded_store.stories():
        earliest = min(story["reports"], key=lambda r: (r["date"], r["id"]))
        assert story["title"] == earliest["title"], story["id"]
        assert story["topic_title"].startswith("According to some reports, 10,000")  # 002, the earliest


def test_stories_json_contract(seeded_store):
    result = CliRunner().invoke(cli, ["--db", seeded_store.settings.database_url, "stories", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {tuple(sorted(r)) for r in rows} == {("id", "reports", "title", "topic", "topic_title")}
    for row in rows:
        for report in row["reports"]:
            assert sorted(report) == ["date", "id", "outlet", "title"]
            assert len(report["date"]) == 10


def test_split_and_merge_survive_recluster(seeded_store):
    pair = next(s for s in seeded_store.stories() if len(s["reports"]) == 2)
    first, second = (r["id"] for r in pair["reports"])
    assert seeded_store.split_report(second, "ed") == second
    pipeline = Pipeline(seeded_store, seeded_store.settings)
    pipeline._model = None
    summary = pipeline.recluster(actor="night-desk")
    assert summary["corrections"] == 1
    assert seeded_store.story_of(first) != seeded_store.story_of(second)
    cnn = next(s for s in seeded_store.stories() if outlets(s) == {"CNN"})
    merged = seeded_store.merge_stories(seeded_store.story_of(first), cnn["id"], "ed")
    pipeline.recluster(actor="night-desk")
    assert seeded_store.story_of(first) == seeded_store.story_of(cnn["reports"][0]["id"]) == merged
    assert seeded_store.audit_events(action="recluster")[0]["actor"] == "night-desk"



def test_a_split_survives_an_incremental_ingest_that_bridges_it(seeded_store, model):
    """An editor splits Euronews' rewrite (001) out of Politico's story (000);
    a new report carrying both versions' text would join them again
    incrementally, but the split stands, as it does in a recompute."""
    from lib.ingest import ReportInput

    pair = next(s for s in seeded_store.stories() if len(s["reports"]) == 2)
    first, second = sorted(r["id"] for r in pair["reports"])
    seeded_store.split_report(second, "ed")
    texts = {rid: seeded_store.report(rid)["text"] for rid in (first, second)}
    bridge = ReportInput(text=texts[first] + "\n\n" + texts[second], title="Wire copy of both versions",
                         outlet="Wire")
    pipeline = Pipeline(seeded_store, seeded_store.settings, model=model)
    result = pipeline.ingest_items([bridge], name="bridge.txt", actor="test")
    assert result.status == "added"
    new = result.report_ids[0]
    assert seeded_store.story_of(first) != seeded_store.story_of(second)
    assert seeded_store.story_of(new) == seeded_store.story_of(first)  # the new one joins the others
    pipeline.recluster(actor="test")
    assert seeded_store.story_of(first) != seeded_store.story_of(second)


def test_story_diff_of_the_seed_pair(seeded_store):
    pair = next(s for s in seeded_store.stories() if len(s["reports"]) == 2)
    d = seeded_store.story_diff(pair["id"])
    assert len(d["versions"]) == 2 and len(d["shared"]) >= 5
    with pytest.raises(StoryNotFound):
        seeded_store.story_diff("nope")


def test_cluster_cli_needs_no_database(tmp_path, model):
    lines = [
        {"id": "a", "title": "Troops cross the border", "text": "Soldiers crossed the border on Monday. "
         "The defence ministry confirmed the crossing in a statement.", "date": "2024-10-24", "x": 1},
        {"id": "b", "text": "A new budget passed the parliament late on Friday night after a long debate.",
         "date": None},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    result = CliRunner().invoke(cli, ["--db", "sqlite:////nonexistent/dir/x.db", "cluster", str(path)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert out[0]["story"] != out[1]["story"] and out[0]["topic"] != out[1]["topic"]


@pytest.mark.parametrize("content, message", [
    ('{"id": "a", "text": "x"}\nnot json\n', "line 2: malformed JSON"),
    ('{"id": 3, "text": "x"}\n', "line 1: field 'id' must be a non-empty string"),
    ('{"id": "a"}\n', "line 1: field 'text' must be a non-empty string"),
    ('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "line 2: id 'a' appears twice"),
    ('[1]\n', "line 1: expected a JSON object, got list"),
])
def test_cluster_cli_names_the_bad_line(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    result = CliRunner().invoke(cli, ["cluster", str(path)])
    assert result.exit_code == 1
    assert f"Error: {path} {message}" in result.output


def test_a_new_version_joins_its_story_incrementally(seeded_store, tmp_path, model):
    """One more report, a lightly edited copy of Politico's, joins that story and topic."""
    pair = next(s for s in seeded_store.stories() if len(s["reports"]) == 2)
    politico = next(r for r in pair["reports"] if r["outlet"] == "Politico")
    text = seeded_store.report(politico["id"])["text"]
    copy = tmp_path / "wire.json"
    copy.write_text(json.dumps({"title": "Kyiv: North Korean troops in combat zone", "outlet": "Wire",
                                "date": "2024-10-26", "text": text.replace("Kyiv", "Ukraine's capital")}))
    Pipeline(seeded_store, seeded_store.settings, model=model).ingest_paths([copy], actor="cli")
    wire = next(r for r in seeded_store.reports() if r["outlet"] == "Wire")
    assert seeded_store.story_of(wire["id"]) == seeded_store.story_of(politico["id"])
    assert len({s["topic"] for s in seeded_store.stories()}) == 1
    assert len(seeded_store.stories()) == 4


def test_recluster_regroups_claims_and_keeps_editors_marks(seeded_store):
    before = {c["id"]: c for c in seeded_store.claims()}
    twelve = next(c for c in before.values() if "12 000" in c["text"] or "12,000" in c["text"])
    seeded_store.set_status(twelve["id"], "unverified", "ed", twelve["version"], note="checking with HUR")
    Pipeline(seeded_store, seeded_store.settings).recluster(actor="night-desk")
    after = {c["id"]: c for c in seeded_store.claims()}
    assert set(after) == set(before)
    assert after[twelve["id"]]["status"] == "unverified"
    assert after[twelve["id"]]["note"] == "checking with HUR"
    assert {a["outlet"] for a in after[twelve["id"]]["appearances"]} >= {"Politico", "Euronews", "CNN"}
