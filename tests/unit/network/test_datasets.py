"""Data sets of the network layer (spinaps.network.datasets)."""

import gzip
import importlib.util
import struct

import numpy as np
import pytest

from spinaps.network import har
from spinaps.network.datasets import HAR_CLIP_PERCENTILE, HAR_FEATURES, load, load_idx, unit_scale


def _write_idx(path, array, *, gz=False, type_code=0x08):
    head = bytes([0, 0, type_code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    data = head + array.astype(np.uint8).tobytes()
    (gzip.open if gz else open)(path, "wb").write(data)


def test_embedded_mnist_is_the_documented_split():
    ds = load("mnist")
    assert ds.x_train.shape == (8000, 784) and ds.x_test.shape == (2000, 784)
    assert float(ds.x_train.min()) == 0.0 and float(ds.x_train.max()) == 1.0
    counts = np.bincount(ds.y_train.values, minlength=10) + np.bincount(ds.y_test.values, minlength=10)
    # stratified: every class contributes 20 % (rounded) of its digits to the test set
    np.testing.assert_array_equal(np.bincount(ds.y_test.values), np.rint(0.2 * counts).astype(int))
    assert counts.sum() == 10_000 and ds.attrs["n_classes"] == 10
    assert "MIT" in ds.attrs["licence"] and "LeCun1998" in ds.attrs["citation_keys"]
    # the same numbers every time
    np.testing.assert_array_equal(load("mnist").y_test.values, ds.y_test.values)


def test_embedded_mnist_is_real_handwriting():
    """A nearest-class-mean classifier reaches about 80 % on MNIST; random labels or
    noise would give 10 %.  Bound: > 70 %."""
    ds = load("mnist")
    x, y = ds.x_train.values, ds.y_train.values
    means = np.stack([x[y == k].mean(axis=0) for k in range(10)])
    pred = np.argmin(((ds.x_test.values[:, None, :] - means[None]) ** 2).sum(-1), axis=1)
    assert np.mean(pred == ds.y_test.values) > 0.70


@pytest.mark.parametrize("gz", [False, True])
def test_load_idx_round_trip(tmp_path, gz):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 28, 28))
    labels = np.array([3, 1, 4, 1, 5])
    _write_idx(tmp_path / "img", images, gz=gz)
    _write_idx(tmp_path / "lab", labels, gz=gz)
    ds = load_idx(tmp_path / "img", tmp_path / "lab")
    assert ds.x.dims == ("sample", "feature") and ds.x.shape == (5, 784)
    np.testing.assert_array_equal(np.rint(ds.x.values * 255), images.reshape(5, -1))  # 8-bit levels exact
    np.testing.assert_array_equal(ds.y, labels)
    assert ds.attrs["image_shape"] == "(28, 28)"


