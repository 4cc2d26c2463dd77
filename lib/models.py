"""The store's tables (SQLAlchemy 2.x declarative). Alembic migrations in
``migrations/`` create them; ``tests/test_migrations.py`` fails when a model
and the migrations disagree.

Two kinds of data live here (issue #2):
- derived data, recomputed at will: sentences, stories, topics, claim texts,
  appearances, cues, figures;
- editors' data, never lost or detached by a recompute: desk status, notes,
  evidence, assignments, status history, story corrections, dismissed and
  hand-added claims, users, custom statuses, the audit trail.
Claims keep a stable id across recomputes so editors' data stays attached.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Report(Base):
    """One version of one report as ingested (derived fields: story, processed)."""

    __tablename__ = "report"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # content hash prefix
    outlet: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000), index=True)
    title: Mapped[str] = mapped_column(String(1000))
    published: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    language_flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source_path: Mapped[str | None] = mapped_column(String(2000))
    ingested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ingested_by: Mapped[str | None] = mapped_column(String(100))
    superseded_by: Mapped[str | None] = mapped_column(ForeignKey("report.id"))
    story_id: Mapped[str | None] = mapped_column(ForeignKey("story.id", ondelete="SET NULL"), index=True)
    # Work queue for ingest workers (issue #6): unprocessed reports are taken
    # with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL.
    processed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    taken_by: Mapped[str | None] = mapped_column(String(100))
    taken_at: Mapped[datetime | None] = mapped_column(DateTime)


class Sentence(Base):
    """A report's sentence; its vector lives in SentenceVector, keyed by text hash."""

    __tablename__ = "sentence"
    __table_args__ = (UniqueConstraint("report_id", "idx"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)


class SentenceVector(Base):
    """One embedding per (model, sentence text): a sentence is never encoded twice."""

    __tablename__ = "sentence_vector"
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, L2-normalised


class Topic(Base):
    __tablename__ = "topic"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(1000))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Story(Base):
    __tablename__ = "story"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(1000))
    topic_id: Mapped[str | None] = mapped_column(ForeignKey("topic.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class StoryCorrection(Base):
    """Editors' merge/split of stories; replayed in order after every recompute.

    action 'merge': report_id's story and other_report_id's story become one.
    action 'split': report_id becomes a story of its own.
    """

    __tablename__ = "story_correction"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(20))
    report_id: Mapped[str] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"))
    other_report_id: Mapped[str | None] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"))
    by: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Claim(Base):
    """A check-worthy claim. Derived fields are rewritten by recompute; the
    editors' fields (status, note, evidence_url, assignee, dismissed, version,
    origin='manual') are never touched by it."""

    __tablename__ = "claim"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    story_id: Mapped[str | None] = mapped_column(ForeignKey("story.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(String(300))
    speaker_key: Mapped[str | None] = mapped_column(String(300), index=True)
    cue_status: Mapped[str] = mapped_column(String(20), default="none")  # summary of appearances
    cue_actor: Mapped[str | None] = mapped_column(String(300))
    cue_phrase: Mapped[str | None] = mapped_column(Text)
    suggested_status: Mapped[str | None] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(20), default="extracted")  # extracted | manual
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # false: recompute no longer finds it
    evidence_key: Mapped[str | None] = mapped_column(String(64))  # hash of cues+figures, for 'new evidence'
    # editors' data
    status: Mapped[str] = mapped_column(String(40), default="unreviewed", index=True)
    note: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(String(2000))
    assignee: Mapped[str | None] = mapped_column(String(100), index=True)
    dismissed: Mapped[bool] = mapped_column(Boolean, default=False)
    marked_evidence_key: Mapped[str | None] = mapped_column(String(64))  # evidence_key when last marked
    # Issue #9: when an editor's story merge joins claims whose verdicts
    # differ, every verdict [{by, status, note, at}], oldest first; cleared
    # when an editor marks the claim again.
    verdicts_disagree: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    # A claim joined into another (issue #9): inactive, its history read with the survivor's.
    merged_into: Mapped[str | None] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Cue(Base):
    """A verification cue read from a report's text, with the sentences it governs."""

    __tablename__ = "cue"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    sentence_idx: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # unverified | confirmed | denied
    actor: Mapped[str | None] = mapped_column(String(300))
    phrase: Mapped[str] = mapped_column(Text)
    scope_start: Mapped[int] = mapped_column(Integer)  # first sentence idx governed
    scope_end: Mapped[int] = mapped_column(Integer)  # last sentence idx governed (inclusive)


class Appearance(Base):
    """Claim x report x sentence."""

    __tablename__ = "appearance"
    __table_args__ = (UniqueConstraint("claim_id", "report_id", "sentence_idx"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    sentence_idx: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(String(300))
    cue_id: Mapped[int | None] = mapped_column(ForeignKey("cue.id", ondelete="SET NULL"))
    cue_status: Mapped[str] = mapped_column(String(20), default="none")
    cue_actor: Mapped[str | None] = mapped_column(String(300))
    cue_phrase: Mapped[str | None] = mapped_column(Text)


class Figure(Base):
    """A figure a claim states, as read in one appearance."""

    __tablename__ = "figure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[str | None] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    qualifier: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str | None] = mapped_column(String(100))
    what: Mapped[str | None] = mapped_column(String(300), index=True)
    parts: Mapped[list | None] = mapped_column(JSON)
    stated_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(300))


class StatusChange(Base):
    """Desk status history: append-only."""

    __tablename__ = "status_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(40))
    to_status: Mapped[str] = mapped_column(String(40))
    editor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(String(2000))
    version: Mapped[int] = mapped_column(Integer)  # claim version this change produced
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CustomStatus(Base):
    """Desk statuses beyond the four built-in ones, added by admins."""

    __tablename__ = "custom_status"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    colour: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class User(Base):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # viewer | editor | admin
    password_hash: Mapped[str] = mapped_column(String(300))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LoginAttempt(Base):
    """Failed sign-ins, for rate limiting."""

    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditEvent(Base):
    """Who did what, when, with before and after. Append-only."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(50), index=True)
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str | None] = mapped_column(String(100))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
