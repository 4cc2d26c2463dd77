"""One claim across outlets: group claim sentences by embedding similarity
plus the figures they state (issue #4).

Pure maths on arrays: the caller encodes (lib.embed) and hands over
L2-normalised vectors, so this is tested with hand-written 3-d vectors
(../shared/STYLE.md, two layers).

Two sentences are the same claim when
- their cosine is at least ``threshold`` (chosen on MRPC, bench/RESULTS.md), or
- their cosine is at least ``figure_threshold`` and they state a figure in
  common (same ``what``, same value): "about 12,000 troops ... including 500
  officers" and "the roughly 12,000 North Korean soldiers" are one claim;
and never when they give different values for the same quantity (those are
different claims, linked as conflicting: lib.claims.conflicts), nor when
their speakers are two different sources (``compatible``, e.g. the
gazetteer's: Zelensky's "two brigades of 6,000" is not HUR's 12,000 claim),
nor when the texts date them to different days (statements made on
different days are different claims: Zelenskyy's 13 and 14 October remarks
in seed 004 are two statements).
"""
from __future__ import annotations

from datetime import date
from typing import Callable, Iterable, Sequence

import numpy as np

FigureKey = tuple[str, float]  # (what, value)


def figure_keys(figures: Iterable) -> set[FigureKey]:
    """(what, value) of each figure (objects or dicts) that names its quantity."""
    keys = set()
    for f in figures:
        what = f["what"] if isinstance(f, dict) else f.what
        value = f["value"] if isinstance(f, dict) else f.value
        if what:
            keys.add((what, float(value)))
    return keys


def disagree(a: set[FigureKey], b: set[FigureKey]) -> bool:
    """True when ``a`` and ``b`` give different values for one quantity."""
    values_a: dict[str, set[float]] = {}
    for what, value in a:
        values_a.setdefault(what, set()).add(value)
    return any(what in values_a and value not in values_a[what] for what, value in b)


def candidate_pairs(vectors: np.ndarray, min_cosine: float, chunk_size: int = 1024
                    ) -> list[tuple[float, int, int]]:
    """(cosine, i, j) for i < j with cosine >= min_cosine, best first; memory bounded by chunk_size."""
    pairs: list[tuple[float, int, int]] = []
    n = len(vectors)
    for start in range(0, n, chunk_size):
        sims = vectors[start:start + chunk_size] @ vectors.T
        rows, cols = np.nonzero(sims >= min_cosine)
        for r, c in zip(rows.tolist(), cols.tolist()):
            i = start + r
            if i < c:
                pairs.append((float(sims[r, c]), i, c))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


def group_claims(vectors: np.ndarray, figures: Sequence[set[FigureKey]], *,
                 threshold: float = 0.8, figure_threshold: float = 0.5,
                 speakers: Sequence[str | None] | None = None,
                 compatible: Callable[[str | None, str | None], bool] | None = None,
                 dates: Sequence[date | None] | None = None,
                 owners: Sequence[str | None] | None = None,
                 joinable: Callable[[str, str], bool] | None = None,
                 chunk_size: int = 1024) -> list[list[int]]:
    """Groups of row indexes of ``vectors`` that are one claim.

    ``vectors``: (n, d) L2-normalised float32, one row per claim sentence;
    ``figures[i]``: the (what, value) keys sentence i states (see figure_keys).
    ``speakers[i]``: sentence i's speaker key (None = unknown); two groups join
    only when every pair of their speakers is ``compatible`` (default: equal
    or unknown). ``dates[i]``: the day sentence i says its statement was made
    (None = not said). ``owners[i]``: the claim carrying editors' work that
    sentence i was an appearance of (None = none); a group holds at most one
    such claim unless ``joinable(a, b)`` allows the pair (default: never), so a
    recompute never folds two marked claims into one (issue #9). Pairs are
    joined best first; a join that would put two values of one quantity, two
    incompatible speakers, two different days or two marked claims into a
    group is refused. Returns every index exactly once, groups
    ordered by their first index, members ascending; a group can be one sentence.
    """
    n = len(vectors)
    parent = list(range(n))
    keys = [set(f) for f in figures]
    compatible = compatible or (lambda a, b: a is None or b is None or a == b)
    voices: list[set] = [{s} if s else set() for s in (speakers or [None] * n)]
    day: list[date | None] = list(dates or [None] * n)  # a group's one stated day, if any
    marked: list[set] = [{o} if o else set() for o in (owners or [None] * n)]
    joinable = joinable or (lambda a, b: False)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    low = min(threshold, figure_threshold)
    for cosine, i, j in candidate_pairs(np.asarray(vectors, dtype=np.float32), low, chunk_size):
        ri, rj = root(i), root(j)
        if ri == rj or disagree(keys[ri], keys[rj]):
            continue
        if not all(compatible(a, b) for a in voices[ri] for b in voices[rj]):
            continue
        if day[ri] and day[rj] and day[ri] != day[rj]:
            continue
        if marked[ri] and marked[rj] and not all(
                a == b or joinable(a, b) for a in marked[ri] for b in marked[rj]):
            continue
        shares = bool(figures[i] and set(figures[i]) & set(figures[j]))
        if cosine >= threshold or (shares and cosine >= figure_threshold):
            parent[rj] = ri
            keys[ri] |= keys[rj]
            voices[ri] |= voices[rj]
            day[ri] = day[ri] or day[rj]
            marked[ri] |= marked[rj]
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])
