"""Matching one claim across outlets and flagging conflicting figures (issue #4).
Pure tests use hand-made 3-d vectors; the seed test uses the real model."""
from datetime import date

import numpy as np
import pytest
from sqlalchemy import select

from lib.claims.conflicts import find_conflicts
from lib.claims.match import group_claims
from lib.models import Appearance

TROOPS = "North Korean troops"


def unit(*xyz):
    v = np.array(xyz, dtype=np.float32)
    return v / np.linalg.norm(v)


@pytest.mark.parametrize("vectors, figures, speakers, expected", [
    # near-identical sentences join; an unrelated one stays alone
    ([unit(1, 0, 0), unit(0.99, 0.1, 0), unit(0, 0, 1)], [set(), set(), set()], None, [[0, 1], [2]]),
    # below the text threshold, a shared figure joins them
    ([unit(1, 0, 0), unit(0.6, 0.8, 0)], [{(TROOPS, 12000.0)}, {(TROOPS, 12000.0)}], None, [[0, 1]]),
    # ... but not without one
    ([unit(1, 0, 0), unit(0.6, 0.8, 0)], [{(TROOPS, 12000.0)}, set()], None, [[0], [1]]),
    # different values of one quantity never join, however similar the text
    ([unit(1, 0, 0), unit(0.99, 0.1, 0)], [{(TROOPS, 12000.0)}, {(TROOPS, 3000.0)}], None, [[0], [1]]),
    # two different sources are two claims
    ([unit(1, 0, 0), unit(0.99, 0.1, 0)], [set(), set()], ["hur", "zelensky"], [[0], [1]]),
    # an unknown speaker joins anyone
    ([unit(1, 0, 0), unit(0.99, 0.1, 0)], [set(), set()], ["hur", None], [[0, 1]]),
])
def test_group_claims(vectors, figures, speakers, expected):
    assert group_claims(np.vstack(vectors), figures, threshold=0.8, figure_threshold=0.5,
                        speakers=speakers) == expected


def test_transitive_join_refuses_a_conflict():
    vectors = np.vstack([unit(1, 0, 0), unit(0.95, 0.3, 0), unit(0.8, 0.6, 0)])
    figures = [{(TROOPS, 12000.0)}, set(), {(TROOPS, 3000.0)}]
    groups = group_claims(vectors, figures, threshold=0.8, chunk_size=1)
    assert [0, 2] not in groups and sum(len(g) for g in groups) == 3


def test_empty_input():
    assert group_claims(np.zeros((0, 3), dtype=np.float32), []) == []


def test_conflicts_same_what_different_value():
    figures = [{(TROOPS, 12000.0), ("North Korean officers", 500.0)}, {(TROOPS, 11000.0)},
               {(TROOPS, 12000.0)}, {("North Korean generals", 3.0)}, {("percent", 3.0)}, {("percent", 4.0)}]
    assert find_conflicts(figures) == [(0, 1), (1, 2)]


def test_seed_claims_across_outlets(seeded_store):
    """The issue's 'Done when' on the five seeds, through the store."""
    claims = seeded_store.claims()
    by_id = {c["id"]: c for c in claims}

    def with_value(value):
        return [c for c in claims if any(f["value"] == value and f["what"] == TROOPS for f in c["figures"])]

    hur = next(c for c in with_value(12000) if c["speaker"] == "Ukraine's military intelligence (HUR)")
    assert {a["outlet"] for a in hur["appearances"]} >= {"Politico", "Euronews", "CNN"}
    assert len({a["report_id"] for a in hur["appearances"]}) >= 3
    assert any(f["what"] == "North Korean officers" and f["value"] == 500 for f in hur["figures"])
    assert any(f["what"] == "North Korean generals" and f["value"] == 3 for f in hur["figures"])
    zelensky = next(c for c in with_value(12000) if c["speaker"] == "Volodymyr Zelensky")
    assert any(f["parts"] == [2, 6000] for f in zelensky["figures"])
    speakers = {value: {c["speaker"] for c in with_value(value)} for value in (11000, 10000, 3000)}
    assert speakers[11000] == {"Kyrylo Budanov"}
    assert speakers[10000] >= {"The Kyiv Independent", "Volodymyr Zelensky"}
    assert {"John Kirby", "South Korean intelligence (NIS)"} <= speakers[3000] | {"United States"}
    for value in (11000, 10000, 3000):
        for c in with_value(value):
            assert hur["id"] in c["conflicts_with"]
            assert c["id"] in hur["conflicts_with"]
    budanov = with_value(11000)[0]
    assert budanov["cue"]["status"] == "confirmed" and budanov["suggested_status"] == "confirmed"
    assert any(f["stated_on"].isoformat() == "2024-10-18" for f in budanov["figures"])
    denial = next(c for c in claims if c["cue"]["actor"] == "Pyongyang")
    assert denial["cue"]["status"] == "denied" and len(denial["appearances"]) == 2
    unverified = next(c for c in claims if c["cue"]["actor"] == "Euronews")
    assert "Mariupol" in unverified["text"] and unverified["suggested_status"] == "unverified"
    assert unverified["status"] == "unreviewed"  # never set without an editor
    assert all(by_id[i] for c in claims for i in c["conflicts_with"])
    # Zelenskyy on 13, 14 and 17 October (seed 004): three statements, three claims
    dated = [next(c for c in claims if any(a["sentence"].startswith(f"On {day} October, Zelenskyy")
                                           for a in c["appearances"])) for day in (13, 14, 17)]
    assert len({c["id"] for c in dated}) == 3


