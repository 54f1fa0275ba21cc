"""Model files: round trip, checksum and version checks, size limit, safe loading."""

import json

import numpy as np
import pytest

from inhouse.nlp.artifact import ModelFileError, load_model, save_model
from inhouse.nlp.classify import LinearTextModel, get_model


def _tiny_model(directory):
    header = {"kind": "binary", "classes": ["negative", "positive"],
              "features": {"ngram_min": 1, "ngram_max": 2, "n_bits": 10},
              "idf_default": 2.0, "version": "tiny-1"}
    feat = np.array([3, 17, 900], dtype=np.int64)
    arrays = {"feat_delta": np.diff(feat, prepend=0).astype(np.uint32),
              "idf": np.array([1.0, 1.5, 2.0], dtype=np.float16),
              "coef": np.array([[0.5, -1.0, 2.0]], dtype=np.float16),
              "intercept": np.array([0.1], dtype=np.float32)}
    save_model("tiny", header, arrays, directory)
    return arrays


def test_round_trip_gives_back_the_same_arrays(tmp_path):
    arrays = _tiny_model(tmp_path)
    header, loaded = load_model("tiny", tmp_path)
    assert header["format_version"] == 1 and header["version"] == "tiny-1"
    for key, value in arrays.items():
        np.testing.assert_array_equal(loaded[key], value)
    model = LinearTextModel.from_arrays(header, loaded)
    assert model.weight(17).tolist() == [-1.0] and model.weight(18).tolist() == [0.0]
    probs = model.predict_proba(["你好", ""])
    assert probs.shape == (2, 2) and np.allclose(probs.sum(axis=1), 1)


def test_gated_model_mixes_its_experts_by_the_gate(tmp_path):
    # feature ids 3 and 17 for the two texts below are found by hashing, not assumed
    from inhouse.nlp.features import FeatureSpec, hash_ngrams

    spec = FeatureSpec(1, 1, 10)
    post, review = (int(hash_ngrams([t], spec).indices[0]) for t in ("帖", "评"))
    feat = np.array(sorted({post, review}), dtype=np.int64)
    col = {f: i for i, f in enumerate(feat.tolist())}
    coef = np.zeros((3, feat.size), dtype=np.float16)
    coef[0, col[post]], coef[1, col[post]] = 4.0, -4.0  # posts expert: positive; reviews: negative
    coef[0, col[review]], coef[1, col[review]] = 4.0, -4.0
    coef[2, col[post]], coef[2, col[review]] = -8.0, 8.0  # gate: "评" reads as a review
    header = {"kind": "gated", "classes": ["negative", "positive"],
              "features": spec.__dict__, "idf_default": 1.0, "version": "gated-1"}
    save_model("gated", header, {"feat_delta": np.diff(feat, prepend=0).astype(np.uint32),
                                 "idf": np.ones(feat.size, dtype=np.float16), "coef": coef,
                                 "intercept": np.zeros(3, dtype=np.float32)}, tmp_path)
    model = LinearTextModel.from_arrays(*load_model("gated", tmp_path))
    p_post, p_review = model.predict_proba(["帖", "评"])[:, 1]
    assert p_post > 0.95 and p_review < 0.05


def test_damaged_file_fails_with_a_clear_error(tmp_path):
    _tiny_model(tmp_path)
    npz = tmp_path / "tiny.npz"
    blob = bytearray(npz.read_bytes())
    blob[-10] ^= 0xFF
    npz.write_bytes(bytes(blob))
    with pytest.raises(ModelFileError, match=r"tiny\.npz: checksum mismatch.*inhouse nlp train"):
        load_model("tiny", tmp_path)


def test_other_format_version_is_refused(tmp_path):
    _tiny_model(tmp_path)
    head = tmp_path / "tiny.json"
    header = json.loads(head.read_text())
    head.write_text(json.dumps({**header, "format_version": 99}))
    with pytest.raises(ModelFileError, match="format version 99"):
        load_model("tiny", tmp_path)


def test_missing_model_names_the_file(tmp_path):
    with pytest.raises(ModelFileError, match="missing.*nothere"):
        get_model("nothere", tmp_path)


def test_pickled_objects_are_not_loaded(tmp_path):
    _tiny_model(tmp_path)
    header = json.loads((tmp_path / "tiny.json").read_text())
    import hashlib
    import io

    buf = io.BytesIO()
    np.savez(buf, feat_delta=np.array([{"evil": 1}], dtype=object))
    (tmp_path / "tiny.npz").write_bytes(buf.getvalue())
    header["npz_sha256"] = hashlib.sha256(buf.getvalue()).hexdigest()
    (tmp_path / "tiny.json").write_text(json.dumps(header))
    with pytest.raises(ValueError, match="allow_pickle"):
        load_model("tiny", tmp_path)


def test_oversized_model_is_refused_before_writing(tmp_path):
    rng = np.random.default_rng(0)
    with pytest.raises(ModelFileError, match="over the 2 MB limit"):
        save_model("big", {"version": "x"}, {"w": rng.random(400_000)}, tmp_path)
    assert not (tmp_path / "big.npz").exists()


@pytest.mark.parametrize("name", ["sentiment", "emotion"])
def test_shipped_models_load_and_stay_under_2_mb(name):
    from inhouse.nlp.artifact import MODELS_DIR

    model = get_model(name)
    assert model.version.startswith(name)
    assert (MODELS_DIR / f"{name}.npz").stat().st_size < 2 * 1024 * 1024
    assert get_model(name) is model  # loaded once
