"""The sign convention of ``field_like_ratio`` against cmtj's ``beta`` and ``kappa``, checked by running both.

Our LLGS (:mod:`spinaps.device._kernel`) is the exact Landau-Lifshitz form of the
Gilbert equation with Slonczewski torque, b_J = r a_J:

    dm/dt = -gamma0/(1+alpha^2) [ m x H + alpha m x (m x H)
                                  + (b_J - alpha a_J) m x p + (a_J + alpha b_J) m x (m x p) ].

cmtj's STT layer (``Layer::solveLLG``) is

    dm/dt = 1/(1+alpha^2) [ -gamma0 (m x H + alpha m x (m x H))
                            - gamma0 a_J kappa m x (m x p) + gamma0 a_J beta m x p ],

so the two are the same equation for the same a_J when kappa = 1 + alpha r and
beta = alpha - r (with cmtj's default kappa = 1: r = (alpha - beta) / (1 + alpha beta)
and our a_J = cmtj's a_J / (1 + alpha r); cmtj's beta = alpha is our r = 0).

This script integrates the benchmark free layer (``preset("benchmark")`` with alpha =
0.2, so that alpha r is 0.1 for r = 0.5) at T = 0 from a 0.05 rad tilt at 1.5 I_c0(r = 0)
for 3 ns with both codes (cmtj RK4, ours Heun, dt = 0.1 ps, the constants aligned as in
``bench_llg_cmtj.py``) and prints the largest difference of the magnetisation over the
trajectory for each mapping, and for a wrong one.  Needs cmtj (the ``bench`` extra).

Usage::

    python benchmarks/check_field_like_cmtj.py
"""

from __future__ import annotations

import dataclasses
import math

import cmtj
import numpy as np
from bench_llg_cmtj import AREA, KU, PARAMS, align_cmtj_constants, free_layer

from spinaps.device import simulate

ALPHA = 0.2
BASE = dataclasses.replace(PARAMS, alpha=ALPHA)
CURRENT = 1.5 * float(BASE.ic0)  # [A]
DURATION, DT = 3e-9, 1e-13  # [s]
M0 = (math.sin(0.05), 0.0, math.cos(0.05))


def run_cmtj(kappa, beta):
    """cmtj trajectory (3, n) [1] and its times [s] for damping-like factor kappa and field-like beta."""
    layer = free_layer(ALPHA, beta, M0)
    layer.setKappa(kappa)
    junction = cmtj.Junction([layer])
    junction.setLayerAnisotropyDriver("free", cmtj.constantDriver(KU))
    junction.setLayerCurrentDriver("free", cmtj.constantDriver(CURRENT / AREA))
    junction.runSimulation(DURATION, DT, DURATION / 30, False, False, cmtj.RK4)
    log = junction.getLog()
    return np.array([log[f"free_m{c}"] for c in "xyz"]), np.array(log["time"])


def largest_difference(r, kappa, beta, scale=1.0):
    """max |m_spinaps - m_cmtj| over the trajectory [1]."""
    m, t = run_cmtj(kappa, beta)
    p = dataclasses.replace(BASE, field_like_ratio=r)
    ds = simulate(p, CURRENT * scale, DURATION, dt=DT, temperature=0.0, m0=list(M0), record_every=DURATION / 30)
    ours = np.array([ds[f"m{c}"].interp(time=t).values[0] for c in "xyz"])
    return float(np.nanmax(np.abs(ours - m)))


def main():
    align_cmtj_constants()
    for r in (-0.5, 0.0, 0.5):
        kappa, beta = 1.0 + ALPHA * r, ALPHA - r
        print(
            f"r = {r:+.1f} vs cmtj kappa = {kappa:.2f}, beta = {beta:+.2f}: max |dm| = "
            f"{largest_difference(r, kappa, beta):.2e}"
        )
    diff = largest_difference(ALPHA, 1.0, 0.0, scale=1.0 / (1.0 + ALPHA**2))
    print(f"r = alpha, a_J / (1 + alpha^2) vs cmtj defaults kappa = 1, beta = 0: max |dm| = {diff:.2e}")
    diff = largest_difference(ALPHA - 0.5, 1.0, 0.5)
    print(f"wrong mapping r = alpha - beta without kappa (beta = 0.5): max |dm| = {diff:.2e}")


if __name__ == "__main__":
    main()
