"""Adam (spinaps.network.optim): the compiled update against the numpy one, and against
the closed form of its first step."""

import numpy as np
import pytest

from spinaps.network.optim import Adam


def _run(compiled, params, grads, rates):
    params = [p.copy() for p in params]
    adam = Adam(params, rates[0], compiled=compiled)
    for rate, step_grads in zip(rates, grads):
        adam.lr = rate
        adam.update([g.copy() for g in step_grads])
    return params, adam


def test_compiled_update_is_bit_for_bit_the_numpy_one():
    """The same operations in the same order on every element: equal to the last bit
    over six steps and a change of learning rate, for a matrix, a vector, a 3-d array
    with a non-contiguous gradient, a float32 and a non-contiguous parameter (the last
    two take the numpy path)."""
    rng = np.random.default_rng(0)
    shapes = [(40, 7), (7,), (3, 5, 4)]
    params = [rng.normal(size=s) for s in shapes] + [rng.normal(size=9).astype(np.float32)]
    params.append(np.asfortranarray(rng.normal(size=(6, 5))))
    grads = [
        [rng.normal(scale=10.0 ** rng.integers(-6, 3), size=p.shape).astype(p.dtype) for p in params] for _ in range(6)
    ]
    grads = [[g if i != 2 else np.moveaxis(np.moveaxis(g, 0, 1).copy(), 1, 0) for i, g in enumerate(s)] for s in grads]
    assert not grads[0][2].flags.c_contiguous
    rates = [1e-2, 1e-2, 1e-2, 1e-3, 1e-3, 1e-3]
    plain, a = _run(False, params, grads, rates)
    fast, b = _run(True, params, grads, rates)
    for x, y, mx, my, vx, vy in zip(plain, fast, a.m, b.m, a.v, b.v):
        np.testing.assert_array_equal(x, y)
        np.testing.assert_array_equal(mx, my)
        np.testing.assert_array_equal(vx, vy)
        assert x.dtype == y.dtype


@pytest.mark.parametrize("compiled", [False, True])
def test_first_step_is_the_closed_form(compiled):
    """At step 1 the bias-corrected moments are m = g and v = g^2, so each parameter moves
    by lr g / (|g| + eps) against its gradient (about lr, less for |g| near eps = 1e-8);
    equal to 1e-12 relative (a few roundings of float64)."""
    p = np.array([1.0, -2.0, 3.0])
    g = np.array([5.0, -0.5, 1e-7])
    Adam([p], 0.1, compiled=compiled).update([g])
    np.testing.assert_allclose(p, [1.0, -2.0, 3.0] - 0.1 * g / (np.abs(g) + 1e-8), rtol=1e-12)
