"""The organisation of a memory: banks, mats, sub-arrays and multiplexers (:class:`Organisation`).

NVSim's vocabulary (Dong et al., IEEE TCAD 2012): a bank is a grid of mats, a mat a
grid of sub-arrays (NVSim's are 1 x 1, 2 x 1 or 2 x 2) sharing a predecoder; an access
activates some mats of the bank and some sub-arrays of each active mat, and each active
sub-array delivers an equal share of the word.  Its ``cols / sense_amp_mux`` sense
amplifiers read ``output_mux`` times that share, and the output multiplexer selects it
(NVSim's ``ForceMuxSenseAmp``, ``ForceMuxOutputLev1`` x ``ForceMuxOutputLev2``).
Banks are independent copies, one accessed at a time (inter-bank routing is not
modelled, as in NVSim, which models one bank).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..params import check_int, is_integer

__all__ = ["Organisation", "is_power_of_two"]


def is_power_of_two(n) -> bool:
    """True for an integer n >= 1 that is a power of two."""
    return is_integer(n) and n >= 1 and n & (n - 1) == 0


def _pair(name, value):
    if not (isinstance(value, tuple) and len(value) == 2 and all(is_power_of_two(v) for v in value)):
        raise ValueError(f"{name} = {value!r} must be a pair (rows, columns) of powers of two >= 1")


@dataclass(frozen=True)
class Organisation:
    """How a memory is cut into banks, mats and sub-arrays.

    Parameters
    ----------
    rows, cols : int
        Cells per sub-array row and column count: powers of two in [4, 8192] (the
        sub-array's limits, :class:`~spinaps.circuit.Array`).
    mats : tuple of 2 int
        Mats per bank (rows, columns), powers of two (NVSim's ``ForceBank`` totals).
    active_mats : tuple of 2 int
        Mats active per access (rows, columns), at most ``mats`` (NVSim's
        ``ForceBank`` active counts).
    subarrays : tuple of 2 int
        Sub-arrays per mat (rows, columns), powers of two (``ForceMat`` totals).
    active_subarrays : tuple of 2 int
        Sub-arrays active per active mat, at most ``subarrays``.
    sense_amp_mux : int
        Columns per sense amplifier, a power of two dividing ``cols``.
    output_mux : int
        Sense amplifiers per output bit (NVSim's two output mux levels multiplied),
        a power of two.
    banks : int
        Independent banks, a power of two.

    Raises
    ------
    ValueError
        Naming the field, its value and the allowed range: a size that is not a power
        of two (or outside [4, 8192] for ``rows`` and ``cols``), an active count above
        its total, or multiplexers that do not divide the columns.

    Examples
    --------
    >>> from spinaps.circuit import Organisation
    >>> o = Organisation(1024, 512, mats=(8, 4), active_mats=(1, 4), subarrays=(2, 2),
    ...                  active_subarrays=(2, 2), sense_amp_mux=16)
    >>> o.subarray_count, o.active_subarray_count, o.bits_per_subarray
    (128, 16, 32)
    """

    rows: int
    cols: int
    mats: tuple = (1, 1)
    active_mats: tuple = (1, 1)
    subarrays: tuple = (1, 1)
    active_subarrays: tuple = (1, 1)
    sense_amp_mux: int = 1
    output_mux: int = 1
    banks: int = 1

    def __post_init__(self):
        for name in ("rows", "cols"):
            v = getattr(self, name)
            if not (is_power_of_two(v) and 4 <= v <= 8192):
                raise ValueError(f"{name} = {v!r} must be a power of two in [4, 8192]")
        for name in ("mats", "active_mats", "subarrays", "active_subarrays"):
            _pair(name, getattr(self, name))
        for active, total in (("active_mats", "mats"), ("active_subarrays", "subarrays")):
            a, t = getattr(self, active), getattr(self, total)
            if a[0] > t[0] or a[1] > t[1]:
                raise ValueError(f"{active} = {a!r} must be at most {total} = {t!r} in each direction")
        for name in ("sense_amp_mux", "output_mux", "banks"):
            check_int(name, getattr(self, name), 1)
            if not is_power_of_two(getattr(self, name)):
                raise ValueError(f"{name} = {getattr(self, name)!r} must be a power of two >= 1")
        if self.sense_amp_mux * self.output_mux > self.cols:
            raise ValueError(
                f"sense_amp_mux x output_mux = {self.sense_amp_mux * self.output_mux} must divide cols = {self.cols}"
            )

    @property
    def subarray_count(self) -> int:
        """Sub-arrays per bank."""
        return self.mats[0] * self.mats[1] * self.subarrays[0] * self.subarrays[1]

    @property
    def active_subarray_count(self) -> int:
        """Sub-arrays active per access."""
        return self.active_mats[0] * self.active_mats[1] * self.active_subarrays[0] * self.active_subarrays[1]

    @property
    def bits_per_subarray(self) -> int:
        """Bits each active sub-array delivers: cols / (sense_amp_mux x output_mux)."""
        return self.cols // (self.sense_amp_mux * self.output_mux)

    @property
    def capacity_bits(self) -> int:
        """Cells of all banks."""
        return self.banks * self.subarray_count * self.rows * self.cols

    @property
    def word_bits(self) -> int:
        """Bits per access: active sub-arrays x bits per sub-array."""
        return self.active_subarray_count * self.bits_per_subarray

    def check_fits(self, capacity_bits: int, word_bits: int) -> None:
        """Raise ValueError unless this organisation tiles ``capacity_bits`` with ``word_bits`` words.

        Raises
        ------
        ValueError
            If the cells or the word do not match, with both values.
        """
        if self.capacity_bits != capacity_bits:
            raise ValueError(
                f"organisation holds {self.capacity_bits} bits (banks {self.banks} x {self.subarray_count} sub-arrays "
                f"x {self.rows} x {self.cols}); the capacity is {capacity_bits} bits"
            )
        if self.word_bits != word_bits:
            raise ValueError(
                f"organisation reads {self.word_bits} bits per access ({self.active_subarray_count} active sub-arrays "
                f"x {self.bits_per_subarray} bits); word_bits = {word_bits}"
            )
