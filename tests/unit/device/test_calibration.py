"""Calibration and the measurement data sets (spinaps.device.calibrate, spinaps.device.measurements)."""

import json
import warnings
from dataclasses import replace

import numpy as np
import pytest

from spinaps.device import calibrate, measurements, preset
from spinaps.device.calibration import DEFAULT_FIT, predict
from spinaps.device.measurements import KINDS, from_columns

from .conftest import small_device


@pytest.fixture
def truth(bench):
    """Known parameters to generate synthetic data from: the benchmark device with a
    temperature law (an assumed effective T_C = 1100 K)."""
    return replace(bench, curie_temperature=1100.0, tmr_bloch_coefficient=1.5e-5)


def _synthetic(truth, kind, x, rel_noise, seed, conditions=None):
    """Measurements of ``kind`` generated from ``truth`` with Gaussian relative noise."""
    m0 = from_columns(kind, conditions=conditions, **{KINDS[kind].x: x, KINDS[kind].y[0]: np.ones_like(x)})
    rng = np.random.default_rng(seed)
    y = {k: v * (1 + rel_noise * rng.standard_normal(v.shape)) for k, v in predict(truth, m0).items()}
    return from_columns(kind, name="synthetic", conditions=conditions, **{KINDS[kind].x: x}, **y)


def _start(truth, names):
    """30 % off the truth (15 % low for M_s, which must stay below sqrt(2 K_u / mu0))."""
    return replace(truth, **{n: getattr(truth, n) * (0.85 if n == "ms" else 1.3) for n in names})


CASES = [  # kind, x, relative noise, fitted fields, conditions
    ("tmr_vs_bias", np.linspace(-0.8, 0.8, 17), 0.02, ("tmr0", "v_half"), None),
    ("resistance_vs_bias", np.linspace(0.0, 0.6, 13), 0.01, ("ra", "tmr0", "v_half"), None),
    (
        "tmr_vs_temperature",
        np.array([5.0, 50.0, 100.0, 200.0, 300.0, 400.0]),
        0.01,
        ("tmr0", "tmr_bloch_coefficient"),
        None,
    ),
    ("delta_vs_temperature", np.linspace(250.0, 450.0, 9), 0.02, ("ku", "curie_temperature"), None),
    ("ms_vs_temperature", np.linspace(5.0, 600.0, 12), 0.01, ("ms", "curie_temperature"), None),
    ("delta_vs_diameter", np.linspace(20e-9, 60e-9, 8), 0.03, ("ku",), None),
    ("ic_vs_pulse_width", np.geomspace(1e-6, 1e-1, 10), 0.01, ("ku", "polarization"), None),
    ("retention_time_vs_temperature", np.linspace(300.0, 420.0, 6), 0.3, ("ku",), None),
]


@pytest.mark.parametrize("kind, x, noise, names, conditions", CASES, ids=[c[0] for c in CASES])
def test_synthetic_data_recover_the_true_parameters(truth, kind, x, noise, names, conditions):
    """Data generated from known parameters with realistic noise (1-3 % relative; 30 %
    on retention times) give back the truth within 3 standard errors (fixed seed:
    a 3-sigma bound fails with probability 0.3 % per parameter), from a start 15-30 % off."""
    m = _synthetic(truth, kind, x, noise, seed=1, conditions=conditions)
    fit = calibrate(m, _start(truth, names), fit=names)
    assert fit.success and fit.dof == m.n_points - len(names)
    true = np.array([float(getattr(truth, n)) for n in names])
    assert np.all(np.isfinite(fit.stderr)) and np.all(fit.stderr > 0)
    assert np.all(np.abs(fit.values - true) < 3 * fit.stderr), (fit.values, true, fit.stderr)
    # the standard errors are informative, not huge
    assert np.all(fit.stderr < 0.5 * np.abs(true))


@pytest.mark.slow
def test_wer_data_recover_delta_and_ic0(bench):
    """Write error rates 1e-2 ... 1e-9 (log-normal scatter of 10 %, a typical
    bit-count statistics) recover K_u and P within 3 standard errors."""
    ic = float(bench.ic0)
    m = _synthetic(bench, "wer_vs_current", np.linspace(1.6, 3.2, 7) * ic, 0.1, seed=2, conditions={"t_pulse": 20e-9})
    assert m.columns["wer"].min() < 1e-8
    names = ("ku", "polarization")
    fit = calibrate(m, replace(bench, ku=float(bench.ku) * 1.02, polarization=0.5), fit=names)
    true = np.array([float(bench.ku), float(bench.polarization)])
    assert np.all(np.abs(fit.values - true) < 3 * fit.stderr), (fit.values, true, fit.stderr)


def test_standard_errors_have_the_stated_coverage(truth):
    """Over 200 noisy replicas the 1-sigma interval contains the truth 68 % of the
    time: within 0.58-0.78 (3 binomial sigmas of 0.033)."""
    x = np.linspace(-0.8, 0.8, 15)
    hits = []
    for seed in range(200):
        m = _synthetic(truth, "tmr_vs_bias", x, 0.03, seed=seed)
        fit = calibrate(m, truth, fit=("v_half",))
        hits.append(abs(fit.values[0] - float(truth.v_half)) < fit.stderr[0])
    assert 0.58 < np.mean(hits) < 0.78


