"""Names renamed to follow docs/glossary.md (circuit, architecture, network, chain): the
old keyword or field still works for one release, warns with a DeprecationWarning that
names both, gives the same result as the new name, and cannot be given together with
it.  (The device layer's renames: tests/unit/device/test_deprecation.py.)"""

import dataclasses
import warnings

import numpy as np
import pytest

from spinaps.architecture import MemorySpec
from spinaps.chain import CircuitResult
from spinaps.circuit import Array, MTJBitcell, chip_devices, technology
from spinaps.deprecation import REMOVED_IN, deprecated_names, renamed, renamed_fields
from spinaps.device import preset
from spinaps.network import train_snn


@pytest.fixture(scope="module")
def cell():
    mtj = preset("Ikeda2010")
    return MTJBitcell(mtj, technology(28), i_write=1.5 * float(mtj.ic0), v_write=1.2, t_pulse=60e-9)


def test_the_decorators_rename_warn_and_refuse_both():
    @renamed(old="new")
    def f(*, new):
        return new

    with pytest.warns(DeprecationWarning, match=f"'old' is deprecated, use 'new'.*{REMOVED_IN}"):
        assert f(old=3) == 3
    with pytest.raises(TypeError, match="both 'old'"):
        f(old=1, new=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f(new=4) == 4  # the new name does not warn
    assert deprecated_names(f) == {"old": "new"}

    @renamed_fields(a="b")
    @dataclasses.dataclass(frozen=True)
    class C:
        b: float

    with pytest.warns(DeprecationWarning, match="'a' is deprecated"):
        c = C(a=1.0)
    with pytest.warns(DeprecationWarning, match="C.a"):
        assert c.a == 1.0 == c.b
    with pytest.raises(TypeError, match="no field or attribute"):
        renamed_fields(x="missing")(C)


def test_bitcell_t_write_is_t_pulse(cell):
    with pytest.warns(DeprecationWarning, match="'t_write' is deprecated, use 't_pulse'"):
        old = MTJBitcell(cell.mtj, cell.tech, i_write=cell.i_write, v_write=1.2, t_write=60e-9)
    assert old == cell
    with pytest.warns(DeprecationWarning, match="MTJBitcell.t_write"):
        assert old.t_write == 60e-9
    with pytest.raises(TypeError, match="both 't_write'"):
        MTJBitcell(cell.mtj, cell.tech, t_write=1e-8, t_pulse=1e-8)


def test_memory_spec_and_array_renames(cell):
    with pytest.warns(DeprecationWarning, match="'t_write' is deprecated"):
        assert MemorySpec(t_write=5e-9) == MemorySpec(t_pulse=5e-9)
    with pytest.warns(DeprecationWarning, match="'word_bits' is deprecated, use 'access_bits'"):
        old = Array(cell, 64, 64, word_bits=16)
    assert old == Array(cell, 64, 64, access_bits=16)


def test_cycle_spread_t_write_is_t_pulse(cell):
    kw = dict(n_cells=50, chip=1, spread={}, seed=3)
    new = chip_devices(cell, cycle_spread={"t_pulse": 0.05}, **kw)
    with pytest.warns(DeprecationWarning, match="cycle_spread: 't_write' is deprecated"):
        old = chip_devices(cell, cycle_spread={"t_write": 0.05}, **kw)
    np.testing.assert_array_equal(old[2], new[2])
    assert np.std(new[2]) > 0  # the pulse spread is drawn at all
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="twice"):
        chip_devices(cell, cycle_spread={"t_write": 0.1, "t_pulse": 0.1}, **kw)


def test_train_snn_T_is_n_steps():
    rng = np.random.default_rng(0)
    x, y = rng.random((40, 6)), rng.integers(0, 2, 40)
    new = train_snn(x, y, n_steps=3, epochs=1, seed=0)
    with pytest.warns(DeprecationWarning, match="train_snn\\(\\): 'T' is deprecated, use 'n_steps'"):
        old = train_snn(x, y, T=3, epochs=1, seed=0)
    assert old.n_steps == new.n_steps == 3
    np.testing.assert_array_equal(old.weights, new.weights)


def test_circuit_result_t_write_is_t_pulse():
    import xarray as xr

    result = CircuitResult("circuit", "k", {"bitcell_mtj": xr.Dataset({"t_pulse": 2e-8})})
    with pytest.warns(DeprecationWarning, match="CircuitResult.t_write"):
        assert result.t_write == result.t_pulse == 2e-8


def test_mtjparams_tau0_is_the_damping_time_tau_d():
    # tau0 read like the Neel-Brown attempt time: renamed tau_d (the damping time)
    p = preset("Ikeda2010")
    with pytest.warns(DeprecationWarning, match=r"'tau0'.*'tau_d'"):
        old = p.tau0
    assert old == p.tau_d
