"""Audit trail: who did what, when, before and after. Append-only: the store
offers no update or delete of audit events (issue #6)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lib.models import AuditEvent, Report

# Audit events re-read behind the newest one a reader saw (see claims_changed_since).
AUDIT_OVERLAP = 200


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _no_nul(value: str | None) -> str | None:
    return value.replace("\x00", "") if isinstance(value, str) else value


class AuditMixin:
    def record(self, session: Session, actor: str, action: str, entity_type: str,
               entity_id: str | None = None, before: dict | None = None,
               after: dict | None = None, note: str | None = None) -> None:
        """Append one audit event inside the caller's transaction."""
        actor, note = _no_nul(actor), _no_nul(note)
        entity_id = _no_nul(entity_id) if isinstance(entity_id, str) else entity_id
        session.add(AuditEvent(
            actor=actor, action=action, entity_type=entity_type,
            entity_id=None if entity_id is None else str(entity_id),
            before=_jsonable(before), after=_jsonable(after), note=note,
        ))

    def audit_events(self, *, actor: str | None = None, action: str | None = None,
                     entity_type: str | None = None, entity_id: str | None = None,
                     since: datetime | None = None, until: datetime | None = None,
                     search: str | None = None, limit: int = 1000) -> list[dict]:
        """Newest first, filtered by any of the keywords. ``search``: text found
        (any case) in the entity id, actor or note; ``until``: before that time."""
        # PostgreSQL text cannot hold NUL; a filter holding one matches nothing anyway
        actor, action, entity_type, search = map(_no_nul, (actor, action, entity_type, search))
        entity_id = _no_nul(str(entity_id)) if entity_id is not None else None
        query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
        if actor:
            query = query.where(AuditEvent.actor == actor)
        if action:
            query = query.where(AuditEvent.action == action)
        if entity_type:
            query = query.where(AuditEvent.entity_type == entity_type)
        if entity_id:
            query = query.where(AuditEvent.entity_id == str(entity_id))
        if since:
            query = query.where(AuditEvent.at >= since)
        if until:
            query = query.where(AuditEvent.at < until)
        if search:
            pattern = "%" + (search.lower().replace("\\", "\\\\").replace("%", "\\%")
                             .replace("_", "\\_")) + "%"
            query = query.where(func.lower(AuditEvent.entity_id).like(pattern, escape="\\")
                                | func.lower(AuditEvent.actor).like(pattern, escape="\\")
                                | func.lower(AuditEvent.note).like(pattern, escape="\\"))
        with self.session() as session:
            return [
                {"id": e.id, "at": e.at, "actor": e.actor, "action": e.action,
                 "entity_type": e.entity_type, "entity_id": e.entity_id,
                 "before": e.before, "after": e.after, "note": e.note}
                for e in session.scalars(query)
            ]

    def change_token(self) -> str:
        """A short string that changes whenever anyone writes to the store.

        Every editor's write is audited and every recompute marks reports
        processed, so the newest audit id plus the processed reports' count
        and newest time move on any change. The dashboard keys its cached
        reads on it (issue #5: caches invalidated when anyone writes, in any
        app instance). One cheap query.
        """
        newest = select(func.max(AuditEvent.id)).scalar_subquery()
        query = select(
            newest,
            # PostgreSQL hands out ids at insert, not at commit: an event can
            # appear below the newest id. Counting the recent window sees it.
            select(func.count(AuditEvent.id)).where(AuditEvent.id > newest - AUDIT_OVERLAP).scalar_subquery(),
            select(func.count(Report.processed_at)).scalar_subquery(),
            select(func.max(Report.processed_at)).scalar_subquery(),
        )
        with self.session() as session:
            audit, recent, processed, last = session.execute(query).one()
        return f"{audit or 0}:{recent or 0}:{processed or 0}:{last.isoformat() if last else ''}"

    def audit_facets(self) -> dict[str, list[str]]:
        """The distinct actors, actions and entity types in the trail, sorted
        (the audit page's filter choices)."""
        with self.session() as session:
            return {name: sorted(v for v in session.scalars(select(column).distinct()) if v)
                    for name, column in (("actor", AuditEvent.actor), ("action", AuditEvent.action),
                                         ("entity_type", AuditEvent.entity_type))}

    def derived_token(self) -> str:
        """Like :meth:`change_token`, but moves only when derived data may have
        changed: claims added (extracted or by hand), reports processed, stories
        regrouped (recompute, merge, split). An editor's status, note or
        assignment does not move it, so the dashboard keeps its costly claim
        rows and refreshes only the desk fields (:meth:`desk_states`).
        """
        from lib.models import Claim, Story, StoryCorrection

        query = select(
            select(func.count(Claim.id)).scalar_subquery(),
            select(func.count(Report.processed_at)).scalar_subquery(),
            select(func.max(Report.processed_at)).scalar_subquery(),
            select(func.max(StoryCorrection.id)).scalar_subquery(),
            select(func.count(Story.id)).scalar_subquery(),
            select(func.max(Story.updated_at)).scalar_subquery(),
        )
        with self.session() as session:
            row = session.execute(query).one()
        return ":".join("" if v is None else v.isoformat() if hasattr(v, "isoformat") else str(v) for v in row)

    def claims_changed_since(self, audit_id: int | None) -> tuple[int, list[str]]:
        """(newest audit id, ids of claims with an audit event after ``audit_id``);
        ``None`` only reads the newest audit id.

        Every editor's write to a claim is audited, so this is what changed on
        the desk since the dashboard last looked (it then re-reads only those
        claims' editors' fields). The last AUDIT_OVERLAP events before
        ``audit_id`` are read again: on PostgreSQL an event whose id was
        handed out earlier can commit after a reader saw a newer one."""
        with self.session() as session:
            newest = session.scalar(select(func.max(AuditEvent.id))) or 0
            if audit_id is None:
                return newest, []
            ids = session.scalars(select(AuditEvent.entity_id).distinct().where(
                AuditEvent.id > audit_id - AUDIT_OVERLAP, AuditEvent.id <= newest,
                AuditEvent.entity_type == "claim")).all()
        return newest, [i for i in ids if i]
