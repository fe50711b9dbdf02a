"""The first-to-spike GLM spiking network as a user sees it: train, store in binary
cells, evaluate many faulty chips at once, save and load.

* :func:`train_snn` -- maximum-likelihood training (Bagheri, Simeone, Rajendran,
  ICASSP 2018) by Adam (Kingma and Ba, ICLR 2015) on fresh input spike samples every
  mini-batch, optionally quantisation-aware (B-bit forward pass, float shadow weights,
  straight-through estimator, Bengio et al. 2013);
* :func:`evaluate` -- accuracy per chip instance and decision deadline, no-spike and
  tie rates, decision-time distribution and the activity the architecture layer needs;
* :class:`SNN` -- the trained model (weights, bias, hyper-parameters, training history)
  with :meth:`SNN.save` / :meth:`SNN.load`.

The default recipe (T = 8, K = 4 kernels over a window of all T frames, p_max = 1,
W = 0 and gamma = -2 at the start, batch 64, Adam at lr 1e-2 for 45 epochs then 1e-3
for 15) is the one chosen on validation splits carved from the training sets of the
embedded MNIST and scikit-learn's digits (:mod:`spinaps.network.recipe`; HAR chose the
same window with lr 3e-3; docs/network.md, "Choosing the recipe").  A window of
tau = 4 frames (the earlier default) decides earlier (mean decision step 2.4 against
3.3 on MNIST) but caps the evidence of a decision at 4 frames: 0.5 (MNIST) to 3.2
(digits) points lower on the validation splits.

A synaptic operation (SOP) is one input spike delivered to one output neuron; each SOP
reads the neuron's K basis weights of B bits (K B binary cells) from the input's row.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field, replace

import numpy as np
import xarray as xr

from ..deprecation import renamed
from ..params import check_choice, check_int, check_range, check_seed, is_integer, seed_sequence
from ..provenance import annotate, finalize
from ..threads import blas_limit
from ._activity_kernel import frame_activity
from ._chips import ChipPotentials
from ._train_kernel import RULES, batch_loglik, frames
from .glm import (
    LOGLIKS,
    NO_SPIKE,
    check_p_max,
    decode_first_to_spike,
    decode_rate,
    frame_words,
    raised_cosine_basis,
)
from .modelfile import load_model, save_model
from .optim import Adam, epochs_with_progress, step_schedule
from .tools import blas_threads, check_data, check_labels, check_test_labels, warn_unused_range
from .weights import CODES, DEFAULT_CODE, FaultModel, dequantize, from_bit_planes, quantize, to_bit_planes

__all__ = ["SNN", "train_snn", "evaluate", "DECODINGS", "SOP_DEFINITION"]

#: Decoding rules of :func:`evaluate`.
DECODINGS = ("first_to_spike", "rate")
#: What one synaptic operation is, as stored in the outputs.
SOP_DEFINITION = (
    "one input spike delivered to one output neuron, counted until the decision (first output "
    "spike, or T); each SOP reads the K basis weights of B bits of that synapse"
)


@dataclass
class SNN:
    """A trained 2-layer GLM network (inputs -> one neuron per class).

    Made by :func:`train_snn`; :func:`evaluate` runs it on chip instances.  The model
    and its equations are those of :mod:`spinaps.network.glm`.

    Parameters
    ----------
    weights : ndarray (classes, inputs, K)
        Float (shadow) weights w_{j,i,k}.
    bias : ndarray (classes,)
        gamma_j, kept in float (a bias register of the neuron unit, not in the arrays).
    n_steps, tau, p_max : int [time steps], int [time steps], float [-]
        T time steps, kernel window (frames) and the peak input spike probability per
        frame.
    weight_bits : int or None [bit]
        B bits per stored weight (None: float weights, not stored in cells).
    code : str
        Bit code of the stored levels (see :mod:`spinaps.network.weights`).
    rule, seed, history
        Training rule (``"first_to_spike"`` or ``"rate"``), seed, and the mean
        training log-likelihood per epoch (natural logarithm, per sample).

    Attributes
    ----------
    n_classes : int
        J, the output neurons (classes).
    n_inputs : int
        The inputs (features).
    n_basis : int
        K, the kernels per synapse.
    basis : ndarray (K, tau) [-]
        The raised-cosine kernels a_k(d).

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network import SNN
    >>> model = SNN(np.zeros((2, 3, 4)), np.full(2, -2.0), weight_bits=2)
    >>> model.n_classes, model.n_inputs, model.n_basis, model.bit_planes().shape
    (2, 3, 4, (2, 3, 4, 2))
    """

    weights: np.ndarray
    bias: np.ndarray
    n_steps: int = 8
    tau: int = 8
    p_max: float = 1.0
    weight_bits: int | None = None
    code: str = DEFAULT_CODE
    rule: str = "first_to_spike"
    seed: int = 0
    history: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self):
        if np.ndim(self.weights) != 3 or np.shape(self.bias) != np.shape(self.weights)[:1]:
            raise ValueError(
                "weights must be (classes, inputs, K) and bias (classes,); "
                f"got weights {np.shape(self.weights)}, bias {np.shape(self.bias)}"
            )
        check_int("n_steps", self.n_steps, 1, 1000)
        check_int("tau", self.tau, 1, 1000)
        check_range("p_max", self.p_max, low=0.0, high=1.0, high_inclusive=True)
        if self.weight_bits is not None:
            check_int("weight_bits", self.weight_bits, 1, 8)
        check_choice("code", self.code, CODES)
        check_choice("rule", self.rule, LOGLIKS)
        check_seed(self.seed)

    @property
    def n_classes(self):
        """J, the output neurons (classes)."""
        return self.weights.shape[0]

    @property
    def n_inputs(self):
        """The inputs (features)."""
        return self.weights.shape[1]

    @property
    def n_basis(self):
        """K, the kernels per synapse."""
        return self.weights.shape[2]

    @property
    def basis(self):
        """The raised-cosine kernels a_k(d), (K, tau) [-] (:func:`~spinaps.network.glm.raised_cosine_basis`)."""
        return raised_cosine_basis(self.n_basis, self.tau)

    def levels(self):
        """Integer levels q (classes, inputs, K) and per-neuron scales (classes, 1, 1).

        The B-bit quantisation of :func:`~spinaps.network.weights.quantize`, one scale
        per output neuron (over its inputs and kernels).

        Returns
        -------
        q : ndarray of int64 (classes, inputs, K)
        scale : ndarray (classes, 1, 1)

        Raises
        ------
        ValueError
            If ``weight_bits`` is None (float weights have no levels).
        """
        q, scale = quantize(self.weights.reshape(self.n_classes, -1), self.weight_bits)
        return q.reshape(self.weights.shape), scale[:, :, None]

    def stored_weights(self):
        """The weights the network computes with: B-bit levels x scale, or the floats.

        Returns
        -------
        ndarray (classes, inputs, K)
        """
        if self.weight_bits is None:
            return self.weights
        return dequantize(self.weights.reshape(self.n_classes, -1), self.weight_bits).reshape(self.weights.shape)

    def bit_planes(self):
        """The stored bits (classes, inputs, K, B): one binary MTJ cell each (1 = AP).

        Returns
        -------
        ndarray of uint8 (classes, inputs, K, B)
            The levels in ``code`` (:func:`~spinaps.network.weights.to_bit_planes`).

        Raises
        ------
        ValueError
            If ``weight_bits`` is None.
        """
        return to_bit_planes(self.levels()[0], self.weight_bits, self.code)

    def chip_weights(self, n_chips, faults, rng):
        """Weights (chips, classes, inputs, K) of ``n_chips`` chips, each with its own
        seeded cell faults drawn from ``faults`` (a :class:`FaultModel`, scalar or per
        cell); (1, classes, inputs, K) if no fault can occur.

        Parameters
        ----------
        n_chips : int
            Chip instances.
        faults : FaultModel
            The cell faults (:meth:`FaultModel.apply`).
        rng : numpy.random.Generator
            The stream of the fault draws.

        Returns
        -------
        ndarray (n_chips, classes, inputs, K)
            The faulty bit planes decoded and scaled; (1, classes, inputs, K), the
            stored weights, for float weights or a fault-free model.

        Raises
        ------
        ValueError
            From :meth:`FaultModel.apply` (per-cell arrays that do not fit the planes).
        """
        if self.weight_bits is None or faults.is_fault_free():
            return self.stored_weights()[None]
        _, scale = self.levels()
        return from_bit_planes(faults.apply(self.bit_planes(), n_chips, rng), self.code) * scale

    def save(self, path):
        """Write the model to an ``.npz`` file (weights, bias, hyper-parameters, version).

        Parameters
        ----------
        path : str or path-like
            The file (:func:`numpy.savez_compressed` adds ``.npz`` if missing).
        """
        save_model(
            path,
            {"weights": self.weights, "bias": self.bias, "history": self.history},
            n_steps=int(self.n_steps),
            tau=int(self.tau),
            p_max=float(self.p_max),
            weight_bits=None if self.weight_bits is None else int(self.weight_bits),
            code=str(self.code),
            rule=str(self.rule),
            seed=seed_record(self.seed),
        )

    @classmethod
    def load(cls, path):
        """Read a model written by :meth:`save`.

        Parameters
        ----------
        path : str or path-like
            The ``.npz`` file.

        Returns
        -------
        SNN

        Raises
        ------
        FileNotFoundError
            If the file does not exist.
        ValueError
            If it is not a readable SNN model file: not an ``.npz`` archive, arrays
            missing, unexpected, of the wrong dtype or shape, or hyper-parameters
            missing or out of range (:func:`~spinaps.network.modelfile.load_model`;
            the message names the file and the problem).  Read with
            ``allow_pickle=False``.

        Examples
        --------
        >>> import os, tempfile
        >>> import numpy as np
        >>> from spinaps.network import SNN
        >>> with tempfile.TemporaryDirectory() as d:
        ...     SNN(np.ones((2, 3, 4)), np.zeros(2)).save(os.path.join(d, "m.npz"))
        ...     SNN.load(os.path.join(d, "m.npz")).weights.shape
        (2, 3, 4)
        """
        arrays, meta = load_model(path, _LAYOUT, _META_TYPES, "SNN")
        try:
            return cls(**arrays, **meta)
        except ValueError as err:
            raise ValueError(f"{path}: {err}") from None


#: The arrays of an SNN model file with their dimensions, and its hyper-parameters with
#: their JSON types.
_LAYOUT = {"weights": ("classes", "inputs", "kernels"), "bias": ("classes",), "history": ("epochs",)}
_META_TYPES = {
    "n_steps": int,
    "tau": int,
    "p_max": float,
    "weight_bits": (int, type(None)),
    "code": str,
    "rule": str,
    "seed": (int, type(None)),
}


def seed_record(seed):
    """The seed as a model file records it: an integer as given, else ``None`` (not reproducible)."""
    return int(seed) if is_integer(seed) else None


@renamed(T="n_steps")
def train_snn(
    x_train,
    y_train,
    *,
    n_steps=8,
    weight_bits=None,
    seed=0,
    n_basis=None,
    tau=None,
    p_max=None,
    rule="first_to_spike",
    epochs=60,
    lr=1e-2,
    lr_final=1e-3,
    final_epochs=None,
    batch=64,
    code=None,
    n_classes=None,
    init=None,
    progress=False,
    threads=None,
):
    """Train the first-to-spike (or rate-decoding) GLM network by maximum likelihood.

    Maximises the log-likelihood of the label
    (:func:`~spinaps.network.glm.first_to_spike_loglik` or
    :func:`~spinaps.network.glm.rate_loglik`) with its exact gradient, by Adam on fresh input spike
    samples every mini-batch.  The weights start at 0 and the bias at -2 (unless
    ``init``).  With ``weight_bits`` the forward pass uses the B-bit stored weights and
    the gradient updates float shadow weights (straight-through estimator).

    Parameters
    ----------
    x_train, y_train : array (samples, features) in [0, 1], array (samples,) of ints
        Features [-] and class labels >= 0.
    n_steps : int [time steps]
        Time steps per sample (1 ... 1000); ``T`` is its deprecated name.
    weight_bits : int or None [bit]
        Train quantisation-aware for B-bit stored weights (1 ... 8); None for float.
    seed : int
        Seeds the input spikes and the sample order.
    n_basis, tau, p_max : int [-], int [time steps], float [-]
        K basis kernels over ``tau`` frames; peak input spike probability per frame
        (defaults 4, the window of all ``n_steps`` frames (at least K), 1; chosen on
        validation splits, :mod:`spinaps.network.recipe`; with ``init`` they are the
        initial model's and may not differ).
    rule : {"first_to_spike", "rate"}
        The training likelihood (:data:`~spinaps.network.glm.LOGLIKS`).
    epochs, lr, lr_final, final_epochs, batch
        Adam at ``lr`` and, for the last ``final_epochs`` epochs (default a quarter),
        at ``lr_final``; learning rates in (0, 1], ``batch`` samples per update.
    code : str, optional
        Bit code of the stored levels (:data:`~spinaps.network.weights.CODES`; default
        ``"sign_magnitude"``, or with ``init`` that model's code).
    n_classes : int, optional
        Output neurons (default: the largest label + 1; with ``init``, that model's).
        The labels are checked against it (:func:`~spinaps.network.tools.check_labels`):
        give it to have a stray label refused rather than a class added.
    init : SNN, optional
        Start from this model's weights (fine-tuning, e.g. QAT from a float model); its
        history is continued.
    progress : bool
        Show a progress bar over epochs.
    threads : int, optional [-]
        BLAS threads of the matrix products (:func:`~spinaps.network.tools.blas_threads`;
        default one unless the package setting says otherwise).  The result does not
        depend on it.

    Returns
    -------
    SNN
        The trained model (``history``: mean training log-likelihood per epoch).

    Raises
    ------
    ValueError
        If the data are invalid (:func:`~spinaps.network.tools.check_data`), a
        hyper-parameter is outside its range (the message names it), ``n_basis``,
        ``tau``, ``p_max`` or ``n_classes`` differs from ``init``'s, or a label is
        outside the model's classes (naming ``y_train``, the label and the range).

    Warns
    -----
    ClassCoverageWarning
        If a class has no training sample, or (``n_classes`` inferred) is suspiciously
        rare (:func:`~spinaps.network.tools.check_labels`).
    UserWarning
        If the largest training feature is below 0.9, leaving part of the spike code's
        range unused (:func:`~spinaps.network.tools.warn_unused_range`).
    DeprecationWarning
        If the old keyword ``T`` is used.

    References
    ----------
    * A. Bagheri, O. Simeone and B. Rajendran, "Training probabilistic spiking neural
      networks with first-to-spike decoding", IEEE International Conference on
      Acoustics, Speech and Signal Processing (ICASSP) (2018); citation key
      ``Bagheri2018``.
    * D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization", ICLR
      (2015) (not in ``references.bib``).
    * Y. Bengio, N. Leonard and A. Courville, "Estimating or propagating gradients
      through stochastic neurons for conditional computation", arXiv 1308.3432 (2013)
      (the straight-through estimator; not in ``references.bib``).

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network import train_snn
    >>> rng = np.random.default_rng(0)
    >>> x = rng.random((40, 6))
    >>> y = (x[:, 0] > 0.5).astype(int)
    >>> model = train_snn(x, y, epochs=2, weight_bits=2)
    >>> model.weights.shape, model.history.shape
    ((2, 6, 4), (2,))
    """
    if init is not None and not isinstance(init, SNN):
        raise TypeError(f"init must be an SNN (a trained model), got {type(init).__name__}")
    if n_classes is not None:
        check_int("n_classes", n_classes, 1, 100_000)
    x, y = check_data(x_train, y_train, None if init is None else init.n_inputs, ("x_train", "y_train"))
    warn_unused_range(x)
    check_int("n_steps", n_steps, 1, 1000)
    rates = step_schedule(epochs, lr, lr_final, final_epochs)
    check_int("batch", batch, 1, 1_000_000)
    if weight_bits is not None:
        check_int("weight_bits", weight_bits, 1, 8)
    check_choice("rule", rule, LOGLIKS)
    if code is None:
        code = DEFAULT_CODE if init is None else init.code
    check_choice("code", code, CODES)
    if init is not None:
        given = {
            "n_basis": (n_basis, init.n_basis),
            "tau": (tau, init.tau),
            "p_max": (p_max, init.p_max),
            "n_classes": (n_classes, init.n_classes),
        }
        for name, (value, own) in given.items():
            if value is not None and value != own:
                raise ValueError(f"{name} = {value!r} differs from the initial model's {own!r}")
        model = replace(
            init,
            weights=init.weights.copy(),
            bias=init.bias.copy(),
            n_steps=n_steps,
            weight_bits=weight_bits,
            code=code,
            rule=rule,
            seed=seed,
        )
    else:
        n_classes = check_labels(y, n_classes, "y_train")
        n_basis = 4 if n_basis is None else n_basis
        check_int("n_basis", n_basis, 1, 32)
        tau = max(n_steps, n_basis) if tau is None else tau  # the window of all steps
        basis = raised_cosine_basis(n_basis, tau)  # validates
        p_max = 1.0 if p_max is None else p_max  # checked by encode
        model = SNN(
            np.zeros((n_classes, x.shape[1], basis.shape[0])),
            np.full(n_classes, -2.0),
            n_steps=n_steps,
            tau=basis.shape[1],
            p_max=float(p_max),
            weight_bits=weight_bits,
            code=code,
            rule=rule,
            seed=seed,
        )
    if init is not None:
        check_labels(y, model.n_classes, "y_train")
    rng = np.random.default_rng(check_seed(seed))
    with blas_limit(blas_threads(threads)):
        history = _train_epochs(model, x, y, rng, rates, batch, rule, progress)
    model.history = np.concatenate([model.history if init is not None else np.zeros(0), history])
    return model


def centring_offset(x, p_max, basis, n_steps):
    r"""The offsets c_i a_k of the centred coordinates Adam trains in (:func:`train_snn`).

    The network is the same in either coordinates: the potential
    u_j(t) = b_j + sum_ik w_jik (alpha_k * s_i)(t) is trained as

    .. math::

        u_j(t) = \tilde b_j + \sum_{ik} w_{jik} \big[(\alpha_k * s_i)(t) - c_i a_k\big],
        \qquad b_j = \tilde b_j - \sum_{ik} w_{jik}\, c_i a_k,

    with Adam on (w, b~) instead of (w, b) and the stored bias b.  c_i = p_max mean(x_i)
    is input i's mean spike probability per frame over the training set and
    a_k = sum_{d=1}^{min(tau, T)} alpha_k(d) the kernel's sum over its window, so that
    c_i a_k is the trace of input i at its mean rate once the window is full.  Inputs
    that spike at nearly every step (a bright background) then have gradients near
    zero instead of each repeating the bias's: in the plain coordinates Adam's
    per-weight step moves their common direction, which acts as a bias, once per such
    input (about 600 times the bias's own step for MNIST's digits inverted).  Centring
    the inputs of a gradient is the classical remedy (Y. LeCun et al., "Efficient
    BackProp", Neural Networks: Tricks of the Trade, 1998; N. Schraudolph, "Centering
    neural network gradient factors", ibid.; not in ``references.bib``).

    Parameters
    ----------
    x : ndarray (samples, features) [-]
        The training features.
    p_max : float [-]
        Peak input spike probability per frame.
    basis : ndarray (K, tau) [-]
        The kernels alpha_k(d), d = 1 ... tau.
    n_steps : int [time steps]
        Steps per sample T (the window is at most T long).

    Returns
    -------
    ndarray float64 (features, K) [-]
        c_i a_k.
    """
    window = min(basis.shape[1], int(n_steps))
    rate = p_max * np.asarray(x, dtype=np.float64).mean(axis=0)
    return np.outer(rate, np.asarray(basis, dtype=np.float64)[:, :window].sum(axis=1))


def _train_epochs(model, x, y, rng, rates, batch, rule, progress):
    """Adam over the epochs at ``rates`` in centred coordinates (:func:`centring_offset`),
    in place on the model; the mean log-likelihood of each epoch.

    Each mini-batch's frames are drawn from ``rng`` as :func:`~spinaps.network.glm.encode` would, one batch
    ahead in a thread (:class:`_FrameStream`); the traces and dL/dw are float32 matrix
    products, the potentials, the log-likelihood and its gradient come from the
    compiled kernel (:mod:`spinaps.network._train_kernel`).  With b = b~ - sum w c a,
    dL/dw at fixed b~ is dL/dw at fixed b minus (dL/db) c a.
    """
    n_classes, n_inputs = model.n_classes, model.n_inputs
    basis = np.ascontiguousarray(model.basis, dtype=np.float64)
    check_p_max(model.p_max)
    labels = np.asarray(y, dtype=np.int64)
    dz = np.empty((batch * model.n_steps, n_classes * model.n_basis), dtype=np.float32)
    grad_w2 = np.empty((n_inputs, n_classes * model.n_basis), dtype=np.float32)
    grad_b = np.empty(n_classes)
    offset = centring_offset(x, model.p_max, basis, model.n_steps)  # (inputs, K)
    centred_bias = model.bias + np.einsum("jik,ik->j", model.weights, offset)
    adam = Adam([model.weights, centred_bias], rates[0], compiled=True)  # bit for bit the numpy Adam
    history = []
    with _FrameStream(x, rng, len(rates), batch, model.n_steps, model.p_max) as stream:
        for rate in epochs_with_progress(rates, progress):
            adam.lr = rate
            total = 0.0
            for _ in range(0, len(x), batch):
                idx, spikes = stream.next()
                rows = len(spikes)
                w2 = np.moveaxis(model.stored_weights(), 1, 0).reshape(n_inputs, -1).astype(np.float32)
                total += batch_loglik(spikes @ w2, model.bias, basis, labels[idx], RULES[rule], dz[:rows], grad_b)
                np.matmul(spikes.T, dz[:rows], out=grad_w2)
                stream.release(spikes)
                scale = -1.0 / len(idx)
                grad_w = np.moveaxis(grad_w2.reshape(n_inputs, n_classes, -1), 0, 1) * scale
                grad_w -= (grad_b * scale)[:, None, None] * offset
                adam.update([grad_w, grad_b * scale])
                model.bias[:] = centred_bias - np.einsum("jik,ik->j", model.weights, offset)
            history.append(total / len(x))
    return history


def _draw_frames(x, rows, p_max, rng, out):
    """The float32 frames of :func:`~spinaps.network.glm.encode` for the samples
    ``x[rows]``, bit for bit, into ``out`` (len(rows) T, inputs): the frames' 16-bit
    words from ``rng`` and the compiled frame kernel (threshold 2^16 p_max x)."""
    frames(frame_words(out.size, rng), x, p_max * 65536.0, rows, out)


class _FrameStream:
    """The mini-batches of ``n_epochs`` epochs (a permutation of the samples per epoch,
    then ``batch`` samples at a time) with their spike frames, drawn one batch ahead in
    a daemon thread.

    The thread draws from ``rng`` in the order a plain loop would (the permutation,
    then every batch's words, epoch after epoch), so the frames do not depend on the
    thread; the frame words and the frame kernel release the GIL, so on a free core the
    next batch's frames cost the training step nothing.  Two frame buffers alternate:
    the consumer hands one back (:meth:`release`) when its products are done.  Use as a
    context manager: leaving it (also by an exception) stops the thread.
    """

    _POLL = 0.1  # [s] how often a waiting thread checks that the stream is still wanted

    def __init__(self, x, rng, n_epochs, batch, n_steps, p_max):
        self._free, self._ready = queue.Queue(), queue.Queue()
        for _ in range(2):
            self._free.put(np.empty((batch * n_steps, x.shape[1]), dtype=np.float32))
        self._stop = threading.Event()
        args = (x, rng, n_epochs, batch, n_steps, p_max)
        self._thread = threading.Thread(target=self._produce, args=args, name="spinaps-frames", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _produce(self, x, rng, n_epochs, batch, n_steps, p_max):
        try:
            for _ in range(n_epochs):
                order = rng.permutation(len(x))
                for start in range(0, len(x), batch):
                    idx = order[start : start + batch]
                    buffer = self._take(self._free)
                    if buffer is None:
                        return
                    spikes = buffer[: len(idx) * n_steps]
                    _draw_frames(x, idx, p_max, rng, spikes)
                    self._ready.put((idx, spikes))
        except BaseException as err:  # noqa: BLE001 -- handed to the consumer
            self._ready.put(err)

    def _take(self, q):
        while not self._stop.is_set():
            try:
                return q.get(timeout=self._POLL)
            except queue.Empty:
                if not self._thread.is_alive() and q is self._ready:
                    raise RuntimeError("the frame thread stopped early") from None
        return None

    def next(self):
        """(sample indices, float32 frames (len(idx) T, inputs)) of the next mini-batch."""
        item = self._take(self._ready)
        if isinstance(item, BaseException):
            raise item
        return item

    def release(self, spikes):
        """Hand the frames of a finished mini-batch (a view of one buffer) back to the thread."""
        self._free.put(spikes.base)


def evaluate(
    model,
    x_test,
    y_test,
    *,
    seed=0,
    bit_error_rate=0.0,
    faults=None,
    n_chips=1,
    decoding="first_to_spike",
    batch=250,
    threads=None,
):
    """Accuracy of ``n_chips`` chip instances at every decision deadline, and activity.

    All chips see the same input spike samples; each chip has its own seeded cell faults
    (from ``faults``, a :class:`FaultModel`, and/or a plain ``bit_error_rate`` per cell)
    and its own output spike samples.

    Parameters
    ----------
    model : SNN
        The trained network.
    x_test, y_test : arrays
        Features (samples, features) in [0, 1] and labels (samples,).
    seed : int
        Seeds the faults, the input spikes and the output spikes (three independent
        streams of ``SeedSequence(seed)``).
    bit_error_rate : float [-]
        In [0, 1]: every stored bit flips with this probability (a shortcut for
        ``faults``; combined with its ``flip``).
    faults : FaultModel, optional
        Cell-level fault probabilities (e.g. :meth:`FaultModel.from_bitcell`).
    n_chips : int
        Chip instances, 1 ... 100,000.
    decoding : {"first_to_spike", "rate"}
        First output spike decides (ties at random; "no spike" is its own outcome), or
        the most spikes by the deadline.
    batch : int
        Samples per vectorised block (memory ~ chips x batch x T x J x K x 4 bytes).  The
        random draws follow the blocks, so results are reproducible for the same
        ``seed`` and ``batch`` (another batch gives another draw of the same statistics).
    threads : int, optional [-]
        BLAS threads of the matrix products (:func:`~spinaps.network.tools.blas_threads`);
        the result does not depend on it.

    Returns
    -------
    xarray.Dataset
        ``accuracy`` (chip, deadline); ``no_spike``, ``tie_rate``,
        ``mean_decision_step``, ``steps_per_inference`` (chip); ``decision_fraction``
        (chip, step); activity: ``input_spikes_per_step``, and per chip
        ``input_spikes_per_inference``, ``sops_per_inference``,
        ``window_inputs_per_inference`` (inputs that spiked within the kernel window,
        summed over the steps processed); ``input_spike_rate`` (feature), the mean spikes
        per step of each input.  Coordinates ``chip``, ``deadline`` and ``step``
        (1 ... T).  Every variable is dimensionless (units "1": fractions, steps or
        counts) with a ``long_name``; attributes record the seed, the decoding, the
        model's hyper-parameters, :data:`SOP_DEFINITION`, the fault model
        (:meth:`FaultModel.to_attrs`) and the citation (``Bagheri2018``).

    Raises
    ------
    ValueError
        If the data do not fit the model, ``n_chips``, ``batch``, ``decoding`` or
        ``bit_error_rate`` is outside its range, faults are asked of a float model
        (no ``weight_bits``), or per-cell faults do not fit the model's bit planes.

    References
    ----------
    * A. Bagheri, O. Simeone and B. Rajendran, "Training probabilistic spiking neural
      networks with first-to-spike decoding", IEEE International Conference on
      Acoustics, Speech and Signal Processing (ICASSP) (2018); citation key
      ``Bagheri2018``.

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network import SNN, evaluate
    >>> model = SNN(np.zeros((2, 6, 4)), np.zeros(2), weight_bits=2)
    >>> x, y = np.random.default_rng(0).random((10, 6)), np.arange(10) % 2
    >>> evaluate(model, x, y, n_chips=3, bit_error_rate=1e-3).accuracy.dims
    ('chip', 'deadline')
    """
    if not isinstance(model, SNN):
        raise TypeError(f"model must be an SNN (train_snn, SNN.load), got {type(model).__name__}")
    x, y = check_data(x_test, y_test, model.n_inputs, ("x_test", "y_test"))
    check_test_labels(y, model.n_classes)
    check_int("n_chips", n_chips, 1, 100_000)
    check_int("batch", batch, 1, 1_000_000)
    check_choice("decoding", decoding, DECODINGS)
    if faults is not None and not isinstance(faults, FaultModel):
        raise TypeError(f"faults must be a FaultModel, got {type(faults).__name__}")
    faults = (FaultModel() if faults is None else faults).with_bit_error_rate(bit_error_rate)
    if model.weight_bits is None and not faults.is_fault_free():
        raise ValueError("faults act on stored bits: train the model with weight_bits (1 ... 8)")
    fault_rng, input_rng, output_rng = (np.random.default_rng(s) for s in seed_sequence(seed).spawn(3))
    with blas_limit(blas_threads(threads)):
        return _evaluate_chips(
            model, x, y, faults, n_chips, decoding, batch, fault_rng, input_rng, output_rng, seed, bit_error_rate
        )


def _evaluate_chips(
    model, x, y, faults, n_chips, decoding, batch, fault_rng, input_rng, output_rng, seed, bit_error_rate
):
    """The block loop of :func:`evaluate` (arguments checked)."""
    T, basis = model.n_steps, model.basis
    chip_potentials = ChipPotentials(
        model.chip_weights(n_chips, faults, fault_rng), model.stored_weights(), model.bias, basis, T
    )
    tally = DecisionTally(n_chips, T)
    to_decision, window_total = np.zeros(n_chips), np.zeros(n_chips)
    per_input = np.zeros(model.n_inputs, dtype=np.int64)
    check_p_max(model.p_max)
    for start in range(0, len(x), batch):
        xb, yb = x[start : start + batch], y[start : start + batch]
        b, n_in = xb.shape
        flat = np.empty((b * T, n_in), dtype=np.float32)  # the frames of encode, bit for bit
        _draw_frames(xb, np.arange(b), model.p_max, input_rng, flat)
        per_frame, window = np.empty((b, T), dtype=np.int64), np.empty((b, T), dtype=np.int64)
        frame_activity(flat, T, model.tau, per_input, per_frame, window)
        u = chip_potentials(flat.reshape(b, T, n_in))  # (chips, b, T, J)
        u = np.broadcast_to(u, (n_chips,) + u.shape[1:])  # fault-free chips share u
        if decoding == "first_to_spike":
            first_t = tally.add_first_to_spike(u, yb, output_rng)
        else:
            decisions, tie = decode_rate(u, output_rng)  # (chips, b, deadline)
            first_t = np.where(decisions[..., -1] == NO_SPIKE, T, T - 1)
            tally.add(decisions == yb[:, None], first_t, tie[..., -1])
        last = np.minimum(first_t, T - 1)  # last frame index used
        to_decision += summed_until(per_frame, last)
        window_total += summed_until(window, last)
    return _result(
        model,
        len(x),
        tally,
        per_input,
        to_decision,
        window_total,
        seed=seed,
        decoding=decoding,
        bit_error_rate=bit_error_rate,
        faults=faults,
    )


def summed_until(per_frame, last):
    """sum over samples of per_frame[(c,) b, 0 ... last[c, b]], per chip: per_frame (b, T)
    shared by the chips or (chips, b, T), last (chips, b) -> (chips,)."""
    cum = np.broadcast_to(np.cumsum(per_frame, axis=-1), last.shape + per_frame.shape[-1:])
    return np.take_along_axis(cum, last[..., None], axis=-1)[..., 0].sum(axis=1)


class DecisionTally:
    """Decisions of many chips, accumulated over blocks of samples, and the Dataset of
    their statistics (shared by the first-to-spike networks' evaluations).

    Parameters
    ----------
    n_chips : int
        Chip instances.
    n_steps : int
        T, the time steps (deadlines 1 ... T).
    """

    def __init__(self, n_chips, n_steps):
        self.n_steps = n_steps
        self.correct = np.zeros((n_chips, n_steps))  # correct by each deadline
        self.steps = np.zeros((n_chips, n_steps + 1))  # decided at step t; [T]: no spike
        self.ties = np.zeros(n_chips)

    def add(self, correct_by_deadline, first_t, tie):
        """One block: correct (chips, b, deadline), first spiking step index (chips, b; T
        if none) and tie flags (chips, b)."""
        self.correct += correct_by_deadline.sum(axis=1)
        self.ties += tie.sum(axis=1)
        self.steps += np.stack([(first_t == t).sum(axis=1) for t in range(self.n_steps + 1)], axis=-1)

    def steps_processed(self):
        """Time steps processed per chip, summed over the samples (the decision step, or
        T if no output neuron spiked), (chips,)."""
        T = self.n_steps
        return (self.steps[:, :T] * np.arange(1, T + 1)).sum(axis=1) + T * self.steps[:, T]

    def add_first_to_spike(self, u, labels, rng):
        """Decode potentials (chips, b, T, J) first-to-spike and add them; returns the
        first spiking step index (chips, b)."""
        decision, first_t, tie = decode_first_to_spike(u, rng)
        deadlines = np.arange(1, self.n_steps + 1)
        self.add((decision == labels)[..., None] & (first_t[..., None] < deadlines), first_t, tie)
        return first_t

    def dataset(self, n, *, tie_long_name, chip_long_name, **more):
        """accuracy (chip, deadline), no_spike, tie_rate, mean_decision_step (chip),
        decision_fraction (chip, step), and the further variables ``more``: name ->
        (value, dims, units, long name)."""
        T = self.n_steps
        coords = {
            "chip": np.arange(self.correct.shape[0]),
            "deadline": np.arange(1, T + 1),
            "step": np.arange(1, T + 1),
        }
        decided = self.steps[:, :T]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_step = (decided * np.arange(1, T + 1)).sum(axis=1) / decided.sum(axis=1)
        variables = {
            "accuracy": (
                self.correct / n,
                ("chip", "deadline"),
                "1",
                "test accuracy when the decision must be taken by the deadline (time step)",
            ),
            "no_spike": (self.steps[:, T] / n, ("chip",), "1", "fraction of samples with no output spike by T"),
            "tie_rate": (self.ties / n, ("chip",), "1", tie_long_name),
            "decision_fraction": (decided / n, ("chip", "step"), "1", "fraction of samples decided at each time step"),
            "mean_decision_step": (mean_step, ("chip",), "1", "mean decision step of the decided samples"),
        } | more
        ds = xr.Dataset(
            {
                name: annotate(
                    xr.DataArray(
                        np.asarray(value, dtype=float), dims=dims, coords={d: coords[d] for d in dims if d in coords}
                    ),
                    units,
                    long_name,
                )
                for name, (value, dims, units, long_name) in variables.items()
            }
        )
        for c, long_name in (
            ("chip", chip_long_name),
            ("deadline", "decision deadline (time step)"),
            ("step", "time step"),
        ):
            annotate(ds[c], "1", long_name)
        return ds


def window_inputs(spikes, tau):
    """Inputs that spiked within the kernel window of each output step, (b, T):
    output step t (1-based) sees frames max(0, t - tau) ... t - 1."""
    window = spikes.astype(bool, copy=True)  # (b, T, inputs): frame t0 OR the tau - 1 before it
    for d in range(1, min(tau, spikes.shape[1])):
        window[:, d:] |= spikes[:, :-d]
    return np.count_nonzero(window, axis=2)


def _result(model, n, tally, per_input, to_decision, window_total, *, seed, decoding, bit_error_rate, faults):
    T = model.n_steps
    steps_processed = tally.steps_processed()
    bits = model.weight_bits
    ds = tally.dataset(
        n,
        chip_long_name="chip instance",
        tie_long_name="fraction of samples decided in a tie (first-to-spike: at the first spiking step; rate: the "
        "largest counts at T)",
        steps_per_inference=(
            steps_processed / n,
            ("chip",),
            "1",
            "time steps processed per inference (decision step, or T if none)",
        ),
        input_spikes_per_step=(per_input.sum() / (n * T), (), "1", "input spikes per time step (frame)"),
        input_spike_rate=(per_input / (n * T), ("feature",), "1", "spikes per time step of each input"),
        input_spikes_per_inference=(to_decision / n, ("chip",), "1", "input spikes until the decision (frames used)"),
        sops_per_inference=(
            to_decision / n * model.n_classes,
            ("chip",),
            "1",
            "synaptic operations per inference: " + SOP_DEFINITION,
        ),
        window_inputs_per_inference=(
            window_total / n,
            ("chip",),
            "1",
            "inputs active within the kernel window, summed over the steps processed",
        ),
    )
    return finalize(
        ds,
        seed=seed,
        cite=("Bagheri2018",),
        decoding=decoding,
        n_samples=n,
        n_steps=T,
        n_basis=model.n_basis,
        tau=model.tau,
        p_max=model.p_max,
        weight_bits="float" if bits is None else bits,
        code=model.code,
        n_classes=model.n_classes,
        n_inputs=model.n_inputs,
        bit_error_rate=bit_error_rate,
        sop_definition=SOP_DEFINITION,
        **faults.to_attrs(),
    )
