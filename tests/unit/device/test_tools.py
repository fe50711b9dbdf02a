"""The device layer's shared helpers and data path: one temperature conversion per
public call, xarray outputs with units, scipy root finders equal to the bisections they
replace, the Wilson interval, and no private names imported across modules."""

import ast
import dataclasses
import warnings
from pathlib import Path
from unittest import mock

import numpy as np
import pint
import pytest
import xarray as xr
from scipy import stats

import spinaps
from spinaps.device import (
    MTJParams,
    calibration,
    current_for_wer,
    first_passage_time,
    mean_switching_time,
    precessional_switching_time,
    pulse_for_wer,
    read_disturb_probability,
    retention_failure_probability,
    sample_variability,
    simulate,
    switching,
    switching_probability,
    thermal_escape_time,
    tools,
    worst_of_n_pulse,
    write_error_rate,
)
from spinaps.device.measurements import from_columns
from spinaps.device.presets import ku_for_delta

T_HOT = 350.0


@pytest.fixture
def hot(bench):
    """The benchmark device with a temperature law, so that a conversion changes it."""
    return dataclasses.replace(bench, curie_temperature=900.0, tmr_bloch_coefficient=1e-5)


# --------------------------------------------------------------------------- operating point
def test_operating_point_is_the_converted_device(hot):
    op = tools.operating_point(hot, T_HOT)
    p = hot.at_temperature(T_HOT)
    assert op.params == p and op.params != hot and op.temperature == T_HOT
    for name, value in (
        ("delta", p.delta(T_HOT)),
        ("tau_d", p.tau_d),
        ("ic0", p.ic0),
        ("hk_eff", p.hk_eff),
        ("polarization", p.polarization),
    ):
        assert float(getattr(op, name)) == float(value)
    assert float(op.delta) == pytest.approx(float(hot.delta(T_HOT)), rel=1e-15)
    assert op.attempt_time is None
    ens = dataclasses.replace(hot, diameter=np.array([30e-9, 40e-9]))
    shaped = tools.operating_point(ens, T_HOT).shaped((-1, 1))
    assert shaped.delta.shape == (2, 1) and shaped.per_device("ic0").shape == (2,)


def _at_temperature_calls(func):
    original = MTJParams.at_temperature
    with mock.patch.object(MTJParams, "at_temperature", autospec=True, side_effect=original) as spy:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            func()
    return spy.call_count


def _public_calls(hot):
    ic, tau = float(hot.ic0), float(hot.tau_d)
    i_w, t_p = np.array([1.5, 2.0]) * ic, np.array([5.0, 20.0]) * tau
    ens = sample_variability(hot, 4, spread={"diameter": 0.02}, seed=1)
    ic50 = from_columns(
        "ic_vs_pulse_width",
        t_pulse=np.geomspace(1e-9, 1e-6, 3),
        current=np.full(3, 1e-4),
        conditions={"temperature": T_HOT},
    )
    kw = dict(temperature=T_HOT)
    return {
        "write_error_rate fokker_planck": lambda: write_error_rate(hot, i_w, t_p, **kw),
        "write_error_rate butler": lambda: write_error_rate(hot, i_w, t_p, method="butler", **kw),
        "write_error_rate precessional": lambda: write_error_rate(hot, i_w, t_p, method="precessional", **kw),
        "write_error_rate auto": lambda: write_error_rate(hot, i_w, t_p, method="auto", **kw),
        "write_error_rate llg": lambda: write_error_rate(hot, i_w, t_p, method="llg", n_samples=10, seed=1, **kw),
        "write_error_rate ensemble": lambda: write_error_rate(ens, i_w, t_p, **kw),
        "pulse_for_wer": lambda: pulse_for_wer(hot, i_w, 1e-6, **kw),
        "current_for_wer": lambda: current_for_wer(hot, 1e-8, 1e-6, **kw),
        "switching_probability auto": lambda: switching_probability(hot, i_w, t_p, **kw),
        "switching_probability llg": lambda: switching_probability(
            hot, i_w, t_p, method="llg", n_samples=10, seed=1, **kw
        ),
        "retention_failure_probability fokker_planck": lambda: retention_failure_probability(hot, 1.0, **kw),
        "retention_failure_probability thermal": lambda: retention_failure_probability(
            hot, 1.0, method="thermal", **kw
        ),
        "read_disturb_probability": lambda: read_disturb_probability(hot, 0.2 * ic, 1e-8, **kw),
        "mean_switching_time exact": lambda: mean_switching_time(hot, i_w, **kw),
        "mean_switching_time thermal": lambda: mean_switching_time(hot, 0.3 * ic, method="thermal", **kw),
        "thermal_escape_time": lambda: thermal_escape_time(hot, 0.2 * ic, **kw),
        "first_passage_time": lambda: first_passage_time(hot, 0.2 * ic, **kw),
        "simulate": lambda: simulate(hot, 2 * ic, 1e-10, n_devices=2, seed=1, **kw),
        "worst_of_n_pulse": lambda: worst_of_n_pulse(ens, i_w, 1e-6, 10, **kw),
        "predict ic_vs_pulse_width thermal": lambda: calibration.predict(hot, ic50, method="thermal"),
        "predict ic_vs_pulse_width precessional": lambda: calibration.predict(hot, ic50, method="precessional"),
        "predict ic_vs_pulse_width fokker_planck": lambda: calibration.predict(hot, ic50, method="fokker_planck"),
    }


