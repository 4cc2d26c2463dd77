"""The claims part of the store (issue #4): derived claims, appearances,
cues and figures, written by recompute; read back as the ``claims --json``
shape. One claim is matched across the reports of a topic (all of them when
stories have no topic yet); its ``story_id`` is its earliest report's story.

Recompute rewrites only derived fields. The editors' fields of a claim
(status, note, evidence_url, assignee, dismissed, version) are never written
here, and a claim keeps its id across recomputes (lib.claims.assemble.stable_ids),
so editors' data stays attached. A claim recompute no longer finds is kept,
marked inactive.

A recompute never folds two claims that carry editors' work into one (issue
#9): their appearances keep apart while grouping, and a marked claim keeps its
id before any unmarked one. Only an editor's story merge may join them
(``merge``), through the audited join of lib.store.desk, which keeps every
verdict on the surviving claim.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

import numpy as np
from sqlalchemy import String, case, cast, delete, or_, select, text, type_coerce, update
from sqlalchemy.orm import Session, load_only

from lib.claims import conflicts as conflicts_module
from lib.claims.assemble import Draft, EditorsMerge, Unit, absorbed, stable_ids
from lib.claims.figures import find_figures
from lib.models import Appearance, Claim, Cue, Figure, Report, Sentence, SentenceVector, Story, utcnow

# build(units, vectors, joinable=None): lib.claims.assemble.assemble with the settings bound
Build = Callable[..., list[Draft]]
_LOCK_KEY = 4_004  # pg_advisory_xact_lock key: one claims recompute at a time (issue #6)


class ClaimsMixin:
    # -- writes (recompute) ---------------------------------------------------
    def replace_claims(self, new_units: dict[str, list[Unit]], new_cues: dict[str, list], *,
                       model: str, build: Build, everywhere: bool = True,
                       scopes: Iterable[str] = (), merge: EditorsMerge | None = None) -> int:
        """Recompute extracted claims from the stored appearances plus ``new_units``.

        ``new_units``: {report_id: units} of freshly extracted reports (they
        replace what those reports had); ``new_cues``: {report_id: [ScopedCue]};
        ``build`` groups units into drafts given their vectors (lib.claims.assemble).
        ``everywhere``: regroup the claims of every topic (a recompute, after
        which topics may differ anywhere); else only the topics the new
        reports (and the versions they supersede) are in: claims are matched
        within a topic, so the others' claims would come out the same.
        ``scopes``: topic ids (a story's id when it has no topic) regrouped as
        well when not ``everywhere``. ``merge``: an editor's story merge that
        may join marked claims meeting through it; each join is audited as the
        editor (lib.store.desk). Without it no two marked claims ever join.
        One transaction; returns the number of claims written.
        """
        with self.session() as session:
            if self.dialect == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            reports = {r.id: r for r in session.scalars(  # not the texts: ids, stories, dates
                select(Report).options(load_only(Report.id, Report.story_id, Report.published))
                .where(Report.superseded_by.is_(None)))}
            topics = _topics(session)
            stories = None  # every story
            if not everywhere:
                touched = {reports[r].story_id for r in new_units if r in reports}
                touched |= set(session.scalars(select(Report.story_id).where(
                    Report.superseded_by.in_(list(new_units)))))
                scopes = {topics.get(sid, sid) for sid in touched if sid} | set(scopes)
                stories = {sid for sid in session.scalars(select(Story.id)) if topics.get(sid, sid) in scopes}
                reports = {rid: r for rid, r in reports.items() if r.story_id in stories}
            units = [u for u in self._stored_units(session, reports, only=stories is not None)
                     if u.report_id not in new_units]
            for report_id, fresh in new_units.items():
                if report_id in reports:
                    units.extend(_placed(fresh, reports[report_id]))
            for unit in units:
                unit.scope = topics.get(unit.story_id, unit.story_id)
            previous = self._previous_keys(session)
            marked = _with_editors_work(session, previous)
            owner = {key: cid for cid, keys in previous.items() if cid in marked for key in keys}
            for unit in units:
                unit.owner = owner.get((unit.report_id, unit.sentence_index))
            vectors = self._unit_vectors(session, units, model)
            drafts = build(units, vectors, joinable=merge.joinable(previous) if merge else None)
            ids = stable_ids(drafts, previous, marked)
            joined = absorbed(drafts, ids, previous, marked)
            if joined and merge is None:  # group_claims keeps marked claims apart: cannot happen
                raise RuntimeError(f"claims regroup would fold marked claims {sorted(joined)}; nothing written")
            cue_rows = self._replace_cues(session, new_cues, None if stories is None else list(reports))
            self._write(session, drafts, ids, cue_rows, stories)
            survivors: dict[str, list[str]] = {}
            for claim_id, survivor in joined.items():
                survivors.setdefault(survivor, []).append(claim_id)
            for survivor, gone in sorted(survivors.items()):
                self._join_claims(session, survivor, gone, merge.by)  # lib.store.desk
            return len(drafts)

    def _stored_units(self, session: Session, reports: dict[str, Report], only: bool = False) -> list[Unit]:
        """The stored appearances of ``reports`` as units (``only``: read just
        theirs, not every appearance, when they are a few topics' reports)."""
        query = (select(Appearance, Claim.id).join(Claim, Claim.id == Appearance.claim_id)
                 .where(Claim.origin == "extracted"))
        if only:
            query = query.where(Appearance.report_id.in_(list(reports)))
        rows = session.execute(query)
        cues = select(Cue.id, Cue.sentence_idx)
        cue_sentence = dict(session.execute(cues.where(Cue.report_id.in_(list(reports))) if only else cues).all())
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
                stated_on=None, story_id=report.story_id, report_date=report.published,
                order=(report.published.isoformat() if report.published else "9999", report.id,
                       appearance.sentence_idx),
            ))
        self._restore_stated_on(session, units, list(reports) if only else None)
        return units

    def _restore_stated_on(self, session: Session, units: list[Unit], report_ids: list[str] | None) -> None:
        query = select(Figure.report_id, Figure.value, Figure.what, Figure.stated_on)
        if report_ids is not None:
            query = query.where(Figure.report_id.in_(report_ids))
        dates = {(rid, value, what): stated for rid, value, what, stated in session.execute(query)}
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

    def _replace_cues(self, session: Session, new_cues: dict[str, list],
                      report_ids: list[str] | None = None) -> dict[tuple[str, int], int]:
        """Write the cues of re-extracted reports; {(report_id, sentence_idx): cue row id}
        of the cues of ``report_ids`` (None: all)."""
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
        query = select(Cue).order_by(Cue.id)
        if report_ids is not None:
            query = query.where(Cue.report_id.in_(report_ids))
        for cue in session.scalars(query):
            rows.setdefault((cue.report_id, cue.sentence_idx), cue.id)
        return rows

    def _write(self, session: Session, drafts: list[Draft], ids: list[str],
               cue_rows: dict[tuple[str, int], int], stories: set[str] | None = None) -> None:
        """Write ``drafts`` as claims ``ids``, replacing the extracted claims of
        ``stories`` (None: all); a replaced claim no draft took is made inactive."""
        query = select(Claim).where(Claim.origin == "extracted")
        if stories is not None:
            query = query.where(Claim.story_id.in_(list(stories)) | Claim.id.in_(ids))
        existing = {c.id: c for c in session.scalars(query)}
        replaced = list(existing)
        for i in range(0, len(replaced), 1000):
            chunk = replaced[i:i + 1000]
            session.execute(delete(Figure).where(Figure.claim_id.in_(chunk)))
            session.execute(delete(Appearance).where(Appearance.claim_id.in_(chunk)))
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
               include_inactive: bool = False, updated_at: bool = False) -> list[dict]:
        """Claims as ``claims --json`` shows them (plus the desk's fields), ordered
        by story and first appearance. Conflicts are computed among the claims
        of one topic (else story). ``updated_at``: each row ends with the claim's
        ``updated_at`` too, as :meth:`desk_states` gives it (the dashboard's rows)."""
        with paused_gc():
            return self._claims(story_id, status, include_inactive, updated_at)

    def _claims(self, story_id: str | None, status: str | None, include_inactive: bool,
                updated_at: bool) -> list[dict]:
        # Plain tuples through SQLAlchemy core, only the columns shown: the desk
        # reads every claim at once, and ORM objects (then ORM-loaded rows) for
        # 20k claims with their appearances took seconds (issue #5).
        with self.session() as session:
            conn = session.connection()
            query = select(*(Claim.__table__.c[name] for name in _CLAIM_COLUMNS
                             + (("updated_at",) if updated_at else ())))
            if not include_inactive:
                query = query.where(Claim.active.is_(True))
            claims = conn.execute(query).all()
            reports = {r[0]: r for r in conn.execute(select(
                Report.id, Report.outlet, Report.published, Report.story_id))}
            appearances: dict[str, list] = {}
            for a in conn.execute(select(*(Appearance.__table__.c[name] for name in _APPEARANCE_COLUMNS))).all():
                appearances.setdefault(a[0], []).append(a)
            figures: dict[str, list] = {}
            for f in conn.execute(select(*_figure_columns()).order_by(Figure.id)).all():
                figures.setdefault(f[0], []).append(f)
            topics = _topics(session)
        published = {rid: r[2].isoformat() if r[2] else "9999" for rid, r in reports.items()}
        outlets = {rid: r[1] for rid, r in reports.items()}
        out = [_claim_dict(c, appearances.get(c[0], ()), figures.get(c[0], ()), published, outlets, reports)
               for c in claims]
        out.sort(key=lambda c: (str(topics.get(c["story_id"], c["story_id"])), c["_order"]))
        _link_conflicts(out, topics)
        for c in out:
            del c["_order"], c["_keys"]
        if story_id is not None:
            # A claim belongs to every story one of its appearances is in.
            out = [c for c in out if c["story_id"] == story_id or any(
                reports[a["report_id"]][3] == story_id for a in c["appearances"] if a["report_id"] in reports)]
        if status is not None:
            out = [c for c in out if c["status"] == status]
        return out


