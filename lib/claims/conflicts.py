"""Conflicting figures: claims that give different values for the same
quantity (same ``what``), e.g. 12,000 (HUR) / about 11,000 (Budanov) /
10,000 / 3,000 North Korean troops (issue #4).
"""
from __future__ import annotations

from typing import Sequence

from lib.claims.match import FigureKey

# Quantities too generic to compare across claims: two claims stating
# percentages or sums of money are usually about different things.
NOT_COMPARED = frozenset({"percent", "dollars", "euros", "pounds"})


def find_conflicts(figures: Sequence[set[FigureKey]]) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of claims whose figures disagree on some quantity.

    ``figures[i]`` holds claim i's (what, value) keys. Returns pairs ascending.
    """
    by_what: dict[str, dict[float, set[int]]] = {}
    for idx, keys in enumerate(figures):
        for what, value in keys:
            if what not in NOT_COMPARED:
                by_what.setdefault(what, {}).setdefault(value, set()).add(idx)
    pairs: set[tuple[int, int]] = set()
    for values in by_what.values():
        claims_by_value = list(values.items())
        for a, (value_a, claims_a) in enumerate(claims_by_value):
            for value_b, claims_b in claims_by_value[a + 1:]:
                for i in claims_a:
                    for j in claims_b:
                        if i != j:
                            pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)
