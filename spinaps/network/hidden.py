"""A first-to-spike GLM network with one hidden layer of stochastic GLM neurons,
trained by maximising the output likelihood with the hidden spikes as latent variables.

Model
-----
Input frames s_{i,t'} (t' = 0 ... T-1) are the Bernoulli rate code of
:func:`spinaps.network.glm.encode`.  Hidden neuron m has the membrane potential

    v_{m,t} = beta_m + sum_k sum_{d=1}^{tau} a^h_k(d) sum_i w^h_{m,i,k} s_{i,t-d+1}

(K_h raised-cosine kernels a^h_k over the same window tau, :func:`glm.potentials`;
by default K_h = 1, the single decaying bump: in our runs it decided much earlier than
K_h = 4 at a similar final accuracy, with a quarter of the hidden weights) and emits the hidden frame
g_{m,t} ~ Bernoulli(sigma(v_{m,t})).  Output neuron j sees the hidden frames through K
kernels a_k (default 4, as the 2-layer network),

    u_{j,t} = gamma_j + sum_k sum_{d=1}^{tau} a_k(d) sum_m w^o_{j,m,k} g_{m,t-d+1},

and the decision is first-to-spike exactly as in the 2-layer network
(:func:`glm.first_to_spike_loglik`, :func:`glm.decode_first_to_spike`).  With the index
convention of :func:`glm.potentials`, output step t (1-based) has seen input frames
0 ... t-1 through hidden frames 0 ... t-1, so a decision by step t has used t input
frames, as in the 2-layer network (the hidden layer passes its spikes on within the
frame: no extra synaptic delay; our choice).  Hidden neurons have no feedback kernel and
no lateral connections, so given the input spikes S all hidden spikes are independent:

    p_theta(G | S) = prod_{m,t} sigma(v_{m,t})^{g_{m,t}} (1 - sigma(v_{m,t}))^{1 - g_{m,t}}.

Training objective
------------------
With f(G) = log P(c first | G) the first-to-spike log-likelihood of the label c given
the hidden spikes (the output "learning signal"), training maximises

    L(theta) = E_{G ~ p_theta(G|S)} [ f(G) ]  <=  log E_G [ P(c first | G) ] = log P(c first | S),

the evidence lower bound of the marginal first-to-spike likelihood with the causal
network itself as the variational distribution -- the learning-signal rule of the
probabilistic-SNN tutorial of Jang, Simeone, Gardner and Gruening (IEEE Signal
Processing Magazine, 2019) applied to the first-to-spike likelihood of Bagheri, Simeone
and Rajendran (ICASSP 2018).  Its gradient has two parts:

* output weights (exact given the sampled hidden spikes):
  dL/dw^o = E_G[ d f(G) / d w^o ], from :func:`glm.first_to_spike_loglik` and
  :func:`glm.potentials_backward`;
* hidden weights, score-function (REINFORCE, Williams, Machine Learning 1992) form:
  dL/dtheta_h = E_G[ f(G) d log p_theta(G|S) / d theta_h ] with
  d log p / d v_{m,t} = g_{m,t} - sigma(v_{m,t}).

Two unbiased estimators of the hidden gradient are provided (``estimator``):

``"score"``
    N hidden samples G_1 ... G_N per input (``n_samples``, N >= 2) and the
    leave-one-out baseline b_n = (1/(N-1)) sum_{n' != n} f(G_{n'}) (independent of
    G_n, so the estimator stays unbiased; Mnih and Rezende, ICML 2016 use the same
    construction):

        dL/dv_{m,t} ~= (1/N) sum_n (f(G_n) - b_n) (g_{n,m,t} - sigma(v_{m,t})).

    With N = 1 the baseline is a running mean of f over earlier mini-batches.
``"local"``
    The Rao-Blackwellised score function (local expectation gradient, Titsias and
    Lazaro-Gredilla, NIPS 2015): because the hidden spikes are independent given S,
    the expectation over each single spike g_{m,t} can be taken exactly, holding the
    other sampled spikes fixed:

        dL/dv_{m,t} = sigma'(v_{m,t}) E_{G_{-mt}} [ f(G | g_{m,t}=1) - f(G | g_{m,t}=0) ]
                    ~= sigma(v)(1 - sigma(v)) (f(G | g_{m,t}=1) - f(G | g_{m,t}=0)).

    This is the score-function estimator with the per-spike baseline
    E[f | G_{-mt}] (allowed, since it does not depend on g_{m,t}) and the remaining
    randomness of g_{m,t} integrated out.  It costs one extra evaluation of f per hidden
    spike (flipping g_{m,t} changes u only at the tau steps t ... t + tau - 1, so only
    that window is recomputed), and has far lower variance: each hidden
    spike gets its own learning signal instead of sharing one scalar with all H T
    others.

The gradient of v with respect to the hidden weights is the GLM one,
dL/dw^h_{m,i,k} = sum_t (sum_d a^h_k(d) dL/dv_{m,t+d-1}) s_{i,t}
(:func:`glm.potentials_backward`).  Parameters follow Adam (Kingma and Ba, ICLR 2015)
on fresh input and hidden spike samples every mini-batch.

Measured on the embedded MNIST split (8,000 train / 2,000 test digits)
----------------------------------------------------------------------
The default recipe (H = 400, K_h = 1, K = 4, tau = T = 8, p_max = 1, "local"
estimator with one hidden sample per input, batch 64, Adam at 5e-3 for 12 epochs then
5e-4 for 4; tau and the learning rate chosen on a validation split of the training set,
:data:`spinaps.network.recipe.HIDDEN_RECIPE_GRID`, docs/network.md) reaches 95.9 % +-
0.4 (binomial standard error of the test split) test accuracy (mean of 20 stochastic
passes; training seed 0, evaluation seed 1), against 91.8-92.2 % for the 2-layer
first-to-spike network and 95.6 % for the MLP 784-100-10; 66.5 % by a deadline of 4
steps, mean decision step 4.0, about 75 hidden spikes per step.  Quantisation-aware
training from that model (``weight_bits``, both layers, 8 epochs at 1.5e-3, the last 2
at 1.5e-4, seed 0): 4 bits 96.0 % +- 0.4, 1 bit 94.0 % +- 0.5 (same evaluation).  With
tau = 4 (the default before the selection): 94.8-95.0 % float, 90.6 % by step 4.
Earlier exploration (12 epochs at 3e-3, on the test split, before the validation
procedure; it chose H and K_h only as a first orientation): H = 100 reaches about
92 %, H = 200 about 93 %; with H = 100, K_h = 4 gave 92.5 % against 91.8 % for K_h = 1
but only 56 % against 81 % by step 4; the plain
score-function estimator (8 samples, leave-one-out baseline) reached 89 % with H = 100
and K_h = 4 in 12 epochs against 92.5 % for the "local" one; an L2 penalty only lowered
the accuracy.  H = 400 and K_h = 1 come from that exploration and are held fixed by
the validation grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit

from ..deprecation import renamed
from ..params import check_choice, check_int, check_range, check_seed, seed_sequence
from ..provenance import finalize
from ..threads import available_cpus, blas_limit
from ._chips import ChipPotentials
from ._hidden_kernel import local_signal, local_signal_blocks
from .glm import (
    encode,
    first_to_spike_loglik,
    potentials,
    potentials_backward,
    raised_cosine_basis,
    traces,
    traces_backward,
)
from .modelfile import load_model, save_model
from .optim import Adam, epochs_with_progress, step_schedule
from .snn import DecisionTally, seed_record, summed_until, window_inputs
from .tools import blas_threads, check_data, check_labels, check_test_labels, warn_unused_range
from .weights import CODES, DEFAULT_CODE, FaultModel, dequantize, from_bit_planes, quantize, to_bit_planes

__all__ = [
    "HiddenSNN",
    "train_hidden_snn",
    "evaluate_hidden",
    "layer_faults",
    "hidden_gradients",
    "output_gradients",
    "ESTIMATORS",
    "LAYERS",
]

#: The arrays of a HiddenSNN model file with their dimensions, and its hyper-parameters'
#: JSON types.
_LAYOUT = {
    "w_hidden": ("hidden", "inputs", "hidden kernels"),
    "b_hidden": ("hidden",),
    "w_out": ("classes", "hidden", "kernels"),
    "b_out": ("classes",),
    "history": ("epochs",),
}
_META_TYPES = {
    "n_steps": int,
    "tau": int,
    "p_max": float,
    "estimator": str,
    "n_samples": int,
    "seed": (int, type(None)),
    "weight_bits": (int, type(None)),
    "code": str,
}
#: What a model file without a key reads as: files written before the bit code was a
#: choice hold no ``code`` and were all stored in sign-magnitude, the one code then.
_META_DEFAULTS = {"code": DEFAULT_CODE}
#: Estimators of the hidden-weight gradient (see the module docstring).
ESTIMATORS = ("local", "score")
#: Precision of the synaptic matrix products (float32 for speed; float64 for exact checks).
COMPUTE_DTYPE = np.float32
#: Peak bytes per cell and chip of :meth:`FaultModel.apply` and the decoded weights (a
#: float64 uniform draw, the uint8 bits and their masks, the float64 weight over B
#: cells; measured order of magnitude, with margin), and the most a call may draw.
FAULT_DRAW_BYTES_PER_CELL = 24
MAX_FAULT_DRAW_BYTES = 8 * 2**30
#: What one synaptic operation is in this network, as stored in the outputs.
SOP_DEFINITION = (
    "one spike delivered to one neuron of the next layer (an input spike to a hidden neuron, a hidden "
    "spike to an output neuron), counted until the decision (first output spike, or T); each SOP reads "
    "the K_h or K basis weights of B bits of that synapse"
)
#: The layers of the network whose cells can be faulty (keys of ``faults``).
LAYERS = ("hidden", "output")


@dataclass
class HiddenSNN:
    """A trained 3-layer GLM network (inputs -> H hidden neurons -> one neuron per class).

    Made by :func:`train_hidden_snn`; :func:`evaluate_hidden` runs it.  The model is
    that of the module notes (float or B-bit weights).  B-bit weights are stored as bit
    planes of binary MTJ cells in both layers (:meth:`bit_planes`, the levels in the bit
    code ``code``, one bit per cell, 1 = AP), and :meth:`chip_weights` draws each
    chip's cell faults in both and decodes them in that code.

    Parameters
    ----------
    w_hidden : ndarray (hidden, inputs, K_h)
        w^h_{m,i,k}.
    b_hidden : ndarray (hidden,)
        beta_m.
    w_out : ndarray (classes, hidden, K)
        w^o_{j,m,k}.
    b_out : ndarray (classes,)
        gamma_j.
    n_steps, tau, p_max : int [time steps], int [time steps], float [-]
        T time steps, kernel window (frames) of both layers, peak input spike probability.
    estimator, n_samples, seed, history
        Hidden-gradient estimator, hidden samples per input, seed, and the mean training
        objective E_G[log P(c first | G)] per epoch.
    weight_bits : int or None [bit]
        B bits per stored weight in both layers (1 ... 8), or None for float weights.
        With B, the network computes with the levels x scale of
        :func:`~spinaps.network.weights.quantize` (one scale per hidden neuron over its
        inputs and kernels, one per output neuron over its hidden inputs and kernels);
        ``w_hidden`` and ``w_out`` are the float shadow weights of the training.
    code : {"sign_magnitude", "twos_complement"}
        Bit code of the stored levels q in the B cells of a weight, in both layers
        (:data:`~spinaps.network.weights.CODES`,
        :func:`~spinaps.network.weights.to_bit_planes`; bit b < B-1 has weight 2^b):
        in ``"sign_magnitude"`` (default) bit B-1 is the sign (1 = negative) and bits
        0 ... B-2 are ``|q|``, so a flipped sign bit negates q; in ``"twos_complement"``
        bit B-1 has weight -2^(B-1), so a flipped sign bit moves q by 2^(B-1) levels
        (and can give the extra level -2^(B-1)).  The levels, and hence
        the fault-free network, are the same in both codes; only faulty cells decode
        differently.  For B = 1 both codes store the sign (1 = positive).  Ignored for
        float weights.

    Raises
    ------
    ValueError
        If ``weight_bits`` is not None or an integer in [1, 8], or ``code`` is not one
        of :data:`~spinaps.network.weights.CODES`.

    Attributes
    ----------
    n_hidden : int
        H, the hidden neurons.
    n_inputs : int
        The inputs (features).
    n_classes : int
        J, the output neurons.
    n_basis : int
        K, the kernels of the hidden -> output synapses.
    n_basis_hidden : int
        K_h, the kernels of the input -> hidden synapses.
    basis, basis_hidden : ndarray (K, tau), (K_h, tau) [-]
        The raised-cosine kernels of the two layers.
    """

    w_hidden: np.ndarray
    b_hidden: np.ndarray
    w_out: np.ndarray
    b_out: np.ndarray
    n_steps: int = 8
    tau: int = 4
    p_max: float = 1.0
    estimator: str = "local"
    n_samples: int = 1
    seed: int = 0
    history: np.ndarray = field(default_factory=lambda: np.zeros(0))
    weight_bits: int | None = None
    code: str = DEFAULT_CODE

    def __post_init__(self):
        if self.weight_bits is not None:
            check_int("weight_bits", self.weight_bits, 1, 8)
        check_choice("code", self.code, CODES)

    @property
    def n_hidden(self):
        """H, the hidden neurons."""
        return self.w_hidden.shape[0]

    @property
    def n_inputs(self):
        """The inputs (features)."""
        return self.w_hidden.shape[1]

    @property
    def n_classes(self):
        """J, the output neurons (classes)."""
        return self.w_out.shape[0]

    @property
    def n_basis(self):
        """K kernels of the hidden -> output synapses."""
        return self.w_out.shape[2]

    @property
    def n_basis_hidden(self):
        """K_h kernels of the input -> hidden synapses."""
        return self.w_hidden.shape[2]

    @property
    def basis(self):
        """The K kernels a_k(d) of the hidden -> output synapses, (K, tau) [-]."""
        return raised_cosine_basis(self.n_basis, self.tau)

    @property
    def basis_hidden(self):
        """The K_h kernels a^h_k(d) of the input -> hidden synapses, (K_h, tau) [-]."""
        return raised_cosine_basis(self.n_basis_hidden, self.tau)

    def stored_hidden(self):
        """The input -> hidden weights the network computes with, (hidden, inputs, K_h).

        Returns
        -------
        ndarray
            The B-bit levels x scale (:func:`~spinaps.network.weights.dequantize`, one
            row per hidden neuron), or ``w_hidden`` itself for float weights.
        """
        return _stored(self.w_hidden, self.weight_bits)

    def stored_out(self):
        """The hidden -> output weights the network computes with, (classes, hidden, K).

        Returns
        -------
        ndarray
            The B-bit levels x scale (one row per output neuron), or ``w_out`` itself.
        """
        return _stored(self.w_out, self.weight_bits)

    def levels(self):
        """Integer levels and per-neuron scales of both layers (B-bit weights).

        The quantisation of :func:`~spinaps.network.weights.quantize`, one scale per
        hidden neuron (over its inputs and kernels) and one per output neuron (over its
        hidden inputs and kernels).

        Returns
        -------
        dict
            ``"hidden"``: (q of int64 (hidden, inputs, K_h), scale (hidden, 1, 1));
            ``"output"``: (q (classes, hidden, K), scale (classes, 1, 1)).

        Raises
        ------
        ValueError
            If ``weight_bits`` is None (float weights have no levels).
        """
        if self.weight_bits is None:
            raise ValueError("float weights have no levels: train the model with weight_bits (1 ... 8)")
        out = {}
        for layer, w in (("hidden", self.w_hidden), ("output", self.w_out)):
            q, scale = quantize(w.reshape(len(w), -1), self.weight_bits)
            out[layer] = (q.reshape(w.shape), scale[:, :, None])
        return out

    def bit_planes(self):
        """The stored bits of both layers: one binary MTJ cell each (1 = AP).

        Returns
        -------
        dict
            ``"hidden"``: uint8 (hidden, inputs, K_h, B); ``"output"``: uint8
            (classes, hidden, K, B), least significant bit first; the levels in
            ``code`` (:func:`~spinaps.network.weights.to_bit_planes`).

        Raises
        ------
        ValueError
            If ``weight_bits`` is None.
        """
        return {layer: to_bit_planes(q, self.weight_bits, self.code) for layer, (q, _) in self.levels().items()}

    def chip_weights(self, n_chips, faults, rng):
        """Weights of both layers of ``n_chips`` chips, each with its own cell faults.

        Parameters
        ----------
        n_chips : int
            Chip instances.
        faults : dict
            ``"hidden"`` and ``"output"``: the :class:`~spinaps.network.FaultModel` of
            each layer's cells (:func:`layer_faults`).
        rng : numpy.random.Generator
            The stream of the fault draws (the hidden layer's first).

        Returns
        -------
        dict
            ``"hidden"``: (n_chips, hidden, inputs, K_h); ``"output"``: (n_chips,
            classes, hidden, K): the faulty bit planes decoded in ``code`` and
            scaled.  A layer that cannot be faulty (float weights, or a fault-free
            model) gets its stored weights, with a chip axis of 1.

        Raises
        ------
        ValueError
            From :meth:`FaultModel.apply` (per-cell arrays that do not fit the planes),
            or if the fault draws of the hidden layer would need more than
            :data:`MAX_FAULT_DRAW_BYTES`.
        """
        stored = {"hidden": self.stored_hidden(), "output": self.stored_out()}
        if self.weight_bits is None:
            return {layer: w[None] for layer, w in stored.items()}
        planes, levels = self.bit_planes(), self.levels()
        out = {}
        for layer in ("hidden", "output"):
            model = faults[layer]
            if model.is_fault_free():
                out[layer] = stored[layer][None]
                continue
            need = FAULT_DRAW_BYTES_PER_CELL * n_chips * planes[layer].size
            if need > MAX_FAULT_DRAW_BYTES:
                raise ValueError(
                    f"n_chips = {n_chips}: drawing the faults of the {layer} layer's {planes[layer].size:,} cells "
                    f"needs about {need / 2**30:.1f} GiB (limit {MAX_FAULT_DRAW_BYTES / 2**30:.0f} GiB); evaluate "
                    f"at most {MAX_FAULT_DRAW_BYTES // (FAULT_DRAW_BYTES_PER_CELL * planes[layer].size)} chips per call"
                )
            out[layer] = from_bit_planes(model.apply(planes[layer], n_chips, rng), self.code) * levels[layer][1]
        return out

    def hidden_potentials(self, spikes):
        """v (..., T, hidden) from input frames (..., T, inputs).

        Parameters
        ----------
        spikes : array_like (..., T, inputs)
            Input spike frames (0/1).

        Returns
        -------
        ndarray (..., T, hidden) [-]
            The hidden membrane potentials v (spike probability sigma(v)).
        """
        return potentials(traces(spikes, self.stored_hidden(), COMPUTE_DTYPE), self.b_hidden, self.basis_hidden)

    def output_potentials(self, hidden_spikes):
        """u (..., T, classes) from hidden frames (..., T, hidden).

        Parameters
        ----------
        hidden_spikes : array_like (..., T, hidden)
            Hidden spike frames (0/1); leading dimensions (e.g. chips, samples) are
            computed at once.

        Returns
        -------
        ndarray (..., T, classes) [-]
            The output potentials u.
        """
        return potentials(traces(hidden_spikes, self.stored_out(), COMPUTE_DTYPE), self.b_out, self.basis)

    def save(self, path):
        """Write the model to an ``.npz`` file (weights, biases, hyper-parameters with the
        bit code ``code``, version).

        Parameters
        ----------
        path : str or path-like
            The file (:func:`numpy.savez_compressed` adds ``.npz`` if missing).
        """
        save_model(
            path,
            {
                "w_hidden": self.w_hidden,
                "b_hidden": self.b_hidden,
                "w_out": self.w_out,
                "b_out": self.b_out,
                "history": self.history,
            },
            n_steps=int(self.n_steps),
            tau=int(self.tau),
            p_max=float(self.p_max),
            estimator=str(self.estimator),
            n_samples=int(self.n_samples),
            seed=seed_record(self.seed),
            weight_bits=None if self.weight_bits is None else int(self.weight_bits),
            code=str(self.code),
        )

    @classmethod
    def load(cls, path):
        """Read a model written by :meth:`save`.

        A file written before the bit code was a choice has no ``code``: it is read as
        ``"sign_magnitude"``, the one code of those versions (exact, not a guess).

        Parameters
        ----------
        path : str or path-like
            The ``.npz`` file.

        Returns
        -------
        HiddenSNN

        Raises
        ------
        FileNotFoundError
            If the file does not exist.
        ValueError
            If it is not a readable HiddenSNN model file (arrays missing, unexpected,
            of the wrong dtype or of sizes that disagree, hyper-parameters missing or
            out of range, an unknown ``code``;
            :func:`~spinaps.network.modelfile.load_model`; the message names the file
            and the problem).  Read with ``allow_pickle=False``.
        """
        arrays, meta = load_model(path, _LAYOUT, _META_TYPES, "HiddenSNN", defaults=_META_DEFAULTS)
        try:
            check_int("n_steps", meta["n_steps"], 1, 1000)
            check_int("tau", meta["tau"], 1, 1000)
            check_range("p_max", meta["p_max"], low=0.0, high=1.0, high_inclusive=True)
            check_choice("estimator", meta["estimator"], ESTIMATORS)
            check_int("n_samples", meta["n_samples"], 1, 10_000)
            if meta["weight_bits"] is not None:
                check_int("weight_bits", meta["weight_bits"], 1, 8)
            check_choice("code", meta["code"], CODES)
        except ValueError as err:
            raise ValueError(f"{path}: {err}") from None
        return cls(**arrays, **meta)


def _stored(w, bits):
    """w (rows, ...) as a B-bit memory holds it, one scale per row; w itself if bits is None."""
    if bits is None:
        return w
    return dequantize(w.reshape(len(w), -1), bits).reshape(w.shape)


def _lag_response(w_out, basis, n_steps):
    """R (hidden, lag, classes): the change of u_{j,t'+l} per unit change of the hidden
    frame g_{m,t'}, sum_k a_k(l + 1) w^o_{j,m,k} for the lags l = 0 ... min(tau, T) - 1."""
    lags = min(basis.shape[1], n_steps)
    return np.ascontiguousarray(np.einsum("kl,jmk->mlj", basis[:, :lags], w_out), dtype=np.float64)


def _local_signal(u, g, labels, response, threads=1):
    """f(G | g_{m,t'} = 1) - f(G | g_{m,t'} = 0) for every hidden spike, (batch, T, hidden).

    u (batch, T, J) are the output potentials of the sampled hidden frames g (batch, T,
    H).  Flipping g_{m,t'} changes u only at the steps s = t' + l, l < tau, so with
    S_s = sum_j log(1 - sigma(u_{j,s})) and A_s = log sigma(u_{c,s}) + sum_{j != c}
    log(1 - sigma(u_{j,s})) = S_s + u_{c,s} the first-to-spike terms
    e_s = sum_{s' < s} S_{s'} + A_s (f = logsumexp_s e_s,
    :func:`glm.first_to_spike_loglik`) change by 0 before t', by
    sum_{l' < l} dS_{t'+l'} + dA_{t'+l} at s = t' + l, and by the whole sum_l dS_{t'+l}
    after the window.  Only the window's potentials are recomputed, in float64, by the
    compiled kernel :func:`spinaps.network._hidden_kernel.local_signal`, on ``threads``
    blocks of samples at once (numba's parallel threads,
    :func:`~spinaps.network._hidden_kernel.local_signal_blocks`; every sample's signal
    is computed alone, so the result does not depend on the blocks).
    """
    out = np.empty(g.shape, dtype=np.float64)
    u = np.ascontiguousarray(u, dtype=np.float64)
    g = np.ascontiguousarray(g, dtype=np.bool_)
    labels = np.ascontiguousarray(labels, dtype=np.int64)
    response = np.ascontiguousarray(response, dtype=np.float64)
    blocks = min(threads, len(u))
    if blocks <= 1:
        local_signal(u, g, labels, response, out)
    else:
        local_signal_blocks(u, g, labels, response, out, blocks)
    return out


def output_gradients(model, hidden_spikes, labels, *, potentials_out=False):
    """f(G) = log P(c first | G) per sample and its exact gradient with respect to the
    output weights and bias, summed over the batch, for given hidden frames G.

    Parameters
    ----------
    model : HiddenSNN
        The network.
    hidden_spikes : ndarray (batch, T, hidden) of 0/1
        The hidden frames G.
    labels : ndarray (batch,) of ints
        The correct classes c.
    potentials_out : bool
        Also return the output potentials u (batch, T, classes).

    Returns
    -------
    loglik : ndarray (batch,) [-]
        f(G) = log P(c first | G) (natural logarithm).
    grads : list of ndarray
        [d/dw_out (classes, hidden, K), d/db_out (classes,)], summed over the batch.
    u : ndarray (batch, T, classes) [-]
        The output potentials, only if ``potentials_out``.
    """
    u = model.output_potentials(hidden_spikes)
    loglik, du = first_to_spike_loglik(u, labels, grad=True)
    grad_w = traces_backward(hidden_spikes, potentials_backward(du, model.basis), COMPUTE_DTYPE).astype(np.float64)
    grads = [grad_w, du.sum(axis=(0, 1))]
    return (loglik, grads, u) if potentials_out else (loglik, grads)


def hidden_gradients(model, spikes, labels, rng, *, estimator="local", n_samples=1, baseline=0.0, threads=1):
    """One stochastic estimate of the gradient of E_G[log P(c first | G)], summed over
    the batch (see the module docstring for the equations).

    Parameters
    ----------
    model : HiddenSNN
        The network.
    spikes : ndarray (batch, T, inputs)
        Input frames (fixed: the gradient is conditional on them).
    labels : ndarray (batch,) of ints
        The correct classes c.
    rng : numpy.random.Generator
        Draws the hidden spikes.
    estimator : {"local", "score"}
        The Rao-Blackwellised (local expectation) or the plain score-function
        estimator of the hidden gradient (:data:`ESTIMATORS`).
    n_samples : int
        Hidden samples G per input, 1 ... 10,000; the estimate averages over them.
    baseline : float
        Baseline of the score estimator with ``n_samples`` = 1 (ignored otherwise).
    threads : int
        Threads of the compiled learning signal of the "local" estimator, in
        [1, 1024]; the result does not depend on it.

    Returns
    -------
    loglik : ndarray (batch, n_samples) [-]
        f(G_n) = log P(c first | G_n) of every sample.
    grads : list of ndarrays
        d/d(w_hidden, b_hidden, w_out, b_out), summed over the batch and averaged over
        the samples.

    Raises
    ------
    ValueError
        If ``estimator`` is unknown, ``n_samples`` is not an integer in [1, 10,000] or
        ``threads`` not one in [1, 1024].

    References
    ----------
    * H. Jang, O. Simeone, B. Gardner and A. Gruning, "An introduction to
      probabilistic spiking neural networks: probabilistic models, learning rules, and
      applications", IEEE Signal Processing Magazine 36(6), 64-77 (2019); citation key
      ``Jang2019``.
    * A. Bagheri, O. Simeone and B. Rajendran, "Training probabilistic spiking neural
      networks with first-to-spike decoding", IEEE ICASSP (2018); citation key
      ``Bagheri2018``.
    * R. J. Williams, "Simple statistical gradient-following algorithms for
      connectionist reinforcement learning", Machine Learning 8, 229-256 (1992);
      citation key ``Williams1992``.
    * M. K. Titsias and M. Lazaro-Gredilla, "Local expectation gradients for black
      box variational inference", NIPS (2015); citation key ``Titsias2015``.
    * A. Mnih and D. J. Rezende, "Variational inference for Monte Carlo objectives",
      ICML (2016); citation key ``Mnih2016``.
    """
    check_choice("estimator", estimator, ESTIMATORS)
    check_int("n_samples", n_samples, 1, 10_000)
    check_int("threads", threads, 1, 1024)
    b, n_steps, _ = spikes.shape
    basis = model.basis
    spikes = np.asarray(spikes).astype(COMPUTE_DTYPE, copy=False)  # once for the forward and the backward product
    v = model.hidden_potentials(spikes)  # (b, T, H)
    p = expit(v).astype(np.float32)
    g = rng.random((b, n_samples) + v.shape[1:], dtype=np.float32) < p[:, None]
    gf = g.reshape(b * n_samples, n_steps, -1)
    lab = np.repeat(labels, n_samples)
    loglik, (grad_wo, grad_bo), u = output_gradients(model, gf.astype(COMPUTE_DTYPE), lab, potentials_out=True)
    grad_wo, grad_bo = grad_wo / n_samples, grad_bo / n_samples
    if estimator == "score":
        f = loglik.reshape(b, n_samples)
        if n_samples > 1:
            base = (f.sum(axis=1, keepdims=True) - f) / (n_samples - 1)
        else:
            base = np.full_like(f, baseline)
        dv = ((f - base)[:, :, None, None] * (g - p[:, None])).sum(axis=1) / n_samples
    else:
        response = _lag_response(model.stored_out(), basis, n_steps)
        diff = _local_signal(u, gf, lab, response, threads).reshape(b, n_samples, n_steps, -1)
        dv = (p * (1 - p)) * diff.mean(axis=1)
    dz_h = potentials_backward(dv, model.basis_hidden)
    grad_wh = traces_backward(spikes, dz_h, COMPUTE_DTYPE).astype(np.float64)
    grad_bh = dv.sum(axis=(0, 1))
    return loglik.reshape(b, n_samples), [grad_wh, grad_bh, grad_wo, grad_bo]


@renamed(T="n_steps")
def train_hidden_snn(
    x_train,
    y_train,
    *,
    hidden=400,
    n_steps=8,
    seed=0,
    n_basis=4,
    n_basis_hidden=1,
    tau=None,
    p_max=1.0,
    estimator="local",
    n_samples=None,
    epochs=16,
    lr=5e-3,
    lr_final=5e-4,
    final_epochs=None,
    batch=64,
    init_scale=1.0,
    l2=0.0,
    n_classes=None,
    progress=False,
    threads=None,
    weight_bits=None,
    code=None,
    init=None,
):
    """Train the hidden-layer first-to-spike GLM network (see the module docstring).

    With ``weight_bits`` the training is quantisation-aware in both layers: the forward
    pass uses the B-bit stored weights (:meth:`HiddenSNN.stored_hidden`,
    :meth:`HiddenSNN.stored_out`) and the gradients with respect to them update the
    float shadow weights (the straight-through estimator, Bengio, Leonard and
    Courville, arXiv 1308.3432, 2013), as :func:`~spinaps.network.train_snn` does for
    the 2-layer network; ``init`` starts from a trained model (e.g. the float one).

    Parameters
    ----------
    x_train, y_train : array (samples, features) in [0, 1], array (samples,) of ints
        Features [-] and class labels >= 0.
    hidden : int
        H hidden GLM neurons, 1 ... 100,000.
    n_steps : int [time steps]
        Time steps per sample (1 ... 1000); ``T`` is its deprecated name.
    seed : int
        Seeds the initial weights, the sample order, the input and the hidden spikes.
    n_basis, n_basis_hidden, tau, p_max : int [-], int [-], int [time steps], float [-]
        K kernels of the hidden -> output synapses and K_h of the input -> hidden
        synapses, over ``tau`` frames (default None: the window of all ``n_steps``
        frames, at least K; chosen on a validation split of the training set,
        :data:`spinaps.network.recipe.HIDDEN_RECIPE_GRID`); peak input spike
        probability, in (0, 1].
    estimator : {"local", "score"}
        Hidden-gradient estimator: the Rao-Blackwellised score function (default) or
        the plain score function with a leave-one-out baseline.
    n_samples : int, optional
        Hidden samples per input (default 1 for "local", 8 for "score").
    epochs, lr, lr_final, final_epochs, batch
        Adam at ``lr`` and, for the last ``final_epochs`` epochs (default a quarter),
        at ``lr_final``.
    l2 : float
        Penalty ``l2/2 (|w^h|^2 + |w^o|^2)`` subtracted from the mean objective per
        sample, >= 0 (a Gaussian prior on the weights: maximum a posteriori); biases are
        not penalised.
    init_scale : float
        Hidden weights start N(0, (init_scale / sqrt(p_max x mean input x inputs x tau))^2)
        so that the hidden potentials start with a spread of about ``init_scale``;
        output weights start at 0 and the output bias at -2 (as :func:`train_snn`).
    n_classes : int, optional
        Default: the largest label + 1 (at least 2).  The labels are checked against it
        (:func:`~spinaps.network.tools.check_labels`).
    progress : bool
        Show a progress bar over epochs.
    weight_bits : int or None [bit]
        B bits per stored weight in both layers, 1 ... 8 (None: float weights).
    code : {"sign_magnitude", "twos_complement"}, optional
        Bit code of the stored levels in both layers (:attr:`HiddenSNN.code`,
        :data:`~spinaps.network.weights.CODES`): sign-magnitude (bit B-1 the sign, a
        flipped sign bit negates the level) or two's complement (bit B-1 of weight
        -2^(B-1), a flipped sign bit moves the level by 2^(B-1)); one bit per binary
        MTJ cell, 1 = AP.  Default None: ``init``'s code when fine-tuning, else
        ``"sign_magnitude"``; a code other than ``init``'s may be given (as for
        :func:`~spinaps.network.train_snn`).  The training does not depend on it (the
        levels are the same in both codes); it decides how faulty cells decode.
    init : HiddenSNN, optional
        Start from this model's weights and biases (copied; the model is not changed).
        Its architecture is kept: ``hidden``, ``n_steps``, ``n_basis``,
        ``n_basis_hidden``, ``tau``, ``p_max``, ``estimator`` and ``n_samples`` left at
        their defaults take its values, other values must equal them; ``init_scale`` is
        not used.
    threads : int, optional [-]
        Threads of the matrix products (BLAS; :func:`~spinaps.network.tools.blas_threads`,
        default the package setting, else one).  The float32 products may round
        differently with another number of BLAS threads, and training amplifies the
        difference (measured with tau = 4, seed 0: 94.99 % with one thread, 94.93 % with
        two, within the standard error of 0.49 points).  The compiled learning signal
        runs on at least as many threads as the process has CPUs
        (:func:`spinaps.threads.available_cpus`): every sample's signal is computed
        alone, so the result does not depend on its threads (the trained model is the
        same bit for bit), and it is the one part of the training that scales.

    Returns
    -------
    HiddenSNN
        The trained model (``history``: the mean objective per epoch).

    Raises
    ------
    ValueError
        If the data are invalid (:func:`~spinaps.network.tools.check_data`), a
        hyper-parameter is outside its range (the message names it; for ``code`` with
        the allowed codes), or a label is outside the ``n_classes`` classes.

    Warns
    -----
    ClassCoverageWarning
        If a class has no training sample, or (``n_classes`` inferred) is suspiciously
        rare.
    UserWarning
        If the largest training feature is below 0.9, leaving part of the spike code's
        range unused (:func:`~spinaps.network.tools.warn_unused_range`).
    DeprecationWarning
        If the old keyword ``T`` is used.

    References
    ----------
    * H. Jang, O. Simeone, B. Gardner and A. Gruning, "An introduction to
      probabilistic spiking neural networks: probabilistic models, learning rules, and
      applications", IEEE Signal Processing Magazine 36(6), 64-77 (2019); citation key
      ``Jang2019``.
    * A. Bagheri, O. Simeone and B. Rajendran, "Training probabilistic spiking neural
      networks with first-to-spike decoding", IEEE ICASSP (2018); citation key
      ``Bagheri2018``.
    * R. J. Williams, "Simple statistical gradient-following algorithms for
      connectionist reinforcement learning", Machine Learning 8, 229-256 (1992);
      citation key ``Williams1992``.
    * M. K. Titsias and M. Lazaro-Gredilla, "Local expectation gradients for black
      box variational inference", NIPS (2015); citation key ``Titsias2015``.
    * A. Mnih and D. J. Rezende, "Variational inference for Monte Carlo objectives",
      ICML (2016); citation key ``Mnih2016``.
    * J. W. Pillow et al., "Spatio-temporal correlations and visual signalling in a
      complete neuronal population", Nature 454, 995-999 (2008) (the raised-cosine
      kernels); citation key ``Pillow2008``.
    * D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization", ICLR
      (2015) (not in ``references.bib``).

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network import train_hidden_snn
    >>> rng = np.random.default_rng(0)
    >>> x = rng.random((30, 6))
    >>> y = (x[:, 0] > 0.5).astype(int)
    >>> model = train_hidden_snn(x, y, hidden=5, epochs=2)
    >>> model.w_hidden.shape, model.w_out.shape
    ((5, 6, 1), (2, 5, 4))
    """
    if init is not None:
        if not isinstance(init, HiddenSNN):
            raise TypeError(f"init must be a HiddenSNN (a trained model), got {type(init).__name__}")
        hidden, n_steps, n_basis, n_basis_hidden, tau, p_max, estimator, n_samples = _architecture_of(
            init,
            hidden=hidden,
            n_steps=n_steps,
            n_basis=n_basis,
            n_basis_hidden=n_basis_hidden,
            tau=tau,
            p_max=p_max,
            estimator=estimator,
            n_samples=n_samples,
        )
        if n_classes is None:
            n_classes = init.n_classes
    if weight_bits is not None:
        check_int("weight_bits", weight_bits, 1, 8)
    if code is None:
        code = DEFAULT_CODE if init is None else init.code
    check_choice("code", code, CODES)
    x, y = check_data(x_train, y_train, None if init is None else init.n_inputs, ("x_train", "y_train"))
    warn_unused_range(x)
    check_int("hidden", hidden, 1, 100_000)
    check_int("n_steps", n_steps, 1, 1000)
    rates = step_schedule(epochs, lr, lr_final, final_epochs)
    check_int("batch", batch, 1, 1_000_000)
    check_choice("estimator", estimator, ESTIMATORS)
    n_samples = (1 if estimator == "local" else 8) if n_samples is None else n_samples
    check_int("n_samples", n_samples, 1, 10_000)
    if not (np.isfinite(l2) and l2 >= 0):
        raise ValueError(f"l2 = {l2!r} must be non-negative")
    if not (np.isfinite(init_scale) and init_scale > 0):
        raise ValueError(f"init_scale = {init_scale!r} must be positive")
    if not 0.0 < p_max <= 1.0:
        raise ValueError(f"p_max = {p_max!r} must lie in (0, 1]")
    if n_classes is not None:
        check_int("n_classes", n_classes, 2, 100_000)
    n_classes = check_labels(y, n_classes, "y_train")
    check_int("n_classes", n_classes, 2, 100_000)
    check_int("n_basis", n_basis, 1, 32)
    tau = max(n_steps, n_basis) if tau is None else tau  # default: the window of all steps
    basis = raised_cosine_basis(n_basis, tau)  # validates tau
    check_int("n_basis_hidden", n_basis_hidden, 1, 32)
    basis_hidden = raised_cosine_basis(n_basis_hidden, tau)
    rng = np.random.default_rng(check_seed(seed))
    if init is not None:
        if n_classes != init.n_classes:
            raise ValueError(f"n_classes = {n_classes!r} differs from the initial model's {init.n_classes!r}")
        weights = (init.w_hidden.copy(), init.b_hidden.copy(), init.w_out.copy(), init.b_out.copy())
    else:
        spread = init_scale / np.sqrt(max(p_max * float(x.mean()) * x.shape[1] * tau, 1.0))
        weights = (
            rng.normal(0.0, spread, (hidden, x.shape[1], basis_hidden.shape[0])),
            np.zeros(hidden),
            np.zeros((n_classes, hidden, basis.shape[0])),
            np.full(n_classes, -2.0),
        )
    model = HiddenSNN(
        *weights,
        n_steps=n_steps,
        tau=tau,
        p_max=float(p_max),
        estimator=estimator,
        n_samples=n_samples,
        seed=seed,
        weight_bits=weight_bits,
        code=code,
    )
    threads = blas_threads(threads)
    with blas_limit(threads):
        signal_threads = max(threads, available_cpus())
        history = _train_epochs(model, x, y, rng, rates, batch, l2, progress, signal_threads)
    model.history = history if init is None else np.concatenate([init.history, history])
    return model


#: The architecture arguments of :func:`train_hidden_snn` with their defaults.
_ARCHITECTURE_DEFAULTS = {
    "hidden": 400,
    "n_steps": 8,
    "n_basis": 4,
    "n_basis_hidden": 1,
    "tau": None,
    "p_max": 1.0,
    "estimator": "local",
    "n_samples": None,
}


def _architecture_of(init, **given):
    """The architecture of a training from ``init``: each argument left at its default
    takes the initial model's value; another value must equal it."""
    own = {
        "hidden": init.n_hidden,
        "n_steps": init.n_steps,
        "n_basis": init.n_basis,
        "n_basis_hidden": init.n_basis_hidden,
        "tau": init.tau,
        "p_max": init.p_max,
        "estimator": init.estimator,
        "n_samples": init.n_samples,
    }
    for name, value in given.items():
        if value != _ARCHITECTURE_DEFAULTS[name] and value != own[name]:
            raise ValueError(f"{name} = {value!r} differs from the initial model's {own[name]!r}")
    return tuple(own[name] for name in given)


def _train_epochs(model, x, y, rng, rates, batch, l2, progress, threads):
    """Adam over the epochs at ``rates``, in place on the model's arrays; the mean
    training objective of each epoch, (epochs,)."""
    estimator, n_samples = model.estimator, model.n_samples
    params = [model.w_hidden, model.b_hidden, model.w_out, model.b_out]
    adam = Adam(params, rates[0], compiled=True)
    history, running = [], None
    for rate in epochs_with_progress(rates, progress):
        adam.lr = rate
        order = rng.permutation(len(x))
        total = 0.0
        for start in range(0, len(x), batch):
            idx = order[start : start + batch]
            spikes = encode(x[idx], model.n_steps, p_max=model.p_max, rng=rng)
            loglik, grads = hidden_gradients(
                model,
                spikes,
                y[idx],
                rng,
                estimator=estimator,
                n_samples=n_samples,
                baseline=0.0 if running is None else running,
                threads=threads,
            )
            mean = float(loglik.mean())
            running = mean if running is None else 0.9 * running + 0.1 * mean
            total += loglik.mean(axis=1).sum()
            for gr in grads:  # in place: the descent direction of the loss -(mean objective - penalty)
                gr *= -1.0 / len(idx)
            if l2:
                grads[0] += l2 * model.w_hidden
                grads[2] += l2 * model.w_out
            adam.update(grads)
        history.append(total / len(x))
    return np.asarray(history)


def layer_faults(faults=None, bit_error_rate=0.0):
    """The fault model of each layer's cells from what a user passes.

    Parameters
    ----------
    faults : FaultModel or dict, optional
        One :class:`~spinaps.network.FaultModel` for the cells of both layers, or a
        dict with keys among ``"hidden"`` and ``"output"`` (a missing layer is fault
        free); per-cell arrays must fit their layer's planes
        (:meth:`HiddenSNN.bit_planes`).
    bit_error_rate : float [-]
        In [0, 1]: every stored bit of both layers flips with this probability (combined
        with each model's ``flip``).

    Returns
    -------
    dict
        ``"hidden"``, ``"output"`` -> FaultModel.

    Raises
    ------
    TypeError
        If ``faults`` (or a value of the dict) is not a FaultModel.
    ValueError
        If the dict has another key, or ``bit_error_rate`` is outside [0, 1].

    Examples
    --------
    >>> from spinaps.network import FaultModel
    >>> from spinaps.network.hidden import layer_faults
    >>> f = layer_faults({"output": FaultModel(flip=0.01)})
    >>> f["hidden"].is_fault_free(), f["output"].flip
    (True, 0.01)
    """
    if faults is None:
        faults = {}
    elif isinstance(faults, FaultModel):
        faults = dict.fromkeys(LAYERS, faults)
    elif not isinstance(faults, dict):
        raise TypeError(f"faults must be a FaultModel or a dict of them by layer, got {type(faults).__name__}")
    unknown = sorted(set(faults) - set(LAYERS))
    if unknown:
        raise ValueError(f"faults has the key(s) {unknown}; the layers are {list(LAYERS)}")
    out = {}
    for layer in LAYERS:
        model = faults.get(layer, FaultModel())
        if not isinstance(model, FaultModel):
            raise TypeError(f"faults[{layer!r}] must be a FaultModel, got {type(model).__name__}")
        out[layer] = model.with_bit_error_rate(bit_error_rate)
    return out


def evaluate_hidden(
    model, x_test, y_test, *, seed=0, n_chips=1, bit_error_rate=0.0, faults=None, batch=200, threads=None
):
    """Accuracy of ``n_chips`` chip instances at every decision deadline, and the
    activity of both layers.

    All chips see the same input spike samples; each chip has its own seeded cell
    faults in both layers (from ``faults`` and/or a plain ``bit_error_rate``) and draws
    its own hidden and output spikes.

    Parameters
    ----------
    model : HiddenSNN
        The trained network.
    x_test, y_test : arrays
        Features (samples, features) in [0, 1] and labels (samples,).
    seed : int
        Seeds the input, hidden and output spikes and the faults (four independent
        streams of ``SeedSequence(seed)``; without faults the results are those of the
        three spike streams alone).
    n_chips : int
        Chip instances, 1 ... 100,000.
    bit_error_rate : float [-]
        In [0, 1]: every stored bit of both layers flips with this probability.
    faults : FaultModel or dict, optional
        The cells' fault probabilities, for both layers or by layer
        (:func:`layer_faults`).
    batch : int
        Samples per vectorised block (memory ~ chips x batch x T x hidden x 4 bytes, and
        x (min(tau, T) + 2) with faults in the hidden layer, where the block is cut to
        keep that below 512 MiB).  The random draws follow the blocks.
    threads : int, optional [-]
        BLAS threads of the matrix products (:func:`~spinaps.network.tools.blas_threads`).

    Returns
    -------
    xarray.Dataset
        ``accuracy`` (chip, deadline); ``no_spike``, ``tie_rate``,
        ``mean_decision_step``, ``steps_per_inference`` (chip); ``decision_fraction``
        (chip, step); activity: ``input_spikes_per_step``; per chip
        ``hidden_spikes_per_step`` (over all T steps), ``input_spikes_per_inference``
        and ``hidden_spikes_per_inference`` (until the decision: the spikes whose
        synapses are read), ``sops_per_inference`` (input spikes x hidden neurons +
        hidden spikes x output neurons), ``window_inputs_per_inference`` and
        ``window_hidden_per_inference`` (inputs and hidden neurons that spiked within the
        kernel window, summed over the steps processed); ``input_spike_rate``
        (feature) and ``hidden_spike_rate`` (hidden; mean over chips), spikes per step
        of each input and hidden neuron.  Coordinates ``chip``, ``deadline``, ``step``
        (1 ... T), ``feature``, ``hidden``; every variable is dimensionless (units "1")
        with a ``long_name``; attributes record the seed, the model's hyper-parameters
        (with ``weight_bits`` and the bit code ``code`` of its cells), the training
        rule, both layers' fault models (``hidden_fault_*``, ``output_fault_*``) and the
        citations (``Bagheri2018``, ``Pillow2008``, ``Jang2019``, ``Williams1992``,
        ``Titsias2015``, ``Mnih2016``).

    Raises
    ------
    TypeError
        If ``model`` is not a :class:`HiddenSNN` or ``faults`` not a FaultModel (or a
        dict of them).
    ValueError
        If the data do not fit the model, ``n_chips``, ``batch`` or ``bit_error_rate``
        is outside its range, faults are asked of a float model, per-cell faults do not
        fit a layer's planes, or the hidden layer's fault draws would not fit in memory
        (:meth:`HiddenSNN.chip_weights`).

    References
    ----------
    * H. Jang, O. Simeone, B. Gardner and A. Gruning, "An introduction to
      probabilistic spiking neural networks: probabilistic models, learning rules, and
      applications", IEEE Signal Processing Magazine 36(6), 64-77 (2019); citation key
      ``Jang2019``.
    * A. Bagheri, O. Simeone and B. Rajendran, "Training probabilistic spiking neural
      networks with first-to-spike decoding", IEEE ICASSP (2018); citation key
      ``Bagheri2018``.
    * R. J. Williams, "Simple statistical gradient-following algorithms for
      connectionist reinforcement learning", Machine Learning 8, 229-256 (1992);
      citation key ``Williams1992``.
    * M. K. Titsias and M. Lazaro-Gredilla, "Local expectation gradients for black
      box variational inference", NIPS (2015); citation key ``Titsias2015``.
    * A. Mnih and D. J. Rezende, "Variational inference for Monte Carlo objectives",
      ICML (2016); citation key ``Mnih2016``.

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network import HiddenSNN, evaluate_hidden
    >>> model = HiddenSNN(np.zeros((5, 6, 1)), np.zeros(5), np.zeros((2, 5, 4)), np.zeros(2), weight_bits=2)
    >>> x, y = np.random.default_rng(0).random((10, 6)), np.arange(10) % 2
    >>> evaluate_hidden(model, x, y, n_chips=2, bit_error_rate=1e-2).accuracy.shape
    (2, 8)
    """
    if not isinstance(model, HiddenSNN):
        raise TypeError(f"model must be a HiddenSNN, not {type(model).__name__}")
    x, y = check_data(x_test, y_test, model.n_inputs, ("x_test", "y_test"))
    check_test_labels(y, model.n_classes)
    check_int("n_chips", n_chips, 1, 100_000)
    check_int("batch", batch, 1, 1_000_000)
    faults = layer_faults(faults, bit_error_rate)
    if model.weight_bits is None and not all(f.is_fault_free() for f in faults.values()):
        raise ValueError("faults act on stored bits: train the model with weight_bits (1 ... 8)")
    input_rng, hidden_rng, output_rng, fault_rng = (np.random.default_rng(s) for s in seed_sequence(seed).spawn(4))
    with blas_limit(blas_threads(threads)):
        w = model.chip_weights(n_chips, faults, fault_rng)
        # a layer's own potentials per chip only where its cells can be faulty (also for one chip)
        faulty = {name: model.weight_bits is not None and not f.is_fault_free() for name, f in faults.items()}
        layers = {
            name: ChipPotentials(w[name], nominal, bias, basis, model.n_steps) if faulty[name] else None
            for name, nominal, bias, basis in (
                ("hidden", model.stored_hidden(), model.b_hidden, model.basis_hidden),
                ("output", model.stored_out(), model.b_out, model.basis),
            )
        }
        if layers["hidden"] is not None:
            per_sample = n_chips * model.n_steps * model.n_hidden * (min(model.tau, model.n_steps) + 2) * 4
            batch = max(1, min(batch, BLOCK_BYTES // per_sample))
        activity = _HiddenActivity(model, n_chips)
        tally = DecisionTally(n_chips, model.n_steps)
        for start in range(0, len(x), batch):
            xb, yb = x[start : start + batch], y[start : start + batch]
            spikes = encode(xb, model.n_steps, p_max=model.p_max, rng=input_rng)
            if layers["hidden"] is None:
                v = model.hidden_potentials(spikes)  # (b, T, H), shared by the chips
            else:
                v = layers["hidden"](spikes.astype(np.float32))  # (chips, b, T, H)
            p = expit(v).astype(np.float32)
            g = hidden_rng.random((n_chips,) + p.shape[-3:], dtype=np.float32) < p
            if layers["output"] is None:
                u = model.output_potentials(g)  # (chips, b, T, J)
            else:
                u = layers["output"].per_chip(g.astype(np.float32))
            activity.add(spikes, g, tally.add_first_to_spike(u, yb, output_rng))
    return activity.result(len(x), tally, seed=seed, bit_error_rate=bit_error_rate, faults=faults)


#: Largest block of the faulty hidden layer's potentials and lagged products [bytes].
BLOCK_BYTES = 512 * 2**20


class _HiddenActivity:
    """The spike counts of both layers over the blocks of :func:`evaluate_hidden`, and
    its Dataset."""

    def __init__(self, model, n_chips):
        self.model = model
        self.per_input = np.zeros(model.n_inputs)
        self.per_hidden = np.zeros((n_chips, model.n_hidden))
        self.input_to_decision = np.zeros(n_chips)
        self.hidden_to_decision = np.zeros(n_chips)
        self.input_window = np.zeros(n_chips)
        self.hidden_window = np.zeros(n_chips)

    def add(self, spikes, g, first_t):
        """One block: input frames (b, T, inputs), hidden frames (chips, b, T, H) and the
        first spiking step index (chips, b; T if none)."""
        tau, T = self.model.tau, self.model.n_steps
        last = np.minimum(first_t, T - 1)  # the last frame index used
        self.per_input += spikes.sum(axis=(0, 1), dtype=np.int64)
        self.per_hidden += g.sum(axis=(1, 2), dtype=np.int64)
        self.input_to_decision += summed_until(spikes.sum(axis=2, dtype=np.int64), last)
        self.hidden_to_decision += summed_until(g.sum(axis=3, dtype=np.int64), last)
        self.input_window += summed_until(window_inputs(spikes, tau), last)
        c, b = g.shape[:2]
        self.hidden_window += summed_until(window_inputs(g.reshape(c * b, T, -1), tau).reshape(c, b, T), last)

    def result(self, n, tally, *, seed, bit_error_rate, faults):
        model, T = self.model, self.model.n_steps
        hidden_rate = self.per_hidden / (n * T)
        ds = tally.dataset(
            n,
            chip_long_name="chip instance (own cell faults, hidden and output spike draws)",
            tie_long_name="fraction of samples decided in a tie at the first spiking step",
            steps_per_inference=(
                tally.steps_processed() / n,
                ("chip",),
                "1",
                "time steps processed per inference (decision step, or T if none)",
            ),
            input_spikes_per_step=(self.per_input.sum() / (n * T), (), "1", "input spikes per time step (frame)"),
            hidden_spikes_per_step=(
                hidden_rate.sum(axis=1),
                ("chip",),
                "1",
                "hidden spikes per time step (all T steps)",
            ),
            input_spikes_per_inference=(
                self.input_to_decision / n,
                ("chip",),
                "1",
                "input spikes until the decision (frames used)",
            ),
            hidden_spikes_per_inference=(
                self.hidden_to_decision / n,
                ("chip",),
                "1",
                "hidden spikes until the decision (frames used)",
            ),
            sops_per_inference=(
                (self.input_to_decision * model.n_hidden + self.hidden_to_decision * model.n_classes) / n,
                ("chip",),
                "1",
                "synaptic operations per inference: " + SOP_DEFINITION,
            ),
            window_inputs_per_inference=(
                self.input_window / n,
                ("chip",),
                "1",
                "inputs active within the kernel window, summed over the steps processed",
            ),
            window_hidden_per_inference=(
                self.hidden_window / n,
                ("chip",),
                "1",
                "hidden neurons active within the kernel window, summed over the steps processed",
            ),
            input_spike_rate=(self.per_input / (n * T), ("feature",), "1", "spikes per time step of each input"),
            hidden_spike_rate=(
                hidden_rate.mean(axis=0),
                ("hidden",),
                "1",
                "spikes per time step of each hidden neuron (mean over chips)",
            ),
        )
        return finalize(
            ds,
            seed=seed,
            cite=("Bagheri2018", "Pillow2008", "Jang2019", "Williams1992", "Titsias2015", "Mnih2016"),
            decoding="first_to_spike",
            n_samples=n,
            n_steps=T,
            n_basis=model.n_basis,
            n_basis_hidden=model.n_basis_hidden,
            tau=model.tau,
            p_max=model.p_max,
            n_hidden=model.n_hidden,
            n_classes=model.n_classes,
            n_inputs=model.n_inputs,
            estimator=model.estimator,
            training_hidden_samples=model.n_samples,
            weight_bits="float" if model.weight_bits is None else int(model.weight_bits),
            code=model.code,
            bit_error_rate=bit_error_rate,
            sop_definition=SOP_DEFINITION,
            training_rule="E_G[log P(c first | G)] (learning signal: Jang, Simeone, Gardner, Gruening, "
            "IEEE Signal Processing Magazine 2019)",
            **faults["hidden"].to_attrs("hidden_fault_"),
            **faults["output"].to_attrs("output_fault_"),
        )
