"""Speed of :func:`spinaps.device.simulate` against cmtj on the same stochastic LLGS workload.

Both codes integrate the same macrospin problem in the same run, and the script reports
the wall time, device-steps per second, seconds per trajectory, the speed ratio per
trajectory, and the switched fraction of each code with its binomial 1-sigma error, so
that a reader can check that the two codes agree statistically as well as compare speed.

Workload (the project's reference LLG benchmark, ``spinaps.device.preset("benchmark")``)
-----------------------------------------------------------------------------------------
* free layer: disk of diameter 40 nm and thickness 1.3 nm, M_s = 1.0e6 A/m;
* thin-film demagnetisation tensor N = diag(0, 0, 1);
* uniaxial anisotropy along z with K_u = 7.551e5 J/m^3, chosen so that
  Delta = (K_u - mu0 M_s^2 / 2) V / (k_B T) = 50 at T = 300 K;
* Gilbert damping alpha = 0.01; spin polarisation P = 0.6 with a constant
  (angle-independent) efficiency eta = P; polariser (reference layer) along -z;
* constant current I = 1.5 I_c0 for 10 ns, time step dt = 1 ps (10 000 steps),
  T = 300 K, initial state m = (sin 0.01, 0, cos 0.01) for every trajectory;
* a trajectory has "switched" when m_z(10 ns) < 0.

Unit conversions for cmtj
-------------------------
* cmtj takes the saturation magnetisation in tesla: ``Ms = mu0 * M_s``.
* cmtj takes the current as a density [A/m^2]: ``J = I / A`` with the disk area
  A = pi (20 nm)^2 (also passed to cmtj as the cell surface).
* cmtj's Slonczewski torque has amplitude a_J = hbar J / (e M_s[T] t) times an
  efficiency that, with ``SlonczewskiSpacerLayerParameter = 1`` (Lambda = 1), is
  P / 2.  Written as a field in A/m this is hbar P I / (2 e mu0 M_s V), which is
  spinaps' ``a_J = hbar eta I / (2 e mu0 M_s V)`` with eta = P: the same torque.
* K_u is passed unchanged [J/m^3] through a constant anisotropy driver; cmtj's
  anisotropy field 2 K_u / M_s[T] and demagnetising field M_s[T] / mu0 then equal
  spinaps' 2 K_u / (mu0 M_s) and M_s.
* cmtj's built-in constants (gyromagnetic ratio 220 880 m/(A s), mu0 = 1.2566e-6,
  e = 1.60217662e-19) differ from CODATA by up to 0.2 %; they are set to spinaps'
  values (``spinaps.constants``) through ``cmtj.constants.PhysicalConstants`` so
  that both codes integrate exactly the same equation.  cmtj's defaults are
  recorded in the JSON.

Why ``cmtj.Heun``
-----------------
``Junction.runSimulation`` defaults to ``SolverMode.RK4``; when a temperature
driver is set, cmtj replaces any solver other than Heun / EulerHeun by
``EulerHeun`` (printing only a warning).  That scheme is biased for this
multiplicative-noise (Stratonovich) problem, whereas ``cmtj.Heun`` is the
stochastic Heun scheme, the same scheme as spinaps.  So cmtj is always called with
``solverMode=cmtj.Heun`` explicitly.

Parallelism
-----------
``spinaps.device.simulate`` vectorises over devices and runs chunks of devices on
all cores with threads.  cmtj integrates one trajectory per ``runSimulation`` call
and holds the GIL, so it is timed twice: serially (one core, the reference with
ratio 1.0) and with a two-process ``multiprocessing`` pool (fork), each worker
building its own junction and running half the trajectories with its own seed
(``Junction.setLayerSeed``).  The pool uses the same cores as spinaps and gives
the like-for-like ratio on a two-core machine.

Timings are medians over ``--repeats`` runs; each repeat uses fresh seeds, and a
row's switched fraction pools all its repeats.  Nothing here asserts on timing.

The limit: normal-variate throughput
------------------------------------
A device-step needs three standard normal numbers (the thermal field), so the kernel
is bounded by how fast the machine makes them.  The same run measures (``normals``
in the JSON): numpy's ``Generator(SFC64).standard_normal`` in float64 and float32
(ziggurat, one thread, 1 MB blocks), and the kernel's own counter-based generator
(:mod:`spinaps.device._normal`, compiled, one thread and the package's threads), and
states the kernel's device-steps/s against them: ``3 x device-steps/s / normals/s``
is the share of the generator's throughput the whole step runs at (1 would mean the
step costs no more than its three normals).  The thread settings
(:func:`spinaps.threads.get_threads`, numba's threads, the thread environment
variables) and the load average at start and end are recorded.

Usage::

    python benchmarks/bench_llg_cmtj.py                  # full run (writes results/llg_cmtj.json)
    python benchmarks/bench_llg_cmtj.py --quick          # smoke run (results/llg_cmtj_quick.json);
                                                         # N = 2000 < one chunk, so spinaps uses 1 thread
    python benchmarks/bench_llg_cmtj.py --n-spinaps 10000 100000 --n-cmtj 2000 --repeats 5
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cmtj
import numba
import numpy as np

import spinaps
from spinaps import threads as spinaps_threads
from spinaps.constants import E_CHARGE, GAMMA0, HBAR, K_B, MU0
from spinaps.device import _normal, preset, simulate
from spinaps.device.demag import cylinder_demag_factors
from spinaps.device.llg import CHUNK

# ----------------------------------------------------------------------------- workload
PARAMS = preset("benchmark")
DIAMETER = float(PARAMS.diameter)  # 40 nm
THICKNESS = float(PARAMS.thickness)  # 1.3 nm
AREA = math.pi * (DIAMETER / 2.0) ** 2  # disk area [m^2]
MS = float(PARAMS.ms)  # [A/m]
KU = float(PARAMS.ku)  # [J/m^3]
ALPHA = float(PARAMS.alpha)
POLARIZATION = float(PARAMS.polarization)
I_WRITE = 1.5 * float(PARAMS.ic0)  # [A]
DURATION = 10e-9  # [s]
DT = 1e-12  # [s]
TEMPERATURE = 300.0  # [K]
THETA0 = 0.01  # initial tilt from +z [rad]
M0 = (math.sin(THETA0), 0.0, math.cos(THETA0))
N_STEPS = int(round(DURATION / DT))

# The disk's magnetometric demagnetising factors (our H_K,eff uses N_zz - N_xx; the full
# tensor differs from that by a field along m, which exerts no torque).
N_XX, N_ZZ = (float(n) for n in cylinder_demag_factors(THICKNESS / DIAMETER))

# cmtj units: Ms in tesla, current as a density.
MS_TESLA = MU0 * MS
J_WRITE = I_WRITE / AREA  # [A/m^2]

RESULTS = Path(__file__).resolve().parent / "results"


# ----------------------------------------------------------------------------- spinaps
def run_spinaps(n, seed):
    """One ensemble of ``n`` devices; returns the number of switched devices."""
    ds = simulate(PARAMS, I_WRITE, DURATION, dt=DT, n_devices=n, temperature=TEMPERATURE, seed=seed, m0=list(M0))
    return int(ds.switched.sum())


# ----------------------------------------------------------------------------- cmtj
def align_cmtj_constants():
    """Use spinaps' (CODATA) constants inside cmtj; return cmtj's previous values."""
    pc = cmtj.constants.PhysicalConstants
    before = {
        "gyromagnetic_ratio": pc.gyromagnetic_ratio(),
        "magnetic_permeability": pc.magnetic_permeability(),
        "elementary_charge": pc.elementary_charge(),
        "hbar": pc.hbar(),
        "boltzmann_constant": pc.boltzmann_constant(),
    }
    pc.set_gyromagnetic_ratio(GAMMA0)
    pc.set_magnetic_permeability(MU0)
    pc.set_elementary_charge(E_CHARGE)
    pc.set_hbar(HBAR)
    pc.set_boltzmann_constant(K_B)
    return before


def cmtj_iterations(duration, dt):
    """Number of steps cmtj takes: it truncates duration / dt."""
    return int(duration / dt)


def free_layer(alpha=ALPHA, beta=0.0, m0=M0):
    """The benchmark free layer as a cmtj STT layer starting at ``m0``: our disk's
    demagnetising tensor, damping ``alpha``, cmtj's field-like factor ``beta``,
    polariser along -z."""
    demag = [cmtj.CVector(N_XX, 0.0, 0.0), cmtj.CVector(0.0, N_XX, 0.0), cmtj.CVector(0.0, 0.0, N_ZZ)]
    layer = cmtj.Layer.createSTTLayer(
        "free",
        cmtj.CVector(*m0),
        cmtj.CVector(0.0, 0.0, 1.0),
        MS_TESLA,
        THICKNESS,
        AREA,
        demag,
        damping=alpha,
        SlonczewskiSpacerLayerParameter=1.0,
        beta=beta,
        spinPolarisation=POLARIZATION,
    )
    layer.setReferenceLayer(cmtj.CVector(0.0, 0.0, -1.0))  # our polariser p = -z
    return layer


def build_junction(current_density, temperature, seed=None):
    """A one-layer cmtj junction for the benchmark free layer."""
    layer = free_layer()
    junction = cmtj.Junction([layer])
    junction.setLayerAnisotropyDriver("free", cmtj.constantDriver(KU))
    junction.setLayerCurrentDriver("free", cmtj.constantDriver(current_density))
    if temperature > 0.0:
        junction.setLayerTemperatureDriver("free", cmtj.constantDriver(temperature))
    if seed is not None:
        junction.setLayerSeed("free", int(seed))
    return junction


def cmtj_trajectory(junction, duration=DURATION):
    """Reset to M0, integrate with stochastic Heun, return the final magnetisation."""
    junction.clearLog()
    junction.setLayerMagnetisation("free", cmtj.CVector(*M0))
    # positional: totalTime, timeStep, writeFrequency, verbose, calculateEnergies, solverMode
    junction.runSimulation(duration, DT, duration, False, False, cmtj.Heun)
    return junction.getLayerMagnetisation("free")


def run_cmtj(n, seed):
    """``n`` trajectories on one junction; returns the number that switched."""
    junction = build_junction(J_WRITE, TEMPERATURE, seed)
    return sum(cmtj_trajectory(junction).z < 0.0 for _ in range(n))


def _pool_task(task):
    n, seed = task
    align_cmtj_constants()  # inherited through fork already; cheap and explicit
    return run_cmtj(n, seed)


def cmtj_seed(*key):
    """A distinct 31-bit cmtj seed for each (base seed, kind, repeat, worker)."""
    return int(np.random.SeedSequence(list(key)).generate_state(1)[0] >> 1)


# ----------------------------------------------------------------------------- normals
def _best_rate(fn, count, min_time=0.5, repeats=3):
    """Largest count / wall over ``repeats`` timings, each of >= ``min_time`` seconds."""
    fn()  # warm up (JIT, page faults)
    rates = []
    for _ in range(repeats):
        k, t = 0, time.perf_counter()
        while True:
            fn()
            k += 1
            wall = time.perf_counter() - t
            if wall >= min_time:
                break
        rates.append(k * count / wall)
    return max(rates), rates


def normal_throughput(threads, quick=False):
    """Standard normal numbers per second: numpy's generator (one thread) and the
    kernel's counter-based generator (one thread and ``threads`` threads)."""
    min_time = 0.1 if quick else 0.5
    rng = np.random.Generator(np.random.SFC64(0))
    out = {}
    for dtype in (np.float64, np.float32):
        buf = np.empty(1 << 17, dtype=dtype)  # 1 MB in float64, as the former noise blocks
        best, rates = _best_rate(lambda b=buf, d=dtype: rng.standard_normal(out=b, dtype=d), buf.size, min_time)
        out[f"numpy_sfc64_{np.dtype(dtype).name}_1_thread"] = {"per_s": best, "per_s_repeats": rates}
    seed = np.uint64(0)
    steps = 64
    blocks = [np.empty((steps, 3, CHUNK)) for _ in range(max(1, threads))]

    def fill(c):
        _normal.fill(blocks[c], seed, c * CHUNK, 0)

    best, rates = _best_rate(lambda: fill(0), blocks[0].size, min_time)
    out["spinaps_kernel_generator_1_thread"] = {"per_s": best, "per_s_repeats": rates}
    if threads > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            best, rates = _best_rate(lambda: list(pool.map(fill, range(threads))), blocks[0].size * threads, min_time)
        out[f"spinaps_kernel_generator_{threads}_threads"] = {"per_s": best, "per_s_repeats": rates}
    return out


