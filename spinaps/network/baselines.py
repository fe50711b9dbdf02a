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

from ..params import check_int, check_range, check_seed, is_integer
from .optim import Adam
from .tools import check_labels

__all__ = ["DenseNetwork", "train_dense", "train_ann", "cross_entropy"]


@dataclass
class DenseNetwork:
    """Layers [(W, b), ...] of a ReLU network with a softmax output.

    Parameters
    ----------
    layers : list of (ndarray, ndarray)
        (W, b) per layer, W of shape (outputs, inputs) and b (outputs,); ReLU between
        layers, none after the last (whose outputs are the logits).

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network.baselines import DenseNetwork
    >>> net = DenseNetwork([(np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2))])
    >>> net.predict(np.array([[0.2, 0.9], [0.7, 0.1]])).tolist()
    [1, 0]
    """

    layers: list = field(default_factory=list)

    def logits(self, x):
        """The logits (samples, classes) of the features ``x`` (samples, features).

        Parameters
        ----------
        x : array-like (samples, features)
            Features in [0, 1] (a numpy array or the DataArray of
            :func:`spinaps.network.datasets.load`).

        Returns
        -------
        ndarray (samples, classes)
        """
        h = np.asarray(x, dtype=float)
        for k, (w, b) in enumerate(self.layers):
            h = h @ w.T + b
            if k < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return h

    def predict(self, x):
        """The most probable class of each sample (argmax of the logits).

        Parameters
        ----------
        x : ndarray (samples, features)
            Features.

        Returns
        -------
        ndarray of int (samples,)
        """
        return np.argmax(self.logits(x), axis=1)

    def accuracy(self, x, y):
        """Fraction of the samples classified correctly.

        Parameters
        ----------
        x : ndarray (samples, features)
            Features.
        y : ndarray of int (samples,)
            Labels.

        Returns
        -------
        float [-]
        """
        return float(np.mean(self.predict(x) == np.asarray(y)))


def cross_entropy(net, x, y, *, l2=0.0, grad=False):
    """Mean cross-entropy (+ ``l2/2 |W|^2``) and optionally its gradients per layer.

    The L2 penalty is on the weight matrices only (not the biases).

    Parameters
    ----------
    net : DenseNetwork
        The network.
    x : ndarray (samples, features)
        Features.
    y : ndarray of int (samples,)
        Labels.
    l2 : float
        Penalty coefficient.
    grad : bool
        Also return the gradients.

    Returns
    -------
    loss : float
        Mean cross-entropy in nats plus the penalty.
    grads : list of (ndarray, ndarray)
        (dL/dW, dL/db) per layer, only if ``grad``.

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network.baselines import DenseNetwork, cross_entropy
    >>> net = DenseNetwork([(np.zeros((2, 4)), np.zeros(2))])
    >>> round(float(cross_entropy(net, np.ones((3, 4)), np.array([0, 1, 0]))), 6)   # ln 2
    0.693147
    """
    acts = [x]
    h = x
    for k, (w, b) in enumerate(net.layers):
        h = h @ w.T + b
        if k < len(net.layers) - 1:
            h = np.maximum(h, 0.0)
        acts.append(h)
    logp = log_softmax(h, axis=1)
    n = len(y)
    loss = -logp[np.arange(n), y].mean() + 0.5 * l2 * sum(np.sum(w**2) for w, _ in net.layers)
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
    """Train logistic regression (``hidden=()``) or an MLP (e.g. ``hidden=(128,)``).

    Mean cross-entropy with an L2 penalty (:func:`cross_entropy`), by Adam on
    mini-batches in a fresh random order every epoch.  Logistic regression starts at
    zero; an MLP's weights start He-normal (standard deviation sqrt(2 / inputs)), the
    biases at zero.

    Parameters
    ----------
    x : ndarray (samples, features)
        Features.
    y : ndarray of int (samples,)
        Labels in [0, ``n_classes``).
    n_classes : int
        Output classes.
    hidden : tuple of int
        Widths of the hidden ReLU layers (empty: logistic regression).
    epochs, batch, lr, l2 : int, int, float, float
        Epochs, samples per update, Adam's learning rate and the L2 coefficient.
    seed : int
        Seeds the initial weights and the sample order.

    Returns
    -------
    DenseNetwork

    Raises
    ------
    ValueError
        If ``seed`` is not a valid seed.

    References
    ----------
    * K. He, X. Zhang, S. Ren and J. Sun, "Delving deep into rectifiers: surpassing
      human-level performance on ImageNet classification", ICCV (2015) (the
      initialisation; not in ``references.bib``).
    """
    rng = np.random.default_rng(check_seed(seed))
    sizes = [x.shape[1], *hidden, n_classes]
    net = DenseNetwork(
        [
            (rng.normal(0.0, np.sqrt(2.0 / a), size=(b_, a)) if hidden else np.zeros((b_, a)), np.zeros(b_))
            for a, b_ in zip(sizes[:-1], sizes[1:])
        ]
    )
    adam = Adam([p for layer in net.layers for p in layer], lr)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch):
            idx = order[start : start + batch]
            _, grads = cross_entropy(net, x[idx], y[idx], l2=l2, grad=True)
            adam.update([g for g_layer in grads for g in g_layer])
    return net


