"""Verification cues: what a report says about whether a claim is verified.

    "Euronews was unable to independently verify these claims"   -> unverified
    "Budanov confirmed that about 11,000 ..."                    -> confirmed
    "Pyongyang has dismissed ... as groundless rumors"           -> denied

Each cue kind is a short table of readable regular expressions (issue #4).
Traps are matched first and block any cue they overlap: "has neither confirmed
nor denied", "did not deny", "declined to comment", "was denied a visa" say
nothing about verification; "confirmed the meeting time" confirms no claim.
The actor is the grammatical subject of the cue's verb (spaCy parse).

Scope: a short cue sentence that points back ("these claims", "them") governs
the sentence before it as well as itself; any other cue governs its own
sentence. In seed 002 "Euronews was unable to independently verify these
claims." covers the partisans' Mariupol sighting before it, not the ISW's
Donetsk report after it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lib.claims import syntax
from lib.vocab import CUE_RANK as _RANK, summarise_cues as summarise  # noqa: F401  (cues.summarise)

# Weakest to strongest: a denial outweighs a confirmation, which outweighs an
# unverified cue (issue #4); the ranking itself lives in lib/vocab.py.
STATUSES = tuple(sorted(_RANK, key=_RANK.__getitem__))

_CONFIRM = r"(?:confirm|verify|verif|corroborat|authenticat)\w*"
_DENY = r"(?:den(?:y|ied|ies|ying)|dismiss\w*|reject\w*|refut\w*|disput\w*)"
_NEG = r"(?:not|n't|never|neither|nor)"
_CLAIMISH = (r"(?:allegations?|reports?|claims?|accusations?|charges?|rumou?rs?|suggestions?|"
             r"news|assertions?|speculation|figures?|information|statements?|accounts?)")
_FALSE = (r"(?:groundless|baseless|false|fake|untrue|absurd|nonsense|fabricat\w+|propaganda|"
          r"speculation|rumou?rs?|lies|a lie|not true|unfounded|a provocation|disinformation)")
# Things one confirms that are not claims ("confirmed the meeting time").
_LOGISTICS = (r"(?:meeting|time|date|schedule|appointment|venue|reservation|booking|receipt|"
              r"flight|trip|visit|attendance|itinerary|plans?|dinner|call|interview)")

# Phrases that look like cues but are not (issue #4's traps): status "none".
TRAPS: tuple[tuple[str, str], ...] = (
    ("neither confirmed nor denied", rf"\bneither\s+{_CONFIRM}\s+nor\s+{_DENY}|\bneither\s+{_DENY}\s+nor\s+{_CONFIRM}"),
    ("not confirmed or denied", rf"\b{_NEG}\s+(?:\w+\s+)?(?:{_CONFIRM}|{_DENY})\s+(?:or|nor)\s+(?:{_CONFIRM}|{_DENY})"),
    ("declined or refused", r"\b(?:declined|refused|declining|refusing|would\s+not|wouldn't|won't)\s+to\s+"
                            r"(?:comment|say|confirm|deny|discuss|elaborate)\w*(?:\s+(?:or|nor)\s+(?:confirm|deny)\w*)?"),
    ("did not deny", rf"\b(?:did|does|do|has|have|had|would|will|could|was|is|were|are)\s*{_NEG}\s+"
                     rf"(?:yet\s+|immediately\s+|explicitly\s+|publicly\s+|directly\s+)?{_DENY}"),
    ("not denied", rf"\b(?:never|not)\s+(?:been\s+)?{_DENY}"),
    ("was denied a visa", r"\b(?:was|were|is|are|been|be|being|got|get|gets)\s+denied\b(?!\s+by\b)"),
    ("denied bail", r"\bden(?:ied|ies|y|ying)\s+(?:him\s+|her\s+|them\s+|the\s+\w+\s+)?(?:bail|entry|access|"
                   r"permission|a\s+visa|visas?|asylum|parole|(?:the|a|an|his|her|their)\s+(?:request|application|appeal))\b"),
    ("confirmed the meeting", rf"\b{_CONFIRM}\s+(?:the\s+|a\s+|an\s+|their\s+|his\s+|her\s+|its\s+)?"
                              rf"(?:\w+\s+)?{_LOGISTICS}\b"),
)

UNVERIFIED: tuple[tuple[str, str], ...] = (
    ("unable to verify", rf"\b(?:unable|not\s+able|could\s*(?:not|n't)|can\s*(?:not|'t|n't)|did\s*(?:not|n't)|"
                         rf"has\s*(?:not|n't)\s+been\s+able|have\s*(?:not|n't)\s+been\s+able|impossible|"
                         rf"not\s+possible|difficult|hard|no\s+way)\s+(?:to\s+)?(?:immediately\s+)?"
                         rf"(?:independently\s+)?{_CONFIRM}"),
    ("could not be verified", r"\b(?:could|can|has|have|had|was|were|is|are|would)\s*(?:not|n't)\s+(?:yet\s+)?"
                              r"(?:immediately\s+)?(?:be(?:en)?\s+)?(?:independently\s+)?"
                              r"(?:verified|confirmed|corroborated|authenticated|checked)\b"),
    ("cannot be verified", r"\bcannot\s+(?:yet\s+)?(?:immediately\s+)?be\s+(?:independently\s+)?"
                           r"(?:verified|confirmed|corroborated|authenticated)\b"),
    ("remains unconfirmed", r"\b(?:unverified|unconfirmed|unsubstantiated|uncorroborated)\b"),
    ("working to confirm", rf"\b(?:working|seeking|trying|attempting|sought|tried|working\s+hard)\s+to\s+"
                           rf"(?:independently\s+)?{_CONFIRM}"),
    ("no independent confirmation", r"\b(?:no|without|lack\s+of)\s+(?:immediate\s+|official\s+)?(?:independent\s+)?"
                                    r"(?:confirmation|verification|corroboration)\b"),
    ("yet to be confirmed", rf"\b(?:yet\s+to\s+(?:be\s+)?(?:independently\s+)?{_CONFIRM})"),
    ("without evidence", r"\bwithout\s+(?:providing|offering|giving|presenting|citing)\s+(?:any\s+)?evidence\b"),
)

DENIED: tuple[tuple[str, str], ...] = (
    ("dismissed as", rf"\b(?:dismiss\w*|reject\w*|brand\w*|label\w*|call\w*|describ\w*|den\w*)\b[^.;]{{0,90}}?"
                     rf"\bas\s+(?:\w+\s+)?{_FALSE}"),
    ("called false", rf"\b(?:called|calling|calls|termed|branded|labell?ed|dubbed)\s+(?:the\s+|these\s+|such\s+|those\s+)?(?:\w+\s+){{0,3}}?{_FALSE}\b"),
    ("dismissed the reports", rf"\b(?:dismiss|reject|refut|rebuff|disput|deni|deny|denies)\w*\s+(?:the\s+|these\s+|"
                              rf"such\s+|those\s+|any\s+|all\s+|earlier\s+|western\s+)?(?:\w+\s+)?{_CLAIMISH}"),
    ("reports were false", rf"\b{_CLAIMISH}\s+(?:were|was|are|is)\s+(?:\w+\s+)?{_FALSE}"),
    ("denied", r"\b(?:denied|denies|deny|denying)\b"),
    ("denial", r"\bdenials?\b"),
)

CONFIRMED: tuple[tuple[str, str], ...] = (
    ("confirmed that", r"\b(?:confirm(?:ed|s|ing)?|verified|verifies|corroborated)\b(?:\s+to\s+[\w.]+(?:\s+\w+)?)?"
                       r"(?:\s+on\s+\w+)?\s+(?:that\b|the\s+|reports?\b|its\s+|his\s+|her\s+|their\s+|a\s+|an\s+|"
                       r"\d|about\b|some\b|at\s+least\b|more\s+than\b|what\b|how\b|this\b|these\b|it\b)"),
    ("was confirmed", r"\b(?:was|were|has\s+been|have\s+been|had\s+been|been|is|are)\s+(?:officially\s+|independently\s+|"
                      r"now\s+|also\s+)?(?:confirmed|verified|corroborated|authenticated)\b(?!\s+(?:cases?|deaths?))"),
    ("independently verified", r"\b(?:independently|officially)\s+(?:confirmed|verified|corroborated)\b"),
    ("verified by", r"\b(?:verified|authenticated|geolocated|corroborated)\s+by\s+"),
)

_TABLES = (("none", TRAPS), ("unverified", UNVERIFIED), ("denied", DENIED), ("confirmed", CONFIRMED))
_COMPILED = [(status, name, re.compile(rx, re.IGNORECASE)) for status, table in _TABLES
             for name, rx in table]

# A short sentence pointing back at what came before governs it (see the scope rule).
_REFERENT = rf"(?:{_CLAIMISH}|video|videos|footage|images?|photos?|pictures?|numbers?|details|toll|account)"
_BACK_REFERENCE = re.compile(
    rf"\b(?:these|those|this|the|such|that)\s+(?:\w+\s+)?{_REFERENT}\b|\b(?:them|it|this|these|those)\b",
    re.IGNORECASE)
SHORT_CUE_SENTENCE = 14  # words


@dataclass(frozen=True)
class Cue:
    """A verification cue in a text: ``phrase`` is exactly as written, at ``start``-``end``."""

    status: str
    actor: str | None
    phrase: str
    start: int
    end: int
    kind: str = ""

    def as_dict(self) -> dict:
        return {"status": self.status, "actor": self.actor, "phrase": self.phrase}


NO_CUE = {"status": "none", "actor": None, "phrase": None}


def find_cues(text: str, doc=None) -> list[Cue]:
    """Verification cues in ``text`` (a sentence or short passage), in order.

    ``doc`` is spaCy's parse of ``text``; when given, each cue's actor is the
    subject of its verb. Traps are not returned: they only block.
    """
    taken: list[tuple[int, int]] = []
    cues: list[Cue] = []
    for status, name, pattern in _COMPILED:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            if status == "confirmed" and _negated(text, m.start()):
                continue
            taken.append((m.start(), m.end()))
            if status != "none":
                actor = _actor(doc, m.start()) if doc is not None else None
                end = _phrase_end(text, m.end())
                cues.append(Cue(status, actor, text[m.start():end].strip(), m.start(), end, name))
    return sorted(cues, key=lambda c: c.start)


def _phrase_end(text: str, end: int) -> int:
    """Extend a cue's phrase over a short object ("verify" -> "verify these claims")."""
    tail = re.match(r"\s+(?:these|those|this|the|them|it|such)\b[^.;,:!?“”\"\d]*", text[end:])
    if tail and len(tail.group(0).split()) <= 3:
        return end + len(tail.group(0).rstrip())
    return end


