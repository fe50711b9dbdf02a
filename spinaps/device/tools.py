"""Helpers shared by the device modules (internal API).

In the style of pvlib's ``tools`` module, the small pieces several device modules need
live here under public names, so that no module imports another module's private
names.  They are *internal API*: not part of :data:`spinaps.device.__all__`, not listed
in this module's ``__all__`` either, and they may change without a deprecation
period.  Users call the public functions of :mod:`spinaps.device`.

* Constants: :data:`STT_FORMS`, :data:`DIRECTIONS` (the spin-torque efficiency forms
  and write directions of :func:`spinaps.device.simulate` and the Fokker-Planck
  solver).
* Validation: :func:`check_params`, :func:`check_current`.
* One conversion to the operating temperature: :func:`operating_point` returns an
  :class:`OperatingPoint`, the parameters converted once with
  :meth:`~spinaps.device.MTJParams.at_temperature` together with the derived
  quantities (Delta, tau_D, I_c0, H_K,eff, P, tau_0) every model needs.  A public
  function converts once and hands the operating point down; nothing below it calls
  ``at_temperature`` again.
* Labelling: :func:`write_grid` (device x write current x pulse width outer
  products), :func:`squeeze_grid`, :func:`grid_dataarray`, :func:`device_time_array`,
  :func:`outer_axes` (device x 1-D arguments) and :func:`device_coord`.
* Root finding: :func:`increasing_root`, a vectorised bracketing root of an increasing
  function (:func:`scipy.optimize.elementwise.find_root`, scipy >= 1.15).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import xarray as xr
from scipy.optimize import elementwise

from ..params import as_float_array, check_range
from ..provenance import annotate
from .mtj import DIRECTIONS, STATES, STT_FORMS, MTJParams

__all__: list[str] = []  # internal API only (see the module notes)

# STT_FORMS (angular form of the spin-torque efficiency), DIRECTIONS (the write of the
# +z -> -z reversal; also the direction of the reference layer in that frame) and
# STATES (stored states) are defined with MTJParams, which needs them, and re-exported
# here for the device modules.
_REEXPORTED = (DIRECTIONS, STATES, STT_FORMS)

#: Order of the axes of a write grid.
GRID_DIMS = ("device", "i_write", "t_pulse")


# --------------------------------------------------------------------------- validation
def check_params(params) -> None:
    """Raise ``TypeError`` unless ``params`` is an :class:`~spinaps.device.MTJParams`."""
    if not isinstance(params, MTJParams):
        raise TypeError(f"params must be an MTJParams, got {type(params).__name__}")


def check_current(name: str, current) -> np.ndarray:
    """``current`` [A] as a float array, checked to lie in [-1, 1] A.

    Parameters
    ----------
    name : str
        Argument name quoted in the error message (``"current"``, ``"i_write"``).
    current : float or array [A]

    Returns
    -------
    numpy.ndarray [A]
    """
    current = np.asarray(as_float_array(current, name), dtype=float)
    check_range(name, current, low=-1.0, high=1.0, low_inclusive=True, high_inclusive=True, units="A")
    return current


# --------------------------------------------------------------------------- operating point
@dataclass(frozen=True)
class OperatingPoint:
    """A parameter set at its operating temperature and the derived quantities.

    Built by :func:`operating_point`, which calls
    :meth:`~spinaps.device.MTJParams.at_temperature` exactly once.  The arrays are
    scalars (0-d) for a single device and (n_devices,) for an ensemble, unless
    :meth:`shaped` reshaped them for broadcasting.

    Attributes
    ----------
    params : MTJParams
        The parameters at ``temperature``.
    temperature : float [K]
    delta : numpy.ndarray [1]
        Thermal stability factor Delta(T) = K_eff(T) V / (k_B T).
    tau_d : numpy.ndarray [s]
        Damping time tau_D(T) = (1 + alpha^2) / (alpha gamma0 H_K,eff(T)).
    ic0 : numpy.ndarray [A]
        Zero-temperature critical current I_c0(T), the current scale of the reduced
        current i = I / I_c0 of every model; it includes the field-like torque's
        factor 1 / (1 + alpha r) (:attr:`~spinaps.device.MTJParams.ic0`).
    hk_eff : numpy.ndarray [A/m]
        Effective anisotropy field H_K,eff(T).
    polarization : numpy.ndarray [1]
        Spin polarisation P of the torque.
    attempt_time : numpy.ndarray or None [s]
        Calibrated Neel-Brown attempt time tau_0 (``None``: Brown's prefactor).
    h_offset : numpy.ndarray [1]
        Reduced offset field H_offset / H_K,eff(T) of the reference layer, along the
        reference-layer magnetisation (:meth:`write_field` turns it into the field of a
        write).
    """

    params: MTJParams
    temperature: float
    delta: np.ndarray
    tau_d: np.ndarray
    ic0: np.ndarray
    hk_eff: np.ndarray
    polarization: np.ndarray
    attempt_time: np.ndarray | None
    h_offset: np.ndarray = field(default_factory=lambda: np.asarray(0.0))

    _ARRAYS = ("delta", "tau_d", "ic0", "hk_eff", "polarization", "attempt_time", "h_offset")

    def write_field(self, direction="ap_to_p", h_applied=0.0) -> np.ndarray:
        """Reduced field h = (H_applied + s H_offset) / H_K,eff along +z of a write [1].

        The one place where the reference layer's offset field joins the applied field:
        s = :data:`DIRECTIONS` ``[direction]`` is the direction of the reference layer
        in the frame of the +z -> -z reversal (-1 for AP->P, +1 for P->AP).

        Parameters
        ----------
        direction : {"ap_to_p", "p_to_ap"}
        h_applied : float [A/m]
            Applied field along +z of the reversal (the initial state's direction).

        Returns
        -------
        numpy.ndarray [1]
            Shaped as :attr:`hk_eff`.
        """
        return (float(h_applied) / self.hk_eff + DIRECTIONS[direction] * self.h_offset).astype(float)

    def ic0_direction(self, direction="ap_to_p", stt_form="constant", h_applied=0.0) -> np.ndarray:
        """Instability threshold of one write at this operating point [A]:
        I_c0 (1 + h)(1 + c), h = :meth:`write_field`, c the Slonczewski coefficient
        (:meth:`~spinaps.device.MTJParams.ic0_direction` at the operating temperature);
        for guards such as the read current's against its own direction's threshold."""
        c = STT_FORMS[stt_form] * DIRECTIONS[direction] * self.polarization**2
        return self.ic0 * (1.0 + self.write_field(direction, h_applied)) * (1.0 + c)

    def stored_field(self, state) -> np.ndarray:
        """Reduced offset field along the stored state ``state`` ("p" or "ap") [1]:
        +h for P, -h for AP, the h of that state's barrier Delta (1 + h)^2."""
        return np.asarray(STATES[state] * self.h_offset, dtype=float)

    @property
    def n_devices(self) -> int:
        """Number of devices of the ensemble (1 for scalar fields)."""
        return self.params.n_devices

    def per_device(self, name: str) -> np.ndarray:
        """The derived quantity ``name`` as a float64 array of shape (n_devices,) (a copy)."""
        a = np.asarray(getattr(self, name), dtype=float)
        return np.broadcast_to(a.reshape(-1) if a.ndim else a, (self.n_devices,)).copy()

    def shaped(self, shape) -> OperatingPoint:
        """The operating point with its non-scalar arrays reshaped to ``shape`` (e.g. (-1, 1, 1))."""

        def r(a):
            return a if a is None or a.ndim == 0 else a.reshape(shape)

        return replace(self, **{name: r(getattr(self, name)) for name in self._ARRAYS})


def operating_point(params: MTJParams, temperature) -> OperatingPoint:
    """Convert ``params`` to ``temperature`` [K] once and derive what the models need.

    Parameters
    ----------
    params : MTJParams
        A device or an ensemble.
    temperature : float [K]
        Operating temperature, in (0, 2000] K (Delta diverges at 0 K).

    Returns
    -------
    OperatingPoint
    """
    check_params(params)
    p = params.at_temperature(temperature)
    at = None if p.attempt_time is None else np.asarray(p.attempt_time, dtype=float)
    return OperatingPoint(
        params=p,
        temperature=float(temperature),
        delta=np.asarray(p.delta(temperature), dtype=float),
        tau_d=np.asarray(p.tau_d, dtype=float),
        ic0=np.asarray(p.ic0, dtype=float),
        hk_eff=np.asarray(p.hk_eff, dtype=float),
        polarization=np.asarray(p.polarization, dtype=float),
        attempt_time=at,
        h_offset=np.asarray(p.h_offset_reduced, dtype=float),
    )


# --------------------------------------------------------------------------- labelling
def device_coord(n_devices: int) -> xr.Variable:
    """The ``device`` index coordinate (units ``"1"``) of an ensemble of ``n_devices``."""
    return annotate(xr.Variable("device", np.arange(n_devices)), "1", "device index")


def write_grid(n_devices: int, i_write, t_pulse):
    """Outer-product broadcasting with named dims (device, i_write, t_pulse).

    Parameters
    ----------
    n_devices : int
        Ensemble size (the ``device`` dim is present if > 1).
    i_write : float or 1-D array [A]
        Write current (dim ``i_write`` if 1-D); must be finite.
    t_pulse : float or 1-D array [s]
        Pulse width (dim ``t_pulse`` if 1-D), >= 0.

    Returns
    -------
    dims : list of str
        The dims present, in the order of :data:`GRID_DIMS`.
    coords : dict
        Their coordinates, with units.
    full : tuple of int
        The full (n_devices, n_i_write, n_t_pulse) shape.
    grids : dict
        ``device``, ``i_write``, ``t_pulse`` arrays shaped (-1, 1, 1), (1, -1, 1),
        (1, 1, -1).
    """
    dims, coords = [], {}
    cur = np.asarray(as_float_array(i_write, "i_write"))
    tp = np.asarray(as_float_array(t_pulse, "t_pulse"))
    for name, arr in (("i_write", cur), ("t_pulse", tp)):
        if arr.ndim > 1:
            raise ValueError(f"{name} must be a scalar or 1-D, got shape {arr.shape}")
    check_range("t_pulse", tp, low=0.0, low_inclusive=True, units="s")
    if not np.all(np.isfinite(cur)):
        raise ValueError(f"i_write must be finite [A], got {cur!r}")
    if n_devices > 1:
        dims.append("device")
        coords["device"] = device_coord(n_devices)
    if cur.ndim == 1:
        dims.append("i_write")
        coords["i_write"] = annotate(xr.Variable("i_write", cur), "A", "write current")
    if tp.ndim == 1:
        dims.append("t_pulse")
        coords["t_pulse"] = annotate(xr.Variable("t_pulse", tp), "s", "pulse width")
    full = (n_devices, cur.size, tp.size)
    grids = {
        "device": np.arange(n_devices).reshape(-1, 1, 1),
        "i_write": cur.reshape(1, -1, 1),
        "t_pulse": tp.reshape(1, 1, -1),
    }
    return dims, coords, full, grids


def squeeze_grid(values, dims, full):
    """``values`` broadcast to the grid shape ``full`` with the axes not in ``dims`` dropped."""
    axes = tuple(ax for ax, name in enumerate(GRID_DIMS) if name not in dims)
    return np.squeeze(np.broadcast_to(values, full), axis=axes)


def grid_dataarray(values, dims, coords, full, name, units, long_name) -> xr.DataArray:
    """A labelled DataArray of grid ``values`` (see :func:`write_grid`) with units."""
    da = xr.DataArray(squeeze_grid(values, dims, full), dims=dims, coords=coords, name=name)
    return annotate(da, units, long_name)


def device_time_array(p, n_devices, t, tname, tlong, long_name) -> xr.DataArray:
    """Label a (device, time) probability array [1], dropping the axes that are scalars.

    Parameters
    ----------
    p : numpy.ndarray, shape (n_devices, n_t)
    n_devices : int
    t : numpy.ndarray [s]
        Scalar or 1-D times (dim ``tname`` if 1-D).
    tname, tlong : str
        Name and long name of the time dim.
    long_name : str
        Long name of the probability.
    """
    dims, coords = [], {}
    if n_devices > 1:
        dims.append("device")
        coords["device"] = device_coord(n_devices)
    else:
        p = p[0]
    if t.ndim == 1:
        dims.append(tname)
        coords[tname] = annotate(xr.Variable(tname, t), "s", tlong)
    else:
        p = p[..., 0]
    return annotate(xr.DataArray(p, dims=dims, coords=coords), "1", long_name)


@dataclass(frozen=True)
class Axes:
    """Named output axes of a device ensemble and scalar or 1-D arguments.

    Attributes
    ----------
    dims : tuple of str
    coords : dict
    shape : tuple of int
        The full output shape.
    device_shape : tuple of int or None
        Shape to give per-device arrays so that they broadcast (``None`` without a
        ``device`` dim).
    values : tuple of numpy.ndarray
        The arguments, reshaped to broadcast onto ``shape``.
    """

    dims: tuple
    coords: dict
    shape: tuple
    device_shape: tuple | None
    values: tuple

    def dataarray(self, values, name, units, long_name) -> xr.DataArray:
        """``values`` broadcast to the axes, as a DataArray with units."""
        da = xr.DataArray(
            np.broadcast_to(np.asarray(values, dtype=float), self.shape).copy(),
            dims=self.dims,
            coords=self.coords,
            name=name,
        )
        return annotate(da, units, long_name)


def outer_axes(n_devices: int, *arguments) -> Axes:
    """Outer-product axes of a device ensemble and 1-D arguments.

    The output has a ``device`` dim for an ensemble (n_devices > 1), then one dim per
    1-D argument, in order.  An argument marked per-device whose length is
    ``n_devices`` gives one value per device instead (no dim of its own), the
    convention of :func:`spinaps.device.simulate`.

    Parameters
    ----------
    n_devices : int
    *arguments : tuple (name, values, units, long_name, per_device)
        ``values`` a scalar or 1-D array; ``per_device`` bool.

    Returns
    -------
    Axes
    """
    parsed = []
    for name, values, units, long_name, per_device in arguments:
        a = np.asarray(as_float_array(values, name), dtype=float)
        if a.ndim > 1:
            raise ValueError(f"{name} must be a scalar or 1-D [{units}], got shape {a.shape}")
        own = a.ndim == 1 and not (per_device and n_devices > 1 and a.size == n_devices)
        parsed.append((name, a, units, long_name, own))
    has_device = n_devices > 1
    ndim = int(has_device) + sum(own for *_, own in parsed)
    dims, coords, shape, reshaped = [], {}, [], []
    if has_device:
        dims.append("device")
        coords["device"] = device_coord(n_devices)
        shape.append(n_devices)
    for name, a, units, long_name, own in parsed:
        if a.ndim == 0:
            reshaped.append(a)
            continue
        target = [1] * ndim
        if own:
            target[len(dims)] = a.size
            dims.append(name)
            coords[name] = annotate(xr.Variable(name, a), units, long_name)
            shape.append(a.size)
        else:
            target[0] = a.size
        reshaped.append(a.reshape(target))
    device_shape = tuple([-1] + [1] * (ndim - 1)) if has_device else None
    return Axes(tuple(dims), coords, tuple(shape), device_shape, tuple(reshaped))


# --------------------------------------------------------------------------- root finding
def increasing_root(f, lo, hi, *, args=(), xatol=1e-13):
    """Root of an increasing function on [lo, hi], elementwise and vectorised.

    Chandrupatla's bracketing method (:func:`scipy.optimize.elementwise.find_root`).
    Where the bracket holds no sign change the nearer end is returned (``lo`` where
    f(lo) >= 0, ``hi`` where f(hi) <= 0), as a bisection would.

    Parameters
    ----------
    f : callable
        ``f(x, *args) -> array``, elementwise and increasing in x.
    lo, hi : float or array
        The bracket (broadcast with ``args``).
    args : tuple of arrays
        Further arguments of ``f``, broadcast with ``x`` (``f`` is called with subsets
        of them, so it must not close over arrays of the full shape).
    xatol : float
        Absolute tolerance on the root (in the units of x).

    Returns
    -------
    numpy.ndarray
        The roots, shaped as the broadcast of ``lo``, ``hi`` and ``args``.
    """
    arrays = np.broadcast_arrays(np.asarray(lo, float), np.asarray(hi, float), *(np.asarray(a, float) for a in args))
    lo, hi, args = arrays[0], arrays[1], tuple(arrays[2:])
    with np.errstate(all="ignore"):
        f_lo, f_hi = f(lo, *args), f(hi, *args)
        inside = (f_lo < 0) & (f_hi > 0)
        root = np.where(f_lo >= 0, lo, hi).astype(float)
        if np.any(inside):
            sub = tuple(a[inside] for a in args)
            res = elementwise.find_root(
                f, (lo[inside], hi[inside]), args=sub, tolerances={"xatol": xatol, "xrtol": 0.0}
            )
            root[inside] = res.x
    return root