PUBLIC_CALLS = [
    "write_error_rate fokker_planck",
    "write_error_rate butler",
    "write_error_rate precessional",
    "write_error_rate auto",
    "write_error_rate llg",
    "write_error_rate ensemble",
    "pulse_for_wer",
    "current_for_wer",
    "switching_probability auto",
    "switching_probability llg",
    "retention_failure_probability fokker_planck",
    "retention_failure_probability thermal",
    "read_disturb_probability",
    "mean_switching_time exact",
    "mean_switching_time thermal",
    "thermal_escape_time",
    "first_passage_time",
    "simulate",
    "worst_of_n_pulse",
    "predict ic_vs_pulse_width thermal",
    "predict ic_vs_pulse_width precessional",
    "predict ic_vs_pulse_width fokker_planck",
]


@pytest.mark.parametrize("case", PUBLIC_CALLS)
def test_one_temperature_conversion_per_public_call(hot, case):
    """Before the one-way data path a WER call re-entered ``at_temperature`` up to six
    times (analytic methods 3, LLG 6, retention 3, read disturb 2)."""
    assert _at_temperature_calls(_public_calls(hot)[case]) == 1


def test_the_spy_counts_conversions(hot):
    # the counting itself: two explicit conversions are two
    assert _at_temperature_calls(lambda: (hot.at_temperature(T_HOT), hot.at_temperature(300.0))) == 2


# --------------------------------------------------------------------------- xarray outputs
UREG = pint.UnitRegistry()


def _units_parse(da):
    for var in [da, *da.coords.values()]:
        UREG.parse_units(var.attrs["units"])  # raises if pint cannot read it


@pytest.mark.parametrize(
    "func, name",
    [
        (lambda p, i: thermal_escape_time(p, 0.2 * i), "tau"),
        (lambda p, i: first_passage_time(p, 0.2 * i), "t_first_passage"),
        (lambda p, i: precessional_switching_time(p, 2.0 * i, 0.05), "t_switch"),
        (lambda p, i: mean_switching_time(p, 2.0 * i), "t_switch"),
    ],
)
def test_times_are_0d_dataarrays_in_seconds_for_scalar_inputs(bench, func, name):
    da = func(bench, float(bench.ic0))
    assert isinstance(da, xr.DataArray) and da.ndim == 0 and da.name == name
    assert da.attrs["units"] == "s" and da.attrs["long_name"]
    _units_parse(da)


