"""Choose the first-to-spike network's recipe on a validation split, then test once.

For each data set: the candidates of :data:`spinaps.network.recipe.RECIPE_GRID` are
scored on a validation split carved from the training set
(:func:`spinaps.network.recipe.select_recipe`: HAR by whole subjects, the others
stratified by class, 20 %); the chosen recipe is retrained on the whole training set
and evaluated on the test split once (``--passes`` stochastic passes).  Beside it, on
the same split: logistic regression on the features (the equivalent ANN) and on the
mean of t Bernoulli frames of the features (t = 1, 2, 4, 8, 16: the information a
linear read-out of t rate-coded frames has; validation split only).  With ``--network
hidden`` the same is done for the hidden-layer network (784 -> 400 -> 10,
:data:`spinaps.network.recipe.HIDDEN_RECIPE_GRID`).

For HAR, ``--clip-percentiles`` adds the features' scaling to the choice
(:func:`spinaps.network.datasets.unit_scale`): for each clipping percentile q the
training windows are rescaled with the statistics of the non-validation subjects only,
the grid is scored, and the best (q, recipe) pair on the validation split wins; the
test split is then loaded with the chosen q.

Usage::

    python scripts/select_recipe.py [--data mnist har digits] [--network snn|hidden] [--passes 20]
        [--n-steps 8] [--clip-percentiles 0 1 2 5] [--out recipe.json]
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from spinaps.network import train_ann
from spinaps.network.datasets import load, unit_scale
from spinaps.network.glm import encode
from spinaps.network.recipe import NETWORKS, select_recipe, validation_split
from spinaps.network.tools import binomial_se


def frames_bound(x, y, groups, n_frames=(1, 2, 4, 8, 16), seed=0):
    """Validation accuracy of logistic regression on the mean of t Bernoulli frames."""
    val = validation_split(y, groups=groups, seed=seed)
    out = {}
    for t in n_frames:
        rng = np.random.default_rng(seed)
        xa = encode(x[~val], t, rng=rng).mean(1, dtype=np.float32)
        xv = encode(x[val], t, rng=rng).mean(1, dtype=np.float32)
        out[t] = train_ann(xa, y[~val]).accuracy(xv, y[val])
    lr = train_ann(x[~val], y[~val]).accuracy(x[val], y[val])
    return lr, out


def choose(name, network, n_steps, clip_percentiles):
    """The best (clipping percentile, recipe) on the validation split; the per-q scores."""
    ds = load(name) if not clip_percentiles else load(name, clip_percentile=0)
    x0, y = ds.x_train.values, ds.y_train.values
    groups = ds.subject_train.values if "subject_train" in ds else None
    val = validation_split(y, groups=groups)
    scans = {}
    for q in clip_percentiles or [None]:
        x = x0
        if q is not None:  # the scaling's statistics from the non-validation windows only
            x = unit_scale(x0[~val], x0, clip_percentile=q)[1].astype(np.float32)
            print(f"-- clip percentile {q:g}")
        scans[q] = select_recipe(x, y, groups=groups, network=network, n_steps=n_steps, progress=True)
    best = max(scans, key=lambda q: float(scans[q].validation_accuracy.max()))
    return best, scans


def measure(name, passes, network="snn", n_steps=8, clip_percentiles=None):
    best, scans = choose(name, network, n_steps, clip_percentiles)
    sel = scans[best]
    ds = load(name) if best is None else load(name, clip_percentile=best)
    x, y, xt, yt = ds.x_train.values, ds.y_train.values, ds.x_test.values, ds.y_test.values
    groups = ds.subject_train.values if "subject_train" in ds else None
    print(f"== {name}: {len(y)} training / {len(yt)} test samples, {x.shape[1]} features")
    recipe = json.loads(sel.attrs["chosen_recipe"])
    print(
        f"chosen: {recipe}"
        + ("" if best is None else f", clip percentile {best:g}")
        + f" (validation {float(sel.validation_accuracy[sel.attrs['chosen']]):.4f})"
    )
    args = dict(recipe)
    if args.get("tau", 0) is None:
        args["tau"] = sel.attrs["n_steps"]
    train, test, _ = NETWORKS[network]
    model = train(x, y, seed=0, n_steps=n_steps, **args)
    res = test(model, xt, yt, n_chips=passes, seed=1)
    p = float(res.accuracy.isel(deadline=-1).mean())
    ann = train_ann(x, y).accuracy(xt, yt)
    lr_val, bound = frames_bound(x, y, groups)
    print(
        f"test: SNN {p:.4f} +- {binomial_se(p, len(yt)):.4f} "
        f"(mean decision step {float(res.mean_decision_step.mean()):.2f}); "
        f"logistic regression {ann:.4f} +- {binomial_se(ann, len(yt)):.4f}"
    )
    print(
        f"validation: logistic regression on the features {lr_val:.4f}; on the mean of t frames "
        + ", ".join(f"t={t}: {a:.4f}" for t, a in bound.items())
    )
    return {
        "validation": {k: sel[k].values.tolist() for k in sel.data_vars},
        "validation_by_clip_percentile": {
            str(q): scan.validation_accuracy.values.tolist() for q, scan in scans.items() if q is not None
        },
        "clip_percentile": best,
        "n_steps": n_steps,
        "candidates": json.loads(sel.attrs["candidates"]),
        "chosen": recipe,
        "test_snn": p,
        "test_snn_se": binomial_se(p, len(yt)),
        "test_snn_by_deadline": res.accuracy.mean("chip").values.tolist(),
        "test_mean_decision_step": float(res.mean_decision_step.mean()),
        "test_logistic_regression": ann,
        "validation_logistic_regression": lr_val,
        "validation_lr_on_frames": bound,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", nargs="+", default=["mnist", "har"])
    parser.add_argument("--network", choices=tuple(NETWORKS), default="snn")
    parser.add_argument("--passes", type=int, default=20)
    parser.add_argument("--n-steps", type=int, default=8)
    parser.add_argument("--clip-percentiles", type=float, nargs="+", default=None, help="HAR only")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    out = {
        name: measure(name, args.passes, args.network, args.n_steps, args.clip_percentiles if name == "har" else None)
        for name in args.data
    }
    if args.out:
        with open(args.out, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
