"""The equivalent ANN baselines (spinaps.network.baselines)."""

import numpy as np
import pytest

from spinaps.network.baselines import DenseNetwork, cross_entropy, train_dense
from spinaps.network.datasets import load


def test_mlp_gradient_matches_finite_differences():
    """Central differences (h = 1e-6, float64) to 1e-5 relative; the ReLU kinks are
    avoided by the random inputs (a kink within h has probability ~1e-5)."""
    rng = np.random.default_rng(0)
    net = DenseNetwork([(rng.normal(size=(5, 4)), rng.normal(size=5)), (rng.normal(size=(3, 5)), rng.normal(size=3))])
    x, y = rng.normal(size=(7, 4)), rng.integers(0, 3, 7)
    _, grads = cross_entropy(net, x, y, l2=0.1, grad=True)
    h = 1e-6
    for layer, g_layer in zip(net.layers, grads):
        for p, g in zip(layer, g_layer):
            num = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + h
                up = cross_entropy(net, x, y, l2=0.1)
                p[idx] = old - h
                dn = cross_entropy(net, x, y, l2=0.1)
                p[idx] = old
                num[idx] = (up - dn) / (2 * h)
            np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-8)


@pytest.mark.slow
def test_baselines_on_the_embedded_mnist():
    """Logistic regression reaches about 90 % and a 128-unit MLP about 93 % on the
    2,000 test digits (observed 90.2 % and 93.3 %; bounds 85 % and above the
    logistic regression)."""
    ds = load("mnist")
    x, y = ds.x_train.values.astype(float), ds.y_train.values
    xt, yt = ds.x_test.values.astype(float), ds.y_test.values
    logreg = train_dense(x, y, n_classes=10, epochs=5)
    mlp = train_dense(x, y, n_classes=10, hidden=(128,), epochs=5)
    assert logreg.accuracy(xt, yt) > 0.85
    assert mlp.accuracy(xt, yt) > logreg.accuracy(xt, yt)


def test_a_network_takes_the_loaders_data_arrays():
    """The DataArrays of ``load`` are accepted as they are, with the same predictions as
    their numpy values (before, ``logits`` raised xarray's TypeError on the product)."""
    ds = load("mnist").isel(sample_train=slice(300), sample_test=slice(100))
    net = train_dense(ds.x_train.values, ds.y_train.values, n_classes=10, epochs=1)
    np.testing.assert_array_equal(net.predict(ds.x_test), net.predict(ds.x_test.values))
    assert net.accuracy(ds.x_test, ds.y_test) == net.accuracy(ds.x_test.values, ds.y_test.values)
