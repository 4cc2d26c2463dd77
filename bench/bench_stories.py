"""Stories and topics: quality on labelled event sets, order dependence, speed.

    FACTDESK_EVAL_DIR=../shared/eval .venv/bin/python bench/bench_stories.py [--quick] [--speed-only]

Rewrites the '## Stories' and '## Speed' sections of bench/RESULTS.md.
Eval data is read where FACTDESK_EVAL_DIR points (default /work/shared/eval)
and never copied: scaled-up inputs live in a temporary folder for the run.
"""
from __future__ import annotations

import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import cpu_name, write_section  # noqa: E402

from lib import cluster, embed, ingest, pipeline, settings as settings_module  # noqa: E402

EVAL = Path(os.environ.get("FACTDESK_EVAL_DIR") or "/work/shared/eval") / "story_clusters"
SETS = ("basil_triplets", "allsides_neus_val")


# -- metrics -----------------------------------------------------------------
def bcubed_f1(pred, gold) -> float:
    """B-cubed F1 of a clustering against gold labels."""
    pred, gold = np.asarray(pred, dtype=object), np.asarray(gold, dtype=object)
    precision, recall = [], []
    for i in range(len(pred)):
        same_pred, same_gold = pred == pred[i], gold == gold[i]
        both = (same_pred & same_gold).sum()
        precision.append(both / same_pred.sum())
        recall.append(both / same_gold.sum())
    p, r = float(np.mean(precision)), float(np.mean(recall))
    return 2 * p * r / (p + r)


def pairwise_f1(pred, gold) -> float:
    """F1 over all pairs of items: same cluster in both."""
    pred, gold = np.asarray(pred, dtype=object), np.asarray(gold, dtype=object)
    iu = np.triu_indices(len(pred), 1)
    sp = (pred[:, None] == pred[None, :])[iu]
    sg = (gold[:, None] == gold[None, :])[iu]
    tp = float((sp & sg).sum())
    return 2 * tp / (sp.sum() + sg.sum()) if (sp.sum() + sg.sum()) else 1.0