def thread_settings():
    """The package's, numba's and BLAS's threads and the thread environment variables."""
    names = ("SPINAPS_NUM_THREADS", "NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    info = {
        "spinaps_threads": spinaps_threads.get_threads(),
        "numba_threads": numba.get_num_threads(),
        "environment": {k: os.environ.get(k) for k in names},
    }
    try:
        from threadpoolctl import threadpool_info

        info["blas"] = [
            {"internal_api": p["internal_api"], "num_threads": p["num_threads"]}
            for p in threadpool_info()
            if p["user_api"] == "blas"
        ]
    except ImportError:
        info["blas"] = "threadpoolctl not installed"
    return info


# ----------------------------------------------------------------------------- helpers
def binomial(k, n):
    """Switched fraction k / n and its binomial 1-sigma error."""
    p = k / n
    return p, math.sqrt(p * (1.0 - p) / n)


def zero_temperature_check():
    """Deterministic cross-check of the unit conversions (T = 0, 20 ns).

    Below I_c0 the initial tilt decays, above it grows; both codes must give the same
    1 - m_z.  Returns {ratio: {"spinaps": 1 - m_z, "cmtj": 1 - m_z}}.
    """
    duration = 20e-9
    n = int(round(duration / DT))
    assert cmtj_iterations(duration, DT) == n
    out = {}
    for ratio in (0.95, 1.05):
        ds = simulate(
            PARAMS, ratio * float(PARAMS.ic0), duration, dt=DT, n_devices=1, temperature=0.0, seed=0, m0=list(M0)
        )
        m = cmtj_trajectory(build_junction(ratio * float(PARAMS.ic0) / AREA, 0.0), duration)
        out[str(ratio)] = {"spinaps": 1.0 - float(ds.mz[0, -1]), "cmtj": 1.0 - m.z}
    return out