def test_recompute_keeps_claim_ids_and_editors_status(seeded_store, model, tmp_path):
    """Stable claim identity: a new report re-derives claims; editors' data stays."""
    from lib.pipeline import Pipeline

    hur = next(c for c in seeded_store.claims() if c["speaker"] == "Ukraine's military intelligence (HUR)"
               and any(f["value"] == 12000 for f in c["figures"]))
    seeded_store.set_status(hur["id"], "unverified", "ed", note="checking with HUR")
    extra = tmp_path / "extra.txt"
    extra.write_text("Ukraine's military intelligence said that some 12,000 North Korean soldiers, "
                     "including 500 officers and three generals, are already in Russia.\n", encoding="utf-8")
    Pipeline(seeded_store, seeded_store.settings, model=model).ingest_paths([extra], actor="test")
    after = {c["id"]: c for c in seeded_store.claims()}
    assert after[hur["id"]]["status"] == "unverified"
    assert after[hur["id"]]["note"] == "checking with HUR"
    assert len(after[hur["id"]]["appearances"]) >= len(hur["appearances"])



def test_ingest_regroups_only_the_new_reports_topics_and_matches_a_full_recompute(seeded_store, model):
    """An ingest regroups the claims of the new reports' topics only; the
    result equals a recompute of every topic, and other topics' claims are
    not rewritten."""
    from lib.ingest import ReportInput
    from lib.pipeline import Pipeline

    pipeline = Pipeline(seeded_store, seeded_store.settings, model=model)
    seed_topic = {s["topic"] for s in seeded_store.stories()}
    other = ReportInput(text="The city council approved a budget of 40 million euros on Monday, the mayor said. "
                             "The budget funds 12 new schools and 300 teachers, according to the council.",
                        title="Council approves budget", outlet="Local", published=date(2024, 10, 24))
    related = ReportInput(text="Ukraine's military intelligence said that some 12,000 North Korean soldiers, "
                               "including 500 officers and three generals, are already in Russia.",
                          title="Kyiv: 12,000 North Korean troops in Russia", outlet="Wire",
                          published=date(2024, 10, 25))
    pipeline.ingest_items([other], name="other.txt", actor="test")
    topic_claims = {c["id"]: c for c in seeded_store.claims(include_inactive=True)}
    with seeded_store.session() as s:  # the seed topic's appearances, row by row
        before = {(a.id, a.claim_id) for a in s.scalars(select(Appearance))}
    pipeline.ingest_items([related], name="related.txt", actor="test")
    incremental = {c["id"]: c for c in seeded_store.claims(include_inactive=True)}
    new_topic = {s["topic"] for s in seeded_store.stories()} - seed_topic
    assert new_topic, "the council report opens a topic of its own"
    with seeded_store.session() as s:
        after = {(a.id, a.claim_id) for a in s.scalars(select(Appearance))}
    untouched = {cid for cid, c in topic_claims.items() if c["story_id"] in
                 {s["id"] for s in seeded_store.stories() if s["topic"] in new_topic}}
    assert untouched and all((row in after) for row in before if row[1] in untouched)  # rows not rewritten

    pipeline.extract_claims([])  # every topic, from scratch
    full = {c["id"]: c for c in seeded_store.claims(include_inactive=True)}
    assert full.keys() == incremental.keys()
    for cid, c in full.items():
        shape = ("text", "speaker", "cue", "suggested_status", "active", "story_id")
        assert {k: c.get(k) for k in shape} == {k: incremental[cid].get(k) for k in shape}, cid
        assert sorted((a["report_id"], a["sentence_index"]) for a in c["appearances"]) == \
            sorted((a["report_id"], a["sentence_index"]) for a in incremental[cid]["appearances"])


def _conflicting_by_pairs(figures):
    """The definition, walked over all pairs: i and j conflict when, for a
    compared quantity both state, one states a value the other does not."""
    from lib.claims.conflicts import NOT_COMPARED

    def values(keys, what):
        return {v for w, v in keys if w == what}

    out = []
    for i, a in enumerate(figures):
        for j in range(i + 1, len(figures)):
            b = figures[j]
            whats = {w for w, _ in a if w not in NOT_COMPARED} & {w for w, _ in b}
            if any(values(a, w) != values(b, w) or len(values(a, w)) > 1 for w in whats):
                out.append((i, j))
    return out


def test_conflict_lists_equal_the_pairwise_definition():
    import random

    rng = random.Random(4)
    whats = ["troops", "officers", "percent", "generals"]
    for _ in range(300):
        figures = [{(rng.choice(whats), float(rng.choice([3, 10, 11, 12]))) for _ in range(rng.randint(0, 3))}
                   for _ in range(rng.randint(0, 12))]
        assert find_conflicts(figures) == _conflicting_by_pairs(figures), figures


def test_statements_dated_to_different_days_are_different_claims():
    from datetime import date

    same = np.array([[1.0, 0.0, 0.0]] * 3, dtype=np.float32)  # identical wording
    no_figures = [set(), set(), set()]
    days = [date(2024, 10, 13), date(2024, 10, 14), date(2024, 10, 14)]
    assert group_claims(same, no_figures, threshold=0.8) == [[0, 1, 2]]
    # 13 October stays apart, even one day before; the two 14 October statements join
    assert group_claims(same, no_figures, threshold=0.8, dates=days) == [[0], [1, 2]]
    # an undated sentence may join a dated claim
    assert group_claims(same, no_figures, threshold=0.8, dates=[None, days[1], None]) == [[0, 1, 2]]
