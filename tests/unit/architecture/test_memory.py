"""The weight memory as banks of spinaps.circuit.Memory (spinaps.architecture.memory):
capacity, the sub-arrays' energy plus routing, more capacity -> more H-tree, banks read
in parallel, gated leakage of what an access powers, given memories and bad input."""

import math

import numpy as np
import pytest

from spinaps.architecture import Accelerator, Activity, MemorySpec, NetworkSpec, compare, figures, mapping
from spinaps.architecture.memory import bank_capacity_bits, memory_figures, memory_terms, weight_memory
from spinaps.circuit import Array, Memory, Organisation

#: Activity of the default network on MNIST (as tests/unit/architecture/test_core.py).
MNIST = Activity(input_spikes_per_step=102.6, steps_per_inference=2.5, input_spikes_per_inference=256.3)
#: A forced bank of two 128 x 128 sub-arrays in two mats (one active), 4-column sense mux:
#: 32,768 bits read 32 at a time, the bank of the default network in 4 banks.
TWO_MATS = {"rows": 128, "cols": 128, "mats": [2, 1], "sense_amp_mux": 4}


def _forced(kind="mtj", **memory):
    return Accelerator().replace(memory={"kind": kind, "organisation": TWO_MATS, **memory})


def _energy(ds, name):
    return float(ds.energy_breakdown.sel(energy_component=name))


def test_bank_capacity_is_the_next_power_of_two_of_the_padded_words():
    """784 words of 5 x 32 bits: 4 banks of 196 words (31,360 bits) -> 32,768; one bank
    (125,440 bits) -> 131,072; a 3-input toy design is raised to four words."""
    assert bank_capacity_bits(Accelerator()) == 32768
    assert bank_capacity_bits(Accelerator().replace(memory={"banks": 1})) == 131072
    assert bank_capacity_bits(Accelerator(network=NetworkSpec(n_inputs=3, n_outputs=1, n_basis=1))) == 128
    m = mapping(Accelerator())
    assert (int(m.parallel_reads), int(m.accesses_per_word)) == (4, 5)
    assert float(m.cell_utilization) == pytest.approx(784 * 160 / (4 * 32768), rel=1e-12)


@pytest.mark.parametrize("kind", ["mtj", "sram"])
def test_a_read_costs_the_subarray_plus_the_routing(kind):
    """A forced bank of two mats: the energy per access is the active (predecoded)
    sub-array's own read energy plus predecoder, H-tree and output drivers, all > 0,
    and more than the stand-alone sub-array of the same shape (whose own decoder
    replaces the predecoder but which has no routing).  Per inference the architecture
    charges exactly words x accesses x each part.  Relative tolerance 1e-12: the same
    numbers summed in another order."""
    acc = _forced(kind)
    ds = memory_figures(acc)
    cell = acc.memory.bitcell(28)
    sub = float(Array(cell, 128, 128, 32, predecoded=True).figures().read_energy)
    parts = {str(c): float(v) for c, v in zip(ds.read_energy_component.values, ds.read_energy_breakdown.values)}
    routing = parts["predecoders"] + parts["htree"] + parts["output_drivers"]
    assert min(parts["predecoders"], parts["htree"], parts["output_drivers"]) > 0
    assert float(ds.read_energy) == pytest.approx(sub + routing, rel=1e-12)
    assert float(ds.read_energy) > float(Array(cell, 128, 128, 32).figures().read_energy)
    f = figures(acc, MNIST)
    accesses = MNIST.spikes_per_inference() * 5
    assert _energy(f, "array_read") == pytest.approx(accesses * sub, rel=1e-12)
    assert _energy(f, "memory_routing") == pytest.approx(accesses * routing, rel=1e-12)
    area = float(f.area_breakdown.sel(area_component="memory_routing"))
    tree = float(ds.area_breakdown.sel(area_component=["predecoders", "output_drivers"]).sum())
    assert area == pytest.approx(4 * tree, rel=1e-12)  # four banks


