"""Which sentences are check-worthy claims: factual, checkable statements
(figures, events, attributed statements), not colour, questions or
boilerplate ("For more CNN news and newsletters create an account at CNN.com",
"Additional sources • ISW") (issue #4).

A transparent points score over a spaCy parse; the cut-off was chosen on
ClaimBuster at bench time (bench/bench_claims.py, bench/RESULTS.md).
"""
from __future__ import annotations

import re

from lib.claims.figures import find_figures
from lib.claims.speakers import REPORTING_VERBS

THRESHOLD = 1.5  # points; see bench/RESULTS.md "Claims"

BOILERPLATE = re.compile(
    r"^(?:for more\b.*\b(?:news|newsletters?)\b|additional (?:sources|reporting)\b|sign up\b|subscribe\b|"
    r"read more\b|follow us\b|click here\b|watch:|listen:|copyright\b|all rights reserved|"
    r"(?:source|details|background|related|update|editor's note)s?:\s*$|source:|\[.*\bed\.?\]$)",
    re.IGNORECASE)
# Opinion, hope and speculation: colour rather than a checkable claim.
OPINION = re.compile(
    r"\b(?:i think|i believe|i hope|we hope|let's|let us|i feel|in my (?:view|opinion)|should|must|"
    r"ought to|would like|wants? to|everyone sees|it's time|we will see|we'll see)\b",
    re.IGNORECASE)
_ENTITIES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"}
_NUMERIC = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL"}


def score(doc) -> float:
    """Points for one parsed sentence; >= THRESHOLD is check-worthy."""
    text = doc.text.strip()
    words = len(text.split())
    if words < 5 or text.endswith("?") or BOILERPLATE.search(text):
        return 0.0
    points = 0.0
    if find_figures(text):
        points += 2.0
    elif any(ent.label_ in _NUMERIC for ent in doc.ents):
        points += 1.0
    named = {ent.text for ent in doc.ents if ent.label_ in _ENTITIES}
    points += min(len(named), 3) * 0.5
    if any(t.lower_ in REPORTING_VERBS for t in doc):
        points += 0.5
    if any(t.tag_ in ("VBD", "VBN") for t in doc):
        points += 0.5
    if OPINION.search(text):
        points -= 1.5
    if any(t.lower_ in ("may", "might", "could", "would", "perhaps", "maybe") for t in doc):
        points -= 0.5
    if words > 60:
        points -= 0.5
    return points


def is_check_worthy(doc, threshold: float = THRESHOLD) -> bool:
    """True when the sentence is a factual, checkable claim (default cut-off THRESHOLD)."""
    return score(doc) >= threshold
