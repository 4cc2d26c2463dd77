"""Conflicting figures: claims that give different values for the same
quantity (same ``what``), e.g. 12,000 (HUR) / about 11,000 (Budanov) /
10,000 / 3,000 North Korean troops (issue #4).

Two claims conflict when, for some compared quantity, one states a value the
other does not share: claim A's values V_A and claim B's values V_B for that
``what`` hold some a != b. They agree on it only when both state exactly one
and the same value. So the claims conflicting with A through ``what`` are all
the claims stating ``what``, minus A, minus (when A states one value v) the
claims stating v alone: one list per (what, value), shared by every claim
stating only that value, instead of a walk over all pairs (issue #5: 20k
claims, a million conflicting pairs, under a second).
"""
from __future__ import annotations

from typing import Sequence

from lib.claims.match import FigureKey

# Quantities too generic to compare across claims: two claims stating
# percentages or sums of money are usually about different things.
NOT_COMPARED = frozenset({"percent", "dollars", "euros", "pounds"})


def conflict_lists(figures: Sequence[set[FigureKey]]) -> list[list[int]]:
    """For each claim i, the claims j != i whose figures disagree with i's on
    some compared quantity, ascending.

    ``figures[i]`` holds claim i's (what, value) keys. Claims with the same
    answer share one list object: treat the lists as read-only.
    """
    # what -> {claim: its values of that quantity}, claims ascending
    by_what: dict[str, dict[int, set[float]]] = {}
    for idx, keys in enumerate(figures):
        for what, value in keys:
            if what not in NOT_COMPARED:
                by_what.setdefault(what, {}).setdefault(idx, set()).add(value)
    # per claim, the partner lists of each quantity it states
    parts: list[list[list[int]]] = [[] for _ in figures]
    for values_of in by_what.values():
        members = list(values_of)  # ascending: claims were added in index order
        alone: dict[float, set[int]] = {}  # value -> claims stating only that value
        for idx, values in values_of.items():
            if len(values) == 1:
                alone.setdefault(next(iter(values)), set()).add(idx)
        shared: dict[float, list[int]] = {}
        for idx, values in values_of.items():
            if len(values) == 1:
                value = next(iter(values))
                partners = shared.get(value)
                if partners is None:
                    same = alone[value]  # holds idx itself
                    partners = shared[value] = [j for j in members if j not in same]
            else:  # two values: every other claim stating the quantity differs from one of them
                partners = [j for j in members if j != idx]
            if partners:
                parts[idx].append(partners)
    empty: list[int] = []
    out: list[list[int]] = []
    for lists in parts:
        if not lists:
            out.append(empty)
        elif len(lists) == 1:
            out.append(lists[0])
        else:
            out.append(sorted(set().union(*lists)))
    return out


def find_conflicts(figures: Sequence[set[FigureKey]]) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of claims whose figures disagree on some quantity.

    ``figures[i]`` holds claim i's (what, value) keys. Returns pairs ascending.
    """
    return [(i, j) for i, partners in enumerate(conflict_lists(figures)) for j in partners if i < j]
