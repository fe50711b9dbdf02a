"""Weights in binary MTJ cells: B-bit quantisation, bit planes, and cell faults.

Quantisation (per output neuron): q = clip(round(w / s_j), -(2^(B-1) - 1),
2^(B-1) - 1) with the row's MSE-optimal scale s_j (searched over clip ratios of
``max_i |w_ji|``, see :func:`quantize`), stored as B bit planes in one of two codes:

* ``"sign_magnitude"`` (default): bit B-1 is the sign (1 = negative), bits 0 ... B-2
  the magnitude; a flipped bit changes ``|q|`` by at most 2^(B-2) and never creates a level
  outside +-(2^(B-1) - 1).  Chosen as the default because single bit flips then do
  less harm than in two's complement (a flipped sign bit of a small two's-complement
  level jumps by 2^(B-1)); the notebook 04 measures the difference;
* ``"twos_complement"``: bit B-1 has weight -2^(B-1); a flip can also produce the
  extra level -2^(B-1).

B = 1 is the binary case w = s sign(w) with ``s_j = mean_i |w_ji|`` (the scaling of
Rastegari et al., ECCV 2016), stored as one bit (1 = positive) in both codes.
**One bit per binary MTJ cell, 1 = AP (high resistance), 0 = P** (a convention of this
package).

Faults (:class:`FaultModel`), cell by cell, independently:

* write error: the programmed value is not taken and the cell keeps its previous state,
  the opposite value (every cell is taken to be programmed from the opposite state, the
  worst case); probability ``wer_p_to_ap`` for a 1 (P->AP) and ``wer_ap_to_p`` for a 0;
* retention: a flip over the storage time, probability ``retention``;
* read disturb: cells in the state the read current destabilises, ``read_disturb_state``
  (default ``"ap"``: the read current flows in the AP->P write direction, assumed), flip
  with probability 1 - (1 - ``read_disturb``)^``n_reads``; the other state is stable;
* read decision error on the (single) read that loads the weights: a 1 read as 0 with
  ``read_error_ap``, a 0 read as 1 with ``read_error_p``;
* stuck cells: fractions ``stuck_at_0`` / ``stuck_at_1`` of cells hold that value;
* ``flip``: a plain bit error rate, every cell flips with this probability (a shortcut
  when the device-level probabilities are not wanted).

:meth:`FaultModel.from_bitcell` takes every probability from the circuit layer's
1T-1MTJ figures (:meth:`spinaps.circuit.MTJBitcell.figures`), as means over an
ensemble.  Cell by cell, the six device probabilities (``wer_p_to_ap``, ``wer_ap_to_p``,
``retention``, ``read_disturb``, ``read_error_p``, ``read_error_ap``) may also be arrays
broadcastable to (n_chips,) + the planes' shape, one probability per cell (and chip):
:meth:`FaultModel.from_cells` takes them from :func:`spinaps.circuit.chip_cells`, where
every cell has its own device.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..params import check_choice, check_int, check_range
from ._quant_kernel import best_scales

__all__ = [
    "quantize",
    "dequantize",
    "to_bit_planes",
    "from_bit_planes",
    "FaultModel",
    "CODES",
    "DEFAULT_CODE",
    "CELL_FIELDS",
]

#: The codes of a B-bit level in B binary cells.
CODES = ("sign_magnitude", "twos_complement")
#: The code a trained network stores its levels in unless told otherwise (both networks).
DEFAULT_CODE = "sign_magnitude"
#: FaultModel fields that may be per-cell arrays.
CELL_FIELDS = ("wer_p_to_ap", "wer_ap_to_p", "retention", "read_disturb", "read_error_p", "read_error_ap")


def _check_bits(bits):
    check_int("bits", bits, 1, 8)


#: Clip ratios c (scale s = c max|w| / (2^(B-1) - 1)) searched for the MSE-optimal scale.
_CLIP_RATIOS = np.linspace(0.05, 1.0, 39)


def quantize(w, bits):
    r"""Integer levels q (same shape as w) and per-row scales s with w ~ s q.

    B = 1: q = sign(w) (+1 for w = 0), ``s = mean |w|`` (the L2-optimal binary scale;
    Rastegari et al., ECCV 2016).  B >= 2:

    .. math::

        q = \operatorname{clip}\left(\operatorname{round}(w / s),\,
            -(2^{B-1} - 1),\, 2^{B-1} - 1\right),

    with the scale minimising the row's squared error :math:`\sum (w - s q)^2` over
    39 clip ratios c in [0.05, 1] of :math:`s = c \max|w| / (2^{B-1} - 1)` (c = 1 is
    plain max scaling, which rounds most weights of a ternary B = 2 code to zero).
    The search runs in a compiled kernel (:mod:`spinaps.network._quant_kernel`) that
    repeats the plain numpy arithmetic and its pairwise row sums, so the levels and
    scales are bit for bit those of the numpy loop, at about a tenth of its time.

    Parameters
    ----------
    w : array_like (..., n)
        Float weights; each row (last axis) gets its own scale, e.g. one row per
        output neuron.
    bits : int
        B, the bits per stored weight, 1 ... 8.

    Returns
    -------
    q : numpy.ndarray of int64, shape of ``w``
        The levels, in [-(2^(B-1) - 1), 2^(B-1) - 1] (+-1 for B = 1).
    scale : numpy.ndarray (..., 1)
        The scale s of each row, in the units of ``w``.

    Raises
    ------
    ValueError
        If ``bits`` is not an integer in [1, 8].

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network.weights import quantize
    >>> q, s = quantize(np.array([[0.5, -0.25, 0.1, -1.0]]), 3)
    >>> q.tolist(), round(float(s[0, 0]), 6)
    ([[2, -1, 0, -3]], 0.3)
    """
    _check_bits(bits)
    w = np.asarray(w, dtype=float)
    if bits == 1:
        return np.where(w >= 0, 1, -1).astype(np.int64), np.mean(np.abs(w), axis=-1, keepdims=True)
    top = 2 ** (bits - 1) - 1
    peak = np.max(np.abs(w), axis=-1, keepdims=True)
    peak = np.where(peak > 0, peak, 1.0)
    rows = np.ascontiguousarray(w.reshape(-1, w.shape[-1]))
    best_scale = best_scales(rows, np.ascontiguousarray(peak.reshape(-1)), _CLIP_RATIOS, top).reshape(peak.shape)
    return np.clip(np.rint(w / best_scale), -top, top).astype(np.int64), best_scale


def dequantize(w, bits):
    """The weights a B-bit memory holds for the float weights w: s q (:func:`quantize`).

    Parameters
    ----------
    w : array_like (..., n)
        Float weights, one scale per row (last axis).
    bits : int
        B, 1 ... 8.

    Returns
    -------
    numpy.ndarray
        s q, of the shape of ``w``.

    Raises
    ------
    ValueError
        If ``bits`` is not an integer in [1, 8].

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network.weights import dequantize
    >>> np.round(dequantize(np.array([[0.5, -0.25, 0.1, -1.0]]), 3), 6).tolist()
    [[0.6, -0.3, 0.0, -0.9]]
    """
    q, scale = quantize(w, bits)
    return q * scale


def _check_code(code):
    check_choice("code", code, CODES)


def to_bit_planes(q, bits, code="sign_magnitude"):
    """Bits (..., B) of the levels q in ``code``; for B = 1, 1 = positive.

    Bit b of the last axis has weight 2^b; in ``"sign_magnitude"`` bit B-1 is the
    sign (1 = negative), in ``"twos_complement"`` it has weight -2^(B-1).  One bit per
    binary MTJ cell, 1 = AP.

    Parameters
    ----------
    q : array_like of int
        Levels, in [-(2^(B-1) - 1), 2^(B-1) - 1] (:func:`quantize`); for B = 1 the
        sign (+-1).
    bits : int
        B, 1 ... 8.
    code : {"sign_magnitude", "twos_complement"}
        The code (:data:`CODES`).

    Returns
    -------
    numpy.ndarray of uint8, shape ``q.shape + (B,)``
        The bit planes, least significant bit first.

    Raises
    ------
    ValueError
        If ``bits`` is not an integer in [1, 8] or ``code`` is unknown.

    Examples
    --------
    >>> from spinaps.network.weights import to_bit_planes
    >>> to_bit_planes([2, -3], 3).tolist()
    [[0, 1, 0], [1, 1, 1]]
    >>> to_bit_planes([-3], 3, "twos_complement").tolist()
    [[1, 0, 1]]
    """
    _check_bits(bits)
    _check_code(code)
    q = np.asarray(q, dtype=np.int64)
    if bits == 1:
        return (q > 0).astype(np.uint8)[..., None]
    if code == "sign_magnitude":
        unsigned = np.abs(q) | ((q < 0).astype(np.int64) << (bits - 1))
    else:
        unsigned = np.where(q < 0, q + 2**bits, q)
    return ((unsigned[..., None] >> np.arange(bits)) & 1).astype(np.uint8)


def from_bit_planes(planes, code="sign_magnitude"):
    """Levels q from bit planes (..., B) (inverse of :func:`to_bit_planes`).

    Any bit pattern is decoded, e.g. a faulty copy: in two's complement a flip can
    give the extra level -2^(B-1); in sign-magnitude a negative zero decodes to 0.

    Parameters
    ----------
    planes : numpy.ndarray of 0/1, shape (..., B)
        Bit planes, least significant bit first (B = ``planes.shape[-1]``).
    code : {"sign_magnitude", "twos_complement"}
        The code they were written in.

    Returns
    -------
    numpy.ndarray of int64, shape ``planes.shape[:-1]``
        The levels (+-1 for B = 1).

    Raises
    ------
    ValueError
        If ``code`` is unknown.

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network.weights import from_bit_planes, to_bit_planes
    >>> from_bit_planes(to_bit_planes([2, -1, 0, -3], 3)).tolist()
    [2, -1, 0, -3]
    """
    _check_code(code)
    bits = planes.shape[-1]
    if bits == 1:
        return np.where(planes[..., 0] > 0, 1, -1).astype(np.int64)
    magnitude = np.zeros(planes.shape[:-1], dtype=np.int16)  # |levels| < 2^8
    for b in range(bits - 1):
        magnitude += planes[..., b].astype(np.int16) << b
    top = planes[..., -1] > 0
    if code == "sign_magnitude":
        return np.where(top, -magnitude, magnitude).astype(np.int64)
    return (magnitude - (top.astype(np.int16) << (bits - 1))).astype(np.int64)


def _any(*probabilities):
    """True if any of the probabilities (scalars or per-cell arrays) is non-zero."""
    return any(np.any(np.asarray(p) != 0) for p in probabilities)


@dataclass(frozen=True)
class FaultModel:
    """Per-cell fault probabilities (see the module notes).

    The fields in :data:`CELL_FIELDS` are scalars (every cell alike) or arrays
    broadcastable to (n_chips,) + the planes' shape (cell by cell, chip by chip), each
    in [0, 1]; array fields are stored as read-only arrays.  ``cell_bits``, if given,
    are the bit planes the per-cell arrays were computed for (:meth:`apply` refuses
    other planes).  Compare models with :meth:`is_fault_free`, not ``==`` (which
    fails on array fields).  Faults act cell by cell, independently, in the order of
    :meth:`apply`.

    Parameters
    ----------
    wer_p_to_ap, wer_ap_to_p : float or array_like [-]
        Write error probability of writing a 1 (P -> AP) and a 0 (AP -> P): the cell
        keeps the opposite value (every cell is taken to be programmed from the
        opposite state, the worst case).
    retention : float or array_like [-]
        Probability that the stored state flips over the storage time.
    read_disturb : float or array_like [-]
        Flip probability per read of a cell in ``read_disturb_state``.
    n_reads : int [-]
        Reads between the write and the read that loads the weights, >= 0 (read
        disturb acts only if > 0).
    read_error_p, read_error_ap : float or array_like [-]
        Read decision error of the loading read: a 0 (P) read as 1, a 1 (AP) read
        as 0.
    stuck_at_0, stuck_at_1 : float [-]
        Fractions of cells stuck at 0 and at 1 (scalars; their sum at most 1).
    flip : float [-]
        A plain bit error rate: every cell flips with this probability (scalar).
    read_disturb_state : {"ap", "p"}
        The state the read current destabilises (default ``"ap"``: the read current
        flows in the AP -> P write direction; assumed).
    cell_bits : array_like of 0/1, optional
        The bit planes the per-cell arrays belong to.

    Attributes
    ----------
    per_cell : bool
        True if any probability is a per-cell array.

    Raises
    ------
    ValueError
        If a probability is outside [0, 1] or not numeric, ``stuck_at_0``,
        ``stuck_at_1`` or ``flip`` is an array, ``stuck_at_0 + stuck_at_1 > 1``,
        ``n_reads`` is not an integer >= 0, ``read_disturb_state`` is not ``"ap"`` or
        ``"p"``, the per-cell arrays do not broadcast together, or ``cell_bits`` is
        empty, holds values other than 0 and 1, or does not fit the arrays.

    See Also
    --------
    FaultModel.from_bitcell, FaultModel.from_cells : the probabilities from the circuit
        layer.

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network import FaultModel
    >>> FaultModel().is_fault_free(), FaultModel(read_disturb=0.1).is_fault_free()
    (True, True)
    >>> FaultModel(stuck_at_1=1.0).apply(np.zeros((2, 3), np.uint8), 1, np.random.default_rng(0)).tolist()
    [[[1, 1, 1], [1, 1, 1]]]
    """

    wer_p_to_ap: float | np.ndarray = 0.0
    wer_ap_to_p: float | np.ndarray = 0.0
    retention: float | np.ndarray = 0.0
    read_disturb: float | np.ndarray = 0.0
    n_reads: int = 0
    read_error_p: float | np.ndarray = 0.0
    read_error_ap: float | np.ndarray = 0.0
    stuck_at_0: float = 0.0
    stuck_at_1: float = 0.0
    flip: float = 0.0
    read_disturb_state: str = "ap"
    cell_bits: np.ndarray | None = None

    def __post_init__(self):
        for name in CELL_FIELDS:
            value = getattr(self, name)
            if np.ndim(value) == 0:
                check_range(name, value, low=0.0, high=1.0, low_inclusive=True, high_inclusive=True)
                if isinstance(value, np.ndarray):  # a 0-d array is a scalar
                    object.__setattr__(self, name, float(value))
                continue
            arr = np.asarray(value)
            if not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)):
                raise ValueError(f"{name} must be a probability or an array of probabilities, got dtype {arr.dtype}")
            if not np.issubdtype(arr.dtype, np.floating):
                arr = arr.astype(float)
            check_range(name, arr, low=0.0, high=1.0, low_inclusive=True, high_inclusive=True)
            view = arr.view()
            view.flags.writeable = False
            object.__setattr__(self, name, view)
        for name in ("stuck_at_0", "stuck_at_1", "flip"):
            if np.ndim(getattr(self, name)):
                raise ValueError(
                    f"{name} must be a scalar probability (per-cell arrays are allowed for {', '.join(CELL_FIELDS)})"
                )
            check_range(name, getattr(self, name), low=0.0, high=1.0, low_inclusive=True, high_inclusive=True)
        if self.stuck_at_0 + self.stuck_at_1 > 1.0:
            raise ValueError("stuck_at_0 + stuck_at_1 must not exceed 1")
        check_int("n_reads", self.n_reads, 0, 10**18)
        if self.read_disturb_state not in ("ap", "p"):
            raise ValueError(f"read_disturb_state = {self.read_disturb_state!r}; allowed: ap, p")
        shapes = {name: getattr(self, name).shape for name in self._array_fields()}
        try:
            common = np.broadcast_shapes(*shapes.values())
        except ValueError:
            raise ValueError(
                "per-cell fault arrays must broadcast together, got shapes "
                + ", ".join(f"{k} {v}" for k, v in shapes.items())
            ) from None
        if self.cell_bits is not None:
            bits = np.asarray(self.cell_bits)
            if bits.size == 0 or not np.all((bits == 0) | (bits == 1)):
                raise ValueError("cell_bits must be a non-empty array of 0 and 1 (the programmed bit planes)")
            bits = bits.astype(np.uint8)
            bits.flags.writeable = False
            object.__setattr__(self, "cell_bits", bits)
            ok = len(common) <= bits.ndim + 1
            if ok and bits.ndim:
                try:
                    ok = np.broadcast_shapes(common[-bits.ndim :], bits.shape) == bits.shape
                except ValueError:
                    ok = False
            if not ok:
                raise ValueError(
                    f"per-cell fault arrays of shape {common} do not fit the cell_bits of shape "
                    f"{bits.shape}: they must broadcast to (n_chips,) + {bits.shape}"
                )

    def _array_fields(self):
        return [name for name in CELL_FIELDS if isinstance(getattr(self, name), np.ndarray)]

    @property
    def per_cell(self) -> bool:
        """True if any probability is a per-cell array."""
        return bool(self._array_fields())

    def with_bit_error_rate(self, bit_error_rate):
        """A copy whose cells also flip with a plain ``bit_error_rate``, independently of
        ``flip``: flip' = 1 - (1 - flip) (1 - bit_error_rate).

        Parameters
        ----------
        bit_error_rate : float [-]
            In [0, 1].

        Returns
        -------
        FaultModel
            ``self`` itself when ``bit_error_rate`` is 0.

        Raises
        ------
        ValueError
            If ``bit_error_rate`` is outside [0, 1].
        """
        check_range("bit_error_rate", bit_error_rate, low=0.0, high=1.0, low_inclusive=True, high_inclusive=True)
        if bit_error_rate == 0:
            return self
        return dataclasses.replace(self, flip=1.0 - (1.0 - self.flip) * (1.0 - bit_error_rate))

    def is_fault_free(self) -> bool:
        """True if no cell can be faulty: every probability (scalar or per cell) is zero.

        ``read_disturb`` does not count when ``n_reads`` is 0 (no read, no disturb).

        Returns
        -------
        bool
        """
        if self.stuck_at_0 or self.stuck_at_1 or self.flip:
            return False
        for name in CELL_FIELDS:
            value = getattr(self, name)
            if name == "read_disturb" and self.n_reads == 0:
                continue  # no read, no disturb
            if np.any(np.asarray(value) != 0):
                return False
        return True

    def to_attrs(self, prefix="fault_") -> dict:
        """Attributes describing the model, one per field (netCDF-ready numbers/strings).

        Scalars are stored as ``{prefix}{field}``; per-cell arrays as
        ``{prefix}{field}_mean`` and ``{prefix}{field}_max`` (over all their elements);
        ``{prefix}per_cell`` is 1 if any field is per cell, and ``{prefix}cell_bits``
        gives the shape of the planes the arrays belong to (or "none").

        Parameters
        ----------
        prefix : str
            Prefix of every attribute name (default ``"fault_"``).

        Returns
        -------
        dict
            Attribute name -> float, int (``n_reads``, ``per_cell``) or str.
        """
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "cell_bits":
                out[f"{prefix}cell_bits"] = "none" if value is None else f"per-cell planes of shape {value.shape}"
            elif isinstance(value, np.ndarray):
                out[f"{prefix}{f.name}_mean"] = float(np.mean(value, dtype=np.float64))
                out[f"{prefix}{f.name}_max"] = float(np.max(value))
            elif isinstance(value, str):
                out[f"{prefix}{f.name}"] = value
            elif f.name == "n_reads":
                out[f"{prefix}{f.name}"] = int(value)
            else:
                out[f"{prefix}{f.name}"] = float(value)
        out[f"{prefix}per_cell"] = int(self.per_cell)
        return out

    @classmethod
    def from_bitcell(cls, figures, *, n_reads=0, stuck_at_0=0.0, stuck_at_1=0.0):
        """Probabilities from :meth:`MTJBitcell.figures` (means over an ensemble).

        Parameters
        ----------
        figures : xarray.Dataset
            :meth:`spinaps.circuit.MTJBitcell.figures`: ``wer`` (direction),
            ``retention_failure``, ``read_disturb``, ``read_error_p`` and
            ``read_error_ap``, each averaged over the ``device`` dimension if any.
        n_reads : int
            Reads between the write and the loading read (read disturb acts in the
            default ``read_disturb_state``, ``"ap"``).
        stuck_at_0, stuck_at_1 : float [-]
            Scalar extras, as the constructor.

        Returns
        -------
        FaultModel
            Scalar probabilities (``flip`` = 0).

        Raises
        ------
        ValueError
            As the constructor.
        """
        wer = figures["wer"]
        return cls(
            wer_p_to_ap=float(wer.sel(direction="p_to_ap").mean()),
            wer_ap_to_p=float(wer.sel(direction="ap_to_p").mean()),
            retention=float(figures["retention_failure"].mean()),
            read_disturb=float(figures["read_disturb"].mean()),
            n_reads=int(n_reads),
            read_error_p=float(figures["read_error_p"].mean()),
            read_error_ap=float(figures["read_error_ap"].mean()),
            stuck_at_0=stuck_at_0,
            stuck_at_1=stuck_at_1,
        )

    @classmethod
    def from_cells(cls, cells, *, n_reads=0, stuck_at_0=0.0, stuck_at_1=0.0, flip=0.0):
        """Per-cell probabilities from :func:`spinaps.circuit.chip_cells` (or
        :func:`spinaps.circuit.homogeneous_cells`).

        Parameters
        ----------
        cells : spinaps.circuit.ChipCells
            Per-cell probabilities of chip instances.
        n_reads : int
            Reads of each cell between its write and the read that loads the weights
            (read disturb acts in ``cells.read_disturb_state``).
        stuck_at_0, stuck_at_1, flip : float
            Scalar extras, as the constructor.

        Returns
        -------
        FaultModel
            ``wer_p_to_ap`` = ``wer_ap_to_p`` = ``cells.wer``: each cell's write error in
            the direction it is programmed in (a cell programmed to 1 uses the former, to
            0 the latter, so one array serves both); ``retention`` and ``read_disturb``
            cell by cell; ``read_error_ap`` / ``read_error_p``: the cell's own read error
            for its programmed state and, for the other state (reached only after an
            earlier fault), the nominal device's.  ``cell_bits`` = ``cells.bits``: the
            model applies to those planes only.  Arrays that are broadcast over chips
            (homogeneous populations) are kept as one chip's cells, so the model works
            for any ``n_chips``; otherwise ``n_chips`` must equal ``cells.n_chips``.

        Raises
        ------
        TypeError
            If ``cells`` is not a :class:`spinaps.circuit.ChipCells`.
        ValueError
            As the constructor.
        """
        from ..circuit.cells import ChipCells

        if not isinstance(cells, ChipCells):
            raise TypeError(f"cells must be a spinaps.circuit.ChipCells, got {type(cells).__name__}")

        def per_chip(a):  # a broadcast copy of one chip: keep one chip
            return a[0] if a.shape[0] > 0 and a.strides[0] == 0 else a

        ones = cells.bits == 1
        read_error = per_chip(cells.read_error)
        nominal = cells.nominal
        return cls(
            wer_p_to_ap=per_chip(cells.wer),
            wer_ap_to_p=per_chip(cells.wer),
            retention=per_chip(cells.retention),
            read_disturb=per_chip(cells.read_disturb),
            n_reads=n_reads,
            read_error_ap=np.where(ones, read_error, np.float32(nominal["read_error_ap"])).astype(np.float32),
            read_error_p=np.where(ones, np.float32(nominal["read_error_p"]), read_error).astype(np.float32),
            stuck_at_0=stuck_at_0,
            stuck_at_1=stuck_at_1,
            flip=flip,
            read_disturb_state=cells.read_disturb_state,
            cell_bits=cells.bits,
        )

    def apply(self, planes, n_chips, rng):
        r"""Faulty copies (n_chips, ...) of the bit planes, each chip with its own faults.

        In this order, cell by cell: the write error (in the direction of the
        programmed bit); one flip of the stored state with the probability

        .. math:: 1 - (1 - p_\mathrm{flip}) (1 - p_\mathrm{ret}) (1 - p_\mathrm{rd})^{n_\mathrm{reads}}

        (the read-disturb factor only for cells in ``read_disturb_state``); the read
        decision error of the state then held; stuck cells last.  A step whose
        probabilities are all zero draws nothing (so the stream of a fault model
        depends on which steps it has; results are reproducible for the same model
        and seed).  With per-cell
        probabilities the survival of the stored state is computed in the log domain
        (float64), so a small per-read disturb over many reads is not lost to rounding;
        the scalar path is the plain product (and the same sequence of draws).

        Parameters
        ----------
        planes : array_like of 0/1
            The programmed bit planes (e.g. :meth:`SNN.bit_planes`).
        n_chips : int
            Chip instances; with per-cell arrays of several chips it must fit their
            first axis.
        rng : numpy.random.Generator
            The stream of the fault draws.

        Returns
        -------
        numpy.ndarray of uint8, shape (n_chips,) + ``planes.shape``
            The bits each chip reads.

        Raises
        ------
        ValueError
            If the per-cell arrays were computed for other planes (``cell_bits``) or do
            not broadcast to (n_chips,) + ``planes.shape``.
        """
        per_cell = self.per_cell or self.cell_bits is not None
        planes = np.asarray(planes, dtype=np.uint8)
        shape = (int(n_chips),) + planes.shape
        if per_cell:
            self._check_cells(planes, shape, n_chips)
        bits = np.broadcast_to(planes, shape).copy()
        if _any(self.wer_p_to_ap, self.wer_ap_to_p):
            write_fail = np.where(bits == 1, self.wer_p_to_ap, self.wer_ap_to_p)
            bits ^= rng.random(shape) < write_fail
        if not _any(self.flip, self.retention, self.read_disturb if self.n_reads > 0 else 0.0):
            pass  # no flip of the stored state can occur
        elif not per_cell and (self.n_reads == 0 or self.read_disturb == 0):
            bits ^= rng.random(shape) < 1.0 - (1.0 - self.flip) * (1.0 - self.retention)
        elif per_cell:
            disturbed = bits == (1 if self.read_disturb_state == "ap" else 0)
            with np.errstate(divide="ignore"):
                log_keep = np.log1p(-np.asarray(self.retention, dtype=np.float64)) + np.log1p(-float(self.flip))
                if self.n_reads > 0:
                    log_keep = log_keep + np.where(
                        disturbed, self.n_reads * np.log1p(-np.asarray(self.read_disturb, dtype=np.float64)), 0.0
                    )
            p_flip = -np.expm1(np.broadcast_to(log_keep, shape))
            bits ^= rng.random(shape) < p_flip
        else:
            disturbed = bits == (1 if self.read_disturb_state == "ap" else 0)
            p_flip = 1.0 - (1.0 - self.flip) * (1.0 - self.retention) * np.where(
                disturbed, (1.0 - self.read_disturb) ** self.n_reads, 1.0
            )
            bits ^= rng.random(shape) < p_flip
        if _any(self.read_error_ap, self.read_error_p):
            misread = np.where(bits == 1, self.read_error_ap, self.read_error_p)
            bits ^= rng.random(shape) < misread
        if self.stuck_at_0 or self.stuck_at_1:
            stuck = rng.random(shape)
            bits = np.where(stuck < self.stuck_at_0, 0, np.where(stuck < self.stuck_at_0 + self.stuck_at_1, 1, bits))
        return bits.astype(np.uint8, copy=False)

    def _check_cells(self, planes, shape, n_chips):
        """Per-cell arrays must belong to these planes and broadcast to (n_chips,) + planes."""
        if self.cell_bits is not None and (
            planes.shape != self.cell_bits.shape or not np.array_equal(planes, self.cell_bits)
        ):
            raise ValueError(
                f"the per-cell fault probabilities were computed for other bit planes (cell_bits of "
                f"shape {self.cell_bits.shape}) than the planes given (shape {planes.shape}): each "
                "cell's write error belongs to the direction it is programmed in"
            )
        for name in self._array_fields():
            value = getattr(self, name)
            try:
                fits = np.broadcast_shapes(value.shape, shape) == shape
            except ValueError:
                fits = False
            if not fits:
                raise ValueError(
                    f"FaultModel.{name} has shape {value.shape}, which does not broadcast to "
                    f"(n_chips,) + planes shape = {shape} (n_chips = {n_chips}): per-cell arrays "
                    f"need shape {planes.shape} or (n_chips,) + {planes.shape}"
                )