def _negated(text: str, start: int) -> bool:
    return bool(re.search(r"\b(?:not|n't|never|no|unable|yet\s+to)\b[^.;,]{0,25}$", text[:start],
                          re.IGNORECASE))


def _actor(doc, char: int) -> str | None:
    token = syntax.token_at(doc, char)
    # Start from the cue's verb: the first verb at or after the phrase start.
    while token is not None and token.pos_ not in ("VERB", "AUX", "ADJ") and token.i + 1 < len(doc) \
            and token.idx - char < 40:
        token = doc[token.i + 1]
    subject = syntax.subject_of(token) if token is not None else None
    if subject is None or subject.pos_ == "PRON" and subject.lower_ in ("it", "this", "that"):
        return None
    return syntax.phrase(subject) or None


def summary(cues: list[Cue]) -> dict:
    """``{status, actor, phrase}`` of the strongest cue (the CLI's ``cue``), or NO_CUE."""
    if not cues:
        return dict(NO_CUE)
    strongest = max(cues, key=lambda c: (_RANK[c.status], -c.start))
    return strongest.as_dict()


def points_back(sentence: str) -> bool:
    """A short sentence whose cue refers back ("Euronews was unable to
    independently verify these claims."): it governs the sentence before and
    is not a claim itself."""
    return len(sentence.split()) <= SHORT_CUE_SENTENCE and bool(_BACK_REFERENCE.search(sentence))


def scope(sentences: list[str], idx: int) -> tuple[int, int]:
    """(first, last) sentence index a cue in sentence ``idx`` governs, inclusive.

    A short cue sentence that refers back governs the sentence before it too
    (:func:`points_back`); any other cue governs its own sentence only.
    """
    if idx > 0 and points_back(sentences[idx]):
        return idx - 1, idx
    return idx, idx