@pytest.mark.parametrize("kind", ["mtj", "sram"])
def test_more_capacity_more_htree(kind):
    """Four times the weights in one bank: forced 2 -> 8 mats of the same sub-array, and
    the searched organisations of 196 -> 784 -> 3,136 inputs, each spend more H-tree
    energy per access and more H-tree read latency (longer segments, more levels)."""
    small = Accelerator(network=NetworkSpec(n_inputs=196)).replace(
        memory={"kind": kind, "banks": 1, "organisation": TWO_MATS}
    )
    large = Accelerator(network=NetworkSpec(n_inputs=784)).replace(
        memory={"kind": kind, "banks": 1, "organisation": {**TWO_MATS, "mats": [8, 1]}}
    )

    def htree(acc):
        ds = memory_figures(acc)
        return (
            float(ds.read_energy_breakdown.sel(read_energy_component="htree")),
            float(ds.read_latency_breakdown.sel(read_latency_component="htree")),
        )

    e_small, t_small = htree(small)
    e_large, t_large = htree(large)
    assert e_large > e_small > 0 and t_large > t_small > 0
    searched = [
        htree(Accelerator(network=NetworkSpec(n_inputs=n)).replace(memory={"kind": kind, "banks": 1}))[0]
        for n in (196, 784, 3136)
    ]
    assert searched[0] < searched[1] < searched[2]


def test_banks_read_in_parallel():
    """Each bank serves one access at a time for ceil(t_read f) cycles, the banks in
    parallel, the busiest (inputs interleaved, measured rates) setting the pace:
    read time per step = max(accesses x cycles x imbalance / banks, words) / f
    (relative tolerance 1e-12, summation order)."""
    rates = np.where(np.arange(784) % 2 == 0, 3.0, 1.0)
    rates = rates / rates.sum() * 102.6
    act = Activity(input_spikes_per_step=102.6, steps_per_inference=2.5, input_rates=rates)
    for banks, imbalance in ((1, 1.0), (2, 1.5), (4, 1.5)):  # even inputs 3x the odd ones: 3 : 1 over 2 or 4
        acc = Accelerator().replace(memory={"banks": banks})
        ds, mem = figures(acc, act), memory_figures(acc)
        assert float(ds.load_imbalance) == pytest.approx(imbalance, rel=1e-12)
        cycles = max(1, math.ceil(float(mem.read_latency) * 500e6 - 1e-9))
        expected = max(102.6 * 5 * cycles * imbalance / banks, 102.6) / 500e6
        assert float(ds.latency_breakdown.sel(latency_component="array_read")) == pytest.approx(expected, rel=1e-12)
        assert float(ds.parallel_reads) == banks


def test_gated_banks_power_only_what_an_access_uses():
    """MTJ banks of two mats, one active: while an access runs it powers one of the two
    sub-arrays, one of the two predecoders and the bank's H-tree drivers; the chip's
    array leakage is that power x the summed read time per step; without gating (and in
    SRAM) all four banks leak all the time."""
    acc = _forced("mtj")
    ds, mem = figures(acc, MNIST), memory_figures(acc)
    leak = {str(c): float(v) for c, v in zip(mem.leakage_component.values, mem.leakage_breakdown.values)}
    pred, drv = leak["predecoders"], leak["output_drivers"]
    powered = (float(mem.leakage) - pred - drv) / 2 + pred / 2 + drv
    assert memory_terms(mem, 4)["access_leakage"] == pytest.approx(powered, rel=1e-12)
    cycles = max(1, math.ceil(float(mem.read_latency) * 500e6 - 1e-9))
    busy = 256.3 / 2.5 * 5 * cycles / 500e6  # accesses per step x cycles, summed over the banks
    assert float(ds.leakage_breakdown.sel(leakage_component="arrays")) == pytest.approx(
        powered * busy / float(ds.latency_per_step), rel=1e-12
    )
    ungated = figures(acc.replace(memory={"power_gating": False}), MNIST)
    assert float(ungated.leakage_breakdown.sel(leakage_component="arrays")) == pytest.approx(
        4 * float(mem.leakage), rel=1e-12
    )


