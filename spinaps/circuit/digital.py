"""Energy of digital operations at a technology node (:func:`operation_energy`).

Reference figures are Horowitz's 45 nm, 0.9 V table (M. Horowitz, "Computing's energy
problem (and what we can do about it)", ISSCC 2014): 8-bit integer add 0.03 pJ, 32-bit
add 0.1 pJ, 8-bit multiply 0.2 pJ, 32-bit multiply 3.1 pJ, and a 64-bit read of an
8 kB SRAM 10 pJ (the literature table ``horowitz2014_energy``, :mod:`spinaps.literature`).
Other widths and operations follow the rules stated in :data:`OPERATIONS`; the ones not
in Horowitz's table are **assumed** multiples of the energy of one adder bit, as the
table says.

Scaling to another node (dynamic energy C V^2 with capacitance proportional to the
feature size):

    E(node) = E(45 nm, 0.9 V) x (F / 45 nm) x (V_dd / 0.9 V)^2.
"""

from __future__ import annotations

import numpy as np

from .. import literature
from ..params import check_choice, check_int, check_range
from .technology import Technology

__all__ = ["operation_energy", "operation_area", "OPERATIONS", "TRANSISTORS", "REFERENCE_F", "REFERENCE_VDD"]

#: Horowitz's table: the literature table ``horowitz2014_energy`` (spinaps/data/literature,
#: :mod:`spinaps.literature`); energies [J] at widths [bit].
_TABLE = literature.load("horowitz2014_energy", required=("operation", "bits", "energy", "feature_size", "vdd"))


def _condition(key):
    """The one value of ``key`` common to every entry of Horowitz's table."""
    values = {entry[key] for entry in _TABLE.entries.values()}
    if len(values) != 1:
        raise ValueError(f"{_TABLE.file}: key {key!r}: the entries must share one value, got {sorted(values)}")
    return values.pop()


REFERENCE_F = _condition("feature_size")  # [m] node of Horowitz's table
REFERENCE_VDD = _condition("vdd")  # [V] supply of Horowitz's table

_ADD8, _ADD32, _MUL32, _SRAM_READ = (_TABLE[k] for k in ("add_8bit", "add_32bit", "multiply_32bit", "sram_read_64bit"))
# Adder energy a + b n through Horowitz's 8- and 32-bit points [J].
_ADD_PER_BIT = (_ADD32["energy"] - _ADD8["energy"]) / (_ADD32["bits"] - _ADD8["bits"])
_ADD_FIXED = _ADD8["energy"] - _ADD8["bits"] * _ADD_PER_BIT
_MUL32_ENERGY, _MUL32_BITS = _MUL32["energy"], _MUL32["bits"]
_SRAM_READ_PER_BIT = _SRAM_READ["energy"] / _SRAM_READ["bits"]

#: Operation -> (energy at 45 nm / 0.9 V as a function of the width in bits [J], rule).
OPERATIONS = {
    "add": (
        lambda n: _ADD_FIXED + _ADD_PER_BIT * n,
        "linear through Horowitz 2014's 8-bit (0.03 pJ) and 32-bit (0.1 pJ) adds",
    ),
    "multiply": (
        lambda n: _MUL32_ENERGY * (n / _MUL32_BITS) ** 2,
        "quadratic in width through Horowitz 2014's 32-bit multiply (3.1 pJ; gives 0.19 pJ at 8 bits "
        "against the table's 0.2 pJ)",
    ),
    "compare": (
        lambda n: _ADD_FIXED + _ADD_PER_BIT * n,
        "a magnitude compare is a subtraction: the add of the same width (assumed)",
    ),
    "register": (
        lambda n: _ADD_PER_BIT * n,
        "one clocked flip-flop bit = one adder bit (assumed: both about 20-28 transistors)",
    ),
    "mux2": (
        lambda n: 0.25 * _ADD_PER_BIT * n,
        "a 2:1 multiplexer bit = a quarter of an adder bit (assumed: 6 of about 24 transistors)",
    ),
    "lfsr": (
        lambda n: 1.25 * _ADD_PER_BIT * n,
        "one step of an n-bit LFSR: n register bits plus the feedback XORs (assumed 1.25 adder bits per bit)",
    ),
    "sram_read_bit": (
        lambda n: _SRAM_READ_PER_BIT * n,
        "Horowitz 2014: 64-bit read of an 8 kB SRAM, 10 pJ, per bit read (a look-up table read)",
    ),
}


def _check_operands(tech, bits):
    """Raise unless ``tech`` is a :class:`Technology` and ``bits`` integer widths in [1, 64]."""
    if not isinstance(tech, Technology):
        raise TypeError(f"tech must be a Technology, got {type(tech).__name__}")
    if np.ndim(bits) == 0:
        check_int("bits", bits, 1, 64)
        return
    arr = np.asarray(bits)
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"bits must be integers in [1, 64], got dtype {arr.dtype}")
    check_range("bits", arr, low=1, high=64, low_inclusive=True, high_inclusive=True)