def train_ann(x_train, y_train, *, seed=0, hidden=(), epochs=None, l2=None, n_classes=None):
    """The equivalent ANN of the spiking network, trained on the same split.

    ``hidden=()`` (default) is multinomial logistic regression on the same inputs: 50
    epochs, no L2 penalty; ``hidden=(100,)`` the small MLP 784-100-10: 30 epochs, L2
    1e-4.  Adam at lr 1e-3, batch 64 (the recipe of the feasibility study, see
    docs/network.md).  Returns a :class:`DenseNetwork` with ``predict(x)`` and
    ``accuracy(x, y)``.

    Parameters
    ----------
    x_train, y_train : array (samples, features), array (samples,) of ints
        Features in [0, 1] (the values the spiking network encodes as spike rates)
        and class labels >= 0.
    seed : int
        Seeds the initial weights and the sample order.
    hidden : tuple of int
        Widths of the hidden layers: ``()`` for logistic regression, ``(100,)`` for
        the MLP.
    epochs : int, optional
        Default 50 for logistic regression, 30 for an MLP.
    l2 : float, optional
        L2 coefficient; default 0 for logistic regression, 1e-4 for an MLP.
    n_classes : int, optional
        Output classes, in [1, 100000] (default: the largest label + 1); the labels are
        checked against it (:func:`~spinaps.network.tools.check_labels`).

    Returns
    -------
    DenseNetwork
        The trained network (``n_classes`` outputs).

    Raises
    ------
    ValueError
        If ``x_train`` is not (samples, features) with as many labels, is empty, or
        the labels are not non-negative integers, or a label is outside the
        ``n_classes`` classes (naming ``y_train``, the label and the range).

    Warns
    -----
    ClassCoverageWarning
        If a class has no training sample, or (``n_classes`` inferred) is suspiciously
        rare.

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network import train_ann
    >>> rng = np.random.default_rng(0)
    >>> x = rng.random((50, 4))
    >>> net = train_ann(x, (x[:, 0] > 0.5).astype(int), epochs=2)
    >>> [w.shape for w, _ in net.layers]
    [(2, 4)]
    """
    x = np.asarray(x_train, dtype=float)
    y = np.asarray(y_train)
    if x.ndim != 2 or y.shape != (len(x),) or len(x) == 0:
        raise ValueError(f"x_train must be (samples, features) and y_train (samples,); got {x.shape}, {y.shape}")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0:
        raise ValueError("y_train must hold non-negative integer class labels")
    if not isinstance(hidden, (tuple, list)) or not all(is_integer(h) and 1 <= h <= 100_000 for h in hidden):
        raise ValueError(f"hidden = {hidden!r} must be a tuple of integer layer widths in [1, 100000]")
    epochs = (30 if hidden else 50) if epochs is None else epochs
    l2 = (1e-4 if hidden else 0.0) if l2 is None else l2
    check_int("epochs", epochs, 1, 100_000)
    check_range("l2", l2, low=0.0, low_inclusive=True)
    if n_classes is not None:
        check_int("n_classes", n_classes, 1, 100_000)
    n_classes = check_labels(y, n_classes, "y_train")
    return train_dense(x, y, n_classes=n_classes, hidden=tuple(hidden), epochs=epochs, l2=l2, seed=seed)
