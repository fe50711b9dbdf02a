"""The network layer's figures on a data set (the embedded MNIST or UCI HAR rebuilt from HAPT).

Trains, on the training split of ``load(--data)`` (MNIST's 8,000 digits, or HAR's 7,415
windows of 561 features in [0, 1]), with the recipe chosen for that data set on a
validation split carved from its training set (``scripts/select_recipe.py``: a window
of all T steps; Adam at 1e-2 on both, with HAR's features clipped at their 5th and 95th
training percentiles; ``--lr`` overrides):

* the first-to-spike SNN (:func:`spinaps.network.train_snn`, float weights), evaluated
  over ``--passes`` stochastic passes: the accuracy at every decision deadline, no-spike
  and tie rates, mean decision step;
* the same with the earlier window of tau = 4 frames (final accuracy and by step 4);
* the equivalent ANN: logistic regression on the same inputs, and the MLP with 100
  hidden units (:func:`spinaps.network.train_ann`); for HAR also both on the raw
  9 x 128 windows;
* quantisation-aware fine-tunes to B = 1, 2, 4, 8 bits (from the float model, 10 epochs
  at 3e-3, the recipe of notebook 04);
* a plain bit error rate 1e-5 ... 1e-1 on the 1- and 4-bit models (the 4-bit one in
  sign-magnitude and in two's complement) over ``--chips`` chips (mean and 5th
  percentile).

Every accuracy is printed with its binomial standard error sqrt(p (1 - p) / n) over the
n test windows (for the SNN, of one pass; the spread over passes is printed too).

Usage::

    python scripts/measure_network.py [--data har] [--passes 20] [--chips 50] [--out har.json]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from spinaps.network import evaluate, train_ann, train_snn
from spinaps.network.datasets import load
from spinaps.network.tools import binomial_se

#: Adam's learning rate chosen on each data set's validation split (docs/network.md,
#: "Choosing the recipe"; ten times lower for the last quarter of the epochs).
VALIDATED_LR = {"mnist": 1e-2, "har": 1e-2}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", choices=sorted(VALIDATED_LR), default="har")
    parser.add_argument("--lr", type=float, default=None, help="default: the data set's validated rate")
    parser.add_argument("--passes", type=int, default=20)
    parser.add_argument("--chips", type=int, default=50)
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    out = {}
    ds = load(args.data)
    x, y, xt, yt = ds.x_train.values, ds.y_train.values, ds.x_test.values, ds.y_test.values
    n = len(yt)
    print(f"{args.data}: {len(y)} training / {n} test samples, {x.shape[1]} features")
    lr = VALIDATED_LR[args.data] if args.lr is None else args.lr

    start = time.perf_counter()
    snn = train_snn(x, y, seed=0, lr=lr, lr_final=lr / 10)
    out["snn_train_seconds"] = time.perf_counter() - start
    res = evaluate(snn, xt, yt, n_chips=args.passes, seed=1)
    acc = res.accuracy.mean("chip").values
    final = res.accuracy.isel(deadline=-1)
    p = float(final.mean())
    out["snn"] = {
        "accuracy": p,
        "se": binomial_se(p, n),
        "pass_std": float(final.std()),
        "by_deadline": acc.tolist(),
        "no_spike": float(res.no_spike.mean()),
        "tie_rate": float(res.tie_rate.mean()),
        "mean_decision_step": float(res.mean_decision_step.mean()),
        "input_spikes_per_step": float(res.input_spikes_per_step),
        "sops_per_inference": float(res.sops_per_inference.mean()),
    }
    print(
        f"SNN float: {p:.4f} +- {binomial_se(p, n):.4f} (pass std {float(final.std()):.4f}); no spike "
        f"{out['snn']['no_spike']:.4f}, ties {out['snn']['tie_rate']:.4f}, mean decision step "
        f"{out['snn']['mean_decision_step']:.2f}; trained in {out['snn_train_seconds']:.0f} s"
    )
    print("  by deadline 1..T:", np.round(acc, 4).tolist(), f"({acc[3] / acc[-1]:.1%} of the final by step 4)")
    print(
        f"  input spikes per step {out['snn']['input_spikes_per_step']:.1f}, "
        f"SOPs per inference {out['snn']['sops_per_inference']:.0f}"
    )

    short = evaluate(train_snn(x, y, seed=0, lr=lr, lr_final=lr / 10, tau=4), xt, yt, n_chips=args.passes, seed=1)
    short = short.accuracy.mean("chip").values
    out["snn_tau4"] = {"accuracy": float(short[-1]), "by_step_4": float(short[3]), "by_deadline": short.tolist()}
    print(f"SNN tau = 4: {short[-1]:.4f}, by step 4 {short[3]:.4f} ({short[3] / short[-1]:.1%} of its final)")

    inputs = [("features", (x, y, xt, yt))]
    if args.data == "har":
        raw = load("har", features="raw")
        inputs.append(("raw", tuple(raw[k].values for k in ("x_train", "y_train", "x_test", "y_test"))))
    for label, data in inputs:
        for name, hidden in (("logistic", ()), ("mlp", (100,))):
            net = train_ann(data[0], data[1], seed=0, hidden=hidden)
            a = net.accuracy(data[2], data[3])
            out[f"{name}_{label}"] = {"accuracy": a, "se": binomial_se(a, len(data[3]))}
            print(f"{name} on {label}: {a:.4f} +- {binomial_se(a, len(data[3])):.4f}")

    models = {}
    for bits in (1, 2, 4, 8):
        models[bits] = train_snn(x, y, weight_bits=bits, init=snn, epochs=10, lr=3e-3, final_epochs=3, seed=0)
        r = evaluate(models[bits], xt, yt, n_chips=10, seed=1).accuracy.isel(deadline=-1)
        a = float(r.mean())
        out[f"snn_{bits}bit"] = {"accuracy": a, "se": binomial_se(a, n)}
        print(f"SNN {bits}-bit QAT: {a:.4f} +- {binomial_se(a, n):.4f}")

    bers = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]
    models["4tc"] = train_snn(
        x, y, weight_bits=4, code="twos_complement", init=snn, epochs=10, lr=3e-3, final_epochs=3, seed=0
    )
    for bits in (1, 4, "4tc"):
        rows = []
        for ber in bers:
            a = evaluate(models[bits], xt, yt, n_chips=args.chips, bit_error_rate=ber, seed=2).accuracy
            a = a.isel(deadline=-1).values
            rows.append({"ber": ber, "mean": float(a.mean()), "p5": float(np.percentile(a, 5))})
        out[f"ber_{bits}bit"] = rows
        print(f"{bits}-bit vs BER", [(r["ber"], round(r["mean"], 4), round(r["p5"], 4)) for r in rows])
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