def test_published_uncertainties_give_absolute_covariance(truth):
    x = np.linspace(-0.8, 0.8, 15)
    m = _synthetic(truth, "tmr_vs_bias", x, 0.02, seed=4)
    sigma = 0.02 * m.columns["tmr"]
    with_sigma = from_columns("tmr_vs_bias", voltage=x, tmr=m.columns["tmr"], uncertainty={"tmr": sigma})
    a = calibrate(m, truth, fit=("v_half",))
    b = calibrate(with_sigma, truth, fit=("v_half",))
    assert b.values[0] == pytest.approx(a.values[0], rel=1e-3)
    chi2 = np.sum(b.residuals**2) / b.dof  # ~1 for correctly stated noise
    assert b.stderr[0] == pytest.approx(a.stderr[0] / np.sqrt(chi2), rel=1e-3)


def test_shipped_data_sets_load_and_calibrate():
    """Every shipped TMR(T) set loads and calibrates (the switching sets are fitted in
    test_calibration_rehm2024.py)."""
    names = [n for n in measurements.list() if n.endswith("tmr_vs_temperature")]
    assert len(names) >= 3
    for name in names:
        m = measurements.load(name)
        assert m.name == name and m.reference and m.how_taken and m.citation_key
        if m.kind != "tmr_vs_temperature":
            continue  # the two-point TMR sets; Rehm2021 (M_s, K_eff t vs T): test_presets_temperature.py
        with pytest.warns(UserWarning, match="interpolates"):
            fit = calibrate(m, preset("Ikeda2010"))
        np.testing.assert_allclose(predict(fit.params, m)["tmr"], m.columns["tmr"], rtol=1e-6)
        ds = fit.to_dataset()
        assert m.citation_key in ds.attrs["citation_keys"]


def test_result_plot_and_dataset(truth):
    import matplotlib

    matplotlib.use("Agg")
    m = _synthetic(truth, "ic_vs_pulse_width", np.geomspace(1e-6, 1e-1, 8), 0.01, seed=3)
    fit = calibrate(m, truth)
    ax = fit.plot()
    assert ax.get_xscale() == "log" and len(ax.lines) >= 1
    ds = fit.to_dataset()
    assert list(ds.field.values) == list(DEFAULT_FIT["ic_vs_pulse_width"])


def test_precessional_model_recovers_ic0(bench):
    """Short pulses: the 50 % current of Sun's precessional model with thermal initial
    angles; fitting P recovers I_c0."""
    m = _synthetic(bench, "ic_vs_pulse_width", np.geomspace(1e-9, 2e-8, 8), 0.01, seed=5)
    m = from_columns(
        "ic_vs_pulse_width",
        t_pulse=m.x,
        current=predict(bench, m, method="precessional")["current"] * (1 + 0.01 * np.sin(np.arange(8))),
    )
    fit = calibrate(m, replace(bench, polarization=0.45), fit=("polarization",), method="precessional")
    assert float(fit.params.ic0) == pytest.approx(float(bench.ic0), rel=0.02)


# ------------------------------------------------------------------ bad files
def _write(tmp_path, d, name="bad.json"):
    path = tmp_path / name
    path.write_text(json.dumps(d) if isinstance(d, dict) else d)
    return path


GOOD = {
    "name": "bad",
    "kind": "tmr_vs_bias",
    "columns": {
        "voltage": {"units": "V", "values": [0.0, 0.2, 0.4, 0.6]},
        "tmr": {"units": "1", "values": [1.5, 1.3, 1.0, 0.7]},
    },
}


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda d: d["columns"].pop("voltage"), "missing column 'voltage'"),
        (lambda d: d["columns"].pop("tmr"), "missing measured column"),
        (lambda d: d["columns"]["voltage"].update(units="mV"), "'voltage' must be in 'V'"),
        (lambda d: d["columns"]["tmr"].update(values=[1.5, 1.3]), "has 2 values"),
        (lambda d: d["columns"]["tmr"].update(values=[1.5, 1.3, np.nan, 1.0]), "non-finite|non-numbers"),
        (lambda d: d.update(kind="magic"), "unknown kind"),
        (lambda d: d.pop("kind"), "missing field 'kind'"),
        (lambda d: d["columns"].update(tau={"units": "s", "values": [1, 2, 3, 4]}), "does not belong"),
    ],
)
def test_bad_measurement_files_are_named(tmp_path, change, match):
    d = json.loads(json.dumps(GOOD))
    change(d)
    with pytest.raises(ValueError, match=match):
        measurements.load(_write(tmp_path, d))


def test_negative_pulse_widths_are_rejected():
    with pytest.raises(ValueError, match="'t_pulse' must be > 0"):
        from_columns("ic_vs_pulse_width", t_pulse=[1e-9, -1e-9, 1e-8], current=[1e-4, 1e-4, 1e-4])


def test_probability_outside_unit_interval_is_rejected():
    with pytest.raises(ValueError, match="probability"):
        from_columns("psw_vs_current", current=[1e-4, 2e-4], p_switch=[0.5, 1.2], conditions={"t_pulse": 1e-9})


