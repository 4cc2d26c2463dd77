"""The data's way: ingest -> segment -> embed -> store -> cluster -> extract.

This module strings the steps together; each step is its own module and the
store alone talks SQL (../shared/STYLE.md).

    results = ingest_paths(store, ["seeds"], actor="cli")   # files -> reports
    process_pending(store)                                  # stories, claims

``ingest_paths`` stores each file's reports, sentences and sentence vectors
in one transaction, then derives stories and claims for the new reports.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from lib import embed, ingest, segment
from lib.errors import UnsupportedFile
from lib.ingest import FileResult, Meta, ReportInput
from lib.settings import Settings

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (done, total, current file name)


@dataclass
class Prepared:
    """A report read, segmented and language-checked, ready to store."""

    item: ReportInput
    content_hash: str
    language: str | None
    flagged: bool
    sentences: list[segment.Span]

    def as_store_dict(self) -> dict:
        return {
            "outlet": self.item.outlet, "url": self.item.url, "title": self.item.title,
            "published": self.item.published, "text": self.item.text,
            "language": self.language, "language_flagged": self.flagged,
            "content_hash": self.content_hash, "source_path": self.item.source_path,
            "sentences": [(s.text, s.start, s.end, segment.text_hash(s.text)) for s in self.sentences],
        }


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` by py3langid; None when there is too little text."""
    if len(text.split()) < 3:
        return None
    import py3langid

    return py3langid.classify(text)[0]


def prepare(item: ReportInput, settings: Settings) -> Prepared:
    language = detect_language(item.text)
    return Prepared(
        item=item,
        content_hash=segment.text_hash(item.text),
        language=language,
        flagged=language is not None and language != settings.model_language,
        sentences=segment.split(item.text, language or "en"),
    )


