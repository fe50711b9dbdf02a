"""Device-layer names renamed to follow docs/glossary.md: the old keyword or field still
works for one release, warns with a DeprecationWarning that names it, gives the same
result as the new name, and cannot be given together with it."""

import inspect
import warnings

import numpy as np
import pytest

from spinaps.deprecation import deprecated_names
from spinaps.device import (
    Pulse,
    calibrate,
    calibration,
    mean_switching_time,
    precessional_switching_time,
    pulse_for_wer,
    sample_variability,
    simulate,
    switching_probability,
    worst_of_n_pulse,
    write_error_rate,
)
from spinaps.device.calibration import CalibrationResult, predict
from spinaps.device.measurements import from_columns


def _same(a, b):
    """Equal values, coordinates and dims (the attrs hold a creation time)."""
    np.testing.assert_array_equal(np.asarray(a.values), np.asarray(b.values))
    assert a.dims == b.dims
    for name in b.coords:
        np.testing.assert_array_equal(a[name].values, b[name].values)


@pytest.fixture
def ic(bench):
    return float(bench.ic0)


# (function, positional args, new keywords, old keywords) for each renamed keyword
def _calls(bench, ic):
    ens = sample_variability(bench, 3, spread={"diameter": 0.02}, seed=4)
    return {
        "write_error_rate current": (
            write_error_rate,
            (bench,),
            dict(i_write=2 * ic, t_pulse=5e-9, method="butler"),
            dict(current=2 * ic, t_pulse=5e-9, method="butler"),
        ),
        "pulse_for_wer current": (
            pulse_for_wer,
            (bench,),
            dict(i_write=2 * ic, target=1e-6),
            dict(current=2 * ic, target=1e-6),
        ),
        "switching_probability current": (
            switching_probability,
            (bench,),
            dict(i_write=np.array([0.5, 2.0]) * ic, t_pulse=1e-8),
            dict(current=np.array([0.5, 2.0]) * ic, t_pulse=1e-8),
        ),
        "switching_probability model": (
            switching_probability,
            (bench, 2 * ic, 1e-8),
            dict(method="precessional"),
            dict(model="precessional"),
        ),
        "mean_switching_time current": (mean_switching_time, (bench,), dict(i_write=2 * ic), dict(current=2 * ic)),
        "mean_switching_time model": (mean_switching_time, (bench, 2 * ic), dict(method="sun"), dict(model="sun")),
        "precessional_switching_time current": (
            precessional_switching_time,
            (bench,),
            dict(i_write=2 * ic, theta0=0.01),
            dict(current=2 * ic, theta0=0.01),
        ),
        "worst_of_n_pulse current": (
            worst_of_n_pulse,
            (ens,),
            dict(i_write=2 * ic, target=1e-6, n_array=2),
            dict(current=2 * ic, target=1e-6, n_array=2),
        ),
        "simulate duration": (
            simulate,
            (bench, 2 * ic),
            dict(t_end=2e-10, n_devices=3, seed=5),
            dict(duration=2e-10, n_devices=3, seed=5),
        ),
    }


CALLS = [
    "write_error_rate current",
    "pulse_for_wer current",
    "switching_probability current",
    "switching_probability model",
    "mean_switching_time current",
    "mean_switching_time model",
    "precessional_switching_time current",
    "worst_of_n_pulse current",
    "simulate duration",
]