def test_mnist_from_an_idx_folder(tmp_path):
    rng = np.random.default_rng(1)
    for part, n in (("train", 6), ("t10k", 4)):
        _write_idx(tmp_path / f"{part}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28)), gz=True)
        _write_idx(tmp_path / f"{part}-labels-idx1-ubyte.gz", rng.integers(0, 10, n), gz=True)
    ds = load("mnist", path=tmp_path)
    assert ds.x_train.shape == (6, 784) and ds.x_test.shape == (4, 784)
    assert float(ds.x_train.max()) <= 1.0


def test_idx_errors_name_the_problem(tmp_path):
    (tmp_path / "junk").write_bytes(b"\x12\x34\x56\x78rest")
    with pytest.raises(ValueError, match="not an IDX file"):
        load_idx(tmp_path / "junk", tmp_path / "junk")
    _write_idx(tmp_path / "img", np.zeros((3, 28, 28)))
    _write_idx(tmp_path / "lab", np.zeros(4))
    with pytest.raises(ValueError, match="3 images .* 4 labels"):
        load_idx(tmp_path / "img", tmp_path / "lab")
    data = (tmp_path / "img").read_bytes()
    (tmp_path / "short").write_bytes(data[:-10])
    with pytest.raises(ValueError, match="file holds"):
        load_idx(tmp_path / "short", tmp_path / "lab")
    with pytest.raises(ValueError, match="3 dimensions"):
        load_idx(tmp_path / "lab", tmp_path / "lab")
    with pytest.raises(FileNotFoundError):
        load_idx(tmp_path / "absent", tmp_path / "lab")
    with pytest.raises(FileNotFoundError, match="MNIST IDX"):
        load("mnist", path=tmp_path)


def _har_folder(root, n_train=4, n_test=3, bad=None):
    rng = np.random.default_rng(2)
    base = root / "UCI HAR Dataset"
    for part, n in (("train", n_train), ("test", n_test)):
        (base / part).mkdir(parents=True)
        x = rng.uniform(-1, 1, (n, HAR_FEATURES))
        y = rng.integers(1, 7, n)
        if bad == "columns" and part == "train":
            x = x[:, :-1]
        if bad == "labels" and part == "test":
            y[0] = 9
        np.savetxt(base / part / f"X_{part}.txt", x, fmt="%.7e")
        np.savetxt(base / part / f"y_{part}.txt", y, fmt="%d")
    return root


def test_har_from_the_standard_layout(tmp_path):
    """The published features: with clip_percentile = 0 the published mapping (x + 1) / 2;
    by default scaled between the training rows' percentiles (unit_scale), the test rows
    with the training statistics."""
    root = _har_folder(tmp_path)
    ds = load("har", path=root, clip_percentile=0)
    assert ds.x_train.shape == (4, HAR_FEATURES) and ds.x_test.shape == (3, HAR_FEATURES)
    assert 0.0 <= float(ds.x_train.min()) and float(ds.x_train.max()) <= 1.0
    assert set(np.unique(ds.y_train.values)) <= set(range(6))
    raw = np.loadtxt(tmp_path / "UCI HAR Dataset" / "train" / "X_train.txt")
    raw_test = np.loadtxt(tmp_path / "UCI HAR Dataset" / "test" / "X_test.txt")
    np.testing.assert_allclose(ds.x_train.values, (raw + 1) / 2, rtol=1e-6)
    scaled = load("har", path=root)
    a, b = unit_scale((raw + 1) / 2, (raw_test + 1) / 2, clip_percentile=HAR_CLIP_PERCENTILE)
    np.testing.assert_allclose(scaled.x_train.values, a, atol=1e-6)
    np.testing.assert_allclose(scaled.x_test.values, b, atol=1e-6)
    assert "percentiles 5 and 95" in scaled.attrs["scaling"] and "(x + 1) / 2" in ds.attrs["scaling"]


@pytest.mark.parametrize("bad, match", [("columns", "columns, expected 561"), ("labels", "labels must be")])
def test_har_errors(tmp_path, bad, match):
    with pytest.raises(ValueError, match=match):
        load("har", path=_har_folder(tmp_path, bad=bad))


def test_har_without_data_says_where_to_put_it(tmp_path, monkeypatch):
    from spinaps.network import hapt

    monkeypatch.setattr(hapt, "package_file", lambda: None)  # as without the extra spinaps[har]
    with pytest.raises(FileNotFoundError, match="UCI HAR Dataset"):
        load("har")
    with pytest.raises(FileNotFoundError, match="y_train.txt"):
        load("har", path=tmp_path)


def test_har_raw_windows_from_the_standard_layout(tmp_path):
    """features="raw" reads the nine 'Inertial Signals' files of each part, scaled per
    channel with the training windows' percentiles 5 and 95 (clip_percentile = 0: minimum
    and maximum); the subject files are read when present."""
    root = _har_folder(tmp_path)
    base = root / "UCI HAR Dataset"
    rng = np.random.default_rng(3)
    stored = {}
    for part, n in (("train", 4), ("test", 3)):
        (base / part / "Inertial Signals").mkdir()
        for k, channel in enumerate(har.CHANNELS):
            stored[part, k] = rng.normal(k, 1.0, (n, 128))
            np.savetxt(base / part / "Inertial Signals" / f"{channel}_{part}.txt", stored[part, k], fmt="%.8e")
        np.savetxt(base / part / f"subject_{part}.txt", np.full(n, 7 if part == "train" else 2), fmt="%d")
    ds = load("har", path=root, features="raw", clip_percentile=0)
    clipped = load("har", path=root, features="raw").x_train.values.reshape(4, 9, 128)
    assert ds.x_train.shape == (4, 9 * 128) and ds.attrs["window_shape"] == "(9, 128)"
    x = ds.x_train.values.reshape(4, 9, 128)
    for k in range(9):
        a = stored["train", k]
        np.testing.assert_allclose(x[:, k], (a - a.min()) / (a.max() - a.min()), atol=1e-6)
        low, high = np.percentile(a, [HAR_CLIP_PERCENTILE, 100 - HAR_CLIP_PERCENTILE])
        np.testing.assert_allclose(clipped[:, k], np.clip((a - low) / (high - low), 0, 1), atol=1e-6)
    assert ds.subject_train.values.tolist() == [7] * 4 and ds.subject_test.values.tolist() == [2] * 3
    (base / "test" / "Inertial Signals" / "total_acc_z_test.txt").unlink()
    with pytest.raises(FileNotFoundError, match="total_acc_z_test.txt"):
        load("har", path=root, features="raw")


def test_digits_needs_scikit_learn_or_loads():
    if importlib.util.find_spec("sklearn") is None:
        with pytest.raises(ImportError, match="scikit-learn"):
            load("digits")
    else:
        ds = load("digits", seed=3)
        assert ds.x_train.shape[1] == 64 and float(ds.x_train.max()) <= 1.0
        assert ds.sizes["sample_train"] + ds.sizes["sample_test"] == 1797


def test_unknown_name():
    with pytest.raises(ValueError, match="mnist, digits, har"):
        load("cifar")
