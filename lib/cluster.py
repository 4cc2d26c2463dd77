"""Stories and topics from sentence vectors: pure maths on arrays (issue #3).

Nothing here loads a model (../shared/STYLE.md, two layers): callers hand in
L2-normalised float32 sentence vectors, so tests use hand-written vectors.

**Stories** (near-duplicate versions of one report). Whole-document vectors
do not separate a rewrite from independent coverage of the same event
(issue #3: seeds 000<->001 = 0.75 < 001<->003 = 0.83), sentence alignment
does: the *share* of a report's sentences (``min_words``+ words) that have a
match of cosine >= ``story_threshold`` in the other report. Two reports are
versions when either direction's share reaches ``story_share`` with at least
``story_min_matches`` matched sentences (a short wire copy inside a longer
rewrite counts). Stories are the connected components of that relation, so
they do not depend on arrival order.

**Topics** (same event, independent coverage). Each report gets one *topic
vector*: the mean of its sentence vectors plus its title's vector, joined
with a hashed bag of its words (``topic_lexical`` of the cosine comes from the
words, the rest from the sentences). Cosines are corrected for hubness
(CSLS: ``cos - (r_i + r_j) / 2``, ``r`` = mean cosine to the ``topic_k``
nearest reports of *other* stories), pairs further apart than ``topic_days``
are never joined, and stories are grouped by average-link at
``topic_threshold``. Measured in bench/RESULTS.md: the hubness correction is
what lifts NeuS from 0.84 to 0.91 B-cubed F1, and it makes one threshold work
on sets of very different density.

**Scale.** No report x report or sentence x sentence matrix over the archive:
neighbours come from chunked matrix products (``chunk`` rows at a time) keeping
the top ``candidates`` per report, sentence alignment runs only on those
candidate pairs, and average-link only considers clusters joined by a
candidate edge.
"""
from __future__ import annotations

import heapq
import re
import zlib
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

import numpy as np

LEXICAL_DIM = 512
# Out-of-window pairs score this (before the hubness correction): never joined.
FAR = -1.0


@dataclass(frozen=True)
class Params:
    """Clustering settings; defaults are the measured ones (bench/RESULTS.md)."""

    story_threshold: float = 0.8  # sentence cosine that counts as the same sentence
    story_share: float = 0.4  # share of a report's sentences matched in the other
    story_min_matches: int = 2  # fewer matched sentences never make versions
    min_words: int = 4  # shorter sentences are left out of alignment
    story_candidates: int = 10  # nearest reports checked by sentence alignment
    topic_threshold: float = -0.02  # hubness-corrected cosine for average-link
    topic_days: int = 14  # reports further apart never share a topic
    topic_lexical: float = 0.35  # share of the topic cosine that comes from words
    topic_k: int = 5  # neighbours whose mean cosine is a report's hubness
    topic_prior: float = 0.4  # hubness score of a missing neighbour
    candidates: int = 30  # neighbours kept per report (candidate cap)
    chunk: int = 1024  # rows per matrix product

    @classmethod
    def from_settings(cls, settings) -> "Params":
        """Params from a :class:`lib.settings.Settings` (fields of the same name)."""
        names = cls.__dataclass_fields__
        return cls(**{n: getattr(settings, n) for n in names if hasattr(settings, n)})


@dataclass
class Doc:
    """One report as the maths sees it.

    ``sentences``: (n, dim) L2-normalised sentence vectors in text order;
    ``words``: (n,) word counts; ``title``: the title's vector or None (then
    the first sentence stands in); ``text``: title and body, for the lexical
    part; ``day``: date as a proleptic ordinal or None.
    """

    id: str
    sentences: np.ndarray
    words: np.ndarray
    title: np.ndarray | None = None
    text: str = ""
    day: int | None = None
    _vector: np.ndarray | None = field(default=None, repr=False)