@contextmanager
def paused_gc() -> Iterator[None]:
    """Cyclic garbage collection off while building many long-lived objects
    that hold no cycles (20k claim rows are 100k lists and dicts).

    The collector would walk them again and again as they pile up (young
    passes, then full passes over the whole heap: as long as building them),
    and once built they would still be walked twice more on their way to the
    oldest generation, and trigger a full pass there. Instead they are put in
    the oldest generation at once: gc.freeze() then gc.unfreeze() moves every
    tracked object there (documented), without a pass. Nothing is lost: a
    later full pass still sees them. Nested pauses act once, at the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:  # else someone froze objects on purpose: unfreeze() would thaw them
                gc.freeze()
                gc.unfreeze()
            gc.enable()


# Columns store.claims() reads, in the order _claim_dict unpacks them (then
# updated_at when asked for).
_CLAIM_COLUMNS = ("id", "story_id", "text", "speaker", "cue_status", "cue_actor", "cue_phrase",
                  "suggested_status", "status", "origin", "active", "dismissed", "note", "evidence_url",
                  "assignee", "version", "evidence_key", "marked_evidence_key", "verdicts_disagree")
_APPEARANCE_COLUMNS = ("claim_id", "report_id", "sentence_idx", "sentence", "cue_status", "cue_actor",
                       "cue_phrase")
_FIGURE_COLUMNS = ("claim_id", "report_id", "value", "qualifier", "unit", "what", "parts", "stated_on",
                   "source")
_NO_ORDER = ("9999", "", 0)  # a claim without appearances (added by hand) sorts last


def _figure_columns() -> list:
    """_FIGURE_COLUMNS, with ``parts`` SQL NULL where it holds JSON null (nearly
    every figure): the JSON type then skips decoding 'null' row by row."""
    parts = Figure.__table__.c.parts
    return [Figure.__table__.c[name] if name != "parts" else
            type_coerce(case((cast(parts, String) == "null", None), else_=parts), parts.type).label("parts")
            for name in _FIGURE_COLUMNS]


def _placed(units: list[Unit], report: Report) -> list[Unit]:
    for unit in units:
        unit.story_id = report.story_id
        unit.report_date = report.published
        unit.order = (report.published.isoformat() if report.published else "9999", report.id,
                      unit.sentence_index)
    return units


def _gazetteer():
    from lib import settings
    from lib.claims.speakers import gazetteer

    return gazetteer(settings.get().sources_file)


def _speaker_key(name: str | None) -> str | None:
    return _gazetteer().normalise(name).key if name else None


def _claim_dict(c, appearances, figures, published: dict, outlets: dict, reports: dict) -> dict:
    """One claim's row from the tuples of ``_CLAIM_COLUMNS``, ``_APPEARANCE_COLUMNS``
    and ``_FIGURE_COLUMNS``; ``published``: {report id: ISO date or '9999'},
    ``outlets``: {report id: outlet}, ``reports``: {report id: (id, outlet,
    published, story_id)}.

    Appearances in order of (report date, report, sentence); figures in order
    of their report's first appearance (figures of a report the claim does not
    appear in first), then as stored, one per (what, value)."""
    (cid, story, text, speaker, cue_status, cue_actor, cue_phrase, suggested, status, origin, active,
     dismissed, note, evidence_url, assignee, version, evidence_key, marked_key, verdicts) = c[:19]
    if len(appearances) > 1:
        appearances = sorted(appearances, key=lambda a: (published.get(a[1], "9999"), a[1], a[2]))
    if len(figures) > 1:
        first_in: dict = {}  # report id -> order of the claim's first appearance in it
        for a in appearances:
            first_in.setdefault(a[1], (published.get(a[1], "9999"), a[1], a[2]))
        figures = sorted(figures, key=lambda f: first_in.get(f[1], ()))
    seen: set = set()
    keys: set = set()  # lib.claims.match.figure_keys of the figures, for _link_conflicts
    figure_list = []
    for _, rid, value, qualifier, unit, what, parts, stated_on, source in figures:
        key = (what, value)
        if key in seen:
            continue
        seen.add(key)
        if what:
            keys.add((what, float(value)))
        if not stated_on:
            report = reports.get(rid)
            stated_on = report[2] if report else None
        figure_list.append({
            "value": int(value) if float(value).is_integer() else value,
            "qualifier": qualifier, "unit": unit, "what": what,
            "parts": [int(p) if float(p).is_integer() else p for p in parts] if parts else None,
            "stated_on": stated_on, "report_id": rid, "source": source,
        })
    cues = []
    for a in appearances:
        if a[4] != "none":
            entry = {"report_id": a[1], "status": a[4], "actor": a[5], "phrase": a[6]}
            if entry not in cues:
                cues.append(entry)
    row = {
        "id": cid, "story_id": story, "text": text, "speaker": speaker,
        "figures": figure_list,
        "cue": ({"status": cue_status, "actor": cue_actor, "phrase": cue_phrase}
                if cue_status and cue_status != "none" else {"status": "none", "actor": None, "phrase": None}),
        "cues": cues,
        "suggested_status": suggested, "status": status,
        "appearances": [{"report_id": a[1], "outlet": outlets.get(a[1]), "sentence": a[3], "sentence_index": a[2]}
                        for a in appearances],
        "conflicts_with": [],
        "origin": origin, "active": active, "dismissed": dismissed, "note": note,
        "evidence_url": evidence_url, "assignee": assignee, "version": version,
        "new_evidence": (status != "unreviewed" and evidence_key is not None and evidence_key != marked_key),
        "verdicts_disagree": verdicts or None,  # issue #9: [{by, status, note, at}] or null
        "_order": ((published.get(appearances[0][1], "9999"), appearances[0][1], appearances[0][2])
                   if appearances else _NO_ORDER),
        "_keys": keys,
    }
    if len(c) > 19:
        row["updated_at"] = c[19]
    return row


def _with_editors_work(session: Session, previous: dict[str, set]) -> set[str]:
    """Ids of the extracted claims in ``previous`` that an editor has acted on:
    marked, noted, linked, assigned, dismissed, or changed at all (version > 1)."""
    work = or_(Claim.version > 1, Claim.status != "unreviewed", Claim.note.is_not(None),
               Claim.evidence_url.is_not(None), Claim.assignee.is_not(None), Claim.dismissed.is_(True))
    found = set(session.scalars(select(Claim.id).where(Claim.origin == "extracted", work)))
    return found & set(previous)


def _topics(session: Session) -> dict[str, str]:
    """{story id: its topic id} for stories in a topic."""
    return {sid: tid for sid, tid in session.execute(select(Story.id, Story.topic_id)) if tid}


def _link_conflicts(claims: list[dict], topics: dict[str, str]) -> None:
    """Conflicts are looked for among the claims of one topic (else one story);
    each claim's ``conflicts_with`` lists the others in the order of ``claims``.
    ``claims`` are _claim_dict rows (their ``_keys``: figure keys)."""
    by_scope: dict = {}
    for i, c in enumerate(claims):
        by_scope.setdefault(topics.get(c["story_id"], c["story_id"]), []).append(i)
    for members in by_scope.values():
        keys = [claims[i]["_keys"] for i in members]
        ids: dict[int, list[str]] = {}  # partner lists are shared: map each to ids once
        for i, partners in zip(members, conflicts_module.conflict_lists(keys)):
            if not partners:
                continue
            named = ids.get(id(partners))
            if named is None:
                named = ids[id(partners)] = [claims[members[j]]["id"] for j in partners]
            claims[i]["conflicts_with"] = list(named)
