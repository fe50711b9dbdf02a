"""The equivalent ANNs on the same inputs: multinomial logistic regression and a small MLP.

Both see the features x in [0, 1] directly (not spikes) and are trained by Adam on the
same split as the spiking network, with the mean cross-entropy and an L2 penalty:

* logistic regression: p = softmax(W x + b);
* MLP: p = softmax(W2 relu(W1 x + b1) + b2), He initialisation (He et al., ICCV 2015).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import log_softmax, softmax

from ..params import check_seed
from .optim import Adam

__all__ = ["DenseNetwork", "train_dense", "train_ann", "cross_entropy"]


@dataclass
class DenseNetwork:
    """Layers [(W, b), ...] of a ReLU network with a softmax output."""

    layers: list = field(default_factory=list)

    def logits(self, x):
        h = x
        for k, (w, b) in enumerate(self.layers):
            h = h @ w.T + b
            if k < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return h

    def predict(self, x):
        return np.argmax(self.logits(x), axis=1)

    def accuracy(self, x, y):
        return float(np.mean(self.predict(x) == y))


def cross_entropy(net, x, y, *, l2=0.0, grad=False):
    """Mean cross-entropy (+ l2/2 |W|^2) and optionally its gradients per layer."""
    acts = [x]
    h = x
    for k, (w, b) in enumerate(net.layers):
        h = h @ w.T + b
        if k < len(net.layers) - 1:
            h = np.maximum(h, 0.0)
        acts.append(h)
    logp = log_softmax(h, axis=1)
    n = len(y)
    loss = -logp[np.arange(n), y].mean() + 0.5 * l2 * sum(np.sum(w ** 2) for w, _ in net.layers)
    if not grad:
        return loss
    delta = softmax(h, axis=1)
    delta[np.arange(n), y] -= 1.0
    delta /= n
    grads = []
    for k in range(len(net.layers) - 1, -1, -1):
        w, _ = net.layers[k]
        grads.append((delta.T @ acts[k] + l2 * w, delta.sum(axis=0)))
        if k:
            delta = (delta @ w) * (acts[k] > 0)
    return loss, grads[::-1]


def train_dense(x, y, *, n_classes, hidden=(), epochs=10, batch=64, lr=1e-3, l2=1e-4, seed=0):
    """Train logistic regression (``hidden=()``) or an MLP (e.g. ``hidden=(128,)``)."""
    rng = np.random.default_rng(check_seed(seed))
    sizes = [x.shape[1], *hidden, n_classes]
    net = DenseNetwork([(rng.normal(0.0, np.sqrt(2.0 / a), size=(b_, a)) if hidden else np.zeros((b_, a)),
                         np.zeros(b_)) for a, b_ in zip(sizes[:-1], sizes[1:])])
    adam = Adam([p for layer in net.layers for p in layer], lr)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            _, grads = cross_entropy(net, x[idx], y[idx], l2=l2, grad=True)
            adam.update([g for g_layer in grads for g in g_layer])
    return net


def train_ann(x_train, y_train, *, seed=0, hidden=(), epochs=None, l2=None):
    """The equivalent ANN of the spiking network, trained on the same split.

    ``hidden=()`` (default) is multinomial logistic regression on the same inputs: 50
    epochs, no L2 penalty; ``hidden=(100,)`` the small MLP 784-100-10: 30 epochs, L2
    1e-4.  Adam at lr 1e-3, batch 64 (the recipe of the feasibility study, see
    docs/network.md).  Returns a :class:`DenseNetwork` with ``predict(x)`` and
    ``accuracy(x, y)``.
    """
    x = np.asarray(x_train, dtype=float)
    y = np.asarray(y_train)
    if x.ndim != 2 or y.shape != (len(x),) or len(x) == 0:
        raise ValueError(f"x_train must be (samples, features) and y_train (samples,); got {x.shape}, {y.shape}")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0:
        raise ValueError("y_train must hold non-negative integer class labels")
    epochs = (30 if hidden else 50) if epochs is None else epochs
    l2 = (1e-4 if hidden else 0.0) if l2 is None else l2
    return train_dense(x, y, n_classes=int(y.max()) + 1, hidden=tuple(hidden), epochs=epochs, l2=l2, seed=seed)
