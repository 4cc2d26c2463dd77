"""Version diff of a story: which sentences its versions share, and what each
version adds to or drops from the base version, aligned by embedding (issue #3).

Pure maths on arrays, like lib/cluster.py: sentences of two versions are the
same sentence when their cosine reaches ``threshold`` (default 0.8, the
story_threshold setting) and each is the other's best match, so a reworded
sentence still aligns while two different sentences never share a partner.

    d = diff([Version("000", texts0, vecs0), Version("001", texts1, vecs1)])
    d.shared          # sentences every version has (texts of the base)
    d.versions[1].adds, d.versions[1].drops
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from lib.cluster import UnionFind


@dataclass(frozen=True)
class Version:
    """One version: its id, sentence texts and their (n, dim) L2-normalised vectors."""

    id: str
    texts: Sequence[str]
    vectors: np.ndarray


@dataclass
class VersionDiff:
    """What one version has against the base: ``adds`` (its sentences the base
    lacks), ``drops`` (base sentences it lacks), ``only`` (its sentences no
    other version has); each a list of ``(sentence index, text)``."""

    id: str
    adds: list[tuple[int, str]] = field(default_factory=list)
    drops: list[tuple[int, str]] = field(default_factory=list)
    only: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class StoryDiff:
    """``base``: the id versions are compared with (the first given);
    ``shared``: ``{version id: sentence index}`` per sentence all versions have,
    in the base's order; ``versions``: one VersionDiff per version, in order."""

    base: str | None
    shared: list[dict[str, int]]
    versions: list[VersionDiff]
    texts: dict[str, Sequence[str]] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict:
        """JSON-ready: shared sentences with the base's text, and each version's lists."""
        def items(pairs: list[tuple[int, str]]) -> list[dict]:
            return [{"idx": i, "text": t} for i, t in pairs]

        return {
            "base": self.base,
            "shared": [{"text": self.texts[self.base][row[self.base]], "sentences": row}
                       for row in self.shared],
            "versions": [{"id": v.id, "adds": items(v.adds), "drops": items(v.drops),
                          "only": items(v.only)} for v in self.versions],
        }


def mutual_matches(a: np.ndarray, b: np.ndarray, threshold: float = 0.8) -> list[tuple[int, int]]:
    """Pairs (i, j): a[i] and b[j] are each other's best match with cosine >= threshold."""
    if a.shape[0] == 0 or b.shape[0] == 0:
        return []
    sims = a @ b.T
    best_b = sims.argmax(axis=1)
    best_a = sims.argmax(axis=0)
    return [(i, int(j)) for i, j in enumerate(best_b)
            if best_a[j] == i and sims[i, j] >= threshold]


def diff(versions: Sequence[Version], threshold: float = 0.8) -> StoryDiff:
    """Align every pair of versions and report shared / added / dropped sentences.

    The first version is the base (callers pass the earliest first). Sentence
    families are the connected groups of mutual matches across versions; a
    family is shared when it reaches every version. Cost: one (n_a, n_b)
    product per pair of versions (a story has a handful).
    """
    if not versions:
        return StoryDiff(None, [], [])
    offsets = np.cumsum([0] + [len(v.texts) for v in versions])
    uf = UnionFind(int(offsets[-1]))
    for x in range(len(versions)):
        for y in range(x + 1, len(versions)):
            for i, j in mutual_matches(versions[x].vectors, versions[y].vectors, threshold):
                uf.union(int(offsets[x]) + i, int(offsets[y]) + j)
    family = uf.labels()
    # family -> {version index: first sentence index in it}
    members: dict[int, dict[int, int]] = {}
    for v, version in enumerate(versions):
        for i in range(len(version.texts)):
            members.setdefault(family[offsets[v] + i], {}).setdefault(v, i)
    base = versions[0]
    shared = [{versions[v].id: i for v, i in sorted(m.items())}
              for m in sorted(members.values(), key=lambda m: m.get(0, 1 << 30))
              if len(m) == len(versions) and len(versions) > 1]
    out: list[VersionDiff] = []
    for v, version in enumerate(versions):
        vd = VersionDiff(version.id)
        for i, text in enumerate(version.texts):
            m = members[family[offsets[v] + i]]
            if 0 not in m:
                vd.adds.append((i, text))
            if len(m) == 1 and len(versions) > 1:
                vd.only.append((i, text))
        if v:
            for i, text in enumerate(base.texts):
                if v not in members[family[i]]:
                    vd.drops.append((i, text))
        out.append(vd)
    return StoryDiff(base.id, shared, out, {v.id: v.texts for v in versions})
