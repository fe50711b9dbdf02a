"""Fokker-Planck write error rates against the Arm MRAM simulation framework's solvers.

Side by side on the same device and the same map, ours against the two open
Fokker-Planck solvers of the Arm MRAM simulation framework (F. Garcia-Redondo,
P. Prabhat and M. Bhargava, "A Fokker-Planck solver to model MTJ stochasticity",
ESSDERC 2021; BSD-3-Clause):

* their finite-volume solver (``src/fokker_plank/fvm/mtj_fp_fvm.py``,
  ``solve_mtj_fp``: exponential-fitting fluxes on cells uniform in theta,
  Crank-Nicolson in time with a fixed step, one sparse solve per step);
* their analytical solver (``src/fokker_plank/analytical/analytical.py``): the
  Legendre expansion of M. Tzoufras, AIP Advances 8, 056002 (2018), r(tau) =
  expm(tau A) r(0), with the switching probability from the half-sphere integrals
  s_n of Legendre polynomials (their eq. 12).

Their code is not vendored and nothing is downloaded: pass ``--arm-src PATH`` (or set
``SPINAPS_ARM_MRAM_SRC``) to the root of a checkout of
``ARM-software/mram_simulation_framework``; its ``src`` folders are put on
``sys.path`` and the two modules imported from there.  Without it the comparison is
recorded as not run, with the reason, and only our timings are taken.  Their modules
need numpy (>= 2: they call ``numpy.trapezoid``), scipy and matplotlib (imported at
module level), nothing else.  Their ``get_sn`` uses ``numpy.int`` (removed in numpy
1.24), so the s_n are computed here from s_n = (P_{n-1}(0) - P_{n+1}(0)) / (2n + 1)
(n >= 1; s_0 = 1), the integral of P_n over [0, 1].

Mapping of the device
---------------------
Both codes solve the same reduced equation: with z = m_z, reduced time
tau = t / tau_D, tau_D = (1 + alpha^2) / (alpha gamma0 H_K,eff), the drift is
dz/dtau = (1 - z^2)(z + h - i) and the diffusion (1 - z^2) / (2 Delta) (their
``solve_mtj_fp``: ``U = (i0 - h - z)(1 - z^2)``, ``D = (1 - z^2) / (2 delta)``; their
``generate_A`` uses ``i - h``).  So ``delta`` = Delta, ``i0`` = I / I_c0, ``h`` =
H_z / H_K,eff and ``T`` = t / tau_D, with Delta, I_c0, tau_D and h taken from
:func:`spinaps.device.operating_point` of the device (the benchmark device has the
constant spin-torque efficiency, c = 0, which is the only form their solvers
include, and no offset field).  Their initial density exp(-Delta sin^2 theta) on
the +z hemisphere is the thermal equilibrium of the well, as ours.  The mapping is
verified by agreement, not assumed: the JSON records the largest relative
difference over the map down to WER = 1e-15.

Accuracy
--------
Each solver is compared with a fine solution of ours (4x the theta cells, a tenfold
tighter step tolerance and a tenfold smaller step cap; its own difference from the
default solution bounds the default's error).  Their FVM runs at its own defaults
(500 cells, step 1e-3 tau_D), their analytical solver with their default 150
Legendre terms.  Their FVM marches on a fixed grid of times; the WER at a pulse
width between two grid times is interpolated linearly in ln WER (an error below
1e-6 relative at their step).

Timed (wall clock, one run each for theirs, median of ``--repeats`` for ours):
``ours`` on the comparison map (``--currents`` currents 1.1-4 I_c0 x 50 pulse widths
1-50 ns), ``ours_50x50`` on the full map of ``bench_wer_map.py``, and their two
solvers on the comparison map, with ``--arm-blas-threads`` BLAS threads (default 1:
their solvers are serial, and on a busy two-core machine their matrix exponentials
took 0.45 s each with two BLAS threads against 0.024 s with one).  Their FVM takes
about half a minute per current.  Machine load (``os.getloadavg``) at start and end and the thread settings
are recorded.  Nothing here asserts on timing.

Usage::

    python benchmarks/bench_fp_arm.py --arm-src PATH [--currents 6] [--repeats 3]
        [--out benchmarks/results/fp_arm.json]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

import spinaps
from spinaps import threads as sp_threads
from spinaps.device import fokker_planck as fp
from spinaps.device import preset, write_error_rate
from spinaps.device.tools import operating_point

#: Environment variable naming the root of a checkout of the Arm framework.
ENV = "SPINAPS_ARM_MRAM_SRC"
#: Smallest WER included in the agreement figures (the accuracy our solver is validated for).
WER_FLOOR = 1e-15


def _median_time(fn, repeats):
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), result


def _import_arm(root):
    """Their FVM and analytical modules from a checkout at ``root``, or a reason why not."""
    if not root:
        return None, f"no checkout given (--arm-src or {ENV})"
    src = Path(root) / "src"
    fvm_file = src / "fokker_plank" / "fvm" / "mtj_fp_fvm.py"
    an_file = src / "fokker_plank" / "analytical" / "analytical.py"
    if not (fvm_file.is_file() and an_file.is_file()):
        return None, "the given checkout has no src/fokker_plank/fvm/mtj_fp_fvm.py and analytical/analytical.py"
    for sub in ("", "fokker_plank", "fokker_plank/fvm", "python_compact_model"):
        path = str(src / sub) if sub else str(src)
        if path not in sys.path:
            sys.path.insert(0, path)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import analytical.analytical as arm_an  # noqa: PLC0415
            import fvm.mtj_fp_fvm as arm_fvm  # noqa: PLC0415
    except ImportError as exc:  # a missing dependency of theirs
        return None, f"their modules could not be imported: {exc}"
    return (arm_fvm, arm_an), ""


def half_sphere_integrals(n_max):
    """s_n = integral of the Legendre polynomial P_n over [0, 1], n = 0..n_max.

    s_0 = 1 and s_n = (P_{n-1}(0) - P_{n+1}(0)) / (2n + 1) for n >= 1, from
    (2n + 1) P_n = P'_{n+1} - P'_{n-1} and P_k(1) = 1; P_k(0) by the recurrence
    P_k(0) = -(k - 1) / k P_{k-2}(0) (Abramowitz and Stegun 1964, 8.5.3 and 22.7.10).
    """
    p0 = np.zeros(n_max + 2)
    p0[0] = 1.0
    for k in range(2, n_max + 2):
        p0[k] = -(k - 1) / k * p0[k - 2]
    s = np.empty(n_max + 1)
    s[0] = 1.0
    n = np.arange(1, n_max + 1)
    s[1:] = (p0[n - 1] - p0[n + 1]) / (2 * n + 1)
    return s


def arm_fvm_wer(arm_fvm, delta, i, h, s_out, dim_points, t_step):
    """Their finite-volume WER (probability of m_z > 0) at reduced times ``s_out``."""
    with contextlib.redirect_stdout(io.StringIO()):
        data = arm_fvm.solve_mtj_fp(
            dim_points=dim_points, delta=delta, i0=i, h=h, t_step=t_step, T=float(s_out[-1]), do_3d=True
        )
    faces = np.cos(np.linspace(np.pi, 0.0, dim_points))  # their mesh (linear in theta)
    mass = np.asarray(data["rho"]).T * np.diff(faces)
    wer = mass[:, data["z0"] > 0].sum(axis=1) / mass.sum(axis=1)
    return np.exp(np.interp(s_out, data["t0"], np.log(np.maximum(wer, 1e-300))))


def arm_analytical_wer(arm_an, delta, i, h, s_out, n_terms):
    """Their analytical (Legendre) WER at reduced times ``s_out``."""
    with contextlib.redirect_stdout(io.StringIO()):
        _, _, state0 = arm_an.get_state_rho_0(delta, L0=n_terms)
    a = arm_an.generate_A(i, h, delta, state0.size - 1)
    sn = 2.0 * np.pi * half_sphere_integrals(state0.size - 1)
    return np.array([float(np.dot(sn, arm_an.get_state(s, a_matrix=a, state_0=state0))) for s in s_out])


def _agreement(test, ref):
    ok = ref >= WER_FLOOR
    rel = np.abs(test[ok] / ref[ok] - 1.0)
    return float(rel.max()), float(ref[ok].min())


def _smallest_within(test, ref, tol):
    """Smallest reference WER down to which ``test`` stays within ``tol`` (relative)."""
    order = np.argsort(-ref.ravel())
    bad = np.abs(test.ravel()[order] / ref.ravel()[order] - 1.0) > tol
    first_bad = int(np.argmax(bad)) if bad.any() else order.size
    return float(ref.ravel()[order][first_bad - 1]) if first_bad > 0 else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arm-src", default=os.environ.get(ENV, ""), help=f"root of their checkout (or ${ENV})")
    ap.add_argument("--arm-commit", default="", help="commit of their checkout, recorded in the JSON")
    ap.add_argument("--currents", type=int, default=6)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--fvm-points", type=int, default=501, help="their FVM faces (their default 1000; 501 = 500 cells)")
    ap.add_argument("--fvm-step", type=float, default=1e-3, help="their FVM time step [tau_D] (their default)")
    ap.add_argument("--legendre-terms", type=int, default=150, help="their analytical L0 (their default)")
    ap.add_argument(
        "--arm-blas-threads",
        type=int,
        default=1,
        help="BLAS threads for their solvers (1: their expm is fastest so on a shared machine)",
    )
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "fp_arm.json"))
    args = ap.parse_args(argv)
    load_start = list(os.getloadavg())

    dev = preset("benchmark")
    op = operating_point(dev, 300.0)
    delta, tau_d, ic0 = (float(op.per_device(k)[0]) for k in ("delta", "tau_d", "ic0"))
    h = float(np.ravel(op.write_field("ap_to_p", 0.0))[0])
    i_red = np.linspace(1.1, 4.0, args.currents)
    i_full = np.linspace(1.1, 4.0, 50)
    pulses = np.geomspace(1e-9, 50e-9, 50)
    s_out = pulses / tau_d

    write_error_rate(dev, i_red[:2] * ic0, pulses[:2])  # compile outside the timing
    t_ours, ours = _median_time(
        lambda: np.asarray(write_error_rate(dev, i_red * ic0, pulses).values).reshape(len(i_red), len(pulses)),
        args.repeats,
    )
    t_full, _ = _median_time(lambda: write_error_rate(dev, i_full * ic0, pulses), args.repeats)

    # fine reference of ours: 4x cells, tenfold tighter step control
    saved = fp._TOL, fp._RATE_STEP
    fp._TOL, fp._RATE_STEP = saved[0] / 10, saved[1] / 10
    try:
        n_fine = 4 * fp.default_cells(delta)
        fine = np.array([fp.solve_reduced(delta, i, s_out, h=h, n_cells=n_fine).wer for i in i_red])
    finally:
        fp._TOL, fp._RATE_STEP = saved

    result = {
        "spinaps_version": spinaps.__version__,
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "loadavg_1_5_15_min_at_start": load_start,
        "threads": {"spinaps": sp_threads.get_threads(), "env": os.environ.get(sp_threads.ENV)},
        "workload": {
            "device": "benchmark",
            "delta": delta,
            "ic0_A": ic0,
            "tau_d_s": tau_d,
            "h_reduced": h,
            "stt_form": "constant",
            "criterion": "end_state",
            "currents_ic0": i_red.tolist(),
            "n_pulses": 50,
            "pulse_range_s": [1e-9, 50e-9],
        },
        "ours_s": t_ours,
        "ours_50x50_s": t_full,
        "ours_vs_fine_max_rel": _agreement(ours, fine)[0],
        "wer_floor": WER_FLOOR,
        "smallest_wer_in_map": float(fine.min()),
        "repeats": args.repeats,
    }
    mods, reason = _import_arm(args.arm_src)
    if mods is None:
        result["arm_comparison"] = {"run": False, "reason": reason}
    else:
        arm_fvm, arm_an = mods
        with sp_threads.blas_limit(args.arm_blas_threads):
            t0 = time.perf_counter()
            fvm = np.array([arm_fvm_wer(arm_fvm, delta, i, h, s_out, args.fvm_points, args.fvm_step) for i in i_red])
            t_fvm = time.perf_counter() - t0
            t0 = time.perf_counter()
            ana = np.array([arm_analytical_wer(arm_an, delta, i, h, s_out, args.legendre_terms) for i in i_red])
            t_ana = time.perf_counter() - t0
        result["arm_comparison"] = {
            "run": True,
            "source": "ARM-software/mram_simulation_framework",
            "commit": args.arm_commit or None,
            "blas_threads": args.arm_blas_threads,
            "fvm": {
                "faces": args.fvm_points,
                "t_step_tau_d": args.fvm_step,
                "time_s": t_fvm,
                "max_rel_vs_ours": _agreement(fvm, ours)[0],
                "max_rel_vs_fine": _agreement(fvm, fine)[0],
                "smallest_wer_within_2pct_of_fine": _smallest_within(fvm, fine, 0.02),
            },
            "analytical": {
                "legendre_terms": args.legendre_terms,
                "time_s": t_ana,
                "max_rel_vs_ours": _agreement(ana, ours)[0],
                "max_rel_vs_fine": _agreement(ana, fine)[0],
                "smallest_wer_within_2pct_of_fine": _smallest_within(ana, fine, 0.02),
            },
            "ours_smallest_wer_within_2pct_of_fine": _smallest_within(ours, fine, 0.02),
            "speed_ratio_fvm_over_ours": t_fvm / t_ours,
            "speed_ratio_analytical_over_ours": t_ana / t_ours,
        }
    result["loadavg_1_5_15_min_at_end"] = list(os.getloadavg())
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
