"""Device-to-device variability, cell by cell, down to the network's accuracy over chips.

The design and the spread are those of ``tests/unit/circuit/test_cells.py`` (the Ikeda 2010
pMTJ at 1.5 I_c0, 60 ns pulses, one day of storage; the benchmark's spread), so the
interpolation tables are built once per test session.  At this design point the
nominal device fails retention with 1e-3 but the population's low-Delta tail raises the
mean to about 3.4 %, and the P->AP write error rises from 1.7e-9 to about 2e-4.

What the tests establish (seeded; every bound is a k-sigma bound on the chips'
statistics):

* the spread population is far worse than homogeneous chips of the *nominal* device,
  in the mean and in the 5th percentile over chips: the tail sets the mean error
  probabilities, so a nominal-device fault model overstates the accuracy;
* against homogeneous chips with the *same mean* probabilities per direction and state
  the accuracy distribution is the same within noise.  This is expected, not a
  shortcoming of the model: faults are drawn independently per cell, and a cell whose
  device is itself drawn independently from the population has the marginal fault
  probability E[p], exactly that of the matched homogeneous cell, so both populations
  have the same law of fault patterns.  A difference at equal means needs correlated
  cells (die-to-die variation shared by a chip's cells), repeated use of the same weak
  cells (write-verify, many reads), or probabilities that enter non-linearly;
* with chip-to-chip (die-to-die) spread -- each chip its own nominal device, its cells
  scattered around it -- chips differ in their mean error probabilities, and against
  homogeneous chips with the same overall mean the accuracy distribution is wider and
  its 5th percentile lower: at the same mean error rate, the tails over chips matter.
"""

import numpy as np
import pytest

from spinaps.circuit import MTJBitcell, chip_cells, homogeneous_cells, technology
from spinaps.device import preset
from spinaps.network import FaultModel, evaluate

#: The chip populations train a network and sample 125,440 cells per chip: minutes.
pytestmark = pytest.mark.slow

#: The benchmark's spread with K_u at 0.75 % (0.5 % there): with the cylinder's
#: demagnetising factors Delta grows about as d (not d^2), so the 3 % diameter spread
#: gives 3 % in Delta instead of 6 %; 0.75 % in K_u (amplified by K_u / K_eff = 9.6)
#: gives a spread in ln Delta of 0.088 (0.070 at 0.5 %), near the 0.09 this population
#: had with the thin-film factors.
SPREAD = {"diameter": 0.03, "ku": 0.0075, "ms": 0.0025, "alpha": 0.05, "ra": 0.05, "tmr0": 0.05}
T_STORAGE = 86400.0
N_CHIPS = 40
#: Die-to-die spread of K_u (assumed, illustrative: about 6 % in Delta through K_eff).
CHIP_SPREAD = {"ku": 0.006}


@pytest.fixture(scope="module")
def populations(mnist, trained):
    _, _, xt, yt = mnist
    model = trained("snn", n_train=3000, weight_bits=4, epochs=4, seed=0)
    mtj = preset("Ikeda2010")
    cell = MTJBitcell(
        mtj,
        technology(28),
        i_write=1.5 * float(mtj.ic0),
        v_write=1.2,
        t_pulse=60e-9,
        sense_offset=5e-7,
        t_storage=T_STORAGE,
    )
    bits = model.bit_planes()
    variable = chip_cells(cell, bits, N_CHIPS, spread=SPREAD, t_storage=T_STORAGE, seed=3)
    die = chip_cells(cell, bits, N_CHIPS, spread=SPREAD, chip_spread=CHIP_SPREAD, t_storage=T_STORAGE, seed=3)
    cells = {
        "variable": variable,
        "same_mean": homogeneous_cells(cell, bits, N_CHIPS, t_storage=T_STORAGE, match_mean_of=variable),
        "nominal": homogeneous_cells(cell, bits, N_CHIPS, t_storage=T_STORAGE),
        "die": die,
        "die_same_mean": homogeneous_cells(cell, bits, N_CHIPS, t_storage=T_STORAGE, match_mean_of=die),
    }
    results = {
        name: evaluate(model, xt, yt, faults=FaultModel.from_cells(c), n_chips=N_CHIPS, seed=11)
        for name, c in cells.items()
    }
    return cells, results


