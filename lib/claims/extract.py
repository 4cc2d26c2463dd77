"""One report -> its claims: check-worthy sentences with speaker, figures and
the verification cues that govern them (issue #4).

    result = extract_sentences(["...", "..."], report_date=date(2024, 10, 17))
    result.claims[0].as_dict()  # {text, speaker, figures, cue, sentence_index}

Sentences are the ones lib.segment gives, so ``sentence_index`` is the index
the store uses. The sentence model is not needed here; spaCy is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from lib import segment
from lib.claims import checkworthy, cues as cues_module, figures as figures_module, nlp as nlp_module
from lib.claims.cues import Cue
from lib.claims.figures import Figure
from lib.claims.speakers import Gazetteer, Source, gazetteer as default_gazetteer, speakers_of

if TYPE_CHECKING:  # assemble imports this module; at run time Unit is imported late
    from lib.claims.assemble import Unit


@dataclass(frozen=True)
class ScopedCue:
    """A cue in sentence ``sentence_index`` governing sentences ``scope_start``..``scope_end``."""

    cue: Cue
    sentence_index: int
    scope_start: int
    scope_end: int


@dataclass
class ExtractedClaim:
    """One check-worthy sentence of one report."""

    text: str
    sentence_index: int
    source: Source | None
    figures: list[Figure]
    cues: list[ScopedCue]
    stated_on: date | None = None

    @property
    def speaker(self) -> str | None:
        return self.source.name if self.source else None

    @property
    def cue(self) -> dict:
        """The summary cue: the strongest of the cues governing this sentence."""
        return cues_module.summary([c.cue for c in self.cues])

    def as_dict(self) -> dict:
        """The ``extract`` CLI's JSON line: {text, speaker, figures, cue, sentence_index}."""
        return {"text": self.text, "speaker": self.speaker,
                "figures": [f.as_dict() for f in self.figures],
                "cue": self.cue, "sentence_index": self.sentence_index}


@dataclass
class Extraction:
    sentences: list[str]
    claims: list[ExtractedClaim] = field(default_factory=list)
    cues: list[ScopedCue] = field(default_factory=list)


def _source(found: Source | None, own_cues: list[ScopedCue], gazetteer: Gazetteer) -> Source | None:
    """Who denies or confirms in a sentence is its source ("..., Pyongyang has dismissed ...")."""
    actors = [c.cue.actor for c in own_cues if c.cue.status in ("denied", "confirmed") and c.cue.actor]
    return gazetteer.normalise(actors[0]) if actors else found


def extract_text(text: str, *, report_date: date | None = None, language: str = "en",
                 nlp=None, gazetteer: Gazetteer | None = None) -> Extraction:
    """Claims of a report's text, split into sentences by lib.segment."""
    sentences = [span.text for span in segment.split(text, language)]
    return extract_sentences(sentences, report_date=report_date, nlp=nlp, gazetteer=gazetteer)


MAX_SENTENCE_CHARS = 5_000
MAX_WORD_CHARS = 200
_LONG_RUN = re.compile(r"\S{%d}" % (MAX_WORD_CHARS + 1))


def _readable(sentence: str) -> bool:
    """False for text no reader would call a sentence: too long, or holding a
    'word' over MAX_WORD_CHARS characters (binary-ish or hostile input)."""
    return len(sentence) <= MAX_SENTENCE_CHARS and not _LONG_RUN.search(sentence)


def extract_sentences(sentences: list[str], *, report_date: date | None = None,
                      nlp=None, gazetteer: Gazetteer | None = None) -> Extraction:
    """Claims of a report given as its sentences, in order.

    ``nlp`` defaults to the shared spaCy model and ``gazetteer`` to the shipped
    sources plus FACTDESK_SOURCES_FILE.
    """
    nlp = nlp or nlp_module.load()
    if gazetteer is None:
        from lib import settings

        gazetteer = default_gazetteer(settings.get().sources_file)
    # Hostile input (issue #6): spaCy's tokenizer is quadratic in the length of
    # a whitespace-free run ("((((...", '{"a":{"a":...'), minutes for 100 KB.
    # Such sentences are no claims; spaCy reads an empty string in their place.
    readable = [_readable(s) for s in sentences]
    docs = list(nlp.pipe([s if ok else "" for s, ok in zip(sentences, readable)]))
    sources = speakers_of(docs, gazetteer)
    result = Extraction(sentences=list(sentences))
    for idx, doc in enumerate(docs):
        if not readable[idx]:
            continue
        for cue in cues_module.find_cues(sentences[idx], doc):
            start, end = cues_module.scope(sentences, idx)
            result.cues.append(ScopedCue(cue, idx, start, end))
    for idx, doc in enumerate(docs):
        if not readable[idx]:
            continue
        text = sentences[idx]
        own_cues = [c for c in result.cues if c.sentence_index == idx]
        if own_cues and cues_module.points_back(text) and all(c.scope_start < idx for c in own_cues):
            continue  # "Euronews was unable to independently verify these claims." is about the claim before
        if not checkworthy.is_check_worthy(doc) and not own_cues:
            continue
        governing = [c for c in result.cues if c.scope_start <= idx <= c.scope_end]
        result.claims.append(ExtractedClaim(
            text=text, sentence_index=idx, source=_source(sources[idx], own_cues, gazetteer),
            figures=figures_module.find_figures(text), cues=governing,
            stated_on=figures_module.statement_date(text, report_date) or report_date,
        ))
    return result


def units(result: Extraction, report_id: str) -> list[Unit]:
    """The claims of one report as units for lib.claims.assemble (one per claim sentence)."""
    from lib.claims.assemble import Unit

    out = []
    for claim in result.claims:
        strongest = max(claim.cues, key=lambda c: cues_module.STATUSES.index(c.cue.status), default=None)
        summary = claim.cue
        out.append(Unit(
            report_id=report_id, sentence_index=claim.sentence_index, text=claim.text,
            speaker=claim.speaker, speaker_key=claim.source.key if claim.source else None,
            speaker_known=bool(claim.source and claim.source.kind != "other"),
            figures=claim.figures, cue_status=summary["status"], cue_actor=summary["actor"],
            cue_phrase=summary["phrase"],
            cue_sentence_index=strongest.sentence_index if strongest else None,
            stated_on=claim.stated_on,
        ))
    return out
