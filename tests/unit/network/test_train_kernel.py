"""The compiled training-step kernels against the numpy functions they replace."""

import numpy as np
import pytest

from spinaps.network import train_snn
from spinaps.network._train_kernel import RULES, batch_loglik, frames
from spinaps.network.glm import (
    LOGLIKS,
    encode,
    frame_words,
    potentials,
    potentials_backward,
    raised_cosine_basis,
    traces,
    traces_backward,
)
from spinaps.network.optim import Adam, step_schedule


def _data(seed=1, samples=50, inputs=30, classes=5):
    rng = np.random.default_rng(seed)
    x = rng.random((samples, inputs)).astype(np.float32)
    x[x < 0.4] = 0.0  # blank inputs, as MNIST's background
    x[0, :3] = 1.0  # p = 1 inputs
    return x, rng.integers(0, classes, samples), rng


@pytest.mark.parametrize("p_max", [1.0, 0.7, 1e-3])
@pytest.mark.parametrize("n_steps", [1, 3, 8])
def test_frames_are_encodes_spikes(n_steps, p_max):
    x, _, rng = _data()
    idx = rng.permutation(len(x))[:17]
    expected = encode(x[idx], n_steps, p_max=p_max, rng=np.random.default_rng(5))
    out = np.empty((17 * n_steps, x.shape[1]), dtype=np.float32)
    frames(frame_words(out.size, np.random.default_rng(5)), x, p_max * 65536.0, idx, out)
    # the same words and the same rounding of the thresholds: bit for bit
    np.testing.assert_array_equal(out, expected.reshape(out.shape).astype(np.float32))


@pytest.mark.parametrize("rule", sorted(RULES))
@pytest.mark.parametrize(("n_steps", "tau"), [(1, 4), (3, 5), (8, 4), (8, 1)])
def test_batch_loglik_equals_the_numpy_path(rule, n_steps, tau):
    x, y, rng = _data()
    n_basis = 1 if tau == 1 else 3
    w = rng.normal(size=(5, x.shape[1], n_basis))
    bias = rng.normal(size=5)
    basis = raised_cosine_basis(n_basis, tau)
    spikes = encode(x[:17], n_steps, rng=rng).astype(np.float32)
    z = traces(spikes, w)
    loglik, du = LOGLIKS[rule](potentials(z, bias, basis), y[:17], grad=True)
    dz_ref = potentials_backward(du, basis)
    dz = np.empty((17 * n_steps, 5 * n_basis), dtype=np.float32)
    grad_b = np.empty(5)
    total = batch_loglik(z.reshape(dz.shape), bias, basis, y[:17].astype(np.int64), RULES[rule], dz, grad_b)
    # float64 in both, summed in another order: agreement to a few ulp of the sum
    assert total == pytest.approx(loglik.sum(), rel=1e-12)
    np.testing.assert_allclose(grad_b, du.sum(axis=(0, 1)), rtol=1e-12, atol=1e-12)
    # dz is stored in float32: its rounding, 2^-24 relative, bounds the difference
    np.testing.assert_allclose(dz, dz_ref.reshape(dz.shape), rtol=1.2e-7, atol=1e-30)


def test_subnormal_gradients_are_flushed_to_zero():
    # a confident first spike at step 0: the later steps' posterior weights q_t underflow
    z = np.zeros((4, 2), dtype=np.float32)
    bias = np.array([60.0, -60.0])
    dz = np.empty_like(z)
    batch_loglik(z, bias, np.ones((1, 1)), np.array([0]), RULES["first_to_spike"], dz, np.empty(2))
    tiny = np.finfo(np.float32).tiny
    assert np.all((dz == 0) | (np.abs(dz) >= tiny))
    assert np.all(np.isfinite(dz))


