"""Adam (Kingma and Ba, ICLR 2015), in place on a list of numpy arrays."""

from __future__ import annotations

import numpy as np

from ..params import check_int

__all__ = ["Adam", "step_schedule", "epochs_with_progress"]


class Adam:
    """Adam updates of ``params`` (arrays changed in place) with learning rate ``lr``."""

    def __init__(self, params, lr, *, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params, self.lr, self.beta1, self.beta2, self.eps = list(params), lr, beta1, beta2, eps
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.step = 0

    def update(self, grads):
        """One step along the gradients of the loss (descent), in the order of ``params``."""
        self.step += 1
        b1, b2 = self.beta1, self.beta2
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g ** 2
            p -= self.lr * (m / (1 - b1 ** self.step)) / (np.sqrt(v / (1 - b2 ** self.step)) + self.eps)


def step_schedule(epochs, lr, lr_final, final_epochs=None):
    """The learning rate of each epoch: ``lr``, then ``lr_final`` for the last
    ``final_epochs`` epochs (default a quarter of them)."""
    check_int("epochs", epochs, 1, 100_000)
    for name, value in (("lr", lr), ("lr_final", lr_final)):
        if not (np.isfinite(value) and 0 < value <= 1):
            raise ValueError(f"{name} = {value!r} must lie in (0, 1]")
    final_epochs = epochs // 4 if final_epochs is None else final_epochs
    check_int("final_epochs", final_epochs, 0, epochs)
    return [lr] * (epochs - final_epochs) + [lr_final] * final_epochs


def epochs_with_progress(rates, progress):
    """The per-epoch learning rates, behind a progress bar if ``progress``."""
    if not progress:
        return rates
    from tqdm.auto import tqdm
    return tqdm(rates, desc="training epochs")
