"""The training recipe of the first-to-spike network, chosen on a validation split.

A recipe is the set of :func:`~spinaps.network.snn.train_snn` arguments that are not
data: the kernel window ``tau``, the kernels ``n_basis``, the learning rates ``lr`` and
``lr_final``, the epochs, the time steps.  Choosing them on the test split biases the
reported accuracy upwards; here they are chosen on a **validation split carved from the
training set** (whole subjects go to it when ``groups`` are given, as in UCI HAR's
subject-wise protocol; otherwise a split stratified by class), each candidate trained on
the rest and scored over several stochastic passes.  The test split is then used once,
for the model retrained on the whole training set with the chosen recipe.

:data:`RECIPE_GRID` is the grid of ``docs/network.md`` ("Choosing the recipe"):
kernel window tau in {4, T} and Adam learning rate in {1e-2, 3e-3, 1e-3} (ten times
lower for the last quarter of the epochs).  :data:`HIDDEN_RECIPE_GRID` is the hidden-layer
network's (:func:`~spinaps.network.hidden.train_hidden_snn`, ``network="hidden"``): the
same kernel windows, Adam learning rates in {1e-2, 5e-3, 2e-3} (ten times lower for the
last quarter), its 16 epochs held (the training-time budget of the recipe).
"""

from __future__ import annotations

import json
import time

import numpy as np
import xarray as xr

from ..params import check_choice, check_int, check_range
from .hidden import evaluate_hidden, train_hidden_snn
from .snn import evaluate, train_snn
from .tools import binomial_se, check_data

__all__ = ["RECIPE_GRID", "HIDDEN_RECIPE_GRID", "NETWORKS", "validation_split", "select_recipe"]

#: The candidate recipes (arguments of :func:`~spinaps.network.snn.train_snn`); ``tau``
#: ``None`` stands for the kernel window of all T steps.
RECIPE_GRID = tuple({"tau": tau, "lr": lr, "lr_final": lr / 10} for tau in (4, None) for lr in (1e-2, 3e-3, 1e-3))
#: The hidden-layer network's candidates (arguments of
#: :func:`~spinaps.network.hidden.train_hidden_snn`; ``tau`` None as above).
HIDDEN_RECIPE_GRID = tuple(
    {"tau": tau, "lr": lr, "lr_final": lr / 10} for tau in (4, None) for lr in (1e-2, 5e-3, 2e-3)
)
#: The networks a recipe is chosen for: name -> (training function, evaluation
#: function, default candidates).
NETWORKS = {
    "snn": (train_snn, evaluate, RECIPE_GRID),
    "hidden": (train_hidden_snn, evaluate_hidden, HIDDEN_RECIPE_GRID),
}


def validation_split(y, *, groups=None, fraction=0.2, seed=0):
    """Mark a validation share of a training set.

    Parameters
    ----------
    y : array_like (samples,) of int
        Class labels.
    groups : array_like (samples,), optional
        A group per sample (e.g. the subject of a HAR window): whole groups go to the
        validation split, drawn at random until it holds at least ``fraction`` of the
        samples.  Without it, ``fraction`` of each class at random (stratified).
    fraction : float [-]
        Share of the samples for validation, in (0, 0.5].
    seed : int
        Seeds the draw (an integer >= 0).

    Returns
    -------
    numpy.ndarray of bool (samples,)
        True for a validation sample.

    Raises
    ------
    ValueError
        If ``fraction`` is outside (0, 0.5], ``groups`` does not match ``y`` or has
        fewer than two groups.

    Examples
    --------
    >>> from spinaps.network.recipe import validation_split
    >>> int(validation_split([0] * 10 + [1] * 10, fraction=0.2).sum())
    4
    """
    check_range("fraction", fraction, low=0.0, high=0.5, high_inclusive=True)
    check_int("seed", seed, 0)
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    mask = np.zeros(len(y), bool)
    if groups is None:
        for c in np.unique(y):
            idx = np.flatnonzero(y == c)
            mask[rng.choice(idx, int(round(fraction * len(idx))), replace=False)] = True
        return mask
    groups = np.asarray(groups)
    if groups.shape != y.shape:
        raise ValueError(f"groups must have one entry per sample ({y.shape}); got {groups.shape}")
    names = np.unique(groups)
    if len(names) < 2:
        raise ValueError(f"groups must hold at least 2 groups to carve a validation split; got {len(names)}")
    for g in rng.permutation(names)[:-1]:  # at least one group stays for training
        mask |= groups == g
        if mask.mean() >= fraction:
            break
    return mask


def _recipe_args(recipe, n_steps):
    args = dict(recipe)
    if args.get("tau", 0) is None:
        args["tau"] = args.get("n_steps", n_steps)
    return args


