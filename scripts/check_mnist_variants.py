"""The default recipe on images of MNIST's format whose statistics differ from MNIST's.

None of these sets was used for any choice of the recipe.  Each is made from a data set
shipped with the package or scikit-learn, so that the check runs offline:

* ``half_contrast``: the embedded MNIST digits at half intensity (x / 2): the same
  information as MNIST, half the spike probability;
* ``blurred``: the digits blurred by a Gaussian of 1.5 pixels (graded strokes, as in
  the grey-level images of other data sets of this format);
* ``inverted``: 1 - x (bright background, dark strokes): the same information and the
  same per-pixel variance p(1 - p) as MNIST, but most inputs spike at every step;
* ``digits_28``: scikit-learn's 8 x 8 digits (intensity / 16) enlarged to 28 x 28 by
  linear interpolation, a stratified 80 / 20 split (``random_state=0``);
* ``animal`` (with ``--animal-wheel``): Animal-MNIST, 10,000 silhouettes of 10 animals
  in MNIST's format (S. Mohammadi, the package ``animal-mnist`` 0.4, MIT licence; get
  its wheel with ``python3 -m pip download --no-deps animal-mnist==0.4``), intensity /
  255, a stratified 80 / 20 split (``random_state=0``).  Its gzip pickles are read with
  a restricted unpickler (plain numpy arrays of ``u1`` / ``i8`` only), never executed.

For each: the first-to-spike network (``train_snn`` defaults, seed 0) over 20
stochastic passes (seed 1) with its binomial standard error, the equivalent logistic
regression (``train_ann``) on the same inputs, and a logistic regression trained and
tested on the mean of T = 8 Bernoulli frames of the inputs (4 draws of the training
set, seed 0): the information a linear read-out of the network's input frames has.
docs/network.md, "Limits".

Usage::

    python scripts/check_mnist_variants.py [--variants half_contrast blurred ...] [--animal-wheel FILE]
"""

from __future__ import annotations

import argparse
import gzip
import zipfile

import numpy as np
from scipy.ndimage import gaussian_filter, zoom
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from spinaps.network import evaluate, train_ann, train_snn
from spinaps.network.datasets import load
from spinaps.network.pickles import numpy_array_globals, restricted_load

#: Frames of the read-out (the recipe's T) and draws of the training set per read-out.
N_STEPS, DRAWS = 8, 4


def _mnist():
    ds = load("mnist")
    return tuple(ds[k].values for k in ("x_train", "y_train", "x_test", "y_test"))


def _blurred(x, sigma=1.5):
    images = gaussian_filter(x.reshape(-1, 28, 28), (0, sigma, sigma))
    return np.clip(images.reshape(len(x), -1), 0.0, 1.0).astype(np.float32)


def _digits_28():
    d = load_digits()
    images = np.stack([zoom(im / 16.0, 28 / 8, order=1) for im in d.images]).clip(0.0, 1.0)
    x = images.reshape(len(images), -1).astype(np.float32)
    a, b, ya, yb = train_test_split(x, d.target, test_size=0.2, stratify=d.target, random_state=0)
    return a, ya, b, yb


def _animal(wheel):
    allowed = numpy_array_globals({"u1", "i8"}, ValueError)
    folder = "animal_mnist/data/Animal_MNIST/"
    with zipfile.ZipFile(wheel) as z:
        x, y = (
            restricted_load(gzip.decompress(z.read(folder + f"animal_{part}_version_3.gz")), allowed, f"{wheel}:{part}")
            for part in ("data", "label")
        )
    x = (np.asarray(x).reshape(len(x), -1) / 255.0).astype(np.float32)
    a, b, ya, yb = train_test_split(x, np.asarray(y), test_size=0.2, stratify=y, random_state=0)
    return a, ya, b, yb


def variants(animal_wheel=None):
    """``{name: function returning (x_train, y_train, x_test, y_test)}``."""
    x, y, xt, yt = _mnist()
    extra = {} if animal_wheel is None else {"animal": lambda: _animal(animal_wheel)}
    return extra | {
        "mnist": lambda: (x, y, xt, yt),
        "half_contrast": lambda: (x / 2, y, xt / 2, yt),
        "blurred": lambda: (_blurred(x), y, _blurred(xt), yt),
        "inverted": lambda: (1 - x, y, 1 - xt, yt),
        "digits_28": _digits_28,
    }


def _frame_means(x, rng, draws=1):
    return np.concatenate([rng.binomial(N_STEPS, x) / N_STEPS for _ in range(draws)]).astype(np.float32)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="+", help="default: all (animal with --animal-wheel)")
    parser.add_argument("--animal-wheel", help="the wheel of animal-mnist 0.4")
    args = parser.parse_args(argv)
    table = variants(args.animal_wheel)
    for name in args.variants or ():
        if name not in table:
            parser.error(f"--variants: {name!r} is not one of {', '.join(table)}")
    args.variants = args.variants or list(table)
    print("| set | first-to-spike SNN | logistic regression | LR on the mean of 8 frames | SNN - LR |")
    print("|---|---|---|---|---|")
    for name in args.variants:
        x, y, xt, yt = table[name]()
        snn = float(evaluate(train_snn(x, y, seed=0), xt, yt, n_chips=20, seed=1).accuracy.isel(deadline=-1).mean())
        se = np.sqrt(snn * (1 - snn) / len(yt))
        lr = train_ann(x, y, seed=0).accuracy(xt, yt)
        rng = np.random.default_rng(0)
        frames = train_ann(_frame_means(x, rng, DRAWS), np.tile(y, DRAWS), seed=0).accuracy(_frame_means(xt, rng), yt)
        print(
            f"| {name} | {100 * snn:.1f} % ± {100 * se:.1f} | {100 * lr:.1f} % | {100 * frames:.1f} % "
            f"| {100 * (snn - lr):+.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
