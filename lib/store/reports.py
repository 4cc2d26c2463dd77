"""Reports, their sentences and sentence vectors; the ingest work queue."""
from __future__ import annotations

from datetime import timedelta
from typing import Iterable

import numpy as np
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lib.errors import ReportNotFound, UnsupportedFile
from lib.models import Report, Sentence, SentenceVector, utcnow

REPORT_FIELDS = ("outlet", "url", "title", "published", "text", "language",
                 "language_flagged", "content_hash", "source_path")


def report_id_for(content_hash: str) -> str:
    """Report ids derive from the content hash: stable across runs and stores."""
    return content_hash[:16]


def report_dict(r: Report, sentences: int | None = None) -> dict:
    return {
        "id": r.id, "outlet": r.outlet, "title": r.title,
        "date": r.published.isoformat() if r.published else None,
        "url": r.url, "language": r.language, "language_flagged": r.language_flagged,
        "sentences": sentences, "superseded_by": r.superseded_by, "story_id": r.story_id,
        "ingested_at": r.ingested_at, "ingested_by": r.ingested_by,
    }


def _fits_columns(data: dict) -> dict:
    """A report that PostgreSQL will take as SQLite does (issue #6, hostile input):
    no NUL characters (PostgreSQL text cannot hold them), a derived title cut to
    its column, and an outlet or URL too long for its column rejected.
    Raises UnsupportedFile naming the file."""
    name = data.get("source_path") or data.get("title") or "report"
    for key in ("text", "title", "outlet", "url"):
        if isinstance(data.get(key), str) and "\x00" in data[key]:
            raise UnsupportedFile(f"{name}: the {key} contains NUL characters; expected text")
    if any("\x00" in s[0] for s in data.get("sentences", ())):
        raise UnsupportedFile(f"{name}: the text contains NUL characters; expected text")
    data = dict(data)
    for key in ("outlet", "url"):
        limit = Report.__table__.c[key].type.length
        if data.get(key) and len(data[key]) > limit:
            raise UnsupportedFile(f"{name}: the {key} is {len(data[key])} characters long; "
                                  f"at most {limit} are stored")
    for key in ("title", "source_path"):
        limit = Report.__table__.c[key].type.length
        if data.get(key) and len(data[key]) > limit:
            data[key] = data[key][:limit - 1] + "…"
    return data