def _final_accuracy(result):
    return result.accuracy.isel(deadline=-1).values


def _bootstrap_se(values, statistic, n=2000, seed=0):
    rng = np.random.default_rng(seed)
    draws = values[rng.integers(0, values.size, size=(n, values.size))]
    return float(np.std(statistic(draws, axis=1)))


def _p5(a, axis=None):
    return np.percentile(a, 5, axis=axis)


def test_fault_attributes_are_structured(populations):
    cells, results = populations
    attrs = results["variable"].attrs
    assert "faults" not in attrs and attrs["fault_per_cell"] == 1
    assert attrs["fault_wer_p_to_ap_mean"] == pytest.approx(float(cells["variable"].wer.mean()), rel=1e-5)
    assert attrs["fault_retention_max"] <= 0.5 + 1e-6  # retention relaxes to 1/2 at most


def test_the_tail_sets_the_accuracy(populations):
    """Spread chips against nominal-device chips: the mean and the 5th percentile of the
    final accuracy over 40 chips are lower by more than 4 standard errors (se of the
    mean from the chips' spread, se of the percentile by bootstrap over chips)."""
    cells, results = populations
    var, nom = (_final_accuracy(results[k]) for k in ("variable", "nominal"))
    ones = cells["variable"].bits == 1
    assert float(cells["variable"].wer[:, ones].mean()) > 1e4 * cells["variable"].nominal["wer_p_to_ap"]
    se_mean = np.sqrt(var.var(ddof=1) / var.size + nom.var(ddof=1) / nom.size)
    assert nom.mean() - var.mean() > 4 * se_mean
    se_p5 = np.hypot(_bootstrap_se(var, _p5), _bootstrap_se(nom, _p5))
    assert _p5(nom) - _p5(var) > 4 * se_p5


def test_same_mean_probabilities_give_the_same_accuracy_distribution(populations):
    """Spread chips against homogeneous chips with the same mean probabilities per
    direction and state: mean and 5th percentile agree within 4 standard errors (see the
    module notes for why they must)."""
    _, results = populations
    var, same = (_final_accuracy(results[k]) for k in ("variable", "same_mean"))
    se_mean = np.sqrt(var.var(ddof=1) / var.size + same.var(ddof=1) / same.size)
    assert abs(var.mean() - same.mean()) < 4 * se_mean
    se_p5 = np.hypot(_bootstrap_se(var, _p5), _bootstrap_se(same, _p5))
    assert abs(_p5(var) - _p5(same)) < 4 * se_p5


def test_chip_to_chip_spread_widens_the_accuracy_distribution(populations):
    """With chip-to-chip spread the chips' mean retention differs from chip to chip; at
    the same overall mean probabilities as homogeneous chips, the final accuracy over
    40 chips has a larger standard deviation (ratio of variances above 4, far beyond
    the 1 % point of F(39, 39), about 2.1) and a heavier low tail: at least 5 of its 40
    chips are worse than the worst homogeneous chip (were the two populations alike, the
    chance of 5 or more would be C(40, 5) / C(80, 5) = 2.7 %; observed 5 with the network
    trained in centred coordinates, at least 8 before).  Its 5th percentile is
    lower too; its bootstrap error is too wide at 40 chips to bound it by k sigma."""
    cells, results = populations
    die, same = (_final_accuracy(results[k]) for k in ("die", "die_same_mean"))
    per_chip = cells["die"].retention.reshape(N_CHIPS, -1).mean(axis=1)
    assert per_chip.max() > 3 * per_chip.min()  # chips differ in their mean error
    assert float(cells["die_same_mean"].retention.mean()) == pytest.approx(
        float(cells["die"].retention.mean()), rel=1e-3
    )
    assert die.var(ddof=1) > 4 * same.var(ddof=1)
    assert int((die < same.min()).sum()) >= 5
    assert _p5(die) < _p5(same)
