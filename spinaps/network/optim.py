"""Adam (Kingma and Ba, ICLR 2015), in place on a list of numpy arrays."""

from __future__ import annotations

import numpy as np

__all__ = ["Adam"]


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
