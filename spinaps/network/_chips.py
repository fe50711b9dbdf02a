"""Membrane potentials of many chip instances of one network at once (the inner loop
of :func:`spinaps.network.evaluate` and :func:`spinaps.network.evaluate_hidden`).

The traces and the kernel filter of :mod:`spinaps.network.glm` are both linear: with
the per-kernel traces of all chips and frames from one matrix product,

    y_{j,k,t'} = sum_i w_{j,i,k} s_{i,t'},

the potential of output step t (1-based) is

    u_{j,t} = gamma_j + sum_{d=1}^{min(tau, T)} z_{j,d,t-d+1},   z_{j,d,t'} = sum_k a_k(d) y_{j,k,t'}.

For fault-free chips (one product shared by all) that is K rows per neuron in the
product, then a small K x lags combination and min(tau, T) shifted additions: half
the product of lag-folded weights v_{j,i,d} = sum_k w_{j,i,k} a_k(d) with the default
window tau = T = 8 and K = 4.  Faulty chips each pay their own filter, so their
weights are folded into the lags first (min(tau, T) rows per neuron, shifted additions
only), unless there is one kernel (K = 1, the default hidden layer): then folding
would multiply the product's rows by D, and each chip's product is scaled into the
lags instead, one lag at a time (:func:`fold_lags`; 2.2x faster evaluation of the
hidden layer on 20 faulty chips).  The faults of a chip change few weights at
practical error rates, so the chips' weights are stored as the fault-free ones plus a
sparse difference (SciPy CSR) when at most :data:`SPARSE_DENSITY` of its entries are
non-zero; the product of the difference costs (non-zeros x frames) instead of (chips x
J x rows x inputs x frames).  The result equals ``potentials(traces(spikes, w), bias,
basis)`` to float32 rounding (the products are float32 in both; the sums run in
another order).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse

__all__ = []

#: Largest fraction of non-zero entries of the chips' weight difference for which the
#: sparse product is used.  Measured on the default 784 -> 10 network, 100 chips,
#: one block of 250 samples x 8 frames, one BLAS thread (2026-12-01, machine load
#: average about 4 on two cores): with 0.2, 1, 3 and 10 % of the weights changed
#: (entry densities up to about those fractions) the sparse path took 0.14, 0.15, 0.26
#: and 0.37 s against 0.43 to 0.45 s for the dense product; the threshold keeps a
#: margin below the crossing.
SPARSE_DENSITY = 0.05


def fold_lags(n_basis, n_lags):
    """Whether faulty chips' weights are folded into the lags before the product.

    Per chip, neuron and frame, folded weights cost D product rows and D shifted
    additions (2 D), unfolded ones K rows and D K scaled additions (K (1 + D)), for K
    kernels and D = min(tau, T) lags: folding pays unless K = 1 (the default
    hidden layer's one kernel: 1 + D against 2 D)."""
    return n_basis * (1 + n_lags) > 2 * n_lags


class ChipPotentials:
    """Potentials (chips, batch, T, J) of the chips' weights for spike frames.

    Parameters
    ----------
    w : ndarray (chips, J, inputs, K)
        Each chip's (possibly faulty) weights.
    nominal : ndarray (J, inputs, K)
        The fault-free stored weights (the reference of the sparse difference).
    bias : ndarray (J,)
        gamma_j.
    basis : ndarray (K, tau)
        The kernels a_k(d).
    n_steps : int
        T, the frames per sample.
    """

    def __init__(self, w, nominal, bias, basis, n_steps):
        self.n_chips, self.n_classes, self.n_inputs, self.n_basis = w.shape
        self.n_lags = min(basis.shape[1], n_steps)
        self.bias = np.asarray(bias, dtype=np.float64)
        lags = np.asarray(basis[:, : self.n_lags], dtype=np.float64)  # a_k(d), (K, D)
        # fault-free chips share one product: K rows per neuron, then the K x lags
        # combination; faulty chips each pay their own filter, on weights folded into
        # the lags (D shifted additions, no combination) where that is cheaper
        # (fold_lags), else on their own K rows per neuron
        shared = not np.any(w != nominal[None])
        fold = not shared and fold_lags(self.n_basis, self.n_lags)
        self.mix = None if fold else lags
        folded = (lambda a: a @ lags) if fold else (lambda a: a)  # noqa: E731
        self.n_rows = self.n_lags if fold else self.n_basis  # rows per neuron
        nominal, w = folded(nominal), folded(w)
        self.nominal = self._rows(nominal[None])[0]  # (J R, inputs)
        delta = w - nominal[None]
        c, j, i, r = np.nonzero(delta)
        self.delta = None
        self.dense = None
        if len(c) <= SPARSE_DENSITY * delta.size:
            if len(c):
                rows = (c * self.n_classes + j) * self.n_rows + r
                self.delta = scipy.sparse.csr_matrix(
                    (delta[c, j, i, r].astype(np.float32), (rows, i)),
                    shape=(self.n_chips * self.n_classes * self.n_rows, self.n_inputs),
                )
        else:
            self.dense = self._rows(w).reshape(-1, self.n_inputs)
        self._per_chip_rows = None

    def _rows(self, w):
        """(chips, J, inputs, R) -> float32 (chips, J R, inputs), rows (j, r)."""
        c, j, n, k = w.shape
        return np.ascontiguousarray(np.moveaxis(w, -1, -2), dtype=np.float32).reshape(c, j * k, n)

    def __call__(self, spikes):
        """u (chips, batch, T, J) [-] for float32 spike frames (batch, T, inputs)
        (chips = 1 for fault-free chips)."""
        b, n_steps, n = spikes.shape
        frames_t = spikes.reshape(-1, n).T  # (inputs, frames), a view
        if self.dense is not None:
            y = self.dense @ frames_t
            chips = self.n_chips
        else:
            y = self.nominal @ frames_t  # (J R, frames)
            chips = 1
            if self.delta is not None:
                y = y[None] + (self.delta @ np.ascontiguousarray(frames_t)).reshape(self.n_chips, *y.shape)
                chips = self.n_chips
        return self._filtered(y, chips, b, n_steps)

    def per_chip(self, spikes):
        """u (chips, batch, T, J) [-] for each chip's own float32 frames (chips, batch, T,
        inputs): a layer fed by another layer's spikes, which differ from chip to chip.

        The chips' weights are made dense once (chips x J R x inputs; small for an
        output layer) and multiplied by each chip's frames in one batched product.
        """
        c, b, n_steps, n = spikes.shape
        if c != self.n_chips:
            raise ValueError(f"frames of {c} chips for the weights of {self.n_chips} chips")
        if self._per_chip_rows is None:
            if self.dense is not None:
                rows = self.dense.reshape(self.n_chips, -1, self.n_inputs)
            elif self.delta is not None:
                rows = self.nominal[None] + self.delta.toarray().reshape(self.n_chips, -1, self.n_inputs)
            else:
                rows = self.nominal[None]
            self._per_chip_rows = rows
        y = self._per_chip_rows @ np.swapaxes(spikes.reshape(c, b * n_steps, n), 1, 2)  # (chips, J R, frames)
        return self._filtered(y, c, b, n_steps)

    def _filtered(self, y, chips, b, n_steps):
        """u (chips, batch, T, J) from the products y (chips, J R, frames): the lags
        z_d = sum_k a_k(d) y_k of the per-kernel traces (computed at once for shared
        weights, added one lag and kernel at a time for many chips' own), or the
        lag-folded products themselves; then the min(tau, T) shifted additions and the
        bias."""
        y = y.reshape(chips, self.n_classes, self.n_rows, b, n_steps)
        u = np.zeros((chips, self.n_classes, b, n_steps))
        if self.mix is not None and chips > 1:  # no (D, chips, J, b, T) array of lags
            for d in range(1, self.n_lags + 1):
                for k in range(self.n_rows):
                    u[..., d - 1 :] += self.mix[k, d - 1] * y[:, :, k, :, : n_steps - d + 1]
        else:
            # (D, chips, J, b, T)
            z = np.moveaxis(y, 2, 0) if self.mix is None else np.tensordot(self.mix, y, axes=(0, 2))
            for d in range(1, self.n_lags + 1):
                u[..., d - 1 :] += z[d - 1, ..., : n_steps - d + 1]
        return np.moveaxis(u, 1, -1) + self.bias