def _numpy_epochs(x, y, n_steps, epochs, lr, weight_bits=None, seed=0):
    """The training loop written with the numpy functions only (the reference)."""
    model = train_snn(x, y, n_steps=n_steps, epochs=1, weight_bits=weight_bits, seed=seed)  # for its shape
    model.weights[:] = 0.0
    model.bias[:] = -2.0
    rng = np.random.default_rng(seed)
    basis = model.basis
    # centred coordinates: b = b~ - sum_ik w_jik c_i a_k (train_snn's docstring)
    ca = np.outer(x.mean(axis=0), basis[:, : min(basis.shape[1], n_steps)].sum(axis=1))
    centred = model.bias + (model.weights * ca).sum(axis=(1, 2))
    adam = Adam([model.weights, centred], lr)
    for rate in step_schedule(epochs, lr, lr / 10, None):
        adam.lr = rate
        order = rng.permutation(len(x))
        for start in range(0, len(x), 64):
            idx = order[start : start + 64]
            spikes = encode(x[idx], n_steps, rng=rng).astype(np.float32)
            u = potentials(traces(spikes, model.stored_weights()), model.bias, basis)
            _, du = LOGLIKS["first_to_spike"](u, y[idx], grad=True)
            grad_w = traces_backward(spikes, potentials_backward(du, basis))
            grad_b = du.sum(axis=(0, 1))
            adam.update([-(grad_w - grad_b[:, None, None] * ca) / len(idx), -grad_b / len(idx)])
            model.bias[:] = centred - (model.weights * ca).sum(axis=(1, 2))
    return model


@pytest.mark.parametrize("weight_bits", [None, 3])
def test_training_equals_the_numpy_loop(weight_bits):
    rng = np.random.default_rng(3)
    x = (rng.random((300, 40)) * (rng.random((300, 40)) < 0.3)).astype(np.float32)
    y = (x[:, :20].sum(axis=1) > x[:, 20:].sum(axis=1)).astype(int)
    got = train_snn(x, y, n_steps=4, epochs=3, lr=1e-2, lr_final=1e-3, weight_bits=weight_bits)
    ref = _numpy_epochs(x, y, 4, 3, 1e-2, weight_bits)
    # the same spikes and the same formulas; the products differ in summation order
    # (float32 rounding, ~1e-7 relative) and Adam divides by sqrt(v): after 15 steps the
    # weights agree to about 1e-5 of their scale
    scale = np.abs(ref.weights).max()
    np.testing.assert_allclose(got.weights, ref.weights, rtol=0, atol=1e-5 * scale)
    np.testing.assert_allclose(got.bias, ref.bias, rtol=0, atol=1e-5 * np.abs(ref.bias).max())


def test_frame_stream_draws_what_a_plain_loop_draws():
    from spinaps.network.snn import _FrameStream

    x, _, _ = _data()
    got = []
    with _FrameStream(x, np.random.default_rng(7), 2, 16, 3, 0.8) as stream:
        for _ in range(2 * 4):  # 2 epochs of ceil(50 / 16) = 4 batches
            idx, spikes = stream.next()
            got.append((idx.copy(), spikes.copy()))
            stream.release(spikes)
    rng = np.random.default_rng(7)
    expected = []
    for _ in range(2):
        order = rng.permutation(len(x))
        for start in range(0, len(x), 16):
            idx = order[start : start + 16]
            expected.append((idx, encode(x[idx], 3, p_max=0.8, rng=rng).reshape(-1, x.shape[1])))
    for (gi, gs), (ei, es) in zip(got, expected, strict=True):
        np.testing.assert_array_equal(gi, ei)
        np.testing.assert_array_equal(gs, es.astype(np.float32))


def test_frame_stream_hands_on_the_threads_error_and_stops_when_left():
    from spinaps.network.snn import _FrameStream

    class Broken:
        def permutation(self, n):
            raise ValueError("broken stream")

    x, _, _ = _data()
    with pytest.raises(ValueError, match="broken stream"), _FrameStream(x, Broken(), 1, 16, 2, 1.0) as stream:
        stream.next()
    with _FrameStream(x, np.random.default_rng(0), 5, 16, 2, 1.0) as stream:
        stream.next()  # leave after one batch: the thread, waiting for a buffer, stops
    assert not stream._thread.is_alive()