def operation_energy(tech: Technology, operation: str, bits=8):
    r"""Dynamic energy of one ``operation`` on ``bits``-wide operands at ``tech``.

    The energy at Horowitz's 45 nm, 0.9 V point follows the rule of the operation in
    :data:`OPERATIONS` (Horowitz's table, or **assumed** multiples of the energy of
    one adder bit), scaled to the node as a dynamic energy C V^2 with the capacitance
    proportional to the feature size:

    .. math::

        E = E_{45\,\mathrm{nm},\,0.9\,\mathrm{V}}(n)
            \, \frac{F}{45\,\mathrm{nm}} \left(\frac{V_{dd}}{0.9\,\mathrm{V}}\right)^2.

    Parameters
    ----------
    tech : Technology
        The node (its ``feature_size`` and ``vdd`` are used).
    operation : str
        One of :data:`OPERATIONS` (``add``, ``multiply``, ``compare``, ``register``,
        ``mux2``, ``lfsr``, ``sram_read_bit``).
    bits : int or array_like [bit]
        Operand width n in bits, 1-64 (``sram_read_bit``: the bits read).

    Returns
    -------
    numpy.ndarray [J]
        The energy per operation, of the shape of ``bits``.

    Raises
    ------
    ValueError
        If ``operation`` is not one of :data:`OPERATIONS` or ``bits`` is outside
        [1, 64].

    References
    ----------
    * M. Horowitz, "Computing's energy problem (and what we can do about it)", IEEE
      International Solid-State Circuits Conference (ISSCC), 10-14 (2014); citation
      key ``Horowitz2014``.

    Examples
    --------
    >>> from spinaps.circuit import operation_energy, technology
    >>> from dataclasses import replace
    >>> float(operation_energy(replace(technology(45), vdd=0.9), "add", 32))  # Horowitz's 0.1 pJ
    1e-13
    """
    check_choice("operation", operation, OPERATIONS)
    _check_operands(tech, bits)
    e45 = OPERATIONS[operation][0](np.asarray(bits, dtype=float))
    return e45 * (tech.feature_size / REFERENCE_F) * (tech.vdd / REFERENCE_VDD) ** 2


#: Transistors per operation as a function of the width n in bits (static CMOS,
#: **assumed** textbook counts: mirror full adder 28, transmission-gate master-slave
#: flip-flop 24, transmission-gate 2:1 mux 6 per bit plus the select inverter, XOR 12;
#: array multiplier n^2 AND (6) + n (n - 1) full adders; LFSR: n flip-flops and 3
#: feedback XORs; SRAM read: a 6T cell per stored bit, counted by the caller).
TRANSISTORS = {
    "add": lambda n: 28 * n,
    "compare": lambda n: 28 * n,
    "multiply": lambda n: 6 * n**2 + 28 * n * (n - 1),
    "register": lambda n: 24 * n,
    "mux2": lambda n: 6 * n + 2,
    "lfsr": lambda n: 24 * n + 3 * 12,
    "sram_read_bit": lambda n: 6 * n,
}
#: Layout area of one minimum transistor, (F + 2F) x 4F (diffusion plus contacts by one
#: contacted gate pitch), times a routing factor of 2 for standard-cell placement and
#: wiring (both assumed).
TRANSISTOR_AREA_F2 = 12.0
ROUTING_FACTOR = 2.0


def operation_area(tech: Technology, operation: str, bits=8):
    """Layout area of the logic of one ``operation`` unit of ``bits`` width.

    Transistors (:data:`TRANSISTORS`, textbook static-CMOS counts) x 12 F^2 per
    transistor (:data:`TRANSISTOR_AREA_F2`) x a routing factor of 2
    (:data:`ROUTING_FACTOR`); all assumed rules.

    Parameters
    ----------
    tech : Technology
        The node (its ``feature_size`` F is used).
    operation : str
        One of :data:`TRANSISTORS` (the operations of :data:`OPERATIONS`).
    bits : int or array_like [bit]
        Operand width n in bits, 1-64.

    Returns
    -------
    numpy.ndarray [m^2]
        The area, of the shape of ``bits`` (``sram_read_bit``: the 6T cells of the
        bits, counted by the caller's number of bits).

    Raises
    ------
    ValueError
        If ``operation`` is unknown or ``bits`` is outside [1, 64].

    Examples
    --------
    >>> from spinaps.circuit import operation_area, technology
    >>> float(operation_area(technology(45), "add", 8)) / 45e-9 ** 2   # 28 x 8 x 12 x 2 F^2
    5376.0
    """
    check_choice("operation", operation, TRANSISTORS)
    _check_operands(tech, bits)
    n = np.asarray(bits, dtype=float)
    return TRANSISTORS[operation](n) * TRANSISTOR_AREA_F2 * ROUTING_FACTOR * tech.feature_size**2
