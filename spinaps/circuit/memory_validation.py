"""Our memories next to NVSim's runs on the same files (:func:`nvsim_memory_table`).

Each run of the reference set (Dong et al., IEEE TCAD 2012; the NVSim runs of
``spinaps/data/nvsim``, with NVSim's printed results in ``out/``) is configured from its
very ``.cfg`` and ``.cell`` files (:meth:`~spinaps.circuit.NVSimConfig.to_memory`) and
computed twice: with NVSim's own organisation forced (read from its output: this
compares the models on the same mats and sub-arrays) and, for the free runs, with our
own search for the file's target.  One change to the files: the MTJ cells are read at a
lower voltage than their 0.25 V (which drives a current above the benchmark junction's
read threshold, so the device layer refuses that read): 0.1 V for the 6/12 kOhm 2013
cell (:data:`~spinaps.circuit.validation.NVSIM_SAMPLE_V_READ`) and 0.03 V for the
3/6 kOhm cell of NVSim's 8 MB sample cache (10 uA, below the 13.4 uA threshold;
assumed).
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import pandas as pd

from .memory import Memory
from .nvsim import from_nvsim_cfg
from .nvsim_output import read_nvsim_output
from .validation import NVSIM_DATA, NVSIM_SAMPLE_V_READ

__all__ = ["NVSIM_RUNS", "FIGURES", "nvsim_memory_table"]

#: Runs: name -> read voltage of the cell [V] (None: the file's; SRAM).
NVSIM_RUNS = {
    "mtj_22nm_256x256_w64": NVSIM_SAMPLE_V_READ,
    "mtj_22nm_512x512_w64": NVSIM_SAMPLE_V_READ,
    "mtj_22nm_1024x1024_w64": NVSIM_SAMPLE_V_READ,
    "sram_22nm_256x256_w64": None,
    "sram_22nm_512x512_w64": None,
    "sram_22nm_1024x1024_w64": None,
    "mtj_22nm_8kB_w64_free": NVSIM_SAMPLE_V_READ,
    "mtj_22nm_128kB_w64_free": NVSIM_SAMPLE_V_READ,
    "sram_22nm_8kB_w64_free": None,
    "sample_STTRAM_cache": 0.03,
}
#: The figures compared.
FIGURES = ("area", "read_latency", "write_latency", "read_energy", "write_energy", "leakage")


def _row(run, organisation, ds, theirs, org):
    return [
        dict(
            run=run,
            organisation=organisation,
            figure=name,
            ours=float(ds[name]),
            nvsim=getattr(theirs, name),
            ratio=float(ds[name]) / getattr(theirs, name),
            subarray=f"{org.rows}x{org.cols}",
            mats=f"{org.mats[0]}x{org.mats[1]}",
        )
        for name in FIGURES
    ]


def nvsim_memory_table(runs=None, search: bool = True) -> pd.DataFrame:
    """Ours and NVSim's area, latencies, energies and leakage for each run.

    Parameters
    ----------
    runs : iterable of str, optional
        Names of :data:`NVSIM_RUNS` (default all).
    search : bool
        Also run our own search for the free runs.

    Returns
    -------
    pandas.DataFrame
        Columns ``run``, ``organisation`` ("NVSim's" or "ours, searched"), ``figure``,
        ``ours``, ``nvsim`` (SI units), ``ratio`` (ours / NVSim), ``subarray`` and
        ``mats``.  NVSim's organisation is skipped where our sub-array cannot take it
        (NVSim's 8 kB SRAM uses 2 x 4 sub-arrays; ours have at least 4 rows).
    """
    rows = []
    for run in runs or NVSIM_RUNS:
        v_read = NVSIM_RUNS[run]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the cache's tag array, the cell's set/reset
            cfg = from_nvsim_cfg(NVSIM_DATA / f"{run}.cfg")
            bitcell = cfg.to_bitcell()
        if v_read is not None:
            bitcell = replace(bitcell, v_read=v_read)
        theirs = read_nvsim_output(NVSIM_DATA / "out" / f"{run}.out")
        try:
            org = theirs.organisation
        except ValueError:
            org = None
        repeaters = "none"  # every reference run uses RepeatedNone global wires
        if org is not None:
            ds = Memory(bitcell, cfg.capacity, cfg.word_width, org, repeaters=repeaters).figures()
            rows += _row(run, "NVSim's", ds, theirs, org)
        if search and cfg.force_bank is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                memory = cfg.to_memory(v_read=v_read)
            rows += _row(run, "ours, searched", memory.figures(), theirs, memory.organisation)
    return pd.DataFrame(rows)