def select_recipe(
    x_train,
    y_train,
    candidates=None,
    *,
    groups=None,
    fraction=0.2,
    seed=0,
    passes=5,
    n_steps=8,
    deadline=None,
    network="snn",
    progress=False,
):
    """Score candidate recipes on a validation split carved from the training set.

    Each candidate is trained (:func:`~spinaps.network.snn.train_snn`, or
    :func:`~spinaps.network.hidden.train_hidden_snn` with ``network="hidden"``; training seed
    ``seed``) on the training set less the validation split
    (:func:`validation_split`), and evaluated on the split over ``passes`` stochastic
    passes (evaluation seed ``seed + 1``).  The chosen recipe has the highest mean
    validation accuracy by ``deadline`` (the first in ``candidates`` on a tie): the
    latency budget is the user's, and the recipe follows it (on MNIST a window of all
    T = 8 steps wins by the last step, tau = 4 by step 4; docs/network.md).  No test data is
    seen: retrain on the whole training set with ``ds.attrs["chosen_recipe"]`` and
    evaluate the test split once.

    Parameters
    ----------
    x_train, y_train : array (samples, features) in [0, 1], array (samples,) of int
        The training set.
    candidates : sequence of dict, optional
        Keyword arguments of the network's training function (default
        :data:`RECIPE_GRID`, or :data:`HIDDEN_RECIPE_GRID` with ``network="hidden"``);
        ``"tau": None`` means a window of all T steps.
    groups, fraction : see :func:`validation_split`
    seed : int
        Seeds the split and the training (an integer >= 0); ``seed + 1`` the evaluation.
    passes : int
        Stochastic passes over the validation split per candidate, 1 ... 1000.
    n_steps : int [time steps]
        T, unless a candidate sets ``n_steps``.
    deadline : int [time steps], optional
        The decision deadline the recipes are scored at, in [1, T] (default T: the
        final accuracy).
    network : {"snn", "hidden"}
        The network of :data:`NETWORKS`: the first-to-spike 2-layer network
        (default) or the hidden-layer one.
    progress : bool
        Print one line per candidate.

    Returns
    -------
    xarray.Dataset
        Over ``candidate``: ``validation_accuracy`` [-] (mean over passes),
        ``validation_se`` [-] (binomial standard error over the validation samples),
        both by ``deadline``,
        ``mean_decision_step`` [time steps], ``train_seconds`` [s]; attrs
        ``candidates`` and ``chosen_recipe`` (JSON), ``chosen`` (its index),
        ``n_validation``, ``validation_groups`` (JSON, with ``groups``), ``fraction``,
        ``seed``.

    Raises
    ------
    ValueError
        If the data are malformed (:func:`~spinaps.network.tools.check_data`),
        ``candidates`` is empty or not a sequence of dicts, ``passes`` is out of range,
        or ``deadline`` is outside [1, T] for a candidate, or ``network`` is not one of
        :data:`NETWORKS`.
    """
    x_train, y_train = check_data(x_train, y_train, names=("x_train", "y_train"))
    check_int("passes", passes, 1, 1000)
    check_int("n_steps", n_steps, 1, 1000)
    check_choice("network", network, tuple(NETWORKS))
    train, test, grid = NETWORKS[network]
    candidates = list(grid if candidates is None else candidates)
    if not candidates or not all(isinstance(c, dict) for c in candidates):
        raise ValueError(f"candidates must be a non-empty sequence of dicts of train_snn arguments; got {candidates!r}")
    val = validation_split(y_train, groups=groups, fraction=fraction, seed=seed)
    n_classes = int(y_train.max()) + 1
    xa, ya, xv, yv = x_train[~val], y_train[~val], x_train[val], y_train[val]
    acc, se, step, seconds = [], [], [], []
    for i, recipe in enumerate(candidates):
        args = _recipe_args(recipe, n_steps)
        args.setdefault("n_steps", n_steps)
        check_int("deadline", args["n_steps"] if deadline is None else deadline, 1, args["n_steps"])
        start = time.perf_counter()
        model = train(xa, ya, seed=seed, n_classes=n_classes, **args)
        seconds.append(time.perf_counter() - start)
        res = test(model, xv, yv, n_chips=passes, seed=seed + 1)
        p = float(res.accuracy.isel(deadline=-1 if deadline is None else deadline - 1).mean())
        acc.append(p)
        se.append(binomial_se(p, len(yv)))
        step.append(float(res.mean_decision_step.mean()))
        if progress:
            print(f"recipe {i} {recipe}: validation {p:.4f} +- {se[-1]:.4f}, mean decision step {step[-1]:.2f}")
    chosen = int(np.argmax(acc))
    attrs = {
        "candidates": json.dumps(candidates),
        "chosen": chosen,
        "chosen_recipe": json.dumps(candidates[chosen]),
        "n_validation": int(val.sum()),
        "fraction": fraction,
        "seed": seed,
        "passes": passes,
        "n_steps": n_steps,
        "deadline": "T" if deadline is None else deadline,
        "network": network,
    }
    if groups is not None:
        attrs["validation_groups"] = json.dumps(np.unique(np.asarray(groups)[val]).tolist())
    return xr.Dataset(
        {
            "validation_accuracy": (
                "candidate",
                acc,
                {"units": "1", "long_name": "validation accuracy (pass mean)"},
            ),
            "validation_se": ("candidate", se, {"units": "1", "long_name": "binomial standard error over the split"}),
            "mean_decision_step": ("candidate", step, {"units": "time steps", "long_name": "mean decision step"}),
            "train_seconds": ("candidate", seconds, {"units": "s", "long_name": "training time"}),
        },
        coords={"candidate": np.arange(len(candidates))},
        attrs=attrs,
    )