@pytest.mark.parametrize("case", CALLS)
def test_old_keyword_warns_and_gives_the_new_result(bench, ic, case):
    func, args, new_kw, old_kw = _calls(bench, ic)[case]
    old = case.split()[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # the new name never warns
        new = func(*args, **new_kw)
    with pytest.warns(DeprecationWarning, match=f"'{old}' is deprecated"):
        got = func(*args, **old_kw)
    if hasattr(new, "data_vars"):  # simulate: a Dataset
        for name in new.data_vars:
            _same(got[name], new[name])
    else:
        _same(got, new)


@pytest.mark.parametrize("case", CALLS)
def test_old_and_new_keyword_together_is_a_type_error(bench, ic, case):
    func, args, new_kw, old_kw = _calls(bench, ic)[case]
    old = case.split()[1]
    with pytest.raises(TypeError, match=f"both '{old}'"):
        func(*args, **{**new_kw, **old_kw})


@pytest.mark.parametrize(
    "func, old, new",
    [
        (write_error_rate, "current", "i_write"),
        (pulse_for_wer, "current", "i_write"),
        (switching_probability, "current", "i_write"),
        (switching_probability, "model", "method"),
        (mean_switching_time, "current", "i_write"),
        (mean_switching_time, "model", "method"),
        (precessional_switching_time, "current", "i_write"),
        (worst_of_n_pulse, "current", "i_write"),
        (simulate, "duration", "t_end"),
        (calibrate, "model", "method"),
        (predict, "model", "method"),
    ],
)
def test_signatures_carry_only_the_new_names(func, old, new):
    params = inspect.signature(func).parameters
    assert new in params and old not in params
    assert deprecated_names(func)[old] == new


def test_pulse_width_is_t_pulse(bench, ic):
    with pytest.warns(DeprecationWarning, match="'width' is deprecated, use 't_pulse'"):
        old = Pulse(2 * ic, width=3e-9)
    new = Pulse(2 * ic, t_pulse=3e-9)
    assert old == new
    with pytest.warns(DeprecationWarning, match="Pulse.width"):
        assert old.width == new.t_pulse == 3e-9
    with pytest.raises(TypeError, match="both 'width'"):
        Pulse(2 * ic, width=3e-9, t_pulse=3e-9)
    t = np.linspace(0.0, 5e-9, 11)
    np.testing.assert_array_equal(old.shape(t), new.shape(t))


@pytest.fixture
def tmr_bias():
    v = np.linspace(-0.6, 0.6, 7)
    return from_columns("tmr_vs_bias", voltage=v, tmr=1.5 / (1 + (v / 0.5) ** 2) * (1 + 0.01 * np.cos(7 * v)))


def test_calibrate_and_predict_model_is_method(bench, tmr_bias):
    new = calibrate(tmr_bias, bench, method="analytic")
    with pytest.warns(DeprecationWarning, match="'model' is deprecated, use 'method'"):
        old = calibrate(tmr_bias, bench, model="analytic")
    np.testing.assert_array_equal(old.values, new.values)
    assert new.method == "analytic" and new.to_dataset().attrs["method"] == "analytic"
    with pytest.warns(DeprecationWarning, match="CalibrationResult.model"):
        assert old.model == "analytic"
    with pytest.raises(TypeError, match="both 'model'"):
        calibrate(tmr_bias, bench, model="analytic", method="analytic")
    with pytest.warns(DeprecationWarning, match="'model' is deprecated"):
        np.testing.assert_array_equal(
            predict(bench, tmr_bias, model="analytic")["tmr"], predict(bench, tmr_bias, method="analytic")["tmr"]
        )


def test_calibration_result_accepts_the_old_field(bench, tmr_bias):
    fields = dict(
        params=bench,
        names=("tmr0",),
        values=np.ones(1),
        stderr=np.ones(1),
        cov=np.eye(1),
        initial=np.ones(1),
        residuals=np.zeros(7),
        dof=6,
        success=True,
        message="",
        measurement=tmr_bias,
        options={},
    )
    with pytest.warns(DeprecationWarning, match="'model' is deprecated"):
        old = CalibrationResult(model="analytic", **fields)
    assert old == CalibrationResult(method="analytic", **fields)


def test_models_table_is_methods():
    with pytest.warns(DeprecationWarning, match="MODELS is deprecated, use METHODS"):
        assert calibration.MODELS is calibration.METHODS
    with pytest.raises(AttributeError):
        calibration.NO_SUCH_NAME  # noqa: B018
