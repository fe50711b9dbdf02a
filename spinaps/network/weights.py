"""Weights in binary MTJ cells: B-bit quantisation, bit planes, and cell faults.

Quantisation (per output neuron): q = clip(round(w / s_j), -(2^(B-1) - 1),
2^(B-1) - 1) with the row's MSE-optimal scale s_j (searched over clip ratios of
max_i |w_ji|, see :func:`quantize`), stored as B bit planes in one of two codes:

* ``"sign_magnitude"`` (default): bit B-1 is the sign (1 = negative), bits 0 ... B-2
  the magnitude; a flipped bit changes |q| by at most 2^(B-2) and never creates a level
  outside +-(2^(B-1) - 1).  Chosen as the default because single bit flips then do
  less harm than in two's complement (a flipped sign bit of a small two's-complement
  level jumps by 2^(B-1)); the notebook 04 measures the difference;
* ``"twos_complement"``: bit B-1 has weight -2^(B-1); a flip can also produce the
  extra level -2^(B-1).

B = 1 is the binary case w = s sign(w) with s_j = mean_i |w_ji| (the scaling of
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
1T-1MTJ figures (:meth:`spinaps.circuit.MTJBitcell.figures`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..params import check_choice, check_int, check_range

__all__ = ["quantize", "dequantize", "to_bit_planes", "from_bit_planes", "FaultModel", "CODES"]

#: The codes of a B-bit level in B binary cells.
CODES = ("sign_magnitude", "twos_complement")


def _check_bits(bits):
    check_int("bits", bits, 1, 8)


#: Clip ratios c (scale s = c max|w| / (2^(B-1) - 1)) searched for the MSE-optimal scale.
_CLIP_RATIOS = np.linspace(0.05, 1.0, 39)


def quantize(w, bits):
    """Integer levels q (same shape as w) and per-row scales s with w ~ s q.

    B = 1: q = sign(w), s = mean |w| (the L2-optimal binary scale).  B >= 2: the scale
    minimising the row's squared error sum (w - s q)^2 over clip ratios c in
    [0.05, 1] of s = c max|w| / (2^(B-1) - 1) (c = 1 is plain max scaling, which
    rounds most weights of a ternary B = 2 code to zero).
    """
    _check_bits(bits)
    w = np.asarray(w, dtype=float)
    if bits == 1:
        return np.where(w >= 0, 1, -1).astype(np.int64), np.mean(np.abs(w), axis=-1, keepdims=True)
    top = 2 ** (bits - 1) - 1
    peak = np.max(np.abs(w), axis=-1, keepdims=True)
    peak = np.where(peak > 0, peak, 1.0)
    best_scale, best_err = peak / top, np.full(peak.shape, np.inf)
    for c in _CLIP_RATIOS:
        scale = c * peak / top
        err = np.sum((w - scale * np.clip(np.rint(w / scale), -top, top)) ** 2, axis=-1, keepdims=True)
        better = err < best_err
        best_scale, best_err = np.where(better, scale, best_scale), np.where(better, err, best_err)
    return np.clip(np.rint(w / best_scale), -top, top).astype(np.int64), best_scale


def dequantize(w, bits):
    """The weights a B-bit memory holds for the float weights w: s q."""
    q, scale = quantize(w, bits)
    return q * scale


def _check_code(code):
    check_choice("code", code, CODES)


def to_bit_planes(q, bits, code="sign_magnitude"):
    """Bits (..., B) of the levels q in ``code``; for B = 1, 1 = positive."""
    _check_bits(bits)
    _check_code(code)
    q = np.asarray(q, dtype=np.int64)
    if bits == 1:
        return (q > 0).astype(np.uint8)[..., None]
    if code == "sign_magnitude":
        unsigned = np.abs(q) | ((q < 0).astype(np.int64) << (bits - 1))
    else:
        unsigned = np.where(q < 0, q + 2 ** bits, q)
    return ((unsigned[..., None] >> np.arange(bits)) & 1).astype(np.uint8)


def from_bit_planes(planes, code="sign_magnitude"):
    """Levels q from bit planes (..., B) (inverse of :func:`to_bit_planes`)."""
    _check_code(code)
    bits = planes.shape[-1]
    if bits == 1:
        return np.where(planes[..., 0] > 0, 1, -1).astype(np.int64)
    weights = 2 ** np.arange(bits)
    if code == "sign_magnitude":
        magnitude = (planes[..., :-1].astype(np.int64) * weights[:-1]).sum(axis=-1)
        return np.where(planes[..., -1] > 0, -magnitude, magnitude)
    weights[-1] = -weights[-1]
    return (planes.astype(np.int64) * weights).sum(axis=-1)


@dataclass(frozen=True)
class FaultModel:
    """Per-cell fault probabilities (see the module notes)."""

    wer_p_to_ap: float = 0.0
    wer_ap_to_p: float = 0.0
    retention: float = 0.0
    read_disturb: float = 0.0
    n_reads: int = 0
    read_error_p: float = 0.0
    read_error_ap: float = 0.0
    stuck_at_0: float = 0.0
    stuck_at_1: float = 0.0
    flip: float = 0.0
    read_disturb_state: str = "ap"

    def __post_init__(self):
        for name in ("wer_p_to_ap", "wer_ap_to_p", "retention", "read_disturb", "read_error_p", "read_error_ap",
                     "stuck_at_0", "stuck_at_1", "flip"):
            check_range(name, getattr(self, name), low=0.0, high=1.0, low_inclusive=True, high_inclusive=True)
        if self.stuck_at_0 + self.stuck_at_1 > 1.0:
            raise ValueError("stuck_at_0 + stuck_at_1 must not exceed 1")
        check_int("n_reads", self.n_reads, 0, 10 ** 18)
        if self.read_disturb_state not in ("ap", "p"):
            raise ValueError(f"read_disturb_state = {self.read_disturb_state!r}; allowed: ap, p")

    @classmethod
    def from_bitcell(cls, figures, *, n_reads=0, stuck_at_0=0.0, stuck_at_1=0.0):
        """Probabilities from :meth:`MTJBitcell.figures` (means over an ensemble)."""
        wer = figures["wer"]
        return cls(wer_p_to_ap=float(wer.sel(direction="p_to_ap").mean()),
                   wer_ap_to_p=float(wer.sel(direction="ap_to_p").mean()),
                   retention=float(figures["retention_failure"].mean()),
                   read_disturb=float(figures["read_disturb"].mean()), n_reads=int(n_reads),
                   read_error_p=float(figures["read_error_p"].mean()),
                   read_error_ap=float(figures["read_error_ap"].mean()), stuck_at_0=stuck_at_0, stuck_at_1=stuck_at_1)

    def apply(self, planes, n_chips, rng):
        """Faulty copies (n_chips, ...) of the bit planes, each chip with its own faults."""
        bits = np.broadcast_to(np.asarray(planes, dtype=np.uint8), (n_chips,) + np.shape(planes)).copy()
        shape = bits.shape
        write_fail = np.where(bits == 1, self.wer_p_to_ap, self.wer_ap_to_p)
        bits ^= (rng.random(shape) < write_fail).astype(np.uint8)
        disturbed = bits == (1 if self.read_disturb_state == "ap" else 0)
        p_flip = 1.0 - (1.0 - self.flip) * (1.0 - self.retention) * np.where(
            disturbed, (1.0 - self.read_disturb) ** self.n_reads, 1.0)
        bits ^= (rng.random(shape) < p_flip).astype(np.uint8)
        misread = np.where(bits == 1, self.read_error_ap, self.read_error_p)
        bits ^= (rng.random(shape) < misread).astype(np.uint8)
        stuck = rng.random(shape)
        bits = np.where(stuck < self.stuck_at_0, 0, np.where(stuck < self.stuck_at_0 + self.stuck_at_1, 1, bits))
        return bits.astype(np.uint8)
