"""Version diff of a story (issue #3): hand-written vectors, then the seeds."""
from __future__ import annotations

import numpy as np
import pytest

from lib.diff import Version, diff, mutual_matches


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


X, Y, Z, W = unit(1, 0, 0, 0), unit(0, 1, 0, 0), unit(0, 0, 1, 0), unit(0, 0, 0, 1)


@pytest.mark.parametrize("a, b, expected", [
    ([X, Y], [Y, X], [(0, 1), (1, 0)]),
    ([X], [unit(1, 0.1, 0, 0), unit(1, 0.2, 0, 0)], [(0, 0)]),   # only the best partner
    ([X], [Z], []),
])
def test_mutual_matches(a, b, expected):
    assert mutual_matches(np.vstack(a), np.vstack(b)) == expected


def test_diff_lists_shared_added_and_dropped_sentences():
    base = Version("a", ["x", "y", "z"], np.vstack([X, Y, Z]))
    other = Version("b", ["x'", "w"], np.vstack([unit(1, 0.1, 0, 0), W]))
    d = diff([base, other])
    assert d.shared == [{"a": 0, "b": 0}]
    assert d.versions[1].adds == [(1, "w")]
    assert d.versions[1].drops == [(1, "y"), (2, "z")]
    assert d.versions[0].only == [(1, "y"), (2, "z")]
    assert d.as_dict()["shared"] == [{"text": "x", "sentences": {"a": 0, "b": 0}}]


@pytest.mark.parametrize("versions, shared", [([], []), ([Version("a", ["x"], np.vstack([X]))], [])])
def test_diff_of_no_or_one_version(versions, shared):
    assert diff(versions).shared == shared


def test_seed_diff_000_001(model):
    """001 adds the US evidence and Putin's remark; 000 alone has Zelenskyy on language."""
    from lib import embed, pipeline, settings
    from tests.test_cluster import seed_items

    st = settings.load({})
    items = dict(seed_items())
    versions = []
    for rid in ("000", "001"):
        texts = [s.text for s in pipeline.prepare(items[rid], st).sentences]
        versions.append(Version(rid, texts, embed.encode(model, texts)))
    d = diff(versions, threshold=st.story_threshold)
    adds = " ".join(t for _, t in d.versions[1].adds)
    drops = " ".join(t for _, t in d.versions[1].drops)
    assert "3 000" in adds and "The images are a serious thing" in adds
    assert "language" in drops
    assert len(d.shared) >= 5
