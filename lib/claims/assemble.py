"""From appearances to claims: group every report's claim sentences into
claims across outlets and summarise each group (issue #4). Pure: vectors come
in as arrays, nothing is read or written here.

    drafts = assemble(units, vectors, threshold=0.8)

A *unit* is one claim sentence in one report (an appearance to be). A *draft*
is one claim: its units, text, speaker, figures, cues and suggested status.
The store gives drafts their stable ids (lib/store/claims.py).
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from typing import Callable, Iterable

import numpy as np

from lib.claims import cues as cues_module
from lib.claims.figures import Figure, said_on as said_on_day
from lib.claims.match import figure_keys, group_claims

# Cosine at which two claim sentences sharing a figure are one claim, when
# below the text threshold ("about 12,000 troops ... 500 officers" and "the
# roughly 12,000 North Korean soldiers"): see bench/RESULTS.md "Claims".
FIGURE_THRESHOLD = 0.5


@dataclass
class Unit:
    """One claim sentence of one report."""

    report_id: str
    sentence_index: int
    text: str
    speaker: str | None
    speaker_key: str | None
    figures: list[Figure]
    speaker_known: bool = False  # named in the gazetteer
    cue_status: str = "none"
    cue_actor: str | None = None
    cue_phrase: str | None = None
    cue_sentence_index: int | None = None  # the sentence the governing cue is in
    stated_on: date | None = None
    story_id: str | None = None
    scope: str | None = None  # units join only within one scope: the story's topic (else the story)
    report_date: date | None = None  # the report's publication date, to resolve "said Tuesday"
    order: tuple = ()  # (report date, report id, sentence index): first = earliest
    owner: str | None = None  # the claim with editors' work this sentence was an appearance of (issue #9)

    @property
    def cue(self) -> dict:
        if self.cue_status == "none":
            return dict(cues_module.NO_CUE)
        return {"status": self.cue_status, "actor": self.cue_actor, "phrase": self.cue_phrase}


@dataclass
class Draft:
    """One claim across reports, before it has an id."""

    units: list[Unit]
    story_id: str | None = None
    text: str = ""
    speaker: str | None = None
    speaker_key: str | None = None
    cue: dict = field(default_factory=lambda: dict(cues_module.NO_CUE))
    suggested_status: str | None = None
    evidence_key: str = ""

    @property
    def keys(self) -> set[tuple[str, int]]:
        return {(u.report_id, u.sentence_index) for u in self.units}


def assemble(units: list[Unit], vectors: np.ndarray, *, threshold: float = 0.8,
             figure_threshold: float = FIGURE_THRESHOLD,
             compatible: Callable[[str | None, str | None], bool] | None = None,
             joinable: Callable[[str, str], bool] | None = None) -> list[Draft]:
    """Claims from ``units`` (row i of ``vectors`` is unit i's sentence), story by story.

    Units of different scopes (topics) never join one claim: the same claim
    is matched across the stories of one topic (seed 003 is its own story, yet
    carries the 12,000 claim of 000 and 001). Statements the text dates to
    different days are different claims (Zelenskyy "On 13 October" and "On 17
    October"), however alike their words. ``compatible`` says
    which speakers one claim may gather (lib.claims.match.group_claims). Units
    of two different claims with editors' work (``Unit.owner``) never join
    unless ``joinable`` allows the pair (an editor's story merge, issue #9).
    Drafts come ordered by story, then by their earliest unit.
    """
    by_scope: dict[str | None, list[int]] = {}
    for i, unit in enumerate(units):
        by_scope.setdefault(unit.scope, []).append(i)
    drafts: list[Draft] = []
    for members in by_scope.values():
        members.sort(key=lambda i: units[i].order)
        story_vectors = vectors[members] if len(members) else vectors[:0]
        keys = [figure_keys(units[i].figures) for i in members]
        speakers = [units[i].speaker_key for i in members]
        said_on = [said_on_day(units[i].text, units[i].report_date) for i in members]
        owners = [units[i].owner for i in members]
        for group in group_claims(story_vectors, keys, threshold=threshold,
                                  figure_threshold=figure_threshold, speakers=speakers,
                                  compatible=compatible, dates=said_on, owners=owners,
                                  joinable=joinable):
            drafts.append(summarise([units[members[g]] for g in group]))
    drafts.sort(key=lambda d: (str(d.story_id), d.units[0].order))
    return drafts


def summarise(units: list[Unit], story_id: str | None = None) -> Draft:
    """A draft's derived fields from its units (earliest first)."""
    units = sorted(units, key=lambda u: u.order)
    story_id = story_id if story_id is not None else units[0].story_id
    # The claim reads best in a sentence that does not open on a pronoun ("It added
    # that ...") and states the most figures; then the earliest.
    draft = Draft(units=units, story_id=story_id, text=min(
        units, key=lambda u: (_opens_with_pronoun(u.text), -len(u.figures), u.order)).text)
    speakers = Counter(u.speaker_key for u in units if u.speaker_key)
    if speakers:
        # Most frequent speaker; a named source beats "some reports" on a tie.
        best = max((u for u in units if u.speaker_key),
                   key=lambda u: (speakers[u.speaker_key], u.speaker_known))
        draft.speaker, draft.speaker_key = best.speaker, best.speaker_key
    cued = [u for u in units if u.cue_status != "none"]
    if cued:
        status = cues_module.summarise(u.cue_status for u in cued)
        draft.cue = next(u.cue for u in cued if u.cue_status == status)
        draft.suggested_status = status  # cue codes are desk codes; an editor accepts it
    draft.evidence_key = evidence_key(units)
    return draft


def _opens_with_pronoun(text: str) -> bool:
    first = text.lstrip("“\"‘' ").split(" ", 1)[0].lower()
    return first in {"it", "he", "she", "they", "this", "these", "those", "we", "i"}


def evidence_key(units: list[Unit]) -> str:
    """Hash of the cues and figures of a claim: it changes when new evidence arrives."""
    facts = sorted(
        [("cue", u.report_id, u.cue_status, u.cue_phrase or "") for u in units if u.cue_status != "none"]
        + [("figure", f.what or "", f.value, f.qualifier) for u in units for f in u.figures]
    )
    return hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()[:32]


def new_claim_id(unit: Unit) -> str:
    """Id for a claim never seen before: from its earliest report and sentence text."""
    digest = hashlib.sha256(f"{unit.report_id}\n{unit.text}".encode()).hexdigest()
    return "c" + digest[:15]


def stable_ids(drafts: list[Draft], previous: dict[str, set[tuple[str, int]]],
               marked: Iterable[str] = ()) -> list[str]:
    """An id per draft: the earlier claim sharing most appearances keeps its id
    (editors' statuses and notes stay attached, issue #4); others get a new id.

    ``previous``: {claim id: {(report_id, sentence_index)}} before this recompute;
    ``marked``: the ids of claims carrying editors' work. A marked claim comes
    first: a draft holding any of its appearances takes its id before an
    unmarked claim's, however many more appearances that one shares, so a
    marked claim is never made inactive while its appearances live on under
    another id (issue #9). Among claims of one kind, most shared appearances win.
    """
    marked = set(marked)
    # An index from appearance to earlier claims keeps this linear in the
    # appearances (comparing every draft with every earlier claim was
    # quadratic: 11 s of a one-report ingest at 1.2k reports).
    owners: dict[tuple[str, int], list[str]] = {}
    for claim_id, old in previous.items():
        for key in old:
            owners.setdefault(key, []).append(claim_id)
    overlaps = []
    for d_idx, draft in enumerate(drafts):
        shared = Counter(claim_id for key in draft.keys for claim_id in owners.get(key, ()))
        overlaps.extend((claim_id not in marked, -n, d_idx, claim_id) for claim_id, n in shared.items())
    overlaps.sort()
    ids: list[str | None] = [None] * len(drafts)
    used: set[str] = set()
    for _, _, d_idx, claim_id in overlaps:
        if ids[d_idx] is None and claim_id not in used:
            ids[d_idx] = claim_id
            used.add(claim_id)
    for d_idx, draft in enumerate(drafts):
        if ids[d_idx] is None:
            candidate = new_claim_id(draft.units[0])
            while candidate in used or candidate in marked:  # a marked claim's id is never reused
                candidate = "c" + hashlib.sha256(candidate.encode()).hexdigest()[:15]
            ids[d_idx] = candidate
            used.add(candidate)
    return ids  # type: ignore[return-value]


def absorbed(drafts: list[Draft], ids: list[str], previous: dict[str, set[tuple[str, int]]],
             marked: Iterable[str]) -> dict[str, str]:
    """{marked claim id: the id of the claim it was joined into} for marked
    claims that kept no id of their own while their appearances live on in a
    draft (the one holding most of them). Empty unless grouping was allowed to
    join two marked claims (an editor's story merge, :class:`EditorsMerge`)."""
    kept = set(ids)
    where = {key: claim_id for claim_id, draft in zip(ids, drafts) for key in draft.keys}
    out = {}
    for claim_id in sorted(set(marked) - kept):
        landed = Counter(where[key] for key in previous.get(claim_id, ()) if key in where)
        if landed:
            out[claim_id] = min(landed, key=lambda c: (-landed[c], c))
    return out


@dataclass(frozen=True)
class EditorsMerge:
    """An editor's story merge, as the claims regroup sees it (issue #9).

    ``by``: the editor; ``sides``: the report ids of the two scopes (topics,
    else stories) the merge brought together, as they were before it. Two
    marked claims may then join only when each lay wholly on a different side:
    they met because of this merge, and the join is the editor's, audited as
    ``by``. Marked claims that already shared a scope stay apart.
    """

    by: str
    sides: tuple[frozenset[str], frozenset[str]]

    def joinable(self, previous: dict[str, set[tuple[str, int]]]) -> Callable[[str, str], bool]:
        side: dict[str, int] = {}
        for claim_id, keys in previous.items():
            reports = {report_id for report_id, _ in keys}
            for k, members in enumerate(self.sides):
                if reports and reports <= members:
                    side[claim_id] = k
        return lambda a, b: a in side and b in side and side[a] != side[b]