class Pipeline:
    """Ingest and derive with one settings object and a lazily loaded model."""

    def __init__(self, store, settings: Settings | None = None, model=None):
        self.store = store
        self.settings = settings or store.settings
        self._model = model

    @property
    def model(self):
        if self._model is None:
            self._model = embed.load(self.settings)
        return self._model

    @property
    def model_name(self) -> str:
        return embed.model_name(self.settings)

    # -- ingest -------------------------------------------------------------
    def ingest_paths(self, paths: Iterable[str | Path], *, actor: str = "cli",
                     progress: Progress | None = None) -> list[FileResult]:
        """Ingest files and folders; one FileResult per file, in order."""
        files = ingest.expand(paths)
        manifests: dict[Path, dict[str, Meta]] = {}
        jobs: list[tuple[str, Callable[[], list[ReportInput]]]] = []
        for path in files:
            folder = path.parent
            if folder not in manifests:
                try:
                    manifests[folder] = ingest.read_manifest(folder)
                except UnsupportedFile as exc:
                    log.warning("%s", exc)
                    manifests[folder] = {}
            meta = manifests[folder].get(path.name)
            jobs.append((str(path), lambda p=path, m=meta: ingest.read_file(
                p, m, self.settings.max_file_bytes)))
        return self._ingest_jobs(jobs, actor=actor, progress=progress)

    def ingest_uploads(self, uploads: Iterable[tuple[str, bytes]], *, actor: str,
                       progress: Progress | None = None) -> list[FileResult]:
        """Ingest in-memory files (name, bytes), as the dashboard's upload gives them."""
        jobs = [(name, lambda n=name, d=data: ingest.read_bytes(n, d, None, self.settings.max_file_bytes))
                for name, data in uploads]
        return self._ingest_jobs(jobs, actor=actor, progress=progress)

    def ingest_items(self, items: list[ReportInput], *, name: str, actor: str) -> FileResult:
        """Ingest reports built in memory (a pasted report) as one file."""
        return self._ingest_jobs([(name, lambda: items)], actor=actor)[0]

    def _ingest_jobs(self, jobs, *, actor: str, progress: Progress | None = None) -> list[FileResult]:
        results: list[FileResult] = []
        for done, (name, read) in enumerate(jobs):
            if progress:
                progress(done, len(jobs), name)
            results.append(self._ingest_one(name, read, actor))
        if progress:
            progress(len(jobs), len(jobs), "")
        if any(r.status == "added" for r in results):
            self.process_pending(worker=f"ingest:{actor}")
        return results

    def _ingest_one(self, name: str, read: Callable[[], list[ReportInput]], actor: str) -> FileResult:
        try:
            items = read()
            prepared = [prepare(item, self.settings) for item in items]
            vectors = self._encode_missing(prepared)
            outcomes = self.store.add_file([p.as_store_dict() for p in prepared], vectors,
                                           self.model_name, actor)
        except UnsupportedFile as exc:
            return FileResult(name, "rejected", str(exc))
        except (RecursionError, MemoryError) as exc:
            return FileResult(name, "rejected", f"{name}: cannot be read ({exc.__class__.__name__})")
        status = "added" if any(s == "added" for s, _ in outcomes) else "present"
        return FileResult(name, status, None, [rid for _, rid in outcomes])

    def _encode_missing(self, prepared: list[Prepared]) -> dict:
        """Vectors for sentences never encoded before: each text is encoded once."""
        known = self.store.known_hashes(p.content_hash for p in prepared)
        texts: dict[str, str] = {}
        for p in prepared:
            if p.content_hash in known:
                continue
            for s in p.sentences:
                texts.setdefault(segment.text_hash(s.text), s.text)
        missing = self.store.missing_vectors(texts, self.model_name)
        if not missing:
            return {}
        hashes = sorted(missing)
        vectors = embed.encode(self.model, [texts[h] for h in hashes], self.settings.batch_size)
        return dict(zip(hashes, vectors))

    # -- derive -------------------------------------------------------------
    def process_pending(self, worker: str = "worker", batch: int = 200) -> int:
        """Derive stories and claims for every unprocessed report; returns how many.

        Reports are taken from the store's queue, so several workers can run
        this at once against PostgreSQL without taking the same report.
        """
        total = 0
        while ids := self.store.take_pending(worker, limit=batch):
            try:
                self.derive(ids)
            except Exception:
                self.store.release(ids)
                raise
            self.store.mark_processed(ids)
            total += len(ids)
        return total

    def derive(self, report_ids: list[str]) -> None:
        """Derived data for newly stored reports: stories and topics, then claims
        (of their topics only, unless the stories were recomputed everywhere)."""
        recomputed = self.assign_stories(report_ids)
        self.extract_claims(report_ids, everywhere=recomputed)

    def assign_stories(self, report_ids: list[str]) -> bool:
        """Stories and topics for new reports, without re-clustering the archive
        (issue #3): each new report, in id order, joins a story/topic or opens
        new ones (lib.cluster.Archive.assign). Returns True when it recomputed
        every story instead (a first ingest), so topics may differ anywhere."""
        from lib import cluster

        new = set(report_ids)
        docs, flagged = self._cluster_docs()
        labels = {rid: st for rid, st in self.store.clustered_labels().items() if rid not in new}
        if len(new) >= len(labels):
            # As many new reports as clustered ones (a first ingest): one at a
            # time would order-depend most here, and the full recompute is cheap.
            self.recluster(actor="ingest", docs=(docs, flagged), claims=False)  # claims follow in derive()
            return True
        params = cluster.Params.from_settings(self.settings)
        before = dict(labels)
        archive = cluster.Archive.of([d for d in docs if d.id in labels], labels, params)
        for d in sorted((d for d in docs if d.id in new), key=lambda d: d.id):
            if d.id in flagged:  # another language: the model cannot read it (issue #2)
                labels[d.id] = (d.id, d.id)
            else:
                archive.assign(d, params)
        labels.update(archive.labels())
        labels = cluster.keep_splits(before, labels, self.store.story_corrections())
        self.store.save_clustering(labels)
        return False

    def recluster(self, actor: str = "cli", docs=None, claims: bool = True) -> dict:
        """Full recompute of stories and topics from stored vectors (no re-encode
        of sentences), replaying editors' merges/splits; audited as ``actor``.

        With ``claims`` (default), claims are then regrouped from their stored
        appearances, since one claim is matched across the reports of a topic
        and the topics may have changed. Editors' data stays attached."""
        from lib import cluster

        docs, flagged = docs or self._cluster_docs()
        corrections = self.store.story_corrections()
        result = cluster.cluster([d for d in docs if d.id not in flagged],
                                 cluster.Params.from_settings(self.settings), corrections)
        labels = result.as_dict()
        labels.update({rid: (rid, rid) for rid in flagged})
        summary = self.store.save_clustering(labels)
        summary["corrections"] = len(corrections)
        with self.store.session() as session:
            self.store.record(session, actor, "recluster", "story", None, after=summary)
        if claims:
            self.extract_claims([])
        return summary

    def _cluster_docs(self):
        """Every stored report as a lib.cluster.Doc, from stored sentence vectors;
        titles are encoded once and stored like sentences. Returns (docs, flagged ids)."""
        rows = self.store.cluster_rows()
        loaded = self.store.sentence_vectors([r["id"] for r in rows], self.model_name)
        titles = {segment.text_hash(r["title"]): r["title"] for r in rows
                  if has_own_title(r["title"], r["text"])}
        missing = self.store.missing_vectors(titles, self.model_name)
        if missing:
            hashes = sorted(missing)
            self.store.add_vectors(dict(zip(hashes, embed.encode(
                self.model, [titles[h] for h in hashes], self.settings.batch_size))), self.model_name)
        title_vectors = self.store.vectors_for(list(titles), self.model_name) if titles else {}
        docs = []
        for r in rows:
            sentences, matrix = loaded[r["id"]]
            item = ingest.ReportInput(text=r["text"], title=r["title"], published=r["published"])
            vectors = {segment.text_hash(s["text"]): v for s, v in zip(sentences, matrix)}
            vectors.update(title_vectors)
            docs.append(doc_for(r["id"], item, [s["text"] for s in sentences], vectors))
        return docs, {r["id"] for r in rows if r["language_flagged"]}

    def extract_claims(self, report_ids: list[str], everywhere: bool = True) -> None:
        """Claims, cues and figures for new reports, then claims across reports (issue #4):
        regrouped in every topic, or (``everywhere=False``) in the new reports' topics.

        Reports flagged as not in the model's language are not read for claims.
        """
        from lib.claims import extract

        new_units, new_cues = {}, {}
        for report_id in report_ids:
            report = self.store.report(report_id)
            if report.get("language_flagged") or report.get("superseded_by"):
                new_units[report_id], new_cues[report_id] = [], []
                continue
            published = date.fromisoformat(report["date"]) if report.get("date") else None
            result = extract.extract_sentences([s["text"] for s in report["sentence_list"]],
                                               report_date=published)
            new_units[report_id] = extract.units(result, report_id)
            new_cues[report_id] = result.cues
        self.store.replace_claims(new_units, new_cues, model=self.model_name,
                                  everywhere=everywhere or not new_units, build=self._claims_build())

    def _claims_build(self):
        """lib.claims.assemble.assemble with this pipeline's settings, as the store's regroup calls it."""
        from lib.claims import assemble
        from lib.claims.speakers import gazetteer

        threshold = self.settings.claim_threshold
        compatible = gazetteer(self.settings.sources_file).compatible
        return lambda units, vectors, joinable=None: assemble.assemble(
            units, vectors, threshold=threshold, compatible=compatible, joinable=joinable)

    # -- editors' story corrections ------------------------------------------
    def merge_stories(self, a: str, b: str, actor: str) -> str:
        """An editor's merge of stories ``a`` and ``b``; returns the merged story's id.

        The store records and audits the merge (replayed by every recompute).
        When the two stories were in different topics, their claims now meet:
        they are regrouped at once in both topics, and two claims carrying
        editors' work that the merge brought together are joined by the store's
        audited join, as ``actor``, keeping every verdict (issue #9). No
        recompute joins marked claims on its own: this is the only way they
        meet. Two transactions: should the regroup fail, the stories stay
        merged and the claims apart, nothing lost. Raises StoryNotFound.
        """
        from lib.claims.assemble import EditorsMerge

        before = self.store.clustered_labels()
        scope_of = {sid: tid or sid for sid, tid in before.values()}
        scope_a, scope_b = scope_of.get(a, a), scope_of.get(b, b)
        merged = self.store.merge_stories(a, b, actor)
        if scope_a == scope_b:
            return merged  # one topic already: its claims were matched across both stories
        sides = tuple(frozenset(rid for rid, (sid, tid) in before.items() if (tid or sid) == scope)
                      for scope in (scope_a, scope_b))
        after = {sid: tid or sid for sid, tid in self.store.clustered_labels().values()}
        self.store.replace_claims({}, {}, model=self.model_name, build=self._claims_build(),
                                  everywhere=False, scopes={scope_a, scope_b, after.get(merged, merged)},
                                  merge=EditorsMerge(by=actor, sides=sides))
        return merged


