"""Data sets and trained networks shared by the network-layer tests.

Every network a test trains on a shipped data set comes from :func:`trained`: trained
once per test run (session scope) and kept under its recipe (kind, data set, training
samples, keyword arguments), so tests that ask for the same recipe share one training
run.  Training is deterministic given its seed, so sharing changes no result; the tests
must not modify a model they are given (they evaluate it, or train a copy through
``init=``, which copies the weights).
"""

import pytest

from spinaps.network import train_ann, train_hidden_snn, train_snn
from spinaps.network.datasets import load

#: The trainers by kind.
TRAINERS = {"snn": train_snn, "hidden": train_hidden_snn, "ann": train_ann}


class Datasets:
    """The shipped data sets, each loaded on first use: (x_train, y_train, x_test, y_test)."""

    def __init__(self):
        self._loaded = {}
        self._arrays = {}

    def dataset(self, name):
        """The xarray Dataset of :func:`spinaps.network.datasets.load` (``name``)."""
        if name not in self._loaded:
            self._loaded[name] = load(name)
        return self._loaded[name]

    def arrays(self, name):
        """(x_train, y_train, x_test, y_test) as numpy arrays."""
        if name not in self._arrays:
            ds = self.dataset(name)
            self._arrays[name] = (ds.x_train.values, ds.y_train.values, ds.x_test.values, ds.y_test.values)
        return self._arrays[name]


class Trained:
    """Networks trained once per test run, keyed by their recipe.

    ``trained(kind, dataset="mnist", n_train=None, **recipe)`` trains
    ``TRAINERS[kind](x_train[:n_train], y_train[:n_train], **recipe)`` on first call
    and returns the same object afterwards.
    """

    def __init__(self, data):
        self._data = data
        self._models = {}

    def __call__(self, kind, dataset="mnist", n_train=None, **recipe):
        key = (kind, dataset, n_train, tuple(sorted(recipe.items())))
        if key not in self._models:
            x, y = self._data.arrays(dataset)[:2]
            if n_train is not None:
                x, y = x[:n_train], y[:n_train]
            self._models[key] = TRAINERS[kind](x, y, **recipe)
        return self._models[key]


@pytest.fixture(scope="session")
def data():
    """The shipped data sets (:class:`Datasets`), loaded once per test run."""
    return Datasets()


@pytest.fixture(scope="session")
def trained(data):
    """The recipe-keyed cache of trained networks (:class:`Trained`)."""
    return Trained(data)


@pytest.fixture(scope="session")
def mnist(data):
    """The embedded MNIST split: (x_train, y_train, x_test, y_test)."""
    return data.arrays("mnist")


@pytest.fixture(scope="session")
def har_ds(data):
    """``load("har")`` (converted once per user cache, then read back in about a second)."""
    return data.dataset("har")


@pytest.fixture(scope="session")
def float_model(trained):
    """The default 2-layer recipe on the embedded MNIST (60 epochs, seed 0)."""
    return trained("snn", seed=0)


@pytest.fixture(scope="session")
def qat4_model(mnist, float_model):
    """4-bit quantisation-aware training from the default float model (8 epochs at 3e-3,
    the last 2 at the final rate)."""
    x, y, _, _ = mnist
    return train_snn(x, y, weight_bits=4, init=float_model, epochs=8, lr=3e-3, final_epochs=2)


@pytest.fixture(scope="session")
def mnist_logreg(trained):
    """The equivalent logistic regression on the embedded MNIST (default recipe, seed 0)."""
    return trained("ann", seed=0)


@pytest.fixture(scope="session")
def hidden_model(trained):
    """The default hidden-layer recipe on the embedded MNIST (784 -> 400 -> 10, 16
    epochs, seed 0)."""
    return trained("hidden", seed=0)


#: Quantisation-aware training of the hidden-layer network from the float default model.
HIDDEN_QAT = {"epochs": 8, "lr": 1.5e-3, "lr_final": 1.5e-4, "final_epochs": 2, "seed": 0}


@pytest.fixture(scope="session")
def hidden_qat(mnist, hidden_model):
    """B-bit quantisation-aware training in both layers from :func:`hidden_model`
    (:data:`HIDDEN_QAT`), each bit width trained once per test run: ``hidden_qat(bits)``."""
    x, y, _, _ = mnist
    models = {}

    def get(bits):
        if bits not in models:
            models[bits] = train_hidden_snn(x, y, weight_bits=bits, init=hidden_model, **HIDDEN_QAT)
        return models[bits]

    return get