def day_of(value: date | str | None) -> int | None:
    """Proleptic ordinal of an ISO date or date; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.toordinal()


# -- vectors ---------------------------------------------------------------
_TOKEN = re.compile(r"[a-z0-9]+")
# Common function words carry no topic; hashing has no IDF to discount them.
_STOP = frozenset("""
about above across after again against all almost along already also although always among and
another any anyone anything are around because been before behind being below beside besides
between beyond both but can cannot could did does doing done down during each either else enough
even ever every few for from further had has have having her here hers herself him himself his
how however into its itself just least less many may might mine more most much must myself near
neither never nevertheless next nobody none nor not nothing now off often once one only onto other
others otherwise our ours ourselves out over own per perhaps quite rather said same says see seem
seemed seems several she should since some somehow someone something sometime sometimes still such
than that the their theirs them themselves then there thereby therefore these they this those
though through throughout thus together too toward towards under until upon very was way were what
whatever when whenever where whether which while who whoever whole whom whose why will with within
without would yet you your yours yourself also told say saying according
""".split())


def lexical_vector(text: str, dim: int = LEXICAL_DIM) -> np.ndarray:
    """Hashed bag of words (3+ letters, stop words out), log counts, L2-normalised.

    Shape (dim,) float32; zeros for a text without words. No corpus
    statistics, so a report's vector never changes as the archive grows.
    """
    vector = np.zeros(dim, dtype=np.float32)
    for token in _TOKEN.findall(text.lower()):
        if len(token) > 2 and token not in _STOP:
            vector[zlib.crc32(token.encode()) % dim] += 1.0
    np.log1p(vector, out=vector)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def aligned_rows(doc: Doc, min_words: int = 4) -> np.ndarray:
    """The sentence vectors used for alignment: those of ``min_words``+ words
    (all of them when none is that long). Shape (m, dim)."""
    keep = np.asarray(doc.words) >= min_words
    if keep.any():
        return doc.sentences[keep]
    return doc.sentences


def topic_vector(doc: Doc, *, lexical_weight: float = 0.35, min_words: int = 4) -> np.ndarray:
    """A report's topic vector: ``[sqrt(1-w) * sem, sqrt(w) * lex]``, unit length.

    ``sem`` = unit(unit(mean of aligned sentence vectors) + title vector), the
    first sentence standing in for a missing title; ``lex`` =
    :func:`lexical_vector` of ``doc.text``. The dot product of two topic
    vectors is then ``(1-w) * cos_sem + w * cos_lex``. Cached on the doc.
    """
    if doc._vector is not None:
        return doc._vector
    rows = aligned_rows(doc, min_words)
    if rows.shape[0] == 0 and doc.title is None:
        dim = doc.sentences.shape[1] if doc.sentences.ndim == 2 else 0
        sem = np.zeros(dim, dtype=np.float32)
    else:
        head = doc.title if doc.title is not None else rows[0]
        body = _unit(rows.mean(axis=0)) if rows.shape[0] else np.zeros_like(head)
        sem = _unit(body + head)
    lex = lexical_vector(doc.text)
    vector = np.concatenate([np.sqrt(1 - lexical_weight) * sem, np.sqrt(lexical_weight) * lex])
    doc._vector = _unit(vector).astype(np.float32)
    return doc._vector


def days_array(days: Sequence[int | None]) -> np.ndarray:
    """Float day ordinals with NaN for unknown dates, shape (n,)."""
    return np.array([np.nan if d is None else float(d) for d in days], dtype=np.float64)


def _window_mask(qdays: np.ndarray, days: np.ndarray, max_days: int) -> np.ndarray:
    """True where two dates are further apart than ``max_days`` (unknown = never)."""
    gap = np.abs(qdays[:, None] - days[None, :])
    return gap > max_days  # NaN compares False: an unknown date never gates


# -- neighbours ------------------------------------------------------------
def neighbours(queries: np.ndarray, X: np.ndarray, *, qdays: np.ndarray | None = None,
               days: np.ndarray | None = None, max_days: int = 14, k: int = 30,
               chunk: int = 1024, self_offset: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` neighbours in ``X`` of each query row, by dot product, in chunks.

    Out-of-window pairs score :data:`FAR`. With ``self_offset`` set, query row
    ``i`` is ``X`` row ``self_offset + i`` and never its own neighbour.
    Returns ``(index, score)``, both shape (len(queries), min(k, available)),
    best first; ``index`` is -1 where fewer than ``k`` exist. Memory is
    O(chunk * len(X)), never O(len(X)^2).
    """
    nq, n = queries.shape[0], X.shape[0]
    kk = max(0, min(k, n - (1 if self_offset is not None else 0)))
    index = np.full((nq, kk), -1, dtype=np.int64)
    score = np.full((nq, kk), -np.inf, dtype=np.float32)
    if kk == 0 or nq == 0:
        return index, score
    for start in range(0, nq, chunk):
        stop = min(start + chunk, nq)
        sims = queries[start:stop] @ X.T
        if qdays is not None and days is not None:
            sims[_window_mask(qdays[start:stop], days, max_days)] = FAR
        if self_offset is not None:
            rows = np.arange(stop - start)
            sims[rows, self_offset + start + rows] = -np.inf
        top = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
        top_scores = np.take_along_axis(sims, top, axis=1)
        # Stable order: best score first, then lower index (order-independent).
        order = np.lexsort((top, -top_scores), axis=1)
        index[start:stop] = np.take_along_axis(top, order, axis=1)
        score[start:stop] = np.take_along_axis(top_scores, order, axis=1)
    index[~np.isfinite(score)] = -1
    return index, score


