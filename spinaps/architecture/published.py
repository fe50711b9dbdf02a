"""Published accelerators, for placing a design point honestly (:func:`published_accelerators`).

A table of published figures for SNN chips (TrueNorth, Loihi, ODIN, SpiNNaker, SNE,
Darwin3), memristive accelerators (ISAAC, PRIME, RESPARC), MRAM compute-in-memory macros
and GPUs, each with its technology node, how the figure was obtained (silicon, simulation,
datasheet peak), the metric *as the source defines it*, whether that metric is like-for-like
with an SNN GSOPS/W figure, the citation, and an evidence tag saying how far we checked it.
:func:`plot_published` places the comparable designs on a log-log plot.

Conventions
-----------
* SOP (synaptic operation): one input spike delivered across one synapse to one neuron
  (one weight accumulated into one membrane potential), counted only for spikes that
  occur.  GSOPS = 1e9 SOP/s.
* GSOPS/W = SOP per nJ, hence ``pj_per_sop = 1000 / gsops_per_w`` exactly.
* TOPS/W as published by each source; GPU and CIM figures count one multiply-accumulate as
  two operations (1 MAC = 2 ops), and the bit widths are given in ``metric_definition``.
  A TOPS/W figure of a dense DNN is *not* a GSOPS/W figure: a dense op is performed whether
  or not its input is non-zero, a SOP only when a spike arrives.
* GSOPS/W/mm² divides GSOPS/W by the area the source gives (``area_basis``: whole die,
  processor core or macro).  GSOPS/W is to first order independent of size, so this figure
  rewards small designs; compare it only between designs of similar capacity.
* NaN means "not published" (or not derivable); we never fill a gap with a guess.
* Derived values (listed per design in ``derived``) follow arithmetically from published
  ones: ``pj_per_sop`` <-> ``gsops_per_w``; ``gsops_per_w_per_mm2 = gsops_per_w / area``;
  ``tops_per_w = tops / power``; ``tops_per_mm2 = tops / area``;
  ``tops_per_w_per_mm2 = tops_per_w / area``.

Evidence tags
-------------
``primary``
    read in the source itself as publicly stored (title, abstract, vendor page).
``secondary``
    quoted verbatim, with its location in the paper, by a public note or code that read the
    primary PDF; or a vendor specification reproduced by a third party.
``unverified``
    from background notes, not found in any stored source; kept so the gap is visible, not
    to be cited as it stands.

The tag of a design is that of its *weakest* stored number; ``evidence_note`` says which
number was checked where.
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from ..provenance import annotate, finalize

__all__ = ["published_accelerators", "plot_published", "PLOT_VARIABLES"]

_NAN = math.nan

#: Numeric variables of the table: name -> (units, long name).
_NUMERIC = {
    "year": ("1", "year of publication"),
    "node_nm": ("nm", "CMOS technology node"),
    "gsops": ("GSOP/s", "synaptic operations per second (1e9 SOP/s)"),
    "gsops_per_w": ("GSOP/s/W", "synaptic operations per second per watt (= SOP per nJ)"),
    "pj_per_sop": ("pJ", "energy per synaptic operation"),
    "gsops_per_w_per_mm2": ("GSOP/s/W/mm^2", "GSOPS/W per mm^2 of the area in area_basis"),
    "tops": ("TOP/s", "operations per second as published (1 MAC = 2 ops)"),
    "tops_per_w": ("TOP/s/W", "operations per second per watt as published (1 MAC = 2 ops)"),
    "tops_per_mm2": ("TOP/s/mm^2", "operations per second per mm^2 as published"),
    "tops_per_w_per_mm2": ("TOP/s/W/mm^2", "TOPS/W per mm^2 of the area in area_basis"),
    "area_mm2": ("mm^2", "area (see area_basis: die, core or macro)"),
    "power_w": ("W", "power at the published operating point"),
}

#: String variables of the table: name -> long name.
_TEXT = {
    "name": "display name",
    "kind": "class of design (snn_chip, memristive, memristive_snn, mram_cim, gpu)",
    "node": "technology as published",
    "measurement": "how the figures were obtained (silicon, simulated, datasheet_peak, not_stated)",
    "evidence": "how far we checked the stored numbers (primary, secondary, unverified)",
    "evidence_note": "which number was checked where",
    "metric_definition": "the metric exactly as the source defines it, operating point and bit widths",
    "area_basis": "what area_mm2 measures",
    "comparability_note": "why the figure is or is not like-for-like with an SNN GSOPS/W figure",
    "derived": "variables computed from published ones (comma-separated)",
    "citation": "authors, venue, year",
    "notes": "further published figures and caveats",
}

#: Variables :func:`plot_published` accepts for ``x`` and ``y`` (all positive, log-scaled).
PLOT_VARIABLES = (
    "area_mm2", "gsops_per_w", "pj_per_sop", "gsops_per_w_per_mm2", "gsops", "power_w",
    "node_nm", "tops_per_w", "tops_per_mm2", "tops_per_w_per_mm2",
)

_AXIS_LABELS = {
    "area_mm2": "area [mm²] (die, core or macro, as published)",
    "gsops_per_w": "GSOPS/W [1e9 SOP/s per W]\nSOP = one input spike delivered to one neuron",
    "pj_per_sop": "energy per SOP [pJ]\nSOP = one input spike delivered to one neuron",
    "gsops_per_w_per_mm2": "GSOPS/W/mm² [1e9 SOP/s per W per mm²]\nSOP = one spike to one neuron; published area",
    "gsops": "GSOPS [1e9 SOP/s]",
    "power_w": "power [W] at the published operating point",
    "node_nm": "technology node [nm]",
    "tops_per_w": "TOPS/W as published [1e12 op/s per W]\n1 MAC = 2 ops; dense, not spike-driven",
    "tops_per_mm2": "TOPS/mm² as published [1e12 op/s per mm²]\n1 MAC = 2 ops",
    "tops_per_w_per_mm2": "TOPS/W/mm² [1e12 op/s per W per mm²]\n1 MAC = 2 ops; published area",
}

_KIND_STYLE = {
    "snn_chip": ("tab:blue", "o"),
    "memristive": ("tab:green", "s"),
    "memristive_snn": ("tab:olive", "s"),
    "mram_cim": ("tab:purple", "D"),
    "gpu": ("tab:gray", "^"),
}

_TRUENORTH = ("Merolla et al., Science 345(6197):668-673, 2014; "
              "Akopyan et al., IEEE Trans. Computer-Aided Design 34(10):1537-1557, 2015")
_TRUENORTH_EVIDENCE = (
    "Figure quoted verbatim with page numbers (Akopyan 2015 p.1551; Merolla 2014 main text and "
    "supplement S8) by a public research note that read both PDFs; 4.3 cm^2, 28 nm, 4096 cores "
    "and 63 mW read in the primary abstracts.")
_SOP_TRUENORTH = ("SOP = adding a 9-bit signed weight to a 20-bit membrane potential when an "
                  "axon spike meets a set crossbar bit (Merolla 2014, S8)")

#: The published figures.  Only published numbers are stored; derived ones are computed.
_ENTRIES: tuple[dict, ...] = (
    dict(
        design="truenorth_typical", name="TrueNorth (typical, real time)", kind="snn_chip",
        year=2014, node_nm=28, node="28 nm Samsung LPP CMOS", measurement="silicon",
        evidence="secondary", evidence_note=_TRUENORTH_EVIDENCE,
        gsops_per_w=46.0, power_w=0.065, area_mm2=430.0, area_basis="chip (die, 4.3 cm^2)",
        metric_definition=("GSOPS/W of total chip power, recurrent network at 0.75 V, 20 Hz mean "
                           "firing, 128 active synapses per neuron, 1 kHz tick (real time); "
                           + _SOP_TRUENORTH),
        comparable=True,
        comparability_note="SNN SOP metric on total chip power: like-for-like.",
        citation=_TRUENORTH,
        notes=("65 mW at this point. 46 GSOPS/W does not equal 10^6 neurons x 20 Hz x 128 "
               "synapses / 65 mW (39 GSOPS/W); we store the published figure."),
    ),
    dict(
        design="truenorth_5x", name="TrueNorth (5x real time)", kind="snn_chip",
        year=2014, node_nm=28, node="28 nm Samsung LPP CMOS", measurement="silicon",
        evidence="secondary", evidence_note=_TRUENORTH_EVIDENCE,
        gsops_per_w=70.0, area_mm2=430.0, area_basis="chip (die, 4.3 cm^2)",
        metric_definition=("GSOPS/W of total chip power at 5x real time (200 us tick), same "
                           "network statistics as the typical point; " + _SOP_TRUENORTH),
        comparable=True,
        comparability_note="SNN SOP metric on total chip power: like-for-like.",
        citation="Merolla et al., Science 345(6197):668-673, 2014 (supplement S8)",
        notes="Faster ticks amortise the static power over more SOPs.",
    ),
    dict(
        design="truenorth_peak", name="TrueNorth (peak)", kind="snn_chip",
        year=2015, node_nm=28, node="28 nm Samsung LPP CMOS", measurement="silicon",
        evidence="secondary", evidence_note=_TRUENORTH_EVIDENCE,
        gsops=58.0, gsops_per_w=400.0, area_mm2=430.0, area_basis="chip (die, 4.3 cm^2)",
        metric_definition=("maximum GSOPS and maximum GSOPS/W at 0.75 V over recurrent test "
                           "networks with 0-200 Hz firing and 0-100 % synaptic connectivity "
                           "(Akopyan 2015, footnote 2); " + _SOP_TRUENORTH),
        comparable=True,
        comparability_note=("SNN SOP metric, but a best case over dense synthetic networks: "
                            "compare with a design's best case, not its typical one."),
        citation="Akopyan et al., IEEE Trans. Computer-Aided Design 34(10):1537-1557, 2015",
        notes=("The two maxima need not come from the same network, so no power is derived "
               "from them. Full operating envelope 42-323 mW (0.70-1.05 V)."),
    ),
    dict(
        design="truenorth_all_in", name="TrueNorth (Science, total energy)", kind="snn_chip",
        year=2014, node_nm=28, node="28 nm Samsung LPP CMOS", measurement="silicon",
        evidence="secondary", evidence_note=_TRUENORTH_EVIDENCE,
        pj_per_sop=26.0, power_w=0.072, area_mm2=430.0, area_basis="chip (die, 4.3 cm^2)",
        metric_definition=("total (active plus passive) chip energy per synaptic event at "
                           "0.775 V, 20 Hz mean firing, 128 active synapses per neuron, "
                           "real time; 72 mW"),
        comparable=True,
        comparability_note="SNN SOP metric on total chip energy: like-for-like.",
        citation="Merolla et al., Science 345(6197):668-673, 2014",
        notes=("Same network statistics as the 46 GSOPS/W point but at 0.775 V; 26 pJ "
               "corresponds to 38.5 GSOPS/W, about 1.2x below 46 GSOPS/W."),
    ),
    dict(
        design="loihi", name="Loihi", kind="snn_chip",
        year=2018, node_nm=14, node="14 nm Intel FinFET", measurement="simulated",
        evidence="secondary",
        evidence_note=("60 mm^2 and 14 nm read in the primary abstract; 23.6 pJ and its table "
                       "row 'energy per synaptic spike op (min)', captioned pre-silicon, quoted "
                       "by public notes and simulator configurations citing Davies 2018 Table 2."),
        pj_per_sop=23.6, area_mm2=60.0, area_basis="chip (die)",
        metric_definition=("minimum energy per synaptic spike operation, pre-silicon (SDF and "
                           "SPICE simulation) at 0.75 V; the synaptic operation alone"),
        comparable=True,
        comparability_note=("SNN SOP metric, but a simulated lower bound on one term: neuron "
                            "updates (52-81 pJ), spike routing (1.7 pJ in tile, 3.0-4.2 pJ per "
                            "hop) and static power are excluded. Optimistic against an all-in figure."),
        citation="Davies et al., IEEE Micro 38(1):82-99, 2018",
        notes="128 neuromorphic cores; the area is silicon, the energy is simulated.",
    ),
    dict(
        design="odin", name="ODIN", kind="snn_chip",
        year=2019, node_nm=28, node="28 nm FD-SOI CMOS", measurement="silicon",
        evidence="primary",
        evidence_note=("12.7 pJ/SOP, 0.086 mm^2, 28 nm FD-SOI, 256 neurons, 64k synapses read "
                       "in the primary abstract and title; the definition (global energy at the "
                       "maximum SOP rate, 0.55 V) quoted from the paper by a public note."),
        pj_per_sop=12.7, area_mm2=0.086, area_basis="processor core (as in the paper's title)",
        metric_definition=("minimum global energy per SOP (leakage and idle power included) at "
                           "0.55 V and the maximum SOP rate; 4-bit synapses"),
        comparable=True,
        comparability_note=("SNN SOP metric on total core energy, at its best operating point: "
                            "like-for-like with a best-case figure."),
        citation="Frenkel, Lefebvre, Legat, Bol, IEEE Trans. Biomedical Circuits and Systems 13(1):145-158, 2019",
        notes="Incremental energy per SOP (leakage and idle removed) 8.43 pJ (secondary).",
    ),
    dict(
        design="spinnaker", name="SpiNNaker chip", kind="snn_chip",
        year=2013, node_nm=130, node="130 nm CMOS", measurement="silicon",
        evidence="primary",
        evidence_note=("102 mm^2, 18 ARM968 cores, 3.96 GIPS peak, 1 W peak at 180 MHz read in "
                       "the primary abstract; the board figures in the abstract of Stromatias 2013."),
        area_mm2=102.0, power_w=1.0, area_basis="chip (die)",
        metric_definition=("peak chip power with all 18 cores at 180 MHz; no per-chip SOP "
                           "figure in the abstract (3.96 GIPS are instructions, not SOPs)"),
        comparable=True,
        comparability_note=("An SNN machine counting synaptic events, but no per-chip GSOPS/W "
                            "is published there: not placed on a GSOPS/W plot."),
        citation=("Painkras et al., IEEE J. Solid-State Circuits 48(8), 2013; Furber et al., "
                  "Proc. IEEE 102(5), 2014; Stromatias et al., IJCNN 2013"),
        notes=("A 48-chip board handled 1.8e9 synaptic events/s at under 1 W per chip "
               "(Stromatias 2013): a bound of more than 0.0375 GSOPS/W for the board, not a value."),
    ),
    dict(
        design="sne", name="SNE", kind="snn_chip",
        year=2022, node_nm=_NAN, node="not stated in the abstract", measurement="not_stated",
        evidence="primary",
        evidence_note="0.221 pJ/SOP, 4.5 TOP/s/W and 4-bit eCNN read in the primary abstract.",
        pj_per_sop=0.221, tops_per_w=4.5,
        area_basis="",
        metric_definition=("energy per synaptic operation of 4-bit quantised event-based "
                           "convolutions (DVS gesture); 4.5 TOP/s/W counts one SOP as one op"),
        comparable=True,
        comparability_note=("Event-driven SOP metric (one op per input event per kernel weight), "
                            "4-bit weights; accelerator energy only."),
        citation="Di Mauro, Prasad, Huang, Spallanzani, Conti, Benini, DATE 2022",
        notes="80-261 uJ per inference on DVS gesture at 1.2-4.9 % input activity.",
    ),
    dict(
        design="darwin3", name="Darwin3", kind="snn_chip",
        year=2024, node_nm=22, node="22 nm FD-SOI", measurement="silicon",
        evidence="secondary",
        evidence_note=("'measured average SOP power consumption is 5.47 pj/SOP' at 0.8 V, "
                       "333 MHz, quoted from the paper by a public note."),
        pj_per_sop=5.47,
        area_basis="",
        metric_definition=("measured average energy per SOP at 0.8 V and 333 MHz, incremental "
                           "(baseline and per-neuron power kept apart in the paper)"),
        comparable=True,
        comparability_note=("SNN SOP metric, but incremental: excludes baseline power, so "
                            "optimistic against an all-in figure."),
        citation="Ma, Jin, Sun et al., National Science Review 11(5):nwae102, 2024",
        notes="",
    ),
    dict(
        design="isaac", name="ISAAC", kind="memristive",
        year=2016, node_nm=32, node="32 nm (simulated)", measurement="simulated",
        evidence="unverified",
        evidence_note=("Only the ratios 14.8x throughput, 5.5x energy and 7.5x computational "
                       "density over DaDianNao were read in the primary abstract; the absolute "
                       "power, area and efficiencies are background notes, not found."),
        tops_per_w=0.3807, tops_per_mm2=0.479, area_mm2=85.4, power_w=65.8,
        area_basis="chip",
        metric_definition=("16-bit fixed-point CNN/DNN operations (1 MAC = 2 ops assumed, not "
                           "checked), dense; power efficiency and computational efficiency of "
                           "the ISAAC-CE configuration"),
        comparable=False,
        comparability_note="Dense DNN TOPS/W: not a spike-driven SOP metric.",
        citation="Shafiee et al., ISCA 2016",
        notes=("A corrected version of the paper (October 2016) revised the ISAAC-PE and "
               "ISAAC-SE results; check any absolute number against it."),
    ),
    dict(
        design="prime", name="PRIME", kind="memristive",
        year=2016, node_nm=_NAN, node="not stated in the abstract", measurement="simulated",
        evidence="primary",
        evidence_note="Ratios read in the primary abstract.",
        area_basis="",
        metric_definition=("relative only: about 2360x performance and 895x lower energy than a "
                           "neural processing unit baseline, over ML benchmarks"),
        comparable=False,
        comparability_note="Dense NN in ReRAM main memory; only ratios published in the abstract.",
        citation="Chi et al., ISCA 2016",
        notes="",
    ),
    dict(
        design="resparc", name="RESPARC", kind="memristive_snn",
        year=2017, node_nm=_NAN, node="not stated in the abstract", measurement="simulated",
        evidence="primary",
        evidence_note="Ratios read in the primary abstract.",
        area_basis="",
        metric_definition=("relative only: 500x (15x) energy efficiency at 300x (60x) throughput "
                           "over a digital CMOS baseline for MLPs (deep convolutional SNNs)"),
        comparable=False,
        comparability_note="An SNN accelerator, but no absolute GSOPS/W is published in the abstract.",
        citation="Ankit, Sengupta, Panda, Roy, DAC 2017",
        notes="Networks of 2k-230k neurons and 1.2M-5.5M synapses.",
    ),
    dict(
        design="jung2022", name="Samsung MRAM crossbar", kind="mram_cim",
        year=2022, node_nm=28, node="28 nm CMOS with MRAM", measurement="silicon",
        evidence="unverified",
        evidence_note=("64x64 array, resistance summation, 28 nm, 93.23 % MNIST read in the "
                       "primary abstract; the 262 TOPS/W is a background note, not found."),
        tops_per_w=262.0,
        area_basis="",
        metric_definition="analogue MAC in a 64x64 MRAM crossbar (array-level), binary weights",
        comparable=False,
        comparability_note="Dense analogue MAC TOPS/W of one array: not a SOP metric.",
        citation="Jung et al., Nature 601:211-216, 2022",
        notes="",
    ),
    dict(
        design="cai2023", name="STT-MRAM CIM macro (Cai)", kind="mram_cim",
        year=2023, node_nm=28, node="28 nm", measurement="silicon",
        evidence="primary",
        evidence_note="22.4-41.5 TOPS/W, 28 nm, 2 Mb read in the primary title.",
        tops_per_w=41.5,
        area_basis="",
        metric_definition="macro-level TOPS/W for binary neural network inference (best of 22.4-41.5)",
        comparable=False,
        comparability_note="Dense binary MAC TOPS/W of a macro: not a SOP metric.",
        citation="Cai et al., ISSCC 2023 (paper 33.4)",
        notes="Range 22.4-41.5 TOPS/W; the upper end is stored.",
    ),
    dict(
        design="deaville2025", name="MRAM IMC macro (Deaville)", kind="mram_cim",
        year=2025, node_nm=22, node="22 nm FD-SOI with foundry MRAM", measurement="silicon",
        evidence="primary",
        evidence_note="Figures read in the primary abstract.",
        tops_per_w=41.6, tops_per_mm2=5.5,
        area_basis="macro",
        metric_definition=("1b-TOPS/W and 1b-TOPS/mm^2 (1-bit operations) of a 256x512 fully "
                           "row/column-parallel macro (best of 19.5-41.6 1b-TOPS/W)"),
        comparable=False,
        comparability_note="Dense 1-bit MAC TOPS/W of a macro: not a SOP metric.",
        citation="Deaville, Zhang, Verma, IEEE J. Solid-State Circuits 60(5):1856-1866, 2025",
        notes="The 2023 conference version reports 28.0-68.6 1b-TOPS/W and 5.43 1b-TOPS/mm^2.",
    ),
    dict(
        design="myung2024", name="MRAM IMC macro (Myung)", kind="mram_cim",
        year=2024, node_nm=14, node="14 nm MRAM", measurement="not_stated",
        evidence="primary",
        evidence_note="Figures read in the primary abstract.",
        tops_per_w=340.8, tops_per_mm2=18.29,
        area_basis="macro",
        metric_definition="TOPS/W and TOPS/mm^2 with 1-bit normalisation, analogue multi-bit-weight MAC",
        comparable=False,
        comparability_note="Dense analogue MAC TOPS/W of a macro: not a SOP metric.",
        citation="Myung et al., IEEE Solid-State Circuits Letters 7:295-298, 2024",
        notes="Process-variation calibration across 72 macros.",
    ),
    dict(
        design="v100", name="NVIDIA V100 (FP16 tensor)", kind="gpu",
        year=2017, node_nm=12, node="12 nm TSMC FFN", measurement="datasheet_peak",
        evidence="secondary",
        evidence_note=("125 tensor TFLOPS on an NVIDIA developer page; 815 mm^2 and 12 nm FFN in "
                       "NVIDIA's text as reproduced by a reseller; 300 W from launch coverage."),
        tops=125.0, power_w=300.0, area_mm2=815.0, area_basis="chip (GV100 die)",
        metric_definition=("peak dense FP16 tensor-core TFLOPS (FP32 accumulate), 1 FMA = 2 "
                           "FLOPs, over board power (SXM2, 300 W)"),
        comparable=False,
        comparability_note=("Dense peak throughput over board power: an upper bound on what a "
                            "GPU delivers; not a SOP metric."),
        citation="NVIDIA, Tesla V100 product material, 2017",
        notes="",
    ),
    dict(
        design="a100_fp16", name="NVIDIA A100 (FP16 tensor)", kind="gpu",
        year=2020, node_nm=7, node="7 nm TSMC", measurement="datasheet_peak",
        evidence="secondary",
        evidence_note="Datasheet values (312 TFLOPS dense, 400 W, 826 mm^2) as reproduced by third parties.",
        tops=312.0, power_w=400.0, area_mm2=826.0, area_basis="chip (GA100 die)",
        metric_definition=("peak dense FP16 tensor-core TFLOPS, 1 FMA = 2 FLOPs, over board "
                           "power (SXM4, 400 W); 624 with 2:4 structured sparsity"),
        comparable=False,
        comparability_note="Dense peak throughput over board power; not a SOP metric.",
        citation="NVIDIA, A100 Tensor Core GPU datasheet, 2020",
        notes="",
    ),
    dict(
        design="a100_int8", name="NVIDIA A100 (INT8 tensor)", kind="gpu",
        year=2020, node_nm=7, node="7 nm TSMC", measurement="datasheet_peak",
        evidence="secondary",
        evidence_note="Datasheet values (624 TOPS dense, 400 W, 826 mm^2) as reproduced by third parties.",
        tops=624.0, power_w=400.0, area_mm2=826.0, area_basis="chip (GA100 die)",
        metric_definition=("peak dense INT8 tensor-core TOPS, 1 MAC = 2 ops, over board power "
                           "(SXM4, 400 W); 1248 with 2:4 structured sparsity"),
        comparable=False,
        comparability_note="Dense peak throughput over board power; not a SOP metric.",
        citation="NVIDIA, A100 Tensor Core GPU datasheet, 2020",
        notes="",
    ),
)


def _derive(entry: dict) -> dict:
    """Fill the numeric fields that follow arithmetically; record which ones."""
    row = {key: entry.get(key, _NAN) for key in _NUMERIC}
    row = {k: (float(v) if v is not None else _NAN) for k, v in row.items()}
    derived = []

    def fill(name, value):
        if math.isnan(row[name]) and not math.isnan(value):
            row[name] = value
            derived.append(name)

    fill("pj_per_sop", 1000.0 / row["gsops_per_w"])
    fill("gsops_per_w", 1000.0 / row["pj_per_sop"])
    fill("gsops_per_w_per_mm2", row["gsops_per_w"] / row["area_mm2"])
    fill("tops_per_w", row["tops"] / row["power_w"])
    fill("tops_per_mm2", row["tops"] / row["area_mm2"])
    fill("tops_per_w_per_mm2", row["tops_per_w"] / row["area_mm2"])
    row["derived"] = ", ".join(derived)
    return row


def published_accelerators() -> xr.Dataset:
    """Published figures of SNN chips, memristive accelerators, MRAM CIM macros and GPUs.

    Only published numbers are stored; the others that follow arithmetically from them
    are derived (listed per design in ``derived``), and a gap stays NaN, never a guess.

    Returns
    -------
    xarray.Dataset
        Dimension ``design`` (short identifiers).  Numeric variables, NaN when not
        published: ``year``, ``node_nm`` [nm], ``gsops`` [GSOP/s], ``gsops_per_w``
        [GSOP/s/W], ``pj_per_sop`` [pJ], ``gsops_per_w_per_mm2`` [GSOP/s/W/mm²], ``tops``
        [TOP/s], ``tops_per_w`` [TOP/s/W], ``tops_per_mm2`` [TOP/s/mm²],
        ``tops_per_w_per_mm2`` [TOP/s/W/mm²], ``area_mm2`` [mm²], ``power_w`` [W].
        Boolean ``comparable``: True when the figure is an SNN SOP metric like-for-like with
        a GSOPS/W figure.  String variables: ``name``, ``kind``, ``node``, ``measurement``,
        ``evidence``, ``evidence_note``, ``metric_definition``, ``area_basis``,
        ``comparability_note``, ``derived``, ``citation``, ``notes``.  The dataset attrs
        state the conventions (SOP definition, 1 MAC = 2 ops, evidence tags).

    Notes
    -----
    pJ/SOP = 1000 / (GSOPS/W) exactly, since 1 GSOP/s/W = 1 SOP/nJ.  Derived values are
    listed per design in ``derived``; see the module docstring for the rules.

    References
    ----------
    The sources of the main entries (every entry's full citation is its ``citation``
    variable; none of them is in ``spinaps/references.bib``, and the table registers no
    citation key):

    * Merolla et al., Science 345(6197):668-673, 2014 (TrueNorth).
    * Akopyan et al., IEEE Trans. Computer-Aided Design 34(10):1537-1557, 2015
      (TrueNorth).
    * Davies et al., IEEE Micro 38(1):82-99, 2018 (Loihi).
    * Frenkel et al., IEEE Trans. Biomedical Circuits and Systems 13(1):145-158, 2019
      (ODIN).
    * Painkras et al., IEEE J. Solid-State Circuits 48(8), 2013 (SpiNNaker).
    * Shafiee et al., ISCA 2016; Chi et al., ISCA 2016; Ankit et al., DAC 2017 (ISAAC,
      PRIME, RESPARC).
    * Jung et al., Nature 601:211-216, 2022; Cai et al., ISSCC 2023 (MRAM
      compute-in-memory).

    Examples
    --------
    >>> ds = published_accelerators()
    >>> float(ds.pj_per_sop.sel(design="odin"))
    12.7
    """
    rows = [_derive(e) for e in _ENTRIES]
    designs = [e["design"] for e in _ENTRIES]
    data = {}
    for name, (units, long_name) in _NUMERIC.items():
        values = np.array([r[name] for r in rows])
        if name == "year":  # always known
            values = values.astype(np.int64)
        data[name] = annotate(xr.DataArray(values, dims="design"), units, long_name)
    data["comparable"] = annotate(
        xr.DataArray(np.array([bool(e["comparable"]) for e in _ENTRIES]), dims="design"), "1",
        "figure is an SNN SOP metric, like-for-like with a GSOPS/W figure")
    for name, long_name in _TEXT.items():
        values = [r["derived"] if name == "derived" else str(e.get(name, ""))
                  for e, r in zip(_ENTRIES, rows)]
        data[name] = annotate(xr.DataArray(np.array(values, dtype=object), dims="design"),
                              "1", long_name)
    ds = xr.Dataset(data, coords={"design": annotate(
        xr.DataArray(designs, dims="design"), "1", "design identifier")})
    return finalize(
        ds,
        title="Published accelerator figures for comparison",
        sop_definition=("SOP: one input spike delivered across one synapse to one neuron "
                        "(one weight accumulated into one membrane potential), counted only "
                        "for spikes that occur; GSOPS = 1e9 SOP/s"),
        conversion="pj_per_sop = 1000 / gsops_per_w (1 GSOP/s/W = 1 SOP/nJ)",
        ops_convention=("TOPS and TOPS/W as published; 1 MAC = 2 ops; bit widths in "
                        "metric_definition; dense ops are not SOPs"),
        area_convention=("gsops_per_w_per_mm2 = gsops_per_w / area_mm2 for the area in "
                         "area_basis (die, core or macro); it favours small designs"),
        comparable_convention=("comparable is True only for SNN figures counting synaptic "
                               "operations on actual spikes; read comparability_note for the "
                               "caveats (minimum vs typical, incremental vs all-in)"),
        evidence_convention=("primary: read in the source; secondary: quoted with location by "
                             "a public note that read the source, or vendor values reproduced; "
                             "unverified: background notes only, not to be cited as is"),
        missing="NaN = not published or not derivable; never guessed",
    )


def _check_choice(parameter, value, allowed):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{parameter}={value!r} is not allowed; allowed values: "
                         f"{', '.join(allowed)}")


def plot_published(ax=None, ours=None, x="area_mm2", y="gsops_per_w", *,
                   include_noncomparable=True, annotate_names=True, dataset=None):
    """Log-log placement of the published accelerators, with optional design points of ours.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (a new figure when None).
    ours : dict of str -> (float, float), optional
        Our design points ``{label: (x, y)}`` in the units of ``x`` and ``y``; drawn as
        highlighted stars.  Both values must be finite and positive.
    x, y : str
        Variables of :func:`published_accelerators` for the axes, one of
        :data:`PLOT_VARIABLES` (default area [mm²] against GSOPS/W [GSOP/s/W]).
    include_noncomparable : bool
        Draw designs whose figure is not like-for-like with an SNN GSOPS/W figure as hollow
        markers (when they have both values); when False they are left out.
    annotate_names : bool
        Write each design's name beside its marker ("[unverified]" appended when the
        design's evidence tag is ``unverified``).
    dataset : xarray.Dataset, optional
        Table to plot (default :func:`published_accelerators`).

    Returns
    -------
    matplotlib.axes.Axes
        One scatter collection per plotted point (its ``gid`` is the design identifier, or
        ``"ours:<label>"``); designs with a NaN in ``x`` or ``y`` are not drawn.

    Raises
    ------
    ValueError
        If ``x`` or ``y`` is not in :data:`PLOT_VARIABLES`, ``x == y``, ``ax`` is not an
        Axes, or ``ours`` is not a mapping of labels to two positive finite numbers.

    See Also
    --------
    published_accelerators : the table plotted, with its conventions.

    Examples
    --------
    >>> ax = plot_published(ours={"SpinAPS (ours)": (1.0, 100.0)})
    >>> ax.collections[-1].get_gid()
    'ours:SpinAPS (ours)'
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D

    _check_choice("x", x, PLOT_VARIABLES)
    _check_choice("y", y, PLOT_VARIABLES)
    if x == y:
        raise ValueError(f"x={x!r} and y={y!r} must differ; allowed values: {', '.join(PLOT_VARIABLES)}")
    if ax is not None and not isinstance(ax, Axes):
        raise ValueError(f"ax={ax!r} is not allowed; allowed values: None or a matplotlib Axes")
    points = {}
    if ours is not None:
        if not isinstance(ours, dict):
            raise ValueError(f"ours={ours!r} is not allowed; allowed values: None or a dict "
                             "{label: (x, y)} of positive finite numbers")
        for label, point in ours.items():
            try:
                px, py = (float(v) for v in point)
            except (TypeError, ValueError):
                raise ValueError(f"ours[{label!r}]={point!r} is not allowed; allowed values: "
                                 "a pair (x, y) of positive finite numbers") from None
            if not (math.isfinite(px) and math.isfinite(py) and px > 0 and py > 0):
                raise ValueError(f"ours[{label!r}]={point!r} is not allowed; allowed values: "
                                 "a pair (x, y) of positive finite numbers (log axes)")
            points[str(label)] = (px, py)

    ds = published_accelerators() if dataset is None else dataset
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    kinds_seen = []
    for design in ds.design.values:
        row = ds.sel(design=design)
        vx, vy = float(row[x]), float(row[y])
        if not (math.isfinite(vx) and math.isfinite(vy) and vx > 0 and vy > 0):
            continue
        comparable = bool(row.comparable)
        if not comparable and not include_noncomparable:
            continue
        kind = str(row.kind.values)
        color, marker = _KIND_STYLE.get(kind, ("black", "o"))
        if kind not in kinds_seen:
            kinds_seen.append(kind)
        ax.scatter([vx], [vy], marker=marker, s=50, zorder=3, gid=str(design),
                   facecolors=color if comparable else "none", edgecolors=color, linewidths=1.3)
        if annotate_names:
            text = str(row["name"].values)
            if str(row.evidence.values) == "unverified":
                text += " [unverified]"
            ax.annotate(text, (vx, vy), xytext=(4, 3),
                        textcoords="offset points", fontsize=7)
    for label, (px, py) in points.items():
        ax.scatter([px], [py], marker="*", s=220, zorder=4, gid=f"ours:{label}",
                   facecolors="tab:red", edgecolors="black", linewidths=0.8)
        ax.annotate(label, (px, py), xytext=(6, -10), textcoords="offset points",
                    fontsize=8, fontweight="bold", color="tab:red")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(_AXIS_LABELS[x])
    ax.set_ylabel(_AXIS_LABELS[y])
    handles = [Line2D([], [], linestyle="none", marker=_KIND_STYLE.get(k, ("black", "o"))[1],
                      color=_KIND_STYLE.get(k, ("black", "o"))[0], label=k) for k in kinds_seen]
    handles.append(Line2D([], [], linestyle="none", marker="o", color="black",
                          label="filled: SNN SOP metric (comparable)"))
    if include_noncomparable:
        handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="none",
                              color="black", label="hollow: not comparable (dense ops)"))
    if points:
        handles.append(Line2D([], [], linestyle="none", marker="*", markersize=12,
                              markerfacecolor="tab:red", markeredgecolor="black", label="ours"))
    ax.legend(handles=handles, fontsize=7, loc="best")
    ax.grid(True, which="major", alpha=0.3)
    return ax
