"""The claims part of the store (issue #4): derived claims, appearances,
cues and figures, written by recompute; read back as the ``claims --json``
shape. One claim is matched across the reports of a topic (all of them when
stories have no topic yet); its ``story_id`` is its earliest report's story.

Recompute rewrites only derived fields. The editors' fields of a claim
(status, note, evidence_url, assignee, dismissed, version) are never written
here, and a claim keeps its id across recomputes (lib.claims.assemble.stable_ids),
so editors' data stays attached. A claim recompute no longer finds is kept,
marked inactive.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from lib.claims import conflicts as conflicts_module
from lib.claims.assemble import Draft, Unit, stable_ids
from lib.claims.figures import find_figures
from lib.claims.match import figure_keys
from lib.models import Appearance, Claim, Cue, Figure, Report, Sentence, SentenceVector, Story, utcnow

Build = Callable[[list[Unit], np.ndarray], list[Draft]]
_LOCK_KEY = 4_004  # pg_advisory_xact_lock key: one claims recompute at a time (issue #6)


class ClaimsMixin:
    # -- writes (recompute) ---------------------------------------------------
    def replace_claims(self, new_units: dict[str, list[Unit]], new_cues: dict[str, list], *,
                       model: str, build: Build) -> int:
        """Recompute every extracted claim from the stored appearances plus ``new_units``.

        ``new_units``: {report_id: units} of freshly extracted reports (they
        replace what those reports had); ``new_cues``: {report_id: [ScopedCue]};
        ``build`` groups units into drafts given their vectors (lib.claims.assemble).
        One transaction; returns the number of active claims.
        """
        with self.session() as session:
            if self.dialect == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            reports = {r.id: r for r in session.scalars(select(Report).where(Report.superseded_by.is_(None)))}
            topics = _topics(session)
            units = [u for u in self._stored_units(session, reports) if u.report_id not in new_units]
            for report_id, fresh in new_units.items():
                if report_id in reports:
                    units.extend(_placed(fresh, reports[report_id]))
            for unit in units:
                unit.scope = topics.get(unit.story_id, unit.story_id)
            vectors = self._unit_vectors(session, units, model)
            drafts = build(units, vectors)
            previous = self._previous_keys(session)
            ids = stable_ids(drafts, previous)
            cue_rows = self._replace_cues(session, new_cues)
            self._write(session, drafts, ids, cue_rows)
            return len(drafts)

    def _stored_units(self, session: Session, reports: dict[str, Report]) -> list[Unit]:
        rows = session.execute(
            select(Appearance, Claim.id).join(Claim, Claim.id == Appearance.claim_id)
            .where(Claim.origin == "extracted"))
        cue_sentence = dict(session.execute(select(Cue.id, Cue.sentence_idx)).all())
        units = []
        for appearance, _ in rows:
            report = reports.get(appearance.report_id)
            if report is None:
                continue  # superseded or gone
            units.append(Unit(
                report_id=appearance.report_id, sentence_index=appearance.sentence_idx,
                text=appearance.sentence, speaker=appearance.speaker,
                speaker_key=_speaker_key(appearance.speaker),
                speaker_known=_gazetteer().known(_speaker_key(appearance.speaker)),
                figures=find_figures(appearance.sentence),
                cue_status=appearance.cue_status, cue_actor=appearance.cue_actor,
                cue_phrase=appearance.cue_phrase, cue_sentence_index=cue_sentence.get(appearance.cue_id),
                stated_on=None, story_id=report.story_id,
                order=(report.published.isoformat() if report.published else "9999", report.id,
                       appearance.sentence_idx),
            ))
        self._restore_stated_on(session, units)
        return units

    def _restore_stated_on(self, session: Session, units: list[Unit]) -> None:
        dates = {(f.report_id, f.value, f.what): f.stated_on for f in session.scalars(select(Figure))}
        for unit in units:
            for figure in unit.figures:
                found = dates.get((unit.report_id, figure.value, figure.what))
                if found:
                    unit.stated_on = found
                    break

    def _unit_vectors(self, session: Session, units: list[Unit], model: str) -> np.ndarray:
        wanted = {(u.report_id, u.sentence_index) for u in units}
        report_ids = sorted({u.report_id for u in units})
        found: dict[tuple[str, int], np.ndarray] = {}
        for i in range(0, len(report_ids), 500):
            rows = session.execute(
                select(Sentence.report_id, Sentence.idx, SentenceVector.vector)
                .join(SentenceVector, (SentenceVector.text_hash == Sentence.text_hash)
                      & (SentenceVector.model == model))
                .where(Sentence.report_id.in_(report_ids[i:i + 500])))
            for report_id, idx, blob in rows:
                if (report_id, idx) in wanted:
                    found[(report_id, idx)] = np.frombuffer(blob, dtype=np.float32)
        dim = next((len(v) for v in found.values()), 1)
        out = np.zeros((len(units), dim), dtype=np.float32)
        for row, unit in enumerate(units):
            vector = found.get((unit.report_id, unit.sentence_index))
            if vector is not None:
                out[row] = vector  # a missing vector (zeros) matches nothing by text
        return out

    def _previous_keys(self, session: Session) -> dict[str, set[tuple[str, int]]]:
        previous: dict[str, set[tuple[str, int]]] = {}
        for claim_id, report_id, idx in session.execute(
                select(Appearance.claim_id, Appearance.report_id, Appearance.sentence_idx)):
            previous.setdefault(claim_id, set()).add((report_id, idx))
        return previous

    def _replace_cues(self, session: Session, new_cues: dict[str, list]) -> dict[tuple[str, int], int]:
        """Write the cues of re-extracted reports; {(report_id, sentence_idx): cue row id} of all cues."""
        if new_cues:
            session.execute(update(Appearance).where(Appearance.report_id.in_(list(new_cues)))
                            .values(cue_id=None))
            session.execute(delete(Cue).where(Cue.report_id.in_(list(new_cues))))
            for report_id, scoped in new_cues.items():
                for s in scoped:
                    session.add(Cue(report_id=report_id, sentence_idx=s.sentence_index, status=s.cue.status,
                                    actor=s.cue.actor, phrase=s.cue.phrase,
                                    scope_start=s.scope_start, scope_end=s.scope_end))
            session.flush()
        rows: dict[tuple[str, int], int] = {}
        for cue in session.scalars(select(Cue).order_by(Cue.id)):
            rows.setdefault((cue.report_id, cue.sentence_idx), cue.id)
        return rows

    def _write(self, session: Session, drafts: list[Draft], ids: list[str],
               cue_rows: dict[tuple[str, int], int]) -> None:
        extracted = select(Claim.id).where(Claim.origin == "extracted")
        session.execute(delete(Figure).where(Figure.claim_id.in_(extracted)))
        session.execute(delete(Appearance).where(Appearance.claim_id.in_(extracted)))
        existing = {c.id: c for c in session.scalars(select(Claim).where(Claim.origin == "extracted"))}
        now = utcnow()
        for claim_id, draft in zip(ids, drafts):
            claim = existing.pop(claim_id, None)
            if claim is None:
                claim = Claim(id=claim_id, origin="extracted", status="unreviewed", version=1, created_at=now)
                session.add(claim)
            claim.story_id = draft.story_id
            claim.text = draft.text
            claim.speaker, claim.speaker_key = draft.speaker, draft.speaker_key
            claim.cue_status = draft.cue["status"]
            claim.cue_actor, claim.cue_phrase = draft.cue["actor"], draft.cue["phrase"]
            claim.suggested_status = draft.suggested_status
            claim.evidence_key = draft.evidence_key
            claim.active = True
        for claim in existing.values():
            claim.active = False  # recompute no longer finds it; editors' data stays
        session.flush()
        for claim_id, draft in zip(ids, drafts):
            for unit in draft.units:
                session.add(Appearance(
                    claim_id=claim_id, report_id=unit.report_id, sentence_idx=unit.sentence_index,
                    sentence=unit.text, speaker=unit.speaker,
                    cue_id=cue_rows.get((unit.report_id, unit.cue_sentence_index))
                    if unit.cue_sentence_index is not None else None,
                    cue_status=unit.cue_status, cue_actor=unit.cue_actor, cue_phrase=unit.cue_phrase))
                for f in unit.figures:
                    session.add(Figure(claim_id=claim_id, report_id=unit.report_id, value=f.value,
                                       qualifier=f.qualifier, unit=f.unit, what=f.what, parts=f.parts,
                                       stated_on=unit.stated_on, source=unit.speaker))

    # -- reads ------------------------------------------------------------------
    def claims(self, *, story_id: str | None = None, status: str | None = None,
               include_inactive: bool = False) -> list[dict]:
        """Claims as ``claims --json`` shows them (plus the desk's fields), ordered
        by story and first appearance. Conflicts are computed among the claims
        of one story."""
        # Plain rows, not ORM objects: the desk reads every claim at once, and
        # building 20k ORM objects with their appearances took seconds (issue #5).
        # Rows answer the same attribute names.
        with self.session() as session:
            query = select(Claim.__table__)
            if not include_inactive:
                query = query.where(Claim.active.is_(True))
            claims = list(session.execute(query))
            reports = {r.id: r for r in session.execute(select(
                Report.id, Report.outlet, Report.published, Report.story_id))}
            appearances: dict[str, list] = {}
            for a in session.execute(select(Appearance.__table__)
                                     .order_by(Appearance.report_id, Appearance.sentence_idx)):
                appearances.setdefault(a.claim_id, []).append(a)
            figures: dict[str, list] = {}
            for f in session.execute(select(Figure.__table__).order_by(Figure.id)):
                figures.setdefault(f.claim_id, []).append(f)
            topics = _topics(session)
        out = [_claim_dict(c, appearances.get(c.id, []), figures.get(c.id, []), reports) for c in claims]
        out.sort(key=lambda c: (str(topics.get(c["story_id"], c["story_id"])), c["_order"]))
        _link_conflicts(out, topics)
        for c in out:
            c.pop("_order")
        if story_id is not None:
            # A claim belongs to every story one of its appearances is in.
            out = [c for c in out if c["story_id"] == story_id or any(
                reports[a["report_id"]].story_id == story_id for a in c["appearances"] if a["report_id"] in reports)]
        if status is not None:
            out = [c for c in out if c["status"] == status]
        return out


def _placed(units: list[Unit], report: Report) -> list[Unit]:
    for unit in units:
        unit.story_id = report.story_id
        unit.order = (report.published.isoformat() if report.published else "9999", report.id,
                      unit.sentence_index)
    return units


def _gazetteer():
    from lib import settings
    from lib.claims.speakers import gazetteer

    return gazetteer(settings.get().sources_file)


def _speaker_key(name: str | None) -> str | None:
    return _gazetteer().normalise(name).key if name else None


def _claim_dict(c, appearances: list, figures: list, reports: dict) -> dict:
    """One claim's row; ``c``, ``appearances``, ``figures``, ``reports``: rows
    (or ORM objects) with the tables' column names."""
    def order(a: Appearance) -> tuple:
        r = reports.get(a.report_id)
        return (r.published.isoformat() if r and r.published else "9999", a.report_id, a.sentence_idx)

    appearances = sorted(appearances, key=order)
    seen: set = set()
    figure_list = []
    for f in sorted(figures, key=lambda f: next((order(a) for a in appearances if a.report_id == f.report_id), ())):
        key = (f.what, f.value)
        if key in seen:
            continue
        seen.add(key)
        report = reports.get(f.report_id)
        figure_list.append({
            "value": int(f.value) if float(f.value).is_integer() else f.value,
            "qualifier": f.qualifier, "unit": f.unit, "what": f.what,
            "parts": [int(p) if float(p).is_integer() else p for p in f.parts] if f.parts else None,
            "stated_on": f.stated_on or (report.published if report else None),
            "report_id": f.report_id, "source": f.source,
        })
    cues = []
    for a in appearances:
        if a.cue_status != "none":
            entry = {"report_id": a.report_id, "status": a.cue_status, "actor": a.cue_actor, "phrase": a.cue_phrase}
            if entry not in cues:
                cues.append(entry)
    cue = ({"status": c.cue_status, "actor": c.cue_actor, "phrase": c.cue_phrase}
           if c.cue_status and c.cue_status != "none" else {"status": "none", "actor": None, "phrase": None})
    return {
        "id": c.id, "story_id": c.story_id, "text": c.text, "speaker": c.speaker,
        "figures": figure_list, "cue": cue, "cues": cues,
        "suggested_status": c.suggested_status, "status": c.status,
        "appearances": [{"report_id": a.report_id,
                         "outlet": reports[a.report_id].outlet if a.report_id in reports else None,
                         "sentence": a.sentence, "sentence_index": a.sentence_idx} for a in appearances],
        "conflicts_with": [],
        "origin": c.origin, "active": c.active, "dismissed": c.dismissed, "note": c.note,
        "evidence_url": c.evidence_url, "assignee": c.assignee, "version": c.version,
        "new_evidence": (c.status != "unreviewed" and c.evidence_key is not None
                         and c.evidence_key != c.marked_evidence_key),
        "_order": order(appearances[0]) if appearances else ("9999", "", 0),
    }


def _topics(session: Session) -> dict[str, str]:
    """{story id: its topic id} for stories in a topic."""
    return {sid: tid for sid, tid in session.execute(select(Story.id, Story.topic_id)) if tid}


def _link_conflicts(claims: list[dict], topics: dict[str, str]) -> None:
    """Conflicts are looked for among the claims of one topic (else one story)."""
    by_scope: dict = {}
    for i, c in enumerate(claims):
        by_scope.setdefault(topics.get(c["story_id"], c["story_id"]), []).append(i)
    for members in by_scope.values():
        keys = [figure_keys(claims[i]["figures"]) for i in members]
        for a, b in conflicts_module.find_conflicts(keys):
            ia, ib = members[a], members[b]
            claims[ia]["conflicts_with"].append(claims[ib]["id"])
            claims[ib]["conflicts_with"].append(claims[ia]["id"])