class ReportsMixin:
    # -- writes -------------------------------------------------------------
    def add_file(self, reports: list[dict], vectors: dict[str, np.ndarray], model: str,
                 actor: str) -> list[tuple[str, str]]:
        """Store one file's reports in ONE transaction: all or nothing.

        ``reports``: dicts with REPORT_FIELDS plus ``sentences``, a list of
        ``(text, start, end, text_hash)``. ``vectors``: {text_hash: vector} for
        sentences not yet encoded under ``model``. Returns (status, report_id)
        per report, status 'added' or 'present' (same content already stored).
        A report whose URL matches a stored, current report supersedes it.
        """
        results: list[tuple[str, str]] = []
        with self.session() as session:
            self._add_vectors(session, vectors, model)
            for data in reports:
                results.append(self._add_report(session, data, actor))
        return results

    def _add_report(self, session: Session, data: dict, actor: str) -> tuple[str, str]:
        existing = session.scalar(select(Report.id).where(Report.content_hash == data["content_hash"]))
        if existing:
            return "present", existing
        data = _fits_columns(data)
        report = Report(id=report_id_for(data["content_hash"]), ingested_by=actor,
                        **{k: data.get(k) for k in REPORT_FIELDS})
        session.add(report)
        session.flush()
        older = []
        if report.url:
            older = session.scalars(select(Report).where(
                Report.url == report.url, Report.id != report.id,
                Report.superseded_by.is_(None))).all()
            for old in older:
                old.superseded_by = report.id
        for idx, (text, start, end, text_hash) in enumerate(data["sentences"]):
            session.add(Sentence(report_id=report.id, idx=idx, text=text, start=start,
                                 end=end, text_hash=text_hash))
        self.record(session, actor, "ingest", "report", report.id,
                    after={"title": report.title, "outlet": report.outlet, "url": report.url,
                           "source_path": report.source_path,
                           "supersedes": [o.id for o in older] or None})
        return "added", report.id

    def _add_vectors(self, session: Session, vectors: dict[str, np.ndarray], model: str) -> None:
        if not vectors:
            return
        known = set(session.scalars(select(SentenceVector.text_hash).where(
            SentenceVector.model == model, SentenceVector.text_hash.in_(list(vectors)))))
        for text_hash, vector in vectors.items():
            if text_hash not in known:
                vector = np.asarray(vector, dtype=np.float32)
                session.add(SentenceVector(model=model, text_hash=text_hash,
                                           dim=int(vector.shape[0]), vector=vector.tobytes()))

    # -- reads --------------------------------------------------------------
    def has_reports(self) -> bool:
        with self.session() as session:
            return session.scalar(select(Report.id).limit(1)) is not None

    def known_hashes(self, content_hashes: Iterable[str]) -> set[str]:
        hashes = list(content_hashes)
        if not hashes:
            return set()
        with self.session() as session:
            return set(session.scalars(select(Report.content_hash).where(Report.content_hash.in_(hashes))))

    def missing_vectors(self, text_hashes: Iterable[str], model: str) -> set[str]:
        """Which of ``text_hashes`` have no stored vector under ``model``."""
        wanted = set(text_hashes)
        found: set[str] = set()
        with self.session() as session:
            chunk = list(wanted)
            for i in range(0, len(chunk), 500):
                found.update(session.scalars(select(SentenceVector.text_hash).where(
                    SentenceVector.model == model,
                    SentenceVector.text_hash.in_(chunk[i:i + 500]))))
        return wanted - found

    def reports(self, *, include_superseded: bool = True) -> list[dict]:
        """Every report, oldest date first, with its sentence count."""
        counts = (select(Sentence.report_id, func.count().label("n"))
                  .group_by(Sentence.report_id).subquery())
        query = (select(Report, counts.c.n).outerjoin(counts, counts.c.report_id == Report.id)
                 .order_by(Report.published.is_(None), Report.published, Report.id))
        if not include_superseded:
            query = query.where(Report.superseded_by.is_(None))
        with self.session() as session:
            return [report_dict(r, n or 0) for r, n in session.execute(query)]

    def report(self, report_id: str) -> dict:
        """One report with its text and sentences. Raises ReportNotFound."""
        if not isinstance(report_id, str) or "\x00" in report_id:  # PostgreSQL text holds no NUL
            raise ReportNotFound(f"Report {str(report_id).replace(chr(0), '')!r} does not exist")
        with self.session() as session:
            r = session.get(Report, report_id)
            if r is None:
                raise ReportNotFound(f"Report {report_id!r} does not exist")
            sentences = session.scalars(select(Sentence).where(Sentence.report_id == report_id)
                                        .order_by(Sentence.idx)).all()
            out = report_dict(r, len(sentences))
            out["text"] = r.text
            out["sentence_list"] = [{"idx": s.idx, "text": s.text, "start": s.start, "end": s.end}
                                    for s in sentences]
            return out

    def sentence_vectors(self, report_ids: Iterable[str], model: str) -> dict[str, tuple[list[dict], np.ndarray]]:
        """{report_id: (sentences, vectors)}; vectors row i belongs to sentences[i].

        Sentences without a stored vector are left out.
        """
        ids = list(report_ids)
        out: dict[str, tuple[list[dict], list[np.ndarray]]] = {rid: ([], []) for rid in ids}
        with self.session() as session:
            for i in range(0, len(ids), 500):
                rows = session.execute(
                    select(Sentence.report_id, Sentence.idx, Sentence.text, SentenceVector.vector)
                    .join(SentenceVector, (SentenceVector.text_hash == Sentence.text_hash)
                          & (SentenceVector.model == model))
                    .where(Sentence.report_id.in_(ids[i:i + 500]))
                    .order_by(Sentence.report_id, Sentence.idx))
                for rid, idx, text, blob in rows:
                    out[rid][0].append({"idx": idx, "text": text})
                    out[rid][1].append(np.frombuffer(blob, dtype=np.float32))
        return {rid: (s, np.vstack(v) if v else np.zeros((0, 0), dtype=np.float32))
                for rid, (s, v) in out.items()}

    # -- work queue (issue #6) ---------------------------------------------
    def take_pending(self, worker: str, limit: int = 50, stale_after: timedelta = timedelta(minutes=30)) -> list[str]:
        """Take up to ``limit`` unprocessed reports for ``worker``.

        PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED``, so concurrent workers
        never take the same report. SQLite: the write lock taken at BEGIN
        (BEGIN IMMEDIATE) makes takers run one at a time. A report taken more
        than ``stale_after`` ago by a worker that died is taken again.
        """
        now = utcnow()
        with self.session() as session:
            query = (select(Report.id)
                     .where(Report.processed_at.is_(None))
                     .where(Report.taken_at.is_(None) | (Report.taken_at < now - stale_after))
                     .order_by(Report.ingested_at, Report.id).limit(limit))
            if self.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            ids = list(session.scalars(query))
            if ids:
                session.execute(update(Report).where(Report.id.in_(ids))
                                .values(taken_by=worker, taken_at=now))
            return ids

    def mark_processed(self, report_ids: Iterable[str]) -> None:
        ids = list(report_ids)
        if not ids:
            return
        with self.session() as session:
            session.execute(update(Report).where(Report.id.in_(ids))
                            .values(processed_at=utcnow(), taken_by=None, taken_at=None))

    def release(self, report_ids: Iterable[str]) -> None:
        """Give reports back to the queue (a worker failed on them)."""
        ids = list(report_ids)
        if ids:
            with self.session() as session:
                session.execute(update(Report).where(Report.id.in_(ids)).values(taken_by=None, taken_at=None))

    def pending_count(self) -> int:
        with self.session() as session:
            return session.scalar(select(func.count()).select_from(Report).where(Report.processed_at.is_(None))) or 0

    def report_ids(self, *, processed: bool | None = None) -> list[str]:
        query = select(Report.id).order_by(Report.id)
        if processed is True:
            query = query.where(Report.processed_at.is_not(None))
        elif processed is False:
            query = query.where(Report.processed_at.is_(None))
        with self.session() as session:
            return list(session.scalars(query))
