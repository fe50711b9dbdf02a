"""Adam (Kingma and Ba, ICLR 2015), in place on a list of numpy arrays."""

from __future__ import annotations

import numbers

import numpy as np

from .._jit import njit
from ..params import check_int

__all__ = ["Adam", "step_schedule", "epochs_with_progress"]


class Adam:
    r"""Adam updates of ``params`` (arrays changed in place) with learning rate ``lr``.

    At step n, for each parameter p with gradient g:

    .. math::

        m \leftarrow \beta_1 m + (1 - \beta_1) g, \quad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \quad
        p \leftarrow p - \mathrm{lr} \, \frac{m / (1 - \beta_1^n)}{\sqrt{v / (1 - \beta_2^n)} + \epsilon}.

    Parameters
    ----------
    params : iterable of ndarray
        The parameters (float arrays), updated in place.
    lr : float
        Learning rate (may be changed between steps through the attribute ``lr``).
    beta1, beta2, eps : float
        Adam's decay rates and the denominator floor (defaults 0.9, 0.999, 1e-8).
    compiled : bool
        Update C-contiguous float64 parameters in one compiled pass each
        (:func:`_adam_step`) instead of about ten numpy passes; the same operations in
        the same order, so the result is bit for bit that of the numpy path (checked in
        ``tests/unit/network/test_optim.py``).  Other parameters take the numpy path.

    References
    ----------
    * D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization", ICLR
      (2015) (not in ``references.bib``).

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network.optim import Adam
    >>> p = np.array([1.0])
    >>> Adam([p], 0.1).update([np.array([2.0])])
    >>> p.round(6).tolist()
    [0.9]
    """

    def __init__(self, params, lr, *, beta1=0.9, beta2=0.999, eps=1e-8, compiled=False):
        self.params, self.lr, self.beta1, self.beta2, self.eps = list(params), lr, beta1, beta2, eps
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.step = 0
        self.compiled = bool(compiled)

    def update(self, grads):
        """One step along the gradients of the loss (descent), in the order of ``params``.

        Parameters
        ----------
        grads : sequence of ndarray
            Gradients of the loss, one per parameter, of the parameters' shapes.
        """
        self.step += 1
        b1, b2 = self.beta1, self.beta2
        step_size = self.lr / (1 - b1**self.step)
        v_scale = 1.0 / (1 - b2**self.step)
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            if self.compiled and p.dtype == np.float64 and p.flags.c_contiguous:
                g = np.ascontiguousarray(g, dtype=np.float64).reshape(-1)
                _adam_step(p.reshape(-1), g, m.reshape(-1), v.reshape(-1), b1, b2, step_size, v_scale, self.eps)
                continue
            m *= b1
            m += (1 - b1) * g
            v *= b2
            tmp = np.multiply(g, g)  # one scratch array per parameter, reused below
            tmp *= 1 - b2
            v += tmp
            np.multiply(v, v_scale, out=tmp)
            np.sqrt(tmp, out=tmp)
            tmp += self.eps
            np.divide(m, tmp, out=tmp)
            tmp *= step_size
            p -= tmp


@njit(nogil=True)
def _adam_step(p, g, m, v, b1, b2, step_size, v_scale, eps):  # pragma: no cover - compiled
    """One Adam step on flat float64 arrays, in place, element by element in the order
    of the numpy path of :meth:`Adam.update` (m, then v, then p)."""
    c1, c2 = 1 - b1, 1 - b2
    for i in range(p.size):
        mi = m[i] * b1 + c1 * g[i]
        vi = v[i] * b2 + (g[i] * g[i]) * c2
        m[i] = mi
        v[i] = vi
        p[i] -= (mi / (np.sqrt(vi * v_scale) + eps)) * step_size


def step_schedule(epochs, lr, lr_final, final_epochs=None):
    """The learning rate of each epoch: ``lr``, then ``lr_final`` for the last
    ``final_epochs`` epochs (default a quarter of them).

    Parameters
    ----------
    epochs : int
        Epochs, 1 ... 100,000.
    lr, lr_final : float
        Learning rates, in (0, 1].
    final_epochs : int, optional
        Epochs at ``lr_final``, in [0, ``epochs``] (default ``epochs // 4``).

    Returns
    -------
    list of float
        One learning rate per epoch.

    Raises
    ------
    ValueError
        If a value is outside its range.

    Examples
    --------
    >>> from spinaps.network.optim import step_schedule
    >>> step_schedule(4, 1e-2, 1e-3)
    [0.01, 0.01, 0.01, 0.001]
    """
    check_int("epochs", epochs, 1, 100_000)
    for name, value in (("lr", lr), ("lr_final", lr_final)):
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not (np.isfinite(value) and 0 < value <= 1)
        ):
            raise ValueError(f"{name} = {value!r} must lie in (0, 1]")
    final_epochs = epochs // 4 if final_epochs is None else final_epochs
    check_int("final_epochs", final_epochs, 0, epochs)
    return [lr] * (epochs - final_epochs) + [lr_final] * final_epochs


def epochs_with_progress(rates, progress):
    """The per-epoch learning rates, behind a progress bar if ``progress``.

    Parameters
    ----------
    rates : list of float
        The learning rate of each epoch (:func:`step_schedule`).
    progress : bool
        Wrap them in a ``tqdm`` progress bar.

    Returns
    -------
    iterable of float
    """
    if not progress:
        return rates
    from tqdm.auto import tqdm

    return tqdm(rates, desc="training epochs")