def machine_info():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, check=True
        ).stdout.strip()
        # uncommitted changes under spinaps/ mean the timed code is not exactly `commit`
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--", "../spinaps"],
                cwd=here,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        commit = dirty = None
    return {
        "nproc": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)),
        "cpu_model": cpu,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "numba": numba.__version__,
        "cmtj": getattr(cmtj, "__version__", "unknown"),
        "spinaps": spinaps.__version__,
        "git_commit": commit,
        "spinaps_tree_dirty": dirty,
    }


def row(name, n_per_run, walls, k, n_samples):
    wall = statistics.median(walls)
    p, sigma = binomial(k, n_samples)
    return {
        "implementation": name,
        "n": n_per_run,
        "wall_s": wall,
        "walls_s": walls,
        "device_steps_per_s": n_per_run * N_STEPS / wall,
        "s_per_trajectory": wall / n_per_run,
        "switched": k,
        "samples": n_samples,
        "p_switch": p,
        "p_switch_sigma": sigma,
    }


# ----------------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--n-spinaps", type=int, nargs="+", default=[100_000], help="spinaps ensemble size(s) (default 100000)"
    )
    ap.add_argument("--n-cmtj", type=int, default=1000, help="cmtj trajectories per run (default 1000)")
    ap.add_argument("--repeats", type=int, default=3, help="timed repeats; the median is reported (default 3)")
    ap.add_argument("--seed", type=int, default=1, help="base seed (default 1)")
    ap.add_argument("--quick", action="store_true", help="smoke run: n-spinaps 2000, n-cmtj 50, repeats 1")
    ap.add_argument(
        "--output",
        type=Path,
        default=None,
        help="JSON file (default results/llg_cmtj.json, or results/llg_cmtj_quick.json with --quick)",
    )
    args = ap.parse_args(argv)
    if args.quick:
        args.n_spinaps, args.n_cmtj, args.repeats = [2000], 50, 1
    if args.output is None:
        args.output = RESULTS / ("llg_cmtj_quick.json" if args.quick else "llg_cmtj.json")
    if cmtj_iterations(DURATION, DT) != N_STEPS:
        raise RuntimeError("cmtj and spinaps would take different numbers of steps")

    cmtj_defaults = align_cmtj_constants()
    info = machine_info()
    load_start = os.getloadavg()  # other load on the machine makes the timings meaningless
    n_threads = spinaps_threads.get_threads()
    print(
        f"LLG benchmark: {N_STEPS} steps of {DT:g} s, T = {TEMPERATURE:g} K, I = 1.5 I_c0 = "
        f"{I_WRITE * 1e6:.3f} uA (J = {J_WRITE:.4e} A/m^2), Delta = {float(PARAMS.delta(TEMPERATURE)):.2f}"
    )
    print(
        f"machine: {info['cpu_model']}, {info['nproc']} cores; numpy {info['numpy']}, "
        f"numba {info['numba']}, cmtj {info['cmtj']}, spinaps {info['spinaps']}"
    )

    t0 = time.perf_counter()
    check = zero_temperature_check()  # also warms up the numba JIT
    simulate(PARAMS, I_WRITE, 20 * DT, dt=DT, n_devices=8, temperature=TEMPERATURE, seed=0, m0=list(M0))
    print(
        "T = 0 check, 1 - m_z after 20 ns: "
        + "; ".join(f"I = {r} I_c0: spinaps {v['spinaps']:.6e}, cmtj {v['cmtj']:.6e}" for r, v in check.items())
    )

    rows = []
    for n in args.n_spinaps:
        walls, k = [], 0
        for r in range(args.repeats):
            t = time.perf_counter()
            k += run_spinaps(n, args.seed + r)
            walls.append(time.perf_counter() - t)
        # simulate() runs chunks of CHUNK devices on min(package threads, chunks) threads
        threads = min(n_threads, -(-n // CHUNK))
        rows.append(row(f"spinaps ({threads} thread{'s' * (threads > 1)})", n, walls, k, n * args.repeats))
        rows[-1]["threads"] = threads
        print(f"  spinaps N = {n}: median {statistics.median(walls):.3f} s", flush=True)

    walls, k = [], 0
    for r in range(args.repeats):
        t = time.perf_counter()
        k += run_cmtj(args.n_cmtj, cmtj_seed(args.seed, 0, r))
        walls.append(time.perf_counter() - t)
    rows.append(row("cmtj Heun, serial", args.n_cmtj, walls, k, args.n_cmtj * args.repeats))
    rows[-1]["threads"] = 1
    print(f"  cmtj serial N = {args.n_cmtj}: median {statistics.median(walls):.3f} s", flush=True)

    walls, k = [], 0
    halves = (args.n_cmtj - args.n_cmtj // 2, args.n_cmtj // 2)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_pool_task, [(1, cmtj_seed(args.seed, 9, 0, w)) for w in range(2)])  # start the workers
        for r in range(args.repeats):
            tasks = [(h, cmtj_seed(args.seed, 1, r, w)) for w, h in enumerate(halves)]
            t = time.perf_counter()
            k += sum(pool.map(_pool_task, tasks, chunksize=1))
            walls.append(time.perf_counter() - t)
    rows.append(row("cmtj Heun, 2-process pool", args.n_cmtj, walls, k, args.n_cmtj * args.repeats))
    rows[-1]["threads"] = 2
    print(f"  cmtj pool N = {args.n_cmtj}: median {statistics.median(walls):.3f} s", flush=True)

    normals = normal_throughput(n_threads, args.quick)
    for name, v in normals.items():
        print(f"  normals, {name}: {v['per_s'] / 1e6:.1f} M/s", flush=True)

    serial, pooled = rows[-2], rows[-1]
    for r_ in rows:
        r_["speedup_vs_cmtj_serial"] = serial["s_per_trajectory"] / r_["s_per_trajectory"]
        r_["speedup_vs_cmtj_pool"] = pooled["s_per_trajectory"] / r_["s_per_trajectory"]

    # Statistical agreement: each spinaps row against all cmtj trajectories (serial + pool).
    k_c, n_c = serial["switched"] + pooled["switched"], serial["samples"] + pooled["samples"]
    p_c, s_c = binomial(k_c, n_c)
    agreement = []
    for r_ in rows[:-2]:
        z = (r_["p_switch"] - p_c) / math.hypot(r_["p_switch_sigma"], s_c)
        agreement.append(
            {
                "spinaps_n": r_["n"],
                "p_spinaps": r_["p_switch"],
                "sigma_spinaps": r_["p_switch_sigma"],
                "p_cmtj": p_c,
                "sigma_cmtj": s_c,
                "cmtj_samples": n_c,
                "z": z,
                "within_2_sigma": abs(z) < 2.0,
            }
        )
    # The kernel against its limit: three normal numbers per device-step.
    kernel_vs_normals = []
    for r_ in rows[:-2]:
        gen = normals[
            "spinaps_kernel_generator_1_thread"
            if r_["threads"] == 1
            else f"spinaps_kernel_generator_{r_['threads']}_threads"
        ]["per_s"]
        numpy64 = normals["numpy_sfc64_float64_1_thread"]["per_s"]
        kernel_vs_normals.append(
            {
                "spinaps_n": r_["n"],
                "threads": r_["threads"],
                "device_steps_per_s": r_["device_steps_per_s"],
                "normals_per_s_needed": 3 * r_["device_steps_per_s"],
                "share_of_kernel_generator_same_threads": 3 * r_["device_steps_per_s"] / gen,
                "share_of_numpy_float64_1_thread": 3 * r_["device_steps_per_s"] / numpy64,
                "numpy_float64_bound_device_steps_per_s_same_threads": numpy64 * r_["threads"] / 3,
            }
        )
    elapsed = time.perf_counter() - t0
    info["loadavg_1_5_15_min_at_start"] = list(load_start)
    info["loadavg_1_5_15_min_at_end"] = list(os.getloadavg())

    header = (
        f"{'implementation':<28} {'N':>8} {'wall [s]':>9} {'dev-steps/s':>12} {'s/traj':>10} "
        f"{'x cmtj-1':>9} {'x cmtj-2p':>9}  {'P_sw +- 1 sigma (samples)':<30}"
    )
    print()
    print(header)
    print("-" * len(header))
    for r_ in rows:
        print(
            f"{r_['implementation']:<28} {r_['n']:>8d} {r_['wall_s']:>9.3f} {r_['device_steps_per_s']:>12.4g} "
            f"{r_['s_per_trajectory']:>10.3e} {r_['speedup_vs_cmtj_serial']:>9.1f} "
            f"{r_['speedup_vs_cmtj_pool']:>9.1f}  {r_['p_switch']:.4f} +- {r_['p_switch_sigma']:.4f} "
            f"({r_['samples']})"
        )
    print(
        "x cmtj-1 / x cmtj-2p: seconds per trajectory of cmtj serial / of the cmtj 2-process pool, "
        "divided by this row's (cmtj serial = 1.0)."
    )
    for a in agreement:
        print(
            f"P_sw spinaps (N = {a['spinaps_n']}) {a['p_spinaps']:.4f} +- {a['sigma_spinaps']:.4f} vs cmtj "
            f"(all {a['cmtj_samples']} trajectories) {a['p_cmtj']:.4f} +- {a['sigma_cmtj']:.4f}: "
            f"z = {a['z']:+.2f}, {'agree' if a['within_2_sigma'] else 'DISAGREE'} within 2 sigma"
        )
    for kv in kernel_vs_normals:
        print(
            f"spinaps N = {kv['spinaps_n']} ({kv['threads']} threads): {kv['device_steps_per_s'] / 1e6:.1f} M "
            f"device-steps/s needs {kv['normals_per_s_needed'] / 1e6:.0f} M normals/s = "
            f"{kv['share_of_kernel_generator_same_threads']:.2f} x its generator alone (same threads), "
            f"{kv['share_of_numpy_float64_1_thread']:.2f} x numpy's float64 on one thread; numpy-fed bound "
            f"{kv['numpy_float64_bound_device_steps_per_s_same_threads'] / 1e6:.1f} M device-steps/s"
        )
    print(
        f"total benchmark time {elapsed:.1f} s; load average at start {load_start[0]:.2f}, "
        f"at end {info['loadavg_1_5_15_min_at_end'][0]:.2f} (1 min; this run itself adds up to "
        f"{os.cpu_count()})"
    )

    result = {
        "benchmark": "llg_cmtj",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).name] + (sys.argv[1:] if argv is None else list(argv))),
        "machine": info,
        "workload": {
            "preset": "benchmark",
            "diameter_m": DIAMETER,
            "thickness_m": THICKNESS,
            "area_m2": AREA,
            "ms_A_per_m": MS,
            "ms_T_for_cmtj": MS_TESLA,
            "ku_J_per_m3": KU,
            "alpha": ALPHA,
            "polarization": POLARIZATION,
            "stt_form": "constant (eta = P)",
            "polariser": [0, 0, -1],
            "demag": "diag(0, 0, 1)",
            "delta_300K": float(PARAMS.delta(TEMPERATURE)),
            "ic0_A": float(PARAMS.ic0),
            "current_A": I_WRITE,
            "current_density_A_per_m2": J_WRITE,
            "duration_s": DURATION,
            "dt_s": DT,
            "n_steps": N_STEPS,
            "temperature_K": TEMPERATURE,
            "m0": list(M0),
            "switched_if": "m_z(end) < 0",
        },
        "settings": {
            "n_spinaps": args.n_spinaps,
            "n_cmtj": args.n_cmtj,
            "repeats": args.repeats,
            "seed": args.seed,
            "quick": args.quick,
            "timing": "median wall time over repeats",
            "cmtj_solver": "cmtj.Heun (explicit)",
            "cmtj_pool": "multiprocessing fork, 2 processes",
            "cmtj_constants": "set to spinaps.constants",
            "cmtj_default_constants": cmtj_defaults,
        },
        "threads": thread_settings(),
        "zero_temperature_check_1_minus_mz_20ns": check,
        "rows": rows,
        "agreement": agreement,
        "normals": normals,
        "kernel_vs_normals": kernel_vs_normals,
        "total_time_s": elapsed,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