def test_time_dims_follow_the_inputs(bench):
    ic = float(bench.ic0)
    ens = dataclasses.replace(bench, diameter=np.array([38e-9, 40e-9, 42e-9]))
    sweep = np.array([0.1, 0.2, 0.3, 0.4]) * ic
    assert thermal_escape_time(bench, sweep).dims == ("current",)
    assert thermal_escape_time(ens, 0.2 * ic).dims == ("device",)
    outer = thermal_escape_time(ens, sweep)
    assert outer.dims == ("device", "current") and outer.shape == (3, 4)
    per_device = thermal_escape_time(ens, np.array([0.1, 0.2, 0.3]) * ic)  # one current per device
    assert per_device.dims == ("device",)
    for k in range(3):
        assert float(per_device[k]) == pytest.approx(float(outer[k, k]), rel=1e-14)
        assert float(outer[k, 1]) == pytest.approx(float(thermal_escape_time(ens.device(k), sweep[1])), rel=1e-14)
    fpt = first_passage_time(ens, sweep, n_grid=1001)
    assert fpt.dims == ("device", "current")
    assert float(fpt[2, 3]) == pytest.approx(float(first_passage_time(ens.device(2), sweep[3], n_grid=1001)), rel=1e-14)
    t = precessional_switching_time(ens, np.array([1.5, 2.0]) * ic, np.array([0.01, 0.05, 0.1]))
    assert t.dims == ("device", "i_write", "theta0") and t.shape == (3, 2, 3)
    assert float(t[1, 0, 2]) == pytest.approx(
        float(precessional_switching_time(ens.device(1), 1.5 * ic, 0.1)), rel=1e-14
    )
    assert mean_switching_time(ens, np.array([1.5, 2.0]) * ic).dims == ("device", "i_write")
    for da in (outer, fpt, t):
        assert np.all(np.isfinite(da.values)) and np.all(da.values > 0)
        _units_parse(da)
    with pytest.raises(ValueError, match="current"):
        thermal_escape_time(bench, np.ones((2, 2)) * 1e-6)


def test_time_functions_refuse_bad_arguments(bench):
    ic = float(bench.ic0)
    with pytest.raises(ValueError, match="method"):
        mean_switching_time(bench, 2 * ic, method="magic")
    with pytest.raises(ValueError, match="h must be a scalar"):
        thermal_escape_time(bench, 0.1 * ic, h=np.array([0.0, 0.1]))
    with pytest.raises(ValueError, match="theta0"):
        precessional_switching_time(bench, 2 * ic, np.ones((2, 2)))
    with pytest.raises(ValueError, match="I > I_c0"):
        precessional_switching_time(bench, 0.5 * ic, 0.01)


def test_write_current_outputs_are_named_i_write(bench):
    ic, tau = float(bench.ic0), float(bench.tau_d)
    i_w = np.array([1.5, 2.0]) * ic
    for da in (
        write_error_rate(bench, i_w, 10 * tau),
        switching_probability(bench, i_w, 10 * tau),
        pulse_for_wer(bench, i_w, 1e-6),
    ):
        assert da.dims == ("i_write",) and da["i_write"].attrs["units"] == "A"
        np.testing.assert_array_equal(da["i_write"].values, i_w)
        _units_parse(da)
    i = current_for_wer(bench, np.array([5e-9, 1e-8]), 1e-6)
    assert i.name == "i_write" and i.dims == ("t_pulse",) and i.attrs["units"] == "A"


# --------------------------------------------------------------------------- root finding
def _bisection(f, lo, hi, n):
    """The hand-written vectorised bisection the scipy root finder replaced (reference)."""
    lo, hi = np.broadcast_arrays(np.asarray(lo, float), np.asarray(hi, float))
    lo, hi = lo.copy(), hi.copy()
    for _ in range(n):
        mid = 0.5 * (lo + hi)
        up = f(mid) > 0
        hi = np.where(up, mid, hi)
        lo = np.where(up, lo, mid)
    return 0.5 * (lo + hi)


def test_increasing_root_matches_bisection_and_clamps_like_it():
    c = np.array([-3.0, -0.5, 0.0, 0.3, 1.9, 5.0])  # roots of x^3 + x - c; the last ones outside [-1, 1.2]
    root = tools.increasing_root(lambda x, c: x**3 + x - c, -1.0, 1.2, args=(c,))
    ref = _bisection(lambda x: x**3 + x - c, -1.0, 1.2, 200)
    np.testing.assert_allclose(root, ref, rtol=1e-12, atol=1e-13)
    assert root[0] == -1.0 and root[-1] == 1.2  # no sign change: the nearer end
    scalar = tools.increasing_root(lambda x, c: x - c, 0.0, 1.0, args=(0.25,))
    assert np.ndim(scalar) == 0 and float(scalar) == pytest.approx(0.25, abs=1e-13)


