"""Fokker-Planck solver: against an independent reference, analytic limits and its own refinements."""

import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from spinaps.device import fokker_planck as fp
from spinaps.device.switching import mean_first_passage_reduced

REFERENCE = json.loads((Path(__file__).parent / "reference" / "fp_reference.json").read_text())


def _reference_groups():
    groups = defaultdict(list)
    for p in REFERENCE["points"]:
        groups[(p["delta"], p["i"])].append(p)
    return sorted(groups.items())


@pytest.mark.parametrize("key, points", _reference_groups(), ids=lambda v: str(v) if isinstance(v, tuple) else "")
def test_matches_independent_spectral_reference(key, points):
    """WER and flip probability against the Legendre-Galerkin / Talbot reference
    (tests/unit/device/reference/fp_reference.py, converged to 4e-17), WER down to 1e-15.

    Tolerance 1 %: the documented accuracy of the solver (the issue asks for 5 %); the
    observed worst case is 0.4 % at WER ~ 1e-15."""
    delta, i = key
    r = fp.solve_reduced(delta, i, [p["s"] for p in points])
    for p, wer, flip in zip(points, r.wer, r.p_flip):
        assert wer == pytest.approx(p["wer"], rel=0.01), (p["s"], p["wer"])
        if p["p_flip"] < 0.999:  # above, 1 - p_flip carries the information and WER checks it
            assert flip == pytest.approx(p["p_flip"], rel=0.01), (p["s"], p["p_flip"])


def test_reference_reaches_the_far_tail():
    """The reference table itself spans what the accuracy claim needs."""
    assert min(p["wer"] for p in REFERENCE["points"]) < 1e-15
    assert max(p["rel_convergence"] for p in REFERENCE["points"]) < 1e-10


@pytest.mark.parametrize("delta, i, s", [(50, 2.0, 19.0), (80, 1.2, 77.0), (20, 3.0, 9.5)])
def test_tail_converges_under_grid_and_step_refinement(delta, i, s, monkeypatch):
    """At WER ~ 1e-15: four times the cells and a ten times tighter step control change
    the result by < 1 % (observed < 0.6 % and < 0.9 %); 1 % is the documented accuracy."""
    base = fp.solve_reduced(delta, i, [s])
    assert 1e-16 < base.wer[0] < 1e-14
    fine_grid = fp.solve_reduced(delta, i, [s], n_cells=4 * fp.default_cells(delta))
    monkeypatch.setattr(fp, "_TOL", fp._TOL / 10)
    monkeypatch.setattr(fp, "_RATE_STEP", fp._RATE_STEP / 10)
    fine_steps = fp.solve_reduced(delta, i, [s])
    assert fine_grid.wer[0] == pytest.approx(base.wer[0], rel=0.01)
    assert fine_steps.wer[0] == pytest.approx(base.wer[0], rel=0.01)
    # The reported estimate (the difference of the ds and ds/2 runs, before
    # extrapolation) bounds the error of the extrapolated value.
    assert abs(fine_steps.wer[0] / base.wer[0] - 1.0) < base.err_wer[0]


def test_tail_decays_at_butlers_rate():
    """Far above I_c0 the WER tail decays as exp(-2 (i - 1) s) (Butler et al. 2012);
    over s = 12 -> 19 the local slope is within 2 % of -2 (i - 1) (observed 1 %)."""
    i = 2.0
    r = fp.solve_reduced(50.0, i, [12.0, 19.0])
    slope = np.log(r.wer[1] / r.wer[0]) / 7.0
    assert slope == pytest.approx(-2.0 * (i - 1.0), rel=0.02)


@pytest.mark.parametrize("delta, i", [(20.0, 1.5), (10.0, 0.5), (8.0, 0.0)])
def test_survival_integrates_to_mean_first_passage_time(delta, i):
    """First-passage criterion: int_0^inf S(s) ds = T_mfpt, the exact quadrature of
    the mean first-passage time to the equator (Brown 1963; Coffey et al.).  Tolerance
    1 %: the solver's accuracy; the trapezoid on 4000 log-spaced points adds < 1e-4."""
    t_mfpt = float(mean_first_passage_reduced(delta, i))
    s = np.geomspace(1e-4, 40 * t_mfpt, 4000)
    r = fp.solve_reduced(delta, i, s, criterion="first_passage")
    assert r.wer[-1] < 1e-12
    integral = np.trapezoid(np.concatenate([[1.0], r.wer]), np.concatenate([[0.0], s]))
    assert integral == pytest.approx(t_mfpt, rel=0.01)


