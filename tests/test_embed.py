"""The model is found offline, verified before use, and encodes (issue #3)."""
import os
import shutil

import numpy as np
import pytest

from lib import embed, settings
from lib.errors import ModelError


def test_default_weights_match_the_upstream_hash():
    path = embed.model_path(settings.load({}))
    assert embed.sha256_file(path / "model.safetensors") == embed.DEFAULT_MODEL_SHA256


def test_tampered_weights_are_refused(tmp_path):
    src = embed.model_path(settings.load({}))
    fake = tmp_path / "model"
    shutil.copytree(src, fake)
    with (fake / "model.safetensors").open("r+b") as fh:
        fh.seek(1000)
        fh.write(b"\x00\x01\x02\x03")
    s = settings.load({}, model=str(fake), model_sha256=embed.DEFAULT_MODEL_SHA256)
    with pytest.raises(ModelError) as err:
        embed.load(s)
    assert str(err.value).startswith(f"{fake / 'model.safetensors'} has sha256 ")
    assert f"expected {embed.DEFAULT_MODEL_SHA256}" in str(err.value)


def test_missing_model_folder_names_the_setting(tmp_path):
    with pytest.raises(ModelError, match="FACTDESK_MODEL must be a folder"):
        embed.model_path(settings.load({}, model=str(tmp_path / "nope")))


def test_loading_sets_offline_mode(model):
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"


def test_encode_gives_unit_vectors_and_similar_sentences_are_close(model):
    v = embed.encode(model, ["North Korea sent 12,000 troops to Russia.",
                             "Pyongyang has dispatched 12,000 soldiers to Russia.",
                             "The recipe needs two eggs and some flour."])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    assert v[0] @ v[1] > 0.7 > 0.2 > v[0] @ v[2]
    assert embed.encode(model, []).shape == (0, 384)


def test_model_is_loaded_once_per_process(model):
    assert embed.load(settings.load({})) is model