def test_critical_angle_matches_the_bisection_to_1e_10():
    rng = np.random.default_rng(3)
    s = np.exp(rng.uniform(np.log(1e-8), np.log(1e4), 4000))
    i = 1.0 + np.exp(rng.uniform(np.log(1e-3), np.log(1e3), 4000))
    lo, hi = np.log(1e-150), np.log(np.pi / 2)
    ref = np.exp(_bisection(lambda lt: s - switching._sun_exact_time(np.exp(lt), i), lo, hi, 200))
    new = switching._critical_angle(s, i)
    np.testing.assert_allclose(new, ref, rtol=1e-10, atol=0.0)
    assert (
        np.any(np.isclose(new, 1e-150, rtol=1e-12)) and np.any((new > 1e-140) & (new < 1e-10)) and np.any(new > 1.0)
    )  # the clamped end and both tails
    # Close to I_c0 (i - 1 = 1e-6) the time function itself carries rounding noise of
    # ~1e-11 tau_D; the root is then as good as the bisection's, in the residual.
    i_near = np.full(50, 1.0 + 1e-6)
    s_near = np.geomspace(1e-6, 1e2, 50)
    theta = switching._critical_angle(s_near, i_near)
    inside = theta > 1e-150
    resid = np.abs(switching._sun_exact_time(theta[inside], i_near[inside]) - s_near[inside])
    assert np.all(resid < 1e-9 * np.maximum(1.0, s_near[inside]))


@pytest.mark.parametrize("delta, attempt_time", [(20.0, None), (50.0, None), (80.0, None), (50.0, 1e-9)])
def test_thermal_and_precessional_50_percent_currents_match_the_bisection(bench, delta, attempt_time):
    p = dataclasses.replace(
        bench,
        ku=ku_for_delta(delta, diameter=bench.diameter, thickness=bench.thickness, ms=bench.ms),
        attempt_time=attempt_time,
    )
    op = tools.operating_point(p, 300.0)
    t = np.geomspace(1e-12, 1e4, 81)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        j_ref = _bisection(
            lambda j: np.log(t) - np.log(np.log(2.0) * switching.tau_escape(j, op.delta, op.tau_d, op.attempt_time)),
            -0.999,
            0.999,
            80,
        )
    np.testing.assert_allclose(calibration._ic50(p, t, 300.0, "thermal"), j_ref * op.ic0, rtol=1e-10)
    assert len(np.unique(np.round(j_ref, 6))) > 20  # the grid spans the whole thermal range
    if attempt_time is None:
        u_ref = _bisection(
            lambda u: 0.5 - switching.wer_precessional(op.delta, 1.0 + np.exp(u), t / op.tau_d),
            np.log(1e-6),
            np.log(1e3),
            80,
        )
        np.testing.assert_allclose(
            calibration._ic50(p, t, 300.0, "precessional"), (1.0 + np.exp(u_ref)) * op.ic0, rtol=1e-10
        )


# --------------------------------------------------------------------------- Wilson interval
@pytest.mark.parametrize(
    "k, n, confidence",
    [
        (0, 10, 0.95),
        (10, 10, 0.95),
        (3, 10, 0.9),
        (0, 1000, 0.999),
        (1000, 1000, 0.5),
        (1, 1, 0.95),
        (37, 200, 0.99),
        (999, 1000, 0.95),
    ],
)
def test_wilson_interval_matches_scipy(k, n, confidence):
    lo, hi = switching._wilson(np.array(float(k)), n, confidence)
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    assert float(lo) == pytest.approx(ci.low, rel=1e-12, abs=1e-15)
    assert float(hi) == pytest.approx(ci.high, rel=1e-12, abs=1e-15)


# --------------------------------------------------------------------------- imports
def _private_cross_module_uses(root):
    """``from spinaps... import _name`` and ``spinaps_module._name`` in the package source
    (the numba kernel modules ``_kernel``/``_fp_kernel`` imported as modules are allowed)."""
    allowed = {"_kernel", "_fp_kernel"}
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        aliases = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("spinaps")):
                for a in node.names:
                    if a.name.startswith("_") and not a.name.startswith("__") and a.name not in allowed:
                        found.append(f"{path}:{node.lineno}: import {a.name}")
                    aliases.add(a.asname or a.name)
            elif isinstance(node, ast.Import):
                aliases.update(a.asname or a.name.split(".")[0] for a in node.names if a.name.startswith("spinaps"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
            ):
                found.append(f"{path}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_private_names_cross_modules():
    assert _private_cross_module_uses(Path(spinaps.__file__).parent) == []


def test_the_import_check_finds_a_private_import(tmp_path):
    (tmp_path / "a.py").write_text("from .b import _hidden\nfrom . import fokker_planck as fp\nfp._solve()\n")
    assert len(_private_cross_module_uses(tmp_path)) == 2
