"""Reader of NVSim's printed results (:func:`read_nvsim_output`), for side-by-side validation.

NVSim (Dong et al., IEEE TCAD 2012) prints its chosen organisation and its figures as
text (``Result::print``).  This reader takes the organisation (mats per bank, sub-arrays
per mat with their activations, sub-array size, mux levels) and the totals (area, read
and write latency, read and write dynamic energy, leakage) of a RAM design, or of the
data array of a cache design, in SI units.  Malformed or missing entries raise a
``ValueError`` naming the file and the entry.
"""

from __future__ import annotations

import pathlib
import re
from dataclasses import dataclass

from .organisation import Organisation

__all__ = ["NVSimResult", "read_nvsim_output"]

_UNITS = {
    "mm^2": 1e-6,
    "um^2": 1e-12,
    "ns": 1e-9,
    "ps": 1e-12,
    "us": 1e-6,
    "nJ": 1e-9,
    "pJ": 1e-12,
    "uJ": 1e-6,
    "W": 1.0,
    "mW": 1e-3,
    "uW": 1e-6,
    "nW": 1e-9,
    "pW": 1e-12,
}
_TOTALS = {
    "area": r"- Total Area = .*?([\d.]+)\s*(mm\^2|um\^2)\s*$",
    "read_latency": r"-\s+Read Latency = ([\d.]+)\s*(ns|ps|us)",
    "write_latency": r"- Write Latency = ([\d.]+)\s*(ns|ps|us)",
    "read_energy": r"-\s+Read Dynamic Energy = ([\d.]+)\s*(nJ|pJ|uJ)",
    "write_energy": r"- Write Dynamic Energy = ([\d.]+)\s*(nJ|pJ|uJ)",
    "leakage": r"- Leakage Power = ([\d.]+)\s*(W|mW|uW|nW|pW)",
    "htree_read_latency": r"-\s+Read Latency = .*?H-Tree Latency = ([\d.]+)\s*(ns|ps|us)",
    "htree_read_energy": r"-\s+Read Dynamic Energy = .*?H-Tree Dynamic Energy = ([\d.]+)\s*(nJ|pJ|uJ)",
}
_ORG = {
    "mats": r"Bank Organization: (\d+) x (\d+)",
    "mat_activation": r"Bank Organization:.*?Row Activation\s*: (\d+) / \d+.*?Column Activation: (\d+) / \d+",
    "subarrays": r"Mat Organization: (\d+) x (\d+)",
    "subarray_activation": r"Mat Organization:.*?Row Activation\s*: (\d+) / \d+.*?Column Activation: (\d+) / \d+",
    "size": r"Subarray Size\s*: (\d+) Rows x (\d+) Columns",
    "sense_amp_mux": r"Senseamp Mux\s*: (\d+)",
    "output_mux_1": r"Output Level-1 Mux: (\d+)",
    "output_mux_2": r"Output Level-2 Mux: (\d+)",
}


@dataclass(frozen=True)
class NVSimResult:
    """NVSim's organisation and totals for one run (SI units).

    Attributes
    ----------
    path : pathlib.Path
        The output file.
    organisation : Organisation or None
        NVSim's chosen or forced organisation (None if it is not a valid
        :class:`Organisation`, e.g. sub-arrays of fewer than 4 rows).
    area : float [m^2]
    read_latency, write_latency : float [s]
    read_energy, write_energy : float [J]
        Dynamic energy per access.
    leakage : float [W]
    htree_read_latency : float [s]
        The H-tree's share of the read latency (NVSim: wire delay in and out).
    htree_read_energy : float [J]
        The H-tree's share of the read energy.
    """

    path: pathlib.Path
    organisation: Organisation | None
    area: float
    read_latency: float
    write_latency: float
    read_energy: float
    write_energy: float
    leakage: float
    htree_read_latency: float
    htree_read_energy: float


def read_nvsim_output(path) -> NVSimResult:
    """Parse an NVSim result file (a RAM, or the data array of a cache).

    Parameters
    ----------
    path : str or pathlib.Path
        NVSim's printed output.

    Returns
    -------
    NVSimResult

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If an entry is missing, naming it and the file.

    Examples
    --------
    >>> from spinaps.circuit.nvsim_output import read_nvsim_output
    >>> from spinaps.circuit.validation import NVSIM_DATA
    >>> r = read_nvsim_output(NVSIM_DATA / "out" / "mtj_22nm_8kB_w64_free.out")
    >>> r.organisation.rows, r.organisation.cols, r.organisation.subarrays
    (256, 64, (2, 2))
    """
    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"NVSim output {str(path)!r} does not exist")
    text = path.read_text(encoding="utf-8", errors="replace")
    start = text.find("CACHE DATA ARRAY")
    text = text[start:] if start >= 0 else text
    end = text.find("CACHE TAG ARRAY")
    text = text[:end] if end >= 0 else text

    def find(name, pattern):
        match = re.search(pattern, text, re.MULTILINE | re.DOTALL if "*?" in pattern else re.MULTILINE)
        if match is None:
            raise ValueError(f"{path.name}: NVSim entry {name!r} not found")
        return match.groups()

    totals = {}
    for name, pattern in _TOTALS.items():
        value, unit = find(name, pattern)
        totals[name] = float(value) * _UNITS[unit]
    g = {name: tuple(int(x) for x in find(name, pattern)) for name, pattern in _ORG.items()}
    try:
        org = Organisation(
            g["size"][0],
            g["size"][1],
            mats=g["mats"],
            active_mats=g["mat_activation"],
            subarrays=g["subarrays"],
            active_subarrays=g["subarray_activation"],
            sense_amp_mux=g["sense_amp_mux"][0],
            output_mux=g["output_mux_1"][0] * g["output_mux_2"][0],
        )
    except ValueError:
        org = None  # an organisation our sub-array cannot take (NVSim's 2 x 4 SRAM sub-arrays)
    return NVSimResult(path=path, organisation=org, **totals)