def test_zero_current_flip_is_half_the_escape_rate():
    """At i = 0 and s << T_mfpt the flip probability (m_z < 0) grows as s / (2 T_mfpt):
    half of the escapes to the equator go on to the other well.  Tolerance 1 %: the
    linear regime (s / T_mfpt < 1e-3) is exact to 1e-3, the solver to < 1 %."""
    delta = 50.0
    t_mfpt = float(mean_first_passage_reduced(delta, 0.0))
    s = np.array([1e-4, 1e-3]) * t_mfpt
    r = fp.solve_reduced(delta, 0.0, s)
    np.testing.assert_allclose(r.p_flip, s / (2.0 * t_mfpt), rtol=0.01)


def test_long_times_relax_with_the_lowest_eigenvalue():
    """P_flip(s) = (1 - exp(-lambda_1 s)) / 2 once the wells have equilibrated, with
    lambda_1 from the reference's inverse iteration (Delta = 10): 0.5 % tolerance."""
    lam = next(e["lambda1"] for e in REFERENCE["eigen"] if e["delta"] == 10)
    s = np.array([0.3, 1.0, 3.0]) / lam
    r = fp.solve_reduced(10.0, 0.0, s)
    np.testing.assert_allclose(r.p_flip, 0.5 * (1.0 - np.exp(-lam * s)), rtol=0.005)


def test_mass_is_conserved_over_astronomically_long_times():
    """Backward-Euler steps of 1e17 tau_D: the two wells reach 1/2 each and the WER and
    the flip probability still sum to one (to 1e-9; rounding of the step sums)."""
    r = fp.solve_reduced(40.0, 0.0, [1e6, 1e12, 1e18])
    np.testing.assert_allclose(r.wer + r.p_flip, 1.0, atol=1e-9)
    assert r.p_flip[-1] == pytest.approx(0.5, abs=1e-6)
    assert np.all(np.diff(r.p_flip) > 0)


def test_slonczewski_efficiency_favours_ap_to_p():
    """With g(x) = 1 / (1 + c x) the AP->P write (c = -P^2) is more efficient at the
    initial pole than P->AP (c = +P^2), so its WER is lower at the same current."""
    c = 0.36
    ap_p = fp.solve_reduced(50.0, 1.5, [20.0], c=-c)
    p_ap = fp.solve_reduced(50.0, 1.5, [20.0], c=+c)
    plain = fp.solve_reduced(50.0, 1.5, [20.0])
    assert ap_p.wer[0] < plain.wer[0] < p_ap.wer[0]


def test_stabilising_field_raises_wer():
    w = [fp.solve_reduced(50.0, 2.0, [8.0], h=h).wer[0] for h in (-0.1, 0.0, 0.1)]
    assert w[0] < w[1] < w[2]


def test_first_passage_wer_is_below_end_state_wer():
    """A device that has not reached the equator has not crossed it at the end either:
    WER_first_passage <= WER_end_state, with near-equality far above I_c0."""
    s = [2.0, 5.0, 10.0]
    fpass = fp.solve_reduced(50.0, 2.0, s, criterion="first_passage").wer
    end = fp.solve_reduced(50.0, 2.0, s).wer
    assert np.all(fpass <= end)
    np.testing.assert_allclose(fpass, end, rtol=0.1)


@pytest.mark.slow
def test_reduced_table_matches_direct_solves():
    """The interpolation table of an ensemble agrees with direct solves at points it
    was not checked on, within its tolerance (2 %), for WER in [1e-15, 0.999]."""
    rng = np.random.default_rng(5)
    n = 200
    points = np.column_stack([rng.uniform(40, 60, n), rng.uniform(1.5, 3.0, n), np.zeros(n), np.zeros(n)])
    table = fp.ReducedTable(points, (2.0, 20.0), threads=2)
    assert table.max_rel_error <= fp.TABLE_TOLERANCE
    probe = points[rng.choice(n, 5, replace=False)]
    s = np.array([3.0, 6.0, 12.0])
    wer_t, _ = table(probe, s)
    wer_d, _ = fp.solve_many(probe, s, "end_state", None, 2)
    ok = (wer_d > 1e-15) & (wer_d < 0.999)
    assert ok.sum() >= 5
    np.testing.assert_allclose(wer_t[ok], wer_d[ok], rtol=fp.TABLE_TOLERANCE)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(s_out=[0.0]), "s_out"),
        (dict(s_out=[np.nan]), "s_out"),
        (dict(criterion="halfway"), "criterion"),
    ],
)
def test_bad_input_is_rejected(kwargs, match):
    args = dict(delta=50.0, i=2.0, s_out=[1.0]) | kwargs
    with pytest.raises(ValueError, match=match):
        fp.solve_reduced(args.pop("delta"), args.pop("i"), args.pop("s_out"), **args)


@pytest.mark.parametrize(
    "args, match",
    [
        ((0.0, 2.0), "delta"),
        ((400.0, 2.0), "delta"),
        ((50.0, np.inf), "i"),
    ],
)
def test_out_of_range_reduced_variables_are_rejected(args, match):
    with pytest.raises(ValueError, match=match):
        fp.solve_reduced(*args, [1.0])