# -- floors ------------------------------------------------------------------
def average_link_best(sim: np.ndarray, gold, thresholds) -> tuple[float, float, float]:
    """(B-cubed F1, pairwise F1, threshold) of average-link at its best threshold."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = np.clip(1 - (sim + sim.T) / 2, 0, None)
    np.fill_diagonal(dist, 0)
    tree = linkage(squareform(dist, checks=False), method="average")
    best = (-1.0, 0.0, 0.0)
    for t in thresholds:
        labels = fcluster(tree, 1 - t, criterion="distance")
        f = bcubed_f1(labels, gold)
        if f > best[0]:
            best = (f, pairwise_f1(labels, gold), float(t))
    return best


def tfidf_floor(rows, gold):
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [f"{r.get('title') or ''}\n{r['text']}" for r in rows])
    return average_link_best((X @ X.T).toarray(), gold, np.arange(0.05, 0.8, 0.01))


def minilm_floor(rows, gold, model):
    old = model.max_seq_length
    model.max_seq_length = 256
    try:
        D = embed.encode(model, [f"{r.get('title') or ''}\n{r['text']}" for r in rows], 16)
    finally:
        model.max_seq_length = old
    return average_link_best(D @ D.T, gold, np.arange(0.3, 0.95, 0.01))


# -- ours --------------------------------------------------------------------
def items_of(rows) -> list:
    """(id, ReportInput) as `cluster` reads them; a report with empty text
    (one in NeuS val) reads its title as text, since ingest refuses empty text."""
    return [(r["id"], ingest.from_object(r["id"], {"text": r["text"].strip() or r["title"],
                                                   "title": r.get("title"), "date": r.get("date")},
                                         ingest.Meta())) for r in rows]


def incremental(docs, params, order, start: int = 0) -> dict:
    """{id: (story, topic)} after clustering ``order[:start]`` in full, then
    assigning the rest one by one in order."""
    arrived: list = list(order[:start])
    first = cluster.cluster(arrived, params).as_dict() if start else {}
    archive = cluster.Archive.of(arrived, first, params)
    for d in order[start:]:
        archive.assign(d, params)
    return archive.labels()


def bench_quality(st, model, quick: bool) -> list[str]:
    params = cluster.Params.from_settings(st)
    out = ["### Topic quality at default settings",
           "",
           f"Ours: `topic_threshold={st.topic_threshold}`, `topic_lexical={st.topic_lexical}`, "
           f"`topic_k={st.topic_k}`, `topic_days={st.topic_days}` (one setting for all sets), "
           "through `lib.pipeline.cluster_items`, the code `python -m lib cluster` runs. "
           "Floors: average-link at their best threshold per set (given in brackets).",
           "",
           "| set | reports | events | ours B-cubed F1 | ours pairwise F1 | TF-IDF floor B3 (pw, t) "
           "| MiniLM-256 floor B3 (pw, t) | our stories | one by one from empty: B3 | same as full "
           "| half clustered, rest one by one: B3 | same as full |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name in SETS:
        rows = [json.loads(line) for line in (EVAL / f"{name}.jsonl").read_text().splitlines() if line]
        gold = [r["cluster"] for r in rows]
        t0 = time.perf_counter()
        docs = pipeline.docs_for_items(items_of(rows), st, model)
        t1 = time.perf_counter()
        result = cluster.cluster(docs, params)
        t2 = time.perf_counter()
        labels = result.as_dict()
        topics = [labels[r["id"]][1] for r in rows]
        ours_b3, ours_pw = bcubed_f1(topics, gold), pairwise_f1(topics, gold)
        tf = tfidf_floor(rows, gold)
        ml = minilm_floor(rows, gold, model)
        inc = {}
        for mode, start in (("empty", 0), ("half", len(docs) // 2)):
            inc_f, same = [], []
            for seed in range(1 if quick else 2):
                order = docs[:]
                random.Random(seed).shuffle(order)
                for d in order:
                    d._vector = None
                got = incremental(docs, params, order, start)
                inc_f.append(bcubed_f1([got[r["id"]][1] for r in rows], gold))
                same.append(np.mean([got[k] == labels[k] for k in labels]))
            inc[mode] = (inc_f, same)
        print(name, "encode", round(t1 - t0, 1), "cluster", round(t2 - t1, 2), flush=True)
        out.append(
            f"| {name} | {len(rows)} | {len(set(gold))} | **{ours_b3:.3f}** | {ours_pw:.3f} "
            f"| {tf[0]:.3f} ({tf[1]:.3f}, {tf[2]:.2f}) | {ml[0]:.3f} ({ml[1]:.3f}, {ml[2]:.2f}) "
            f"| {len(set(result.story))} "
            + " ".join(f"| {min(f):.3f}–{max(f):.3f} | {min(m):.1%}–{max(m):.1%}" for f, m in
                       (inc["empty"], inc["half"])) + " |")
    out += ["",
            "*our stories*: stories found (near-duplicate versions); these sets hold independent "
            "coverage, so every merge is either a shared wire text or a false version. "
            "*one by one*: reports assigned one at a time (`assign_incremental`) in 2 shuffled "
            "orders, from an empty archive or after a full clustering of a random half; "
            "*same as full*: share of reports whose (story, topic) ids equal the full "
            "recompute's (ids are lowest report ids, so one misplaced report changes a whole "
            "group's id). Ingest therefore runs the full recompute when a batch is at least as "
            "large as the clustered archive (a first ingest), and `recluster` restores the "
            "order-free result at any time.", ""]
    return out


# -- speed -------------------------------------------------------------------
def bench_ingest_speed(st, model, n_reports: int, rounds: int = 3) -> list[str]:
    """Pipeline ingest throughput vs plain encode of the same sentences, same run."""
    from lib.store import Store

    rows = [json.loads(line) for line in (EVAL / "basil_triplets.jsonl").read_text().splitlines() if line]
    rows = rows[:n_reports]
    items = items_of(rows)
    sentences = [s.text for _, it in items for s in pipeline.prepare(it, st).sentences]
    embed.encode(model, sentences[:64])  # warm up
    plain, ingest_s, recluster_s = [], [], []
    # Interleaved rounds, best of each: other sessions share these cores.
    for _ in range(rounds):
        t0 = time.perf_counter()
        embed.encode(model, sentences, st.batch_size)
        plain.append(time.perf_counter() - t0)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "reports.jsonl"
            path.write_text("\n".join(json.dumps({"title": r["title"], "text": r["text"],
                                                   "date": r["date"], "outlet": r["source"]})
                                       for r in rows))
            store = Store.open(st.replace(database_url=f"sqlite:///{tmp}/bench.db"))
            pipe = pipeline.Pipeline(store, store.settings, model=model)
            pipe.extract_claims = lambda ids: None  # claims are issue #4's bench
            t0 = time.perf_counter()
            pipe.ingest_paths([path], actor="bench")
            ingest_s.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            pipe.recluster(actor="bench", claims=False)
            recluster_s.append(time.perf_counter() - t0)
            store.close()
    plain, ingest_s, recluster_s = min(plain), min(ingest_s), min(recluster_s)
    n = len(sentences)
    return [
        "### Ingest throughput vs plain encode (same sentences, same run)",
        "",
        f"{len(rows)} BASIL reports, {n} pysbd sentences ({len(set(sentences))} distinct). Pipeline = "
        "read JSONL, segment, language check, encode each distinct sentence once, store in SQLite, "
        f"assign stories and topics (titles encoded too); claim extraction switched off. Best of "
        f"{rounds} interleaved rounds.",
        "",
        "| step | seconds | sentences/s | ratio to plain encode |",
        "|---|---|---|---|",
        f"| plain `model.encode` (batch {st.batch_size}, max_seq_length {st.max_seq_length}) "
        f"| {plain:.1f} | {n / plain:.0f} | 1.00 |",
        f"| `Pipeline.ingest_paths` | {ingest_s:.1f} | {n / ingest_s:.0f} | {plain / ingest_s:.2f} |",
        f"| `recluster` (no re-encode) | {recluster_s:.1f} | – | – |",
        "",
    ]


def synthetic_docs(n: int, dim: int = 384, sentences: int = 8, seed: int = 0) -> list:
    """``n`` synthetic reports: events of 3 reports (one a version of another)
    over ~2 years, sentence vectors = event direction + noise."""
    rng = np.random.default_rng(seed)
    docs = []
    n_events = n // 3 + 1
    centres = rng.standard_normal((n_events, dim)).astype(np.float32)
    for i in range(n):
        e = i // 3
        base = centres[e] + 0.9 * rng.standard_normal((sentences, dim)).astype(np.float32)
        if i % 3 == 1:  # a version of the previous report: same sentences, lightly perturbed
            base = docs[-1].sentences * 3 + 0.1 * rng.standard_normal((sentences, dim)).astype(np.float32)
        rows = base / np.linalg.norm(base, axis=1, keepdims=True)
        docs.append(cluster.Doc(f"r{i:06d}", rows.astype(np.float32), np.full(sentences, 12), None,
                                f"event{e} report{i}", 730_000 + (e * 700) // n_events))
    return docs


def bench_scale(sizes) -> list[str]:
    out = ["### Clustering time, 1k -> 20k reports (synthetic vectors)",
           "",
           "Synthetic reports built at run time: 8 sentence vectors each (dim 384), events of 3 "
           "reports (one a near-copy) spread over two years; `lib.cluster.cluster` at default "
           "settings (candidate cap 30 neighbours, chunks of 1,024 rows). Time per 1k reports "
           "staying flat means linear growth.",
           "",
           "| reports | seconds | per 1k reports | stories | topics |",
           "|---|---|---|---|---|"]
    for n in sizes:
        docs = synthetic_docs(n)
        t0 = time.perf_counter()
        result = cluster.cluster(docs)
        seconds = time.perf_counter() - t0
        print("scale", n, round(seconds, 1), flush=True)
        out.append(f"| {n:,} | {seconds:.1f} | {seconds / n * 1000:.2f} | {len(set(result.story)):,} "
                   f"| {len(set(result.topic)):,} |")
    return out + [""]


# -- output --------------------------------------------------------------------
def main() -> int:
    quick = "--quick" in sys.argv
    if not EVAL.is_dir():
        print(f"FACTDESK_EVAL_DIR must name the eval folder (holding story_clusters/), got {str(EVAL)!r}",
              file=sys.stderr)
        return 1
    st = settings_module.load()
    model = embed.load(st)
    cpu = cpu_name()
    import torch

    head = [f"Command: `FACTDESK_EVAL_DIR=../shared/eval .venv/bin/python bench/bench_stories.py` "
            f"({date.today()}).",
            f"Machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"torch {torch.__version__} ({torch.get_num_threads()} threads), all-MiniLM-L6-v2 fp32; "
            f"load average at start {os.getloadavg()[0]:.1f} (other sessions share the cores, so "
            "compare ratios measured in the same run rather than absolute seconds).",
            ""]
    if "--speed-only" not in sys.argv:
        stories = ["## Stories", ""] + head + bench_quality(st, model, quick)
        write_section("Stories", "\n".join(stories))
        print("\n".join(stories), flush=True)
    speed = (["## Speed", ""] + head + bench_ingest_speed(st, model, 30 if quick else 90)
             + bench_scale([1000, 2000] if quick else [1000, 2000, 5000, 10000, 20000]))
    write_section("Speed", "\n".join(speed))
    print("\n".join(speed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