@pytest.mark.parametrize("hierarchy", ["memory", "subarray"])
def test_mtj_against_sram_on_both_hierarchies(hierarchy):
    """The MTJ/SRAM ratio is reported on either hierarchy (the quotient of the designs,
    > 1: smaller cells, gated leakage), with each design's memory described; the memory
    costs routing energy in both technologies."""
    both = compare(Accelerator().replace(memory={"hierarchy": hierarchy}), MNIST)
    mtj, sram = both.sel(design="mtj"), both.sel(design="sram")
    assert float(both.ratio_gsops_per_w_per_mm2) == pytest.approx(
        float(mtj.gsops_per_w_per_mm2) / float(sram.gsops_per_w_per_mm2), rel=1e-12
    )
    assert float(both.ratio_gsops_per_w_per_mm2) > 1
    assert ("banks" in both.attrs["design_memory"]) == (hierarchy == "memory")
    if hierarchy == "memory":
        assert float(mtj.energy_breakdown.sel(energy_component="memory_routing")) > 0
        assert float(sram.energy_breakdown.sel(energy_component="memory_routing")) > 0


def test_given_memories_and_cells():
    """figures() takes the bank handed in: a Memory, its figures, or an Array whose very
    cell builds the bank (the chain's live objects); a bank of another capacity or a
    sub-array's figures are refused with hierarchy = 'memory'."""
    acc = _forced("mtj")
    own = figures(acc, MNIST)
    cell = acc.memory.bitcell(28)
    org = Organisation(128, 128, mats=(2, 1), sense_amp_mux=4)
    memory = Memory(cell, 4096, 32, org, periphery="hp")
    for given in (memory, memory.figures(), Array(cell, 256, 256, 32)):
        assert float(figures(acc, MNIST, array=given).energy_per_inference) == pytest.approx(
            float(own.energy_per_inference), rel=1e-12
        )
    assert weight_memory(acc, cell).organisation == org
    with pytest.raises(ValueError, match="capacity_bytes = 8192"):
        figures(acc, MNIST, array=Memory(cell, 8192, 32, Organisation(128, 128, mats=(4, 1), sense_amp_mux=4)))
    with pytest.raises(ValueError, match="not a memory's"):
        figures(acc, MNIST, array=Array(cell, 256, 256, 32).figures())


def test_toml_round_trip_of_a_forced_organisation(tmp_path):
    path = tmp_path / "design.toml"
    path.write_text(
        "[memory]\nbanks = 4\n[memory.organisation]\nrows = 128\ncols = 128\nmats = [2, 1]\nsense_amp_mux = 4\n"
    )
    acc = Accelerator.from_toml(path)
    assert acc.memory.organisation == Organisation(128, 128, mats=(2, 1), sense_amp_mux=4)
    assert Accelerator.from_dict(acc.to_dict()) == acc
    assert "organisation" not in Accelerator().to_dict()["memory"]  # searched: no TOML null


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: MemorySpec(hierarchy="flat"), "hierarchy = 'flat'"),
        (lambda: MemorySpec(banks=0), "banks = 0"),
        (lambda: MemorySpec(search_target="speed"), "search_target = 'speed'"),
        (lambda: MemorySpec(organisation={"rows": 128, "cols": 128, "matz": [2, 1]}), "unknown keys matz"),
        (lambda: MemorySpec(organisation={"cols": 128}), "rows and cols are required"),
        (lambda: MemorySpec(organisation={"rows": 128, "cols": 128, "banks": 2}), "organisation.banks = 2"),
        (lambda: MemorySpec(organisation={"rows": 100, "cols": 128}), "rows = 100"),
        (lambda: figures(_forced(organisation={"rows": 256, "cols": 256}), MNIST), "capacity is 32768 bits"),
    ],
)
def test_bad_memories_are_rejected(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_organisation_of_the_wrong_type():
    with pytest.raises(TypeError, match="organisation must be an Organisation"):
        MemorySpec(organisation="2x1")
