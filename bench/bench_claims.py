"""Measure the claims steps (issue #4) and rewrite the "Claims" section of
bench/RESULTS.md.

    FACTDESK_EVAL_DIR=../shared/eval .venv/bin/python bench/bench_claims.py

- check-worthiness: F1 on ClaimBuster (checkworthiness/), cut-off chosen by
  5-fold cross-validation, and the shipped cut-off;
- source detection: PolNeAR dev (attribution/): is the gold source found;
- claim matching: MRPC train (paraphrase/), cosine threshold by 5-fold CV,
  accuracy and F1 against the always-paraphrase baseline;
- cues: accuracy on our own labelled sentences (tests/data/cue_sentences.jsonl), and how
  the cue status of real headlines spreads over Emergent's stance labels (stance/), a proxy.

Eval data is read from FACTDESK_EVAL_DIR at run time and never copied.
"""
from __future__ import annotations

import csv
import json
import os
import platform
import re
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import cpu_name, write_section  # noqa: E402

from lib import embed, segment, settings as settings_module  # noqa: E402
from lib.claims import checkworthy, cues, nlp as nlp_module, speakers  # noqa: E402

EVAL = Path(os.environ.get("FACTDESK_EVAL_DIR") or "/work/shared/eval")
FOLDS = 5


def f1_acc(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float, float]:
    tp = int(((pred == 1) & (gold == 1)).sum())
    fp = int(((pred == 1) & (gold == 0)).sum())
    fn = int(((pred == 0) & (gold == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, float((pred == gold).mean()), precision, recall


def cross_validate(scores: np.ndarray, gold: np.ndarray, candidates: np.ndarray, metric: str,
                   seed: int = 0) -> tuple[list[float], list[tuple]]:
    """Per fold: the cut-off best on the other folds (by ``metric``), and its test scores."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(scores))
    folds = np.array_split(order, FOLDS)
    chosen, results = [], []
    for k in range(FOLDS):
        test = folds[k]
        train = np.concatenate([folds[j] for j in range(FOLDS) if j != k])
        index = 0 if metric == "f1" else 1
        best = max(candidates, key=lambda t: f1_acc((scores[train] >= t).astype(int), gold[train])[index])
        chosen.append(float(best))
        results.append(f1_acc((scores[test] >= best).astype(int), gold[test]))
    return chosen, results


def bench_checkworthiness(nlp) -> list[str]:
    path = EVAL / "checkworthiness" / "claimbuster_2.5xNCS.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    texts = [r["text"] for r in rows]
    gold = np.array([int(r["label"]) for r in rows])
    start = time.time()
    scores = np.array([checkworthy.score(doc) for doc in nlp.pipe(texts, batch_size=256)])
    seconds = time.time() - start
    chosen, results = cross_validate(scores, gold, np.arange(0, 5.01, 0.5), "f1")
    mean = np.mean(results, axis=0)
    shipped = f1_acc((scores >= checkworthy.THRESHOLD).astype(int), gold)
    always = f1_acc(np.ones_like(gold), gold)
    return [
        "### Check-worthiness (ClaimBuster, checkworthiness/claimbuster_2.5xNCS.csv)",
        "",
        f"{len(rows)} debate sentences, {int(gold.sum())} check-worthy. Score: lib/claims/checkworthy.py "
        f"(figures, named entities, reporting verbs, past tense; minus opinion and speculation); "
        f"{seconds:.0f} s for all sentences.",
        "",
        "| setting | F1 | accuracy | precision | recall |",
        "|---|---|---|---|---|",
        f"| 5-fold CV, cut-off chosen on the other folds (chosen: {sorted(set(chosen))}) | "
        f"{mean[0]:.3f} | {mean[1]:.3f} | {mean[2]:.3f} | {mean[3]:.3f} |",
        f"| shipped cut-off {checkworthy.THRESHOLD:g}, all sentences | {shipped[0]:.3f} | {shipped[1]:.3f} | "
        f"{shipped[2]:.3f} | {shipped[3]:.3f} |",
        f"| baseline: every sentence check-worthy | {always[0]:.3f} | {always[1]:.3f} | {always[2]:.3f} | "
        f"{always[3]:.3f} |",
        "",
    ]


def _overlaps(found: str | None, gold: str) -> bool:
    if not found:
        return False
    norm = lambda s: set(re.findall(r"[a-z0-9]+", s.lower())) - {"the", "a", "an", "of", "s"}  # noqa: E731
    return bool(norm(found) & norm(gold))


def bench_sources(nlp) -> list[str]:
    path = EVAL / "attribution" / "polnear_dev.jsonl"
    articles = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    total = in_sentence = found = attributed = 0
    no_attr = no_attr_quiet = 0
    start = time.time()
    for article in articles:
        text = article["text"]
        spans = segment.split(text)
        docs = list(nlp.pipe([s.text for s in spans]))
        g = speakers.gazetteer()
        resolved = speakers.speakers_of(docs, g)
        covered = set()
        for attribution in article["attributions"]:
            total += 1
            cue = (attribution.get("cue") or [{}])[0].get("offsets")
            source = (attribution.get("source") or [{}])[0].get("offsets")
            if not cue or not source:
                continue
            cue_start = cue[0][0]
            src_start, src_end = source[0]
            idx = next((i for i, s in enumerate(spans) if s.start <= cue_start < s.end), None)
            if idx is None:
                continue
            covered.add(idx)
            s = spans[idx]
            if not (s.start <= src_start < s.end):
                continue  # the source is named in another sentence
            in_sentence += 1
            gold = text[src_start:src_end]
            phrase, refers_back = speakers.find_speaker(docs[idx])
            name = resolved[idx].name if resolved[idx] else None
            if phrase:
                attributed += 1
            if _overlaps(phrase, gold) or _overlaps(name, gold):
                found += 1
        for i, doc in enumerate(docs):
            if i not in covered:
                no_attr += 1
                if speakers.find_speaker(doc)[0] is None:
                    no_attr_quiet += 1
    seconds = time.time() - start
    return [
        "### Source detection (PolNeAR dev, attribution/polnear_dev.jsonl)",
        "",
        f"{len(articles)} articles, {total} attributions; {in_sentence} name their source in the sentence "
        f"that holds their cue (the others resolve across sentences and are not scored here). "
        f"A source counts as found when the speaker phrase (or its normalised name) shares a content word "
        f"with the gold source span. {seconds:.0f} s.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| gold source found (recall, in-sentence attributions) | {found / max(in_sentence, 1):.3f} "
        f"({found}/{in_sentence}) |",
        f"| a speaker proposed for those sentences | {attributed / max(in_sentence, 1):.3f} |",
        f"| sentences without any attribution left without a speaker | {no_attr_quiet / max(no_attr, 1):.3f} "
        f"({no_attr_quiet}/{no_attr}) |",
        "",
    ]


def bench_matching() -> list[str]:
    path = EVAL / "paraphrase" / "msr_paraphrase_train.txt"
    with path.open(encoding="utf-8-sig") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh][1:]
    rows = [r for r in rows if len(r) == 5]
    gold = np.array([int(r[0]) for r in rows])
    settings = settings_module.load({})
    model = embed.load(settings)
    start = time.time()
    a = embed.encode(model, [r[3] for r in rows], settings.batch_size)
    b = embed.encode(model, [r[4] for r in rows], settings.batch_size)
    seconds = time.time() - start
    cosine = (a * b).sum(axis=1)
    candidates = np.arange(0.50, 0.951, 0.01)
    chosen_acc, res_acc = cross_validate(cosine, gold, candidates, "accuracy")
    chosen_f1, res_f1 = cross_validate(cosine, gold, candidates, "f1")
    m_acc, m_f1 = np.mean(res_acc, axis=0), np.mean(res_f1, axis=0)
    shipped = f1_acc((cosine >= settings.claim_threshold).astype(int), gold)
    always = f1_acc(np.ones_like(gold), gold)
    return [
        "### Claim matching (MRPC train, paraphrase/msr_paraphrase_train.txt)",
        "",
        f"{len(rows)} sentence pairs, {int(gold.sum())} paraphrases; all-MiniLM-L6-v2 cosine, "
        f"{2 * len(rows)} sentences encoded in {seconds:.0f} s. Threshold chosen on 4 folds, "
        f"scored on the 5th.",
        "",
        "| setting | accuracy | F1 | precision | recall |",
        "|---|---|---|---|---|",
        f"| 5-fold CV, threshold maximising accuracy (chosen {min(chosen_acc):.2f}–{max(chosen_acc):.2f}) | "
        f"{m_acc[1]:.3f} | {m_acc[0]:.3f} | {m_acc[2]:.3f} | {m_acc[3]:.3f} |",
        f"| 5-fold CV, threshold maximising F1 (chosen {min(chosen_f1):.2f}–{max(chosen_f1):.2f}) | "
        f"{m_f1[1]:.3f} | {m_f1[0]:.3f} | {m_f1[2]:.3f} | {m_f1[3]:.3f} |",
        f"| shipped FACTDESK_CLAIM_THRESHOLD {settings.claim_threshold:g}, all pairs | {shipped[1]:.3f} | "
        f"{shipped[0]:.3f} | {shipped[2]:.3f} | {shipped[3]:.3f} |",
        f"| baseline: always paraphrase | {always[1]:.3f} | {always[0]:.3f} | {always[2]:.3f} | "
        f"{always[3]:.3f} |",
        "",
    ]


# Batches of tests/data/cue_sentences.jsonl in file order: (first line, last line, what they are,
# first-sight score). First sight = scored before any pattern was changed for that batch; keep this
# table in step with the file (tests/test_cues.py's docstring lists the same line ranges).
CUE_BATCHES = (
    (1, 100, "patterns written against these", "—"),
    (101, 140, "written afterwards", "0.950 (38/40)"),
    (141, 299, "round 1: 159 wire-style sentences (AP/Reuters/AFP/BBC/CNN phrasing: wars, elections, "
               "health, business, courts)",
     "**0.836** (133/159: confirmed 31/36, denied 27/35, none 47/51, unverified 28/37)"),
    (300, 367, "round 2: 70 more, written after round 1 was fixed, as a check (the 2 left unfixed are "
               "not in the file)",
     "**0.800** (56/70: confirmed 14/15, denied 12/15, none 15/20, unverified 15/20)"),
    (368, 380, "regression probes written while fixing round 2 (not unseen)", "—"),
    (381, 580, "round 3: 200 wire-style sentences (AP, Reuters, AFP, BBC, CNN, Al Jazeera, Kyiv "
               "Independent, Guardian phrasing: war, elections, health, business, courts, disasters, tech)",
     "**0.860** (172/200: confirmed 42/45, denied 40/50, none 48/55, unverified 42/50)"),
    (581, 640, "round 3 check: 60 written after round 3 was fixed",
     "**0.833** (50/60: confirmed 13/15, denied 14/15, none 11/15, unverified 12/15)"),
    (641, 670, "regression probes written while fixing round 3 (not unseen)", "—"),
)
CUE_NOTES = (
    "First-sight misses keep being phrasings the tables did not have, not errors in the ones they did. "
    "Round 3's: long or reordered verification phrases (\"could not be immediately verified\", \"had not "
    "yet been able to verify\", \"not independently tested or verified\", \"have not been substantiated\", "
    "\"awaiting confirmation\", \"was verifying the claim\"); confirmations with a phrase before \"that\" "
    "(\"confirmed in a statement to Reuters that\") or a bare object (\"authenticated the recording\"); "
    "denials without a denial verb (\"the claims that ... were 'a lie'\", \"the findings were 'simply "
    "wrong'\", \"there was 'no truth' to reports\", \"'These are lies,'\", \"dismissed ... as forgeries\", "
    "\"disputes the death toll\", \"rejected the assessment\"); and other senses of deny/confirm "
    "(\"denied the administration's request\", \"denied more than a third of claims filed\", \"denying them "
    "one of the few ...\", \"denial-of-service\", \"confirmed its commitment\", \"confirm the diagnosis\"). "
    "Probing while fixing found common wire forms with no pattern at all: AP-style \"confirmed Monday "
    "that\" and clause-final \"..., a police spokesman confirmed.\" The round-3 check batch, written after "
    "those fixes, scored 0.833 on first sight (the same level as rounds 1 and 2) before its misses were "
    "fixed too (\"could not be geolocated\", \"no immediate way to confirm\", \"confirmed receiving\", "
    "\"figures circulating online were 'grossly exaggerated'\", \"would confirm the final figures\", "
    "\"denied 40,000 visa applications\", \"confirmed a $7 billion loan\"). One round-3 sentence labelled "
    "none at first (\"working to verify the identities of the victims\") was relabelled unverified to agree "
    "with an earlier line of the file; with that label the first-sight score is 0.865 (173/200). "
    "So the 0.96 goal is met on our own sentences but not shown on unseen ones: three independent batches "
    "scored 0.80–0.86 on first sight; expect about 0.85 on new phrasing."
)


def bench_cues(nlp) -> list[str]:
    path = ROOT / "tests" / "data" / "cue_sentences.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    oks: list[int] = []
    by_status: dict[str, list[int]] = {}
    for r in rows:
        got = cues.summary(cues.find_cues(r["text"], nlp(r["text"])))["status"]
        ok = int(got == r["status"])
        oks.append(ok)
        by_status.setdefault(r["status"], []).append(ok)
    per = ", ".join(f"{s} {sum(v)}/{len(v)}" for s, v in sorted(by_status.items()))
    table = ["| lines | batch | first sight | now |", "|---|---|---|---|"]
    for first, last, what, sight in CUE_BATCHES:
        part = oks[first - 1:last]
        now = f"{sum(part) / len(part):.3f} ({sum(part)}/{len(part)})" if part else "not in the file"
        table.append(f"| {first}–{last} | {what} | {sight} | {now} |")
    if len(rows) != CUE_BATCHES[-1][1]:
        table.append(f"| {CUE_BATCHES[-1][1] + 1}–{len(rows)} | not yet described in CUE_BATCHES | ? | "
                     f"{sum(oks[CUE_BATCHES[-1][1]:]) / max(1, len(rows) - CUE_BATCHES[-1][1]):.3f} |")
    return [
        "### Verification cues (our labelled sentences, tests/data/cue_sentences.jsonl)",
        "",
        f"{len(rows)} news-style sentences written for this project, with the issue's traps. "
        f"Accuracy **{sum(oks) / len(rows):.3f}** ({per}).",
        "",
        "How the set grew (file order), what each batch scored on first sight, before any pattern was "
        "changed for it, and what it scores now:",
        "",
        *table,
        "",
        CUE_NOTES,
        "",
    ]


def bench_cues_emergent() -> list[str]:
    """How the cue status of real headlines spreads over Emergent's stance labels (a proxy)."""
    path = EVAL / "stance" / "emergent_clean_train.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        status = cues.summary(cues.find_cues(r["articleHeadline"]))["status"]
        counts.setdefault(r["articleHeadlineStance"], dict.fromkeys(cues.STATUSES, 0))[status] += 1
    # The status each stance would most naturally carry, and what counts as consistent with it.
    expect = {"against": ("denied",), "observing": ("unverified", "none"), "for": ("confirmed", "none")}
    order = ("denied", "confirmed", "unverified", "none")
    table = ["| stance | headlines | " + " | ".join(order) + " | consistent share |",
             "|---|---|" + "---|" * len(order) + "---|"]
    with_cue = with_cue_fit = 0
    for stance in ("against", "observing", "for"):
        c = counts.get(stance, {})
        n = sum(c.values())
        if not n:
            continue
        fit = sum(c[s] for s in expect[stance])
        cued = n - c["none"]
        with_cue += cued
        with_cue_fit += sum(c[s] for s in expect[stance] if s != "none")
        table.append(f"| {stance} | {n} | " + " | ".join(f"{c[s] / n:.3f} ({c[s]})" for s in order)
                     + f" | {fit / n:.3f} ({' or '.join(expect[stance])}) |")
    return [
        "### Verification cues on real headlines (Emergent, stance/emergent_clean_train.csv)",
        "",
        f"{len(rows)} news headlines labelled for / against / observing a rumour; each row below is the "
        f"share of that stance's headlines given each cue status (the same cues.find_cues and summary "
        f"as the CLI). **A proxy, not accuracy**: the labels are a headline's stance towards a rumour, "
        f"not verification cues. Most headlines carry no cue at all, and an 'against' headline usually "
        f"states the negation in the outlet's own voice (\"X has not ...\", \"no, X did not ...\"), which "
        f"is not an actor's denial and reads none here; 'observing' headlines mostly hedge with "
        f"\"reportedly\", \"may\" or \"rumor\", which are none by design.",
        "",
        *table,
        "",
        f"Of the {with_cue} headlines that carry a cue, {with_cue_fit} "
        f"({with_cue_fit / max(1, with_cue):.3f}) have the status their stance suggests (against: denied, "
        f"observing: unverified, for: confirmed); most of the others are cues whose object is itself a "
        f"negation or a debunk (a source confirming that something did not happen, in an 'against' "
        f"headline; a denial of hoax claims, in a 'for' one) or denials reported by 'observing' headlines. "
        f"Before round 3's pattern changes the same run read 0.151 (46) of 'against' headlines as denied.",
        "",
    ]


def main() -> int:
    if not EVAL.is_dir():
        print(f"FACTDESK_EVAL_DIR must name the eval folder, got {str(EVAL)!r}", file=sys.stderr)
        return 1
    nlp = nlp_module.load()
    cpu = cpu_name()
    lines = [
        "## Claims",
        "",
        f"Command: `FACTDESK_EVAL_DIR=../shared/eval .venv/bin/python bench/bench_claims.py` ({date.today()}).",
        f"Machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
    ]
    lines += bench_cues(nlp)
    lines += bench_cues_emergent()
    lines += bench_checkworthiness(nlp)
    lines += bench_sources(nlp)
    lines += bench_matching()
    write_section("Claims", "\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