def windowed_neighbours(X: np.ndarray, days: np.ndarray, *, max_days: int = 14, k: int = 30,
                        chunk: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """:func:`neighbours` of every row of ``X`` among the others, comparing
    dated rows only with rows inside their date window (plus undated ones).

    Rows are visited in date order, ``chunk`` at a time, against the slice of
    dates within ``max_days`` of the chunk: with dated reports the cost grows
    with the archive times the reports per window, not the archive squared.
    Same result as ``neighbours(X, X, ..., self_offset=0)``.
    """
    n = X.shape[0]
    kk = max(0, min(k, n - 1))
    index = np.full((n, kk), -1, dtype=np.int64)
    score = np.full((n, kk), -np.inf, dtype=np.float32)
    if kk == 0:
        return index, score
    order = np.argsort(np.where(np.isnan(days), np.inf, days), kind="stable")
    sorted_days = days[order]
    dated = int((~np.isnan(sorted_days)).sum())
    undated = order[dated:]
    for start in range(0, n, chunk):
        rows = order[start:start + chunk]
        qd = days[rows]
        if start + len(rows) <= dated:  # all dated: only their window's columns
            lo = np.searchsorted(sorted_days[:dated], np.nanmin(qd) - max_days, "left")
            hi = np.searchsorted(sorted_days[:dated], np.nanmax(qd) + max_days, "right")
            cols = np.concatenate([order[lo:hi], undated])
        else:
            cols = order
        sub_i, sub_s = neighbours(X[rows], X[cols], qdays=qd, days=days[cols], max_days=max_days,
                                  k=k + 1, chunk=chunk)
        picked = np.where(sub_i >= 0, cols[np.where(sub_i >= 0, sub_i, 0)], -1)
        self_hit = picked == rows[:, None]
        for r_pos, row in enumerate(rows):
            keep = ~self_hit[r_pos] & (picked[r_pos] >= 0)
            got_i, got_s = picked[r_pos][keep][:kk], sub_s[r_pos][keep][:kk]
            index[row, :len(got_i)] = got_i
            score[row, :len(got_s)] = got_s
    return index, score


def hubness(index: np.ndarray, score: np.ndarray, labels: Sequence | None = None,
            own: Sequence | None = None, k: int = 5, prior: float = 0.4) -> np.ndarray:
    """Mean of each row's ``k`` best scores to reports of *other* stories.

    ``labels[index]`` is compared with ``own`` (the row's own story) to drop
    versions of the same story. Missing neighbours (a small or sparse
    archive, the date window) count as ``prior`` (default 0.4, about the
    cosine of unrelated reports' nearest neighbours), so two unrelated
    reports alone are not a topic. Shape (rows,).
    """
    valid = (index >= 0) & (score > FAR)
    if labels is not None and own is not None:
        lab = np.asarray(labels, dtype=object)
        same = np.zeros_like(valid)
        safe = np.where(index >= 0, index, 0)
        same = lab[safe] == np.asarray(own, dtype=object)[:, None]
        valid &= ~same
    kept = np.where(valid, score, -np.inf)
    kept = -np.sort(-kept, axis=1)[:, :k]
    kept = np.where(np.isfinite(kept), kept, prior)
    if kept.shape[1] < k:
        kept = np.pad(kept, ((0, 0), (0, k - kept.shape[1])), constant_values=prior)
    return kept.mean(axis=1).astype(np.float32)


# -- stories ---------------------------------------------------------------
def alignment_shares(a: np.ndarray, b: np.ndarray, threshold: float = 0.8) -> tuple[float, float, int, int]:
    """Sentence alignment of two reports' (m, dim) and (n, dim) vectors.

    Returns ``(share_a, share_b, matched_a, matched_b)``: the share and count
    of a's rows with a cosine >= ``threshold`` in b, and the same for b.
    Empty inputs give zeros.
    """
    if a.shape[0] == 0 or b.shape[0] == 0:
        return 0.0, 0.0, 0, 0
    sims = a @ b.T
    hit_a = int((sims.max(axis=1) >= threshold).sum())
    hit_b = int((sims.max(axis=0) >= threshold).sum())
    return hit_a / a.shape[0], hit_b / b.shape[0], hit_a, hit_b


def are_versions(a: np.ndarray, b: np.ndarray, params: Params = Params()) -> bool:
    """True when two reports' aligned sentence vectors make them versions of one story."""
    share_a, share_b, hit_a, hit_b = alignment_shares(a, b, params.story_threshold)
    return ((share_a >= params.story_share and hit_a >= params.story_min_matches)
            or (share_b >= params.story_share and hit_b >= params.story_min_matches))


class UnionFind:
    """Disjoint sets over 0..n-1; the root of a set is its lowest member."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> int:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            ri, rj = min(ri, rj), max(ri, rj)
            self.parent[rj] = ri
        return ri

    def labels(self) -> list[int]:
        return [self.find(i) for i in range(len(self.parent))]


def story_pairs(docs: Sequence[Doc], index: np.ndarray, params: Params = Params()) -> list[tuple[int, int]]:
    """Candidate pairs (i < j) that are versions, checked by sentence alignment.

    ``index``: each doc's neighbours (from :func:`neighbours`); the first
    ``params.story_candidates`` of each row are checked, in both directions.
    """
    rows = [aligned_rows(d, params.min_words) for d in docs]
    checked: set[tuple[int, int]] = set()
    found: list[tuple[int, int]] = []
    for i in range(len(docs)):
        for j in index[i, :params.story_candidates]:
            j = int(j)
            if j < 0:
                continue
            pair = (min(i, j), max(i, j))
            if pair in checked:
                continue
            checked.add(pair)
            if are_versions(rows[pair[0]], rows[pair[1]], params):
                found.append(pair)
    return sorted(found)


def apply_corrections(labels: list[int], ids: Sequence[str],
                      corrections: Iterable[tuple[str, str, str | None]]) -> list[int]:
    """Replay editors' story corrections, in order, over story labels.

    ``labels[i]`` is report i's story label (any int); ``corrections`` holds
    ``(action, report_id, other_report_id)``: 'merge' puts both reports'
    stories together, 'split' gives the report a story of its own. Unknown
    report ids are skipped. Returns new labels (the lowest member index).
    """
    where = {rid: i for i, rid in enumerate(ids)}
    labels = list(labels)
    for action, rid, other in corrections:
        i = where.get(rid)
        if i is None:
            continue
        if action == "merge":
            j = where.get(other) if other else None
            if j is None:
                continue
            a, b = labels[i], labels[j]
            labels = [a if lab == b else lab for lab in labels]
        elif action == "split":
            labels[i] = -1 - i  # a label no other report has
    return canonical(labels)


def canonical(labels: Sequence) -> list[int]:
    """Relabel groups by their lowest member index: [7, 3, 7] -> [0, 1, 0]."""
    first: dict = {}
    return [first.setdefault(lab, i) for i, lab in enumerate(labels)]


# -- topics ----------------------------------------------------------------
def _corrected(X: np.ndarray, r: np.ndarray, days: np.ndarray, a: Sequence[int], b: Sequence[int],
               max_days: int) -> float:
    """Mean hubness-corrected cosine between index sets ``a`` and ``b``."""
    sims = X[a] @ X[b].T
    sims[_window_mask(days[a], days[b], max_days)] = FAR
    sims = sims - 0.5 * (r[a][:, None] + r[b][None, :])
    return float(sims.mean())


def average_link(X: np.ndarray, r: np.ndarray, days: np.ndarray, start: Sequence[int],
                 edges: Iterable[tuple[int, int, float]], *, threshold: float = -0.02,
                 max_days: int = 14) -> list[int]:
    """Average-link over a sparse candidate graph, from initial groups ``start``.

    ``start[i]``: report i's initial group (its story; groups are never split);
    ``edges``: candidate pairs ``(i, j, corrected cosine)``; only those reaching
    ``threshold`` connect groups. Two connected groups' link is the exact mean
    corrected cosine over all member pairs. Merges the best link while it is
    >= ``threshold``; ties break on the lowest group. Returns each report's
    group label (lowest member index). Deterministic: independent of input order.
    """
    members: dict[int, list[int]] = {}
    for i, g in enumerate(canonical(start)):
        members.setdefault(g, []).append(i)
    owner = {i: g for g, ms in members.items() for i in ms}
    adjacent: dict[int, set[int]] = {g: set() for g in members}
    known: dict[tuple[int, int], float] = {}
    for i, j, c in edges:
        gi, gj = owner[i], owner[j]
        if gi != gj and c >= threshold:
            adjacent[gi].add(gj)
            adjacent[gj].add(gi)
            if len(members[gi]) == 1 and len(members[gj]) == 1:
                known[(min(gi, gj), max(gi, gj))] = c
    version = {g: 0 for g in members}  # bumped on every merge: older heap entries are stale
    heap: list[tuple[float, int, int, int, int]] = []
    for g, nbrs in adjacent.items():
        for h in nbrs:
            if g < h:
                link = known.get((g, h))
                if link is None:
                    link = _corrected(X, r, days, members[g], members[h], max_days)
                if link >= threshold:
                    heap.append((-link, g, h, 0, 0))
    heapq.heapify(heap)
    while heap:
        _, g, h, vg, vh = heapq.heappop(heap)
        if version.get(g) != vg or version.get(h) != vh:
            continue  # a stale entry: one side has merged since
        keep, gone = g, h
        members[keep] = sorted(members[keep] + members.pop(gone))
        version.pop(gone)
        version[keep] += 1
        nbrs = (adjacent.pop(gone) | adjacent[keep]) - {keep, gone}
        adjacent[keep] = nbrs
        for n in nbrs:
            adjacent[n].discard(gone)
            adjacent[n].add(keep)
        for n in sorted(nbrs):
            link = _corrected(X, r, days, members[keep], members[n], max_days)
            if link >= threshold:
                a, b = min(keep, n), max(keep, n)
                heapq.heappush(heap, (-link, a, b, version[a], version[b]))
    labels = [0] * X.shape[0]
    for g, ms in members.items():
        for i in ms:
            labels[i] = min(ms)
    return labels


# -- the whole clustering --------------------------------------------------
@dataclass(frozen=True)
class Clustering:
    """Story and topic of each report, as ids: a story's id is its lowest
    report id, a topic's id its lowest report id (stable across runs)."""

    ids: list[str]
    story: list[str]
    topic: list[str]

    def as_dict(self) -> dict[str, tuple[str, str]]:
        return {rid: (s, t) for rid, s, t in zip(self.ids, self.story, self.topic)}


def _ids_for(labels: Sequence[int], ids: Sequence[str]) -> list[str]:
    lowest: dict[int, str] = {}
    for lab, rid in zip(labels, ids):
        if lab not in lowest or rid < lowest[lab]:
            lowest[lab] = rid
    return [lowest[lab] for lab in labels]


def keep_splits(before: dict[str, tuple[str, str]], after: dict[str, tuple[str, str]],
                corrections: Iterable[tuple[str, str, str | None]]) -> dict[str, tuple[str, str]]:
    """Incremental assignment never undoes an editor's split.

    ``before``: {report id: (story, topic)} of the archive before new reports
    came in; ``after``: the same after assigning them (new reports included).
    A report an editor split out (its last correction is a split) that now
    shares a story with an old report from another story (a new report
    bridged them) is taken out again, as the full recompute's replay would;
    the new report stays with the others. Returns new labels.
    """
    last: dict[str, str] = {}
    for action, rid, other in corrections:
        last[rid] = action
        if other:
            last[other] = action
    after = dict(after)
    for rid, action in last.items():
        if action != "split" or rid not in before or rid not in after:
            continue
        story, topic = after[rid]
        group = [r for r, (s, _) in after.items() if s == story]
        was_with = {r for r, (s, _) in before.items() if s == before[rid][0]}
        if not any(r in before and r not in was_with for r in group):
            continue
        rest = sorted(r for r in group if r != rid)
        rest_story = rest[0] if story == rid else story  # a story's id is its lowest report id
        for r in rest:
            after[r] = (rest_story, after[r][1])
        after[rid] = (rid, topic)
    return after


def cluster(docs: Sequence[Doc], params: Params = Params(),
            corrections: Iterable[tuple[str, str, str | None]] = ()) -> Clustering:
    """Stories and topics of ``docs`` from scratch (the full recompute).

    Docs are sorted by id first, so the result does not depend on their
    order. ``corrections``: editors' merges/splits, replayed over the stories
    before topics are formed (see :func:`apply_corrections`).
    """
    docs = sorted(docs, key=lambda d: d.id)
    ids = [d.id for d in docs]
    if not docs:
        return Clustering([], [], [])
    X = np.vstack([topic_vector(d, lexical_weight=params.topic_lexical, min_words=params.min_words)
                   for d in docs])
    days = days_array([d.day for d in docs])
    index, score = windowed_neighbours(X, days, max_days=params.topic_days, k=params.candidates,
                                       chunk=params.chunk)
    uf = UnionFind(len(docs))
    for i, j in story_pairs(docs, index, params):
        uf.union(i, j)
    stories = apply_corrections(uf.labels(), ids, corrections)
    r = hubness(index, score, stories, stories, k=params.topic_k, prior=params.topic_prior)
    safe = np.where(index >= 0, index, 0)
    corrected = score - 0.5 * (r[:, None] + r[safe])
    keep = (index >= 0) & (corrected >= params.topic_threshold)
    rows, cols = np.nonzero(keep)
    edges = zip(rows.tolist(), index[rows, cols].tolist(), corrected[rows, cols].tolist())
    topics = average_link(X, r, days, stories, edges, threshold=params.topic_threshold,
                          max_days=params.topic_days)
    story_ids = _ids_for(stories, ids)
    # A topic's id: its lowest report id (also the lowest story id in it).
    return Clustering(ids, story_ids, _ids_for(topics, ids))


# -- incremental -------------------------------------------------------------
@dataclass
class Archive:
    """What incremental assignment needs of the stored archive.

    ``X``: (n, dim) topic vectors; ``days``: (n,) float ordinals, NaN when
    unknown; ``ids``, ``story``, ``topic``: per-row report, story and topic
    ids; ``docs``: the :class:`Doc` of each row, read only for the handful
    of candidates that sentence alignment checks.
    """

    ids: list[str]
    X: np.ndarray
    days: np.ndarray
    story: list[str]
    topic: list[str]
    docs: list[Doc]

    @classmethod
    def of(cls, docs: Sequence[Doc], labels: dict[str, tuple[str, str]],
           params: Params = Params()) -> "Archive":
        """The archive of clustered ``docs``; ``labels``: {id: (story, topic)}."""
        docs = list(docs)
        X = (np.vstack([topic_vector(d, lexical_weight=params.topic_lexical,
                                     min_words=params.min_words) for d in docs])
             if docs else np.zeros((0, 0), dtype=np.float32))
        return cls([d.id for d in docs], X, days_array([d.day for d in docs]),
                   [labels[d.id][0] for d in docs], [labels[d.id][1] for d in docs], docs)

    def load(self, rows: list[int]) -> list[Doc]:
        return [self.docs[i] for i in rows]

    def assign(self, doc: Doc, params: Params = Params()) -> "Assignment":
        """Assign one new report (:func:`assign_incremental`), then add it:
        stories and topics it bridges take the assignment's ids."""
        got = assign_incremental(doc, self, params)
        self.story = [got.story if s in got.merged else s for s in self.story]
        self.topic = [got.topic if t in got.merged_topics else t for t in self.topic]
        vector = topic_vector(doc, lexical_weight=params.topic_lexical, min_words=params.min_words)
        self.ids.append(doc.id)
        self.X = np.vstack([self.X, vector[None, :]]) if self.X.size else vector[None, :].copy()
        self.days = np.append(self.days, np.nan if doc.day is None else float(doc.day))
        self.story.append(got.story)
        self.topic.append(got.topic)
        self.docs.append(doc)
        return got

    def labels(self) -> dict[str, tuple[str, str]]:
        """{report id: (story id, topic id)} of every row."""
        return dict(zip(self.ids, zip(self.story, self.topic)))


@dataclass(frozen=True)
class Assignment:
    """Where a new report goes. ``merged``: story ids that become ``story``
    (a report that is a version of two stories bridges them, or the new
    report's id is lower than the story's); ``merged_topics``: topic ids
    that become ``topic``. Ids are always the lowest report id of the group."""

    story: str
    topic: str
    merged: tuple[str, ...] = ()
    new_story: bool = True
    new_topic: bool = True
    merged_topics: tuple[str, ...] = ()


def _renamed(old: str, new: str) -> tuple[str, ...]:
    return (old,) if new < old else ()


def assign_incremental(doc: Doc, archive: Archive, params: Params = Params()) -> Assignment:
    """Put one new report into an existing story/topic or open new ones.

    Never re-clusters the archive: one chunked pass of the new topic vector
    against ``archive.X`` finds candidates; sentence alignment with the best
    ``story_candidates`` decides the story (single link, as in
    :func:`cluster`); a report that opens a new story joins the topic with
    the best mean corrected cosine to its members when that reaches
    ``topic_threshold``. Hubness of the candidates is recomputed with one
    more chunked pass over the archive, so it is the same value
    :func:`cluster` would use.
    """
    x = topic_vector(doc, lexical_weight=params.topic_lexical, min_words=params.min_words)
    if not archive.ids:
        return Assignment(doc.id, doc.id)
    qday = days_array([doc.day])
    index, score = neighbours(x[None, :], archive.X, qdays=qday, days=archive.days,
                              max_days=params.topic_days, k=params.candidates, chunk=params.chunk)
    cand = [int(j) for j in index[0] if j >= 0]
    rows_new = aligned_rows(doc, params.min_words)
    check = cand[:params.story_candidates]
    loaded = archive.load(check) if check else []
    stories = sorted({archive.story[j] for j, d in zip(check, loaded)
                      if are_versions(rows_new, aligned_rows(d, params.min_words), params)})
    if stories:
        story = min(stories + [doc.id])
        # Stories stay inside one topic: the topics of the joined stories become one.
        story_arr = np.asarray(archive.story, dtype=object)
        topics = sorted({archive.topic[j] for j in np.flatnonzero(np.isin(story_arr, stories))})
        topic = min(topics + [doc.id])
        return Assignment(story, topic, tuple(s for s in stories if s != story), False, False,
                          tuple(t for t in topics if t != topic))
    # Hubness of the new report against the archive, and of the candidates'
    # topic members against the archive plus the new report.
    r_new = hubness(index, score, archive.story, [doc.id], k=params.topic_k,
                    prior=params.topic_prior)[0]
    topics = sorted({archive.topic[j] for j in cand})
    topic_arr = np.asarray(archive.topic, dtype=object)
    rows_of = {t: np.flatnonzero(topic_arr == t) for t in topics}
    every = np.concatenate([rows_of[t] for t in topics]) if topics else np.zeros(0, dtype=np.int64)
    r_all = dict(zip(every.tolist(), _archive_hubness(every, archive, params, (x, qday[0], doc.id))))
    best: tuple[float, str] | None = None
    for t in topics:
        rows = rows_of[t]
        r_rows = np.array([r_all[j] for j in rows.tolist()], dtype=np.float32)
        sims = archive.X[rows] @ x
        gate = np.abs(archive.days[rows] - qday[0]) > params.topic_days
        sims = np.where(gate, FAR, sims) - 0.5 * (r_rows + r_new)
        link = float(sims.mean())
        if link >= params.topic_threshold and (best is None or link > best[0]):
            best = (link, t)
    if best is None:
        return Assignment(doc.id, doc.id)
    # A topic's id is its lowest report id: the new report may take it over.
    return Assignment(doc.id, min(best[1], doc.id), (), True, False, _renamed(best[1], doc.id))


def _archive_hubness(rows: np.ndarray, archive: Archive, params: Params,
                     extra: tuple[np.ndarray, float, str]) -> np.ndarray:
    """Hubness of archive ``rows`` against the archive plus one new report
    (``extra`` = its vector, day, id), without copying the archive."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.float32)
    x, day, new_id = extra
    index, score = neighbours(archive.X[rows], archive.X, qdays=archive.days[rows], days=archive.days,
                              max_days=params.topic_days, k=params.candidates, chunk=params.chunk)
    # the new report as one more column
    extra_score = archive.X[rows] @ x
    far = np.abs(archive.days[rows] - day) > params.topic_days
    extra_score = np.where(far, FAR, extra_score).astype(np.float32)
    n = len(archive.ids)
    index = np.hstack([index, np.full((len(rows), 1), n)])
    score = np.hstack([score, extra_score[:, None]])
    labels = list(archive.story) + [new_id]
    own = [archive.story[j] for j in rows.tolist()]
    return hubness(index, score, labels, own, k=params.topic_k, prior=params.topic_prior)


def make_doc(doc_id: str, sentences: Sequence[str], vectors: np.ndarray, *, title: str = "",
             title_vector: np.ndarray | None = None, body: str = "", day: int | None = None) -> Doc:
    """A :class:`Doc` from sentence texts and their (n, dim) vectors.

    ``title_vector`` None: the first sentence stands in (a title derived from
    the opening words says nothing more). The lexical part reads title + body.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    words = np.array([len(s.split()) for s in sentences], dtype=np.int32)
    return Doc(doc_id, vectors, words, title_vector, f"{title}\n{body}", day)