# -- clustering stage (issue #3) ----------------------------------------------
def has_own_title(title: str | None, body: str) -> bool:
    """True when the title says something: not empty, not derived from the opening words."""
    return bool(title) and title != ingest.derive_title(body)


def cluster_items(items: list[tuple[str, ReportInput]], settings: Settings, model,
                  corrections: Iterable[tuple[str, str, str | None]] = ()):
    """Stories and topics of ``(id, report)`` pairs as if ingested into an
    empty store: same segmentation, one encode per distinct sentence or title,
    same :func:`lib.cluster.cluster` and settings. Returns a Clustering.
    Used by ``python -m lib cluster`` and bench/bench_stories.py.
    """
    from lib import cluster

    return cluster.cluster(docs_for_items(items, settings, model),
                           cluster.Params.from_settings(settings), corrections)


def docs_for_items(items: list[tuple[str, ReportInput]], settings: Settings, model) -> list:
    """lib.cluster.Docs of ``(id, report)`` pairs, each distinct sentence and title encoded once."""
    prepared = [(rid, prepare(item, settings)) for rid, item in items]
    texts: dict[str, str] = {}
    for _, p in prepared:
        for s in p.sentences:
            texts.setdefault(segment.text_hash(s.text), s.text)
        if has_own_title(p.item.title, p.item.text):
            texts.setdefault(segment.text_hash(p.item.title), p.item.title)
    hashes = sorted(texts)
    vectors = dict(zip(hashes, embed.encode(model, [texts[h] for h in hashes], settings.batch_size)))
    return [doc_for(rid, p.item, [s.text for s in p.sentences], vectors) for rid, p in prepared]


def doc_for(report_id: str, item, sentences: list[str], vectors: dict):
    """A lib.cluster.Doc from a report (ReportInput-like: title, text,
    published) and ``{text_hash: vector}`` holding its sentences (and title)."""

    from lib import cluster

    rows = [vectors[segment.text_hash(s)] for s in sentences]
    dim = len(next(iter(vectors.values()))) if vectors else 0
    matrix = np.vstack(rows) if rows else np.zeros((0, dim), dtype=np.float32)
    title_vector = (vectors.get(segment.text_hash(item.title))
                    if has_own_title(item.title, item.text) else None)
    return cluster.make_doc(report_id, sentences, matrix, title=item.title or "",
                            title_vector=title_vector, body=item.text,
                            day=cluster.day_of(item.published))
