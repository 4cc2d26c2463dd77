"""Stories and topics in the store (issue #3).

Stories and topics are derived data: ``save_clustering`` rewrites them after a
full recompute and ``save_assignment`` after one new report. Editors' merges
and splits are StoryCorrection rows, applied at once and replayed by every
recompute, so they survive it. A story's id is its lowest report id, a
topic's id its lowest report id, so ids are stable across runs; when a group
changes its lowest report, its id moves and claims follow it.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from lib.errors import ReportNotFound, StoryNotFound
from lib.models import Claim, Report, Story, StoryCorrection, Topic


def _report_row(r: Report) -> dict:
    return {"id": r.id, "outlet": r.outlet, "title": r.title,
            "date": r.published.isoformat() if r.published else None}


def _order(r: Report) -> tuple:
    """Earliest first; undated last; then by id."""
    return (r.published is None, r.published or "", r.id)


# Bulk UPDATEs here rewrite many rows whose ORM objects this session may hold;
# "evaluate" synchronisation walked every loaded object for every statement
# (1,185 statements x 1,200 reports took 20 s at 1.2k reports). The session
# is not read back after these updates, so no synchronisation is needed.
NO_SYNC = {"synchronize_session": False}


class StoriesMixin:
    # -- reads --------------------------------------------------------------
    def stories(self) -> list[dict]:
        """Every story: ``{id, title, topic, topic_title, reports: [{id, outlet,
        title, date}], versions, outlets}``, newest first (then by id).
        Reports inside a story are earliest first."""
        with self.session() as session:
            topics = {t.id: t.title for t in session.scalars(select(Topic))}
            reports: dict[str, list[Report]] = {}
            for r in session.scalars(select(Report).where(Report.story_id.is_not(None))):
                reports.setdefault(r.story_id, []).append(r)
            out = []
            for s in session.scalars(select(Story)):
                rows = sorted(reports.get(s.id, []), key=_order)
                out.append({
                    "id": s.id, "title": s.title, "topic": s.topic_id,
                    "topic_title": topics.get(s.topic_id),
                    "reports": [_report_row(r) for r in rows],
                    "versions": len(rows),
                    "outlets": len({r.outlet for r in rows if r.outlet}),
                })
        newest = lambda s: max((r["date"] or "" for r in s["reports"]), default="")  # noqa: E731
        out.sort(key=lambda s: s["id"])
        out.sort(key=newest, reverse=True)
        return out

    def story(self, story_id: str) -> dict:
        """One story as in :meth:`stories`, plus the other stories of its topic.
        Raises StoryNotFound."""
        for s in self.stories():
            if s["id"] == story_id:
                break
        else:
            raise StoryNotFound(f"Story {story_id!r} does not exist")
        s = dict(s)
        s["topic_stories"] = [o["id"] for o in self.stories()
                              if o["topic"] == s["topic"] and o["id"] != story_id]
        return s

    def story_diff(self, story_id: str) -> dict:
        """Version diff of a story (lib.diff): ``{base, shared, versions}``,
        each version with its outlet/title/date; the earliest version is the base."""
        from lib import embed
        from lib.diff import Version, diff

        story = self.story(story_id)
        model = embed.model_name(self.settings)
        ids = [r["id"] for r in story["reports"]]
        loaded = self.sentence_vectors(ids, model)
        versions = [Version(rid, [s["text"] for s in loaded[rid][0]], loaded[rid][1]) for rid in ids]
        result = diff(versions, threshold=self.settings.story_threshold).as_dict()
        meta = {r["id"]: r for r in story["reports"]}
        for v in result["versions"]:
            v.update({k: meta[v["id"]][k] for k in ("outlet", "title", "date")})
        result["story"] = story_id
        return result

    def story_corrections(self) -> list[tuple[str, str, str | None]]:
        """Editors' corrections in the order they were made: (action, report_id, other)."""
        with self.session() as session:
            return [(c.action, c.report_id, c.other_report_id) for c in session.scalars(
                select(StoryCorrection).order_by(StoryCorrection.at, StoryCorrection.id))]

    def story_of(self, report_id: str) -> str | None:
        with self.session() as session:
            r = session.get(Report, report_id)
            if r is None:
                raise ReportNotFound(f"Report {report_id!r} does not exist")
            return r.story_id

    # -- editors' corrections ---------------------------------------------------
    def merge_stories(self, a: str, b: str, actor: str) -> str:
        """Make stories ``a`` and ``b`` one; returns the merged story's id.

        Recorded as a StoryCorrection (replayed by every recompute) and audited.
        Raises StoryNotFound.
        """
        with self.session() as session:
            members = {}
            for sid in (a, b):
                ids = sorted(session.scalars(select(Report.id).where(Report.story_id == sid)))
                if session.get(Story, sid) is None or not ids:
                    raise StoryNotFound(f"Story {sid!r} does not exist")
                members[sid] = ids
            if a == b:
                return a
            session.add(StoryCorrection(action="merge", report_id=members[a][0],
                                        other_report_id=members[b][0], by=actor))
            topic = session.get(Story, a).topic_id
            new_id = min(a, b)
            self._regroup(session, members[a] + members[b], new_id, topic, [a, b])
            self.record(session, actor, "merge_stories", "story", new_id,
                        before={"stories": [a, b]}, after={"story": new_id})
            return new_id

    def split_report(self, report_id: str, actor: str) -> str:
        """Give a report a story of its own; returns the new story's id (the
        report's id). Recorded as a StoryCorrection and audited. Raises ReportNotFound."""
        with self.session() as session:
            report = session.get(Report, report_id)
            if report is None:
                raise ReportNotFound(f"Report {report_id!r} does not exist")
            old = report.story_id
            session.add(StoryCorrection(action="split", report_id=report_id, by=actor))
            topic = session.get(Story, old).topic_id if old else None
            rest = sorted(session.scalars(select(Report.id).where(
                Report.story_id == old, Report.id != report_id))) if old else []
            if rest:
                self._regroup(session, rest, rest[0], topic, [old])
            self._regroup(session, [report_id], report_id, topic, [] if rest else [old])
            self.record(session, actor, "split_report", "report", report_id,
                        before={"story": old}, after={"story": report_id})
            return report_id

    def _regroup(self, session: Session, report_ids: list[str], story_id: str,
                 topic_id: str | None, old_ids: Iterable[str | None]) -> None:
        """Put ``report_ids`` in story ``story_id`` (created when missing), move
        claims of ``old_ids`` to it and drop old stories left empty."""
        session.flush()
        first = session.get(Report, min(report_ids))
        story = session.get(Story, story_id)
        if story is None:
            session.add(Story(id=story_id, title=first.title, topic_id=topic_id))
            session.flush()
        session.execute(update(Report).where(Report.id.in_(report_ids)).values(story_id=story_id))
        old = [o for o in old_ids if o and o != story_id]
        if old:
            session.execute(update(Claim).where(Claim.story_id.in_(old)).values(story_id=story_id))
            session.flush()
            for o in old:
                if session.scalar(select(Report.id).where(Report.story_id == o).limit(1)) is None:
                    session.execute(delete(Story).where(Story.id == o))

    # -- derived writes -------------------------------------------------------
    def save_clustering(self, labels: dict[str, tuple[str, str]]) -> dict:
        """Replace stories and topics with ``{report_id: (story_id, topic_id)}``.

        Claims follow their story: an old story's claims move to the new story
        of its lowest report. Returns counts {stories, topics}.
        """
        with self.session() as session:
            reports = {r.id: r for r in session.scalars(select(Report).where(Report.id.in_(list(labels))))}
            old_members: dict[str, list[str]] = {}
            for r in reports.values():
                if r.story_id:
                    old_members.setdefault(r.story_id, []).append(r.id)
            story_titles = self._titles(reports, labels, 0)
            topic_titles = self._titles(reports, labels, 1)
            story_topic = {s: t for s, t in labels.values()}
            session.execute(update(Report).where(Report.id.in_(list(labels))).values(story_id=None),
                            execution_options=NO_SYNC)
            session.flush()
            existing_topics = {t.id: t for t in session.scalars(select(Topic))}
            for tid in sorted(set(story_topic.values())):
                if tid in existing_topics:
                    existing_topics[tid].title = topic_titles[tid]
                else:
                    session.add(Topic(id=tid, title=topic_titles[tid]))
            existing = {s.id: s for s in session.scalars(select(Story))}
            session.flush()
            for sid, tid in sorted(story_topic.items()):
                if sid in existing:
                    existing[sid].title, existing[sid].topic_id = story_titles[sid], tid
                else:
                    session.add(Story(id=sid, title=story_titles[sid], topic_id=tid))
            session.flush()
            by_story: dict[str, list[str]] = {}
            for rid, (sid, _) in labels.items():
                by_story.setdefault(sid, []).append(rid)
            for sid, ids in by_story.items():
                session.execute(update(Report).where(Report.id.in_(ids)).values(story_id=sid),
                                execution_options=NO_SYNC)
            for old, ids in old_members.items():
                new = labels[min(ids)][0]
                if new != old:
                    session.execute(update(Claim).where(Claim.story_id == old).values(story_id=new),
                                    execution_options=NO_SYNC)
            session.flush()
            live = set(story_topic)
            for sid in existing:
                if sid not in live and session.scalar(
                        select(Report.id).where(Report.story_id == sid).limit(1)) is None:
                    session.execute(delete(Story).where(Story.id == sid))
            used = set(session.scalars(select(Story.topic_id).where(Story.topic_id.is_not(None))))
            session.execute(delete(Topic).where(Topic.id.not_in(used)) if used else delete(Topic))
        return {"stories": len(live), "topics": len(set(story_topic.values()))}

    @staticmethod
    def _titles(reports: dict[str, Report], labels: dict[str, tuple[str, str]],
                level: int) -> dict[str, str]:
        """Title of each story (level 0) or topic (level 1): its earliest report's.

        Story and topic ids share one namespace (lowest report id), so the two
        levels are titled separately: a lone report's story and the topic it
        heads have the same id and different titles.
        """
        groups: dict[str, list[Report]] = {}
        for rid, ids in labels.items():
            if rid in reports:
                groups.setdefault(ids[level], []).append(reports[rid])
        return {g: min(rs, key=_order).title for g, rs in groups.items()}

    def clustered_labels(self) -> dict[str, tuple[str, str]]:
        """{report_id: (story_id, topic_id)} for every report in a story."""
        with self.session() as session:
            return {rid: (sid, tid) for rid, sid, tid in session.execute(
                select(Report.id, Report.story_id, Story.topic_id)
                .join(Story, Story.id == Report.story_id))}

    def cluster_rows(self, report_ids: Iterable[str] | None = None) -> list[dict]:
        """What clustering reads of reports: {id, title, text, published,
        language_flagged}, by id; all reports when ``report_ids`` is None."""
        query = select(Report.id, Report.title, Report.text, Report.published,
                       Report.language_flagged).order_by(Report.id)
        ids = None if report_ids is None else list(report_ids)
        out: list[dict] = []
        with self.session() as session:
            chunks = [None] if ids is None else [ids[i:i + 500] for i in range(0, len(ids), 500)]
            for chunk in chunks:
                q = query if chunk is None else query.where(Report.id.in_(chunk))
                out.extend({"id": i, "title": t, "text": x, "published": p, "language_flagged": f}
                           for i, t, x, p, f in session.execute(q))
        return sorted(out, key=lambda r: r["id"])

    def add_vectors(self, vectors: dict, model: str) -> None:
        """Store sentence vectors ({text_hash: vector}) not stored yet (titles, issue #3)."""
        with self.session() as session:
            self._add_vectors(session, vectors, model)

    def vectors_for(self, text_hashes: list[str], model: str) -> dict:
        """{text_hash: vector} of stored sentence vectors under ``model``."""
        import numpy as np

        from lib.models import SentenceVector

        out = {}
        with self.session() as session:
            for i in range(0, len(text_hashes), 500):
                for h, blob in session.execute(select(SentenceVector.text_hash, SentenceVector.vector).where(
                        SentenceVector.model == model, SentenceVector.text_hash.in_(text_hashes[i:i + 500]))):
                    out[h] = np.frombuffer(blob, dtype=np.float32)
        return out
