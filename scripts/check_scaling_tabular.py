"""The features' clipping (``unit_scale``) on two small tabular data sets never used for a choice.

scikit-learn's breast-cancer (569 samples, 30 features) and wine (178 samples, 13
features) sets, 5 stratified 70 / 30 splits (``random_state=0``): the first-to-spike
network (default recipe, T = 8, with enough epochs for at least ``--updates`` Adam
updates; ``--updates 0`` keeps the default 60 epochs) on features scaled by min-max
(q = 0) and clipped at q = 5 (:func:`spinaps.network.datasets.unit_scale`, training
statistics only), evaluated over 20 stochastic passes, and scikit-learn's logistic
regression (C = 1) on the same features.  docs/network.md, "Limits".

Usage::

    python scripts/check_scaling_tabular.py [--updates 7500]
"""

from __future__ import annotations

import argparse
import inspect

import numpy as np
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedShuffleSplit

from spinaps.network import evaluate, train_snn
from spinaps.network.datasets import unit_scale

DATA = {"breast_cancer": load_breast_cancer, "wine": load_wine}
#: The recipe's epochs and mini-batch (train_snn's defaults).
_DEFAULTS = inspect.signature(train_snn).parameters
EPOCHS, BATCH = _DEFAULTS["epochs"].default, _DEFAULTS["batch"].default


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=7500)
    args = parser.parse_args(argv)
    for name, loader in DATA.items():
        x, y = loader(return_X_y=True)
        splits = list(StratifiedShuffleSplit(n_splits=5, test_size=0.3, random_state=0).split(x, y))
        for q in (0, 5):
            snn, lr = [], []
            for seed, (tr, te) in enumerate(splits):
                a, b = (v.astype(np.float32) for v in unit_scale(x[tr], x[te], clip_percentile=q))
                epochs = EPOCHS if args.updates == 0 else max(EPOCHS, -(-args.updates // -(-len(tr) // BATCH)))
                model = train_snn(a, y[tr], seed=seed, epochs=epochs)
                res = evaluate(model, b, y[te], n_chips=20, seed=1)
                snn.append(float(res.accuracy.isel(deadline=-1).mean()))
                lr.append(LogisticRegression(max_iter=5000, C=1.0).fit(a, y[tr]).score(b, y[te]))
            print(
                f"{name}, q = {q}: first-to-spike SNN {np.mean(snn):.4f} (per split {np.round(snn, 3).tolist()}), "
                f"logistic regression {np.mean(lr):.4f}"
            )


if __name__ == "__main__":
    main()
