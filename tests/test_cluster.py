"""Stories and topics (issue #3): pure maths on hand-written vectors, then the
seed contract with the real model."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from lib import cluster
from lib.cluster import Archive, Doc, Params

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def doc(doc_id: str, rows: list[np.ndarray], day: int | None = None, text: str = "") -> Doc:
    """A report of 5-word sentences with the given vectors."""
    return Doc(doc_id, np.vstack(rows), np.full(len(rows), 5), None, text, day)


X, Y, Z, W = unit(1, 0, 0, 0), unit(0, 1, 0, 0), unit(0, 0, 1, 0), unit(0, 0, 0, 1)


@pytest.mark.parametrize("a, b, threshold, expected", [
    ([X, Y], [X, Y], 0.8, (1.0, 1.0, 2, 2)),
    ([X, Y], [X, Z, W, unit(0, 1, 1, 1)], 0.8, (0.5, 0.25, 1, 1)),
    ([X], [unit(1, 1, 0, 0)], 0.8, (0.0, 0.0, 0, 0)),   # cosine 0.71
    ([X], [unit(1, 1, 0, 0)], 0.7, (1.0, 1.0, 1, 1)),
    ([X], [], 0.8, (0.0, 0.0, 0, 0)),
])
def test_alignment_shares(a, b, threshold, expected):
    rows_b = np.vstack(b) if b else np.zeros((0, 4), dtype=np.float32)
    assert cluster.alignment_shares(np.vstack(a), rows_b, threshold) == pytest.approx(expected)


@pytest.mark.parametrize("a, b, versions", [
    ([X, Y, Z], [X, Y, W], True),            # 2 of 3 sentences shared
    ([X, Y], [X, Z, W, unit(1, 1, 1, 1)], False),  # one shared sentence is not enough
    ([X, Y], [X, Y, Z, W, unit(1, 1, 1, 0), unit(0, 1, 1, 1)], True),  # short copy inside a rewrite
])
def test_are_versions(a, b, versions):
    assert cluster.are_versions(np.vstack(a), np.vstack(b)) is versions


def test_short_sentences_are_left_out_of_alignment():
    d = Doc("a", np.vstack([X, Y]), np.array([2, 6]), None)
    assert cluster.aligned_rows(d).tolist() == [Y.tolist()]
    assert cluster.aligned_rows(Doc("b", np.vstack([X]), np.array([2]))).shape == (1, 4)


def test_neighbours_are_chunked_top_k_within_the_date_window():
    vectors = np.vstack([X, unit(1, 0.1, 0, 0), unit(1, 0.3, 0, 0), Y])
    days = cluster.days_array([0, 1, 100, None])
    index, score = cluster.neighbours(vectors, vectors, qdays=days, days=days, max_days=14, k=2,
                                      chunk=1, self_offset=0)
    assert index[0].tolist() == [1, 3]   # row 2 is out of the window; 3 has no date
    assert score[0, 0] == pytest.approx(float(X @ unit(1, 0.1, 0, 0)))
    assert index[2].tolist()[0] == 3


@pytest.mark.parametrize("corrections, expected", [
    ([], [0, 0, 2]),
    ([("merge", "a", "c")], [0, 0, 0]),
    ([("split", "b", None)], [0, 1, 2]),
    ([("split", "b", None), ("merge", "b", "c")], [0, 1, 1]),
    ([("merge", "a", "zz")], [0, 0, 2]),    # unknown report: skipped
])
def test_apply_corrections(corrections, expected):
    assert cluster.apply_corrections([0, 0, 2], ["a", "b", "c"], corrections) == expected



# a and b were one story until an editor split b out; x is new.
_BEFORE = {"a": ("a", "t"), "b": ("b", "t"), "c": ("c", "c")}


@pytest.mark.parametrize("after, corrections, expected", [
    # x bridged a and b: b is taken out again, x stays with a
    ({"a": ("a", "t"), "b": ("a", "t"), "c": ("c", "c"), "x": ("a", "t")}, [("split", "b", None)],
     {"a": ("a", "t"), "b": ("b", "t"), "c": ("c", "c"), "x": ("a", "t")}),
    # the split report has the lowest id: the rest take their own lowest id
    ({"a": ("a", "t"), "b": ("a", "t"), "x": ("a", "t")}, [("split", "a", None)],
     {"a": ("a", "t"), "b": ("b", "t"), "x": ("b", "t")}),
    # x is a new version of b alone: nothing to undo
    ({"a": ("a", "t"), "b": ("b", "t"), "c": ("c", "c"), "x": ("b", "t")}, [("split", "b", None)],
     {"a": ("a", "t"), "b": ("b", "t"), "c": ("c", "c"), "x": ("b", "t")}),
    # an editor merged b back after the split: the merge stands
    ({"a": ("a", "t"), "b": ("a", "t"), "x": ("a", "t")}, [("split", "b", None), ("merge", "b", "a")],
     {"a": ("a", "t"), "b": ("a", "t"), "x": ("a", "t")}),
    # no corrections: labels unchanged
    ({"a": ("a", "t"), "b": ("a", "t"), "x": ("a", "t")}, [],
     {"a": ("a", "t"), "b": ("a", "t"), "x": ("a", "t")}),
])
def test_keep_splits(after, corrections, expected):
    before = {k: v for k, v in _BEFORE.items() if k in after}
    if ("merge", "b", "a") in corrections:
        before = {"a": ("a", "t"), "b": ("a", "t")}
    assert cluster.keep_splits(before, after, corrections) == expected


def test_average_link_joins_only_close_groups():
    vectors = np.vstack([X, unit(1, 0.2, 0, 0), unit(1, 0, 0.2, 0), Y, unit(0, 1, 0.1, 0)])
    r = np.zeros(5, dtype=np.float32)
    days = cluster.days_array([None] * 5)
    edges = [(i, j, float(vectors[i] @ vectors[j])) for i in range(5) for j in range(5) if i != j]
    assert cluster.average_link(vectors, r, days, [0, 1, 2, 3, 4], edges, threshold=0.5) == [0, 0, 0, 3, 3]
    # initial groups (stories) are never split, even when they are far apart
    assert cluster.average_link(vectors, r, days, [0, 1, 2, 3, 0], edges, threshold=0.9)[4] == 0


def two_events() -> list[Doc]:
    """a, b: versions (same sentences); c: same event in other sentences
    (cosine 0.6 to a's); d: another event."""
    c1, c2 = unit(1, 1, 0.9, 0), unit(1, 1, -0.9, 0)
    return [
        doc("a", [X, Y, unit(0.2, 1, 0, 0)], 10, "troops border"),
        doc("b", [X, Y, unit(1, 0.2, 0, 0.3)], 11, "troops border"),
        doc("c", [c1, c2], 12, "troops border"),
        doc("d", [W, unit(0, 0, 0.2, 1)], 12, "budget vote"),
    ]


def test_cluster_groups_versions_into_stories_and_events_into_topics():
    result = cluster.cluster(two_events(), Params(story_min_matches=1))
    assert result.story == ["a", "a", "c", "d"]
    assert result.topic == ["a", "a", "a", "d"]


def test_cluster_is_independent_of_input_order():
    docs = two_events()
    expected = cluster.cluster(docs, Params(story_min_matches=1)).as_dict()
    for seed in range(5):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        for d in shuffled:
            d._vector = None
        assert cluster.cluster(shuffled, Params(story_min_matches=1)).as_dict() == expected


def test_topic_days_keep_far_apart_reports_out_of_one_topic():
    docs = two_events()
    docs[2].day = 400
    assert cluster.cluster(docs, Params(story_min_matches=1)).topic[2] == "c"


def empty_archive() -> Archive:
    return Archive.of([], {})


def test_incremental_assignment_matches_the_full_recompute():
    params = Params(story_min_matches=1)
    docs = two_events()
    full = cluster.cluster(docs, params).as_dict()
    for order in ([0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]):
        archive = empty_archive()
        for i in order:
            archive.assign(docs[i], params)
        assert archive.labels() == full, order


@pytest.mark.parametrize("text, same_as, expected", [
    ("Troops crossed the border", "troops crossed the border!", 1.0),
    ("The and with from", "", 0.0),
])
def test_lexical_vector(text, same_as, expected):
    a, b = cluster.lexical_vector(text), cluster.lexical_vector(same_as)
    assert float(a @ b) == pytest.approx(expected, abs=1e-6)


# -- the seed contract, with the real model ----------------------------------
def seed_items():
    from lib import ingest, settings

    manifest = ingest.read_manifest(SEEDS)
    return [(path.name[:3], item) for path in sorted(SEEDS.glob("*.txt"))
            for item in ingest.read_file(path, manifest.get(path.name),
                                         settings.load({}).max_file_bytes)]


def groups(labels: dict[str, str]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for rid, label in labels.items():
        out.setdefault(label, set()).add(rid)
    return {frozenset(g) for g in out.values()}


@pytest.fixture(scope="module")
def seed_docs(model):
    """The five seeds as Docs, encoded once."""
    from lib import embed, pipeline, segment, settings

    st = settings.load({})
    prepared = [(rid, pipeline.prepare(item, st)) for rid, item in seed_items()]
    texts = {segment.text_hash(t): t for _, p in prepared
             for t in [s.text for s in p.sentences] + [p.item.title]}
    hashes = sorted(texts)
    vectors = dict(zip(hashes, embed.encode(model, [texts[h] for h in hashes])))
    return [pipeline.doc_for(rid, p.item, [s.text for s in p.sentences], vectors)
            for rid, p in prepared]


def test_seeds_make_four_stories_in_one_topic(seed_docs):
    result = cluster.cluster(seed_docs)
    assert groups(dict(zip(result.ids, result.story))) == {
        frozenset({"000", "001"}), frozenset({"002"}), frozenset({"003"}), frozenset({"004"})}
    assert len(set(result.topic)) == 1


@pytest.mark.parametrize("seed", range(4))
def test_seeds_incremental_in_any_arrival_order(seed_docs, seed):
    order = seed_docs[:]
    random.Random(seed).shuffle(order)
    archive = empty_archive()
    for d in order:
        archive.assign(d)
    assert archive.labels() == cluster.cluster(seed_docs).as_dict()


def test_seed_pipeline_cluster_items(model):
    from lib import pipeline, settings

    result = pipeline.cluster_items(seed_items(), settings.load({}), model)
    assert result.story == ["000", "000", "002", "003", "004"]
    assert result.topic == ["000"] * 5


@pytest.mark.parametrize("n, chunk, k", [(50, 7, 5), (30, 100, 40), (1, 4, 3)])
def test_windowed_neighbours_equal_the_plain_ones(n, chunk, k):
    rng = np.random.default_rng(n)
    vectors = rng.standard_normal((n, 6)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    days = cluster.days_array([None if i % 5 == 0 else int(rng.integers(0, 60)) for i in range(n)])
    plain = cluster.neighbours(vectors, vectors, qdays=days, days=days, max_days=10, k=k,
                               chunk=chunk, self_offset=0)
    windowed = cluster.windowed_neighbours(vectors, days, max_days=10, k=k, chunk=chunk)
    valid = plain[1] > cluster.FAR
    assert np.allclose(np.where(valid, plain[1], 0), np.where(valid, windowed[1][:, :plain[1].shape[1]], 0))