def test_missing_condition_is_named():
    with pytest.raises(ValueError, match="needs the condition 't_pulse'"):
        from_columns("wer_vs_current", current=[1e-4, 2e-4], wer=[1e-3, 1e-6])


def test_fewer_points_than_parameters(bench):
    m = from_columns("tmr_vs_bias", voltage=[0.0, 0.3], tmr=[1.5, 1.2])
    with pytest.raises(ValueError, match="fewer than the 3 fitted parameters"):
        calibrate(m, bench, fit=("tmr0", "v_half", "ra"))


def test_invalid_json_and_unknown_names(tmp_path):
    with pytest.raises(ValueError, match="not valid JSON"):
        measurements.load(_write(tmp_path, "{not json"))
    with pytest.raises(ValueError, match="no shipped measurement"):
        measurements.load("Nobody1999_tmr_vs_bias")
    with pytest.raises(FileNotFoundError):
        measurements.load(tmp_path / "absent.json")


def test_bad_fit_requests(bench):
    m = from_columns("tmr_vs_bias", voltage=[0.0, 0.3, 0.6], tmr=[1.5, 1.2, 0.8])
    with pytest.raises(ValueError, match="unknown field"):
        calibrate(m, bench, fit=("colour",))
    with pytest.raises(ValueError, match="method"):
        calibrate(m, bench, method="magic")
    ens = replace(bench, ku=np.array([float(bench.ku)] * 2))
    with pytest.raises(ValueError, match="single device"):
        calibrate(m, ens)


def test_small_device_switching_probability_fit_runs():
    """Switching probabilities versus pulse width (absolute residuals) fit K_u and P."""
    dev = small_device(20.0, 0.05)
    t = np.array([2.0, 3.0, 4.0, 6.0]) * float(dev.tau_d)
    cond = {"current": 1.5 * float(dev.ic0)}
    m0 = from_columns("psw_vs_pulse_width", t_pulse=t, p_switch=np.full(4, 0.5), conditions=cond)
    p = predict(dev, m0)["p_switch"]
    m = from_columns(
        "psw_vs_pulse_width", t_pulse=t, p_switch=np.clip(p + [0.01, -0.01, 0.01, -0.005], 0, 1), conditions=cond
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = calibrate(m, replace(dev, polarization=0.5), fit=("polarization",))
    assert float(fit.values[0]) == pytest.approx(0.6, rel=0.03)


def test_cofeb_preset_tmr_law_is_the_skowronski_calibration():
    """The presets' TMR temperature coefficient is what calibrating to the shipped
    Skowronski et al. (2017) data gives (to the 3 digits quoted)."""
    from spinaps.device.presets import TMR_BLOCH_COFEB

    with pytest.warns(UserWarning, match="interpolates"):
        fit = calibrate(measurements.load("Skowronski2017_tmr_vs_temperature"), preset("Ikeda2010"))
    assert fit.values[1] == pytest.approx(TMR_BLOCH_COFEB, rel=5e-3)
    assert float(preset("Ikeda2010").tmr_bloch_coefficient) == TMR_BLOCH_COFEB


@pytest.mark.parametrize(
    "wer, sigma, match",
    [
        ([1.5, np.nan], [0.1, 0.1], "'wer' contains non-finite"),  # the reviewers' case: the values are checked
        ([1.5, 1e-3], [0.1, 0.1], "'wer' is a probability"),
        ([1e-2, 1e-3], [np.nan, 1e-4], "uncertainty of 'wer' contains non-finite"),
        ([1e-2, 1e-3], [-1e-3, 1e-4], "uncertainty of 'wer' must be > 0"),
        ([1e-2, 1e-3], [1e-3], "uncertainty of 'wer' has 1 values"),
    ],
)
def test_measured_values_and_their_uncertainties_are_both_checked(wer, sigma, match):
    """An uncertainty does not stand in for the column it qualifies: both are checked."""
    with pytest.raises(ValueError, match=match):
        from_columns(
            "wer_vs_current", current=[1e-4, 2e-4], wer=wer, uncertainty={"wer": sigma}, conditions={"t_pulse": 1e-8}
        )


def test_uncertainty_of_a_column_the_set_lacks_is_rejected():
    with pytest.raises(ValueError, match="uncertainty of 'r_ap'.*no column 'r_ap'"):
        from_columns("resistance_vs_bias", voltage=[0.0, 0.3], r_p=[2e3, 1.9e3], uncertainty={"r_ap": [10.0, 10.0]})


def test_an_uncertainty_larger_than_one_on_a_probability_is_allowed():
    """An uncertainty is not itself a probability (only finite and > 0)."""
    m = from_columns(
        "wer_vs_current",
        current=[1e-4, 2e-4],
        wer=[0.5, 0.1],
        uncertainty={"wer": [1.2, 0.1]},
        conditions={"t_pulse": 1e-8},
    )
    np.testing.assert_array_equal(m.columns["wer"], [0.5, 0.1])
    np.testing.assert_array_equal(m.uncertainty["wer"], [1.2, 0.1])
