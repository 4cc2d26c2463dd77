"""Sentence splitting with pysbd (``clean=False`` keeps character offsets
exact). pysbd keeps ``U.S.`` and quoted speech such as
``Putin replied: "The images are a serious thing."`` intact (issue #3)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Span:
    """A sentence and its character offsets in the report text."""

    text: str
    start: int
    end: int

    @property
    def words(self) -> int:
        return len(self.text.split())


@lru_cache(maxsize=4)
def _segmenter(language: str = "en"):
    import pysbd

    return pysbd.Segmenter(language=language, clean=False, char_span=True)


def split(text: str, language: str = "en") -> list[Span]:
    """Sentences of ``text`` in order, blank ones dropped, whitespace trimmed.

    Line breaks always end a sentence: a headline never runs into the body.
    """
    spans: list[Span] = []
    segmenter = _segmenter(language if language in _LANGS else "en")
    for line in re.finditer(r"[^\n]+", text):
        for piece in segmenter.segment(line.group(0)):
            raw = piece.sent
            stripped = raw.strip()
            if not stripped:
                continue
            start = line.start() + piece.start + (len(raw) - len(raw.lstrip()))
            spans.append(Span(stripped, start, start + len(stripped)))
    return spans


# pysbd's languages; others fall back to English rules.
_LANGS = {"en", "hi", "mr", "zh", "es", "am", "ar", "hy", "bg", "ur", "ru", "pl", "fa", "nl",
          "da", "fr", "my", "el", "it", "ja", "de", "kk", "sk"}


def normalise(text: str) -> str:
    """Whitespace-folded text, the key two identical sentences share."""
    return _SPACE.sub(" ", text).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()
