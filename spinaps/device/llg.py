"""Stochastic LLGS ensembles of perpendicular MTJs: :func:`simulate`.

Internal API
------------
:func:`simulate_at_temperature` runs the same integration for parameters already
converted to the operating temperature (:func:`spinaps.device.tools.operating_point`):
the switching models call it so that one public call converts the parameters once.
It is not part of :data:`spinaps.device.__all__`.
"""

from __future__ import annotations

import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import xarray as xr

from ..constants import GAMMA0, K_B, MU0
from ..deprecation import renamed
from ..params import as_float_array, check_choice, check_int, check_range, check_temperature, seed_sequence
from ..provenance import annotate, finalize
from ..threads import resolve
from . import _kernel
from .drive import current_on_grid
from .equilibrium import sample_initial_state
from .mtj import MTJParams
from .tools import DIRECTIONS, STT_FORMS, check_params

__all__ = ["simulate", "CHUNK"]

#: Devices per chunk (the unit of work of a thread).  Each device has its own random
#: stream, so results depend neither on the chunks nor on the number of threads.
CHUNK = 2048
#: Steps per kernel call (the granularity of the progress bar).
_STEP_BLOCK = 1024
#: Most devices one call simulates (the largest ``study.llg_devices`` of a design).
MAX_DEVICES = 10**8
#: Most recorded magnetisation components (3 x devices x records, 8 bytes each) one call keeps.
MAX_RECORDED = 10**9


@renamed(duration="t_end")
def simulate(
    params: MTJParams,
    current,
    t_end,
    *,
    dt=1e-12,
    n_devices=None,
    temperature=300.0,
    seed=None,
    m0=None,
    record_every=None,
    h_applied=(0.0, 0.0, 0.0),
    stt_form="constant",
    direction="ap_to_p",
    switch_level=0.0,
    threads=None,
    progress=False,
) -> xr.Dataset:
    r"""Integrate the stochastic LLGS equation for an ensemble of MTJ free layers.

    A macrospin per device, with thermal field, Slonczewski spin-transfer torque and an
    optional field-like torque; each device has its own random stream, so the result
    for a given seed does not depend on the number of threads.

    Parameters
    ----------
    params : MTJParams
        Device parameters; array fields give one device each (an ensemble).
    current : float, array, Pulse or callable [A]
        Drive current (see :func:`spinaps.device.drive.current_on_grid`): a constant,
        one value per device, a waveform on the time grid, a :class:`Pulse`, or a
        callable of time.  Positive current destabilises the +z state.
    t_end : float [s]
        Simulated time (> 0); rounded to a whole number of steps (at most 2e8).
        (``duration`` is a deprecated alias, accepted with a ``DeprecationWarning``
        until spinaps 0.2.0.)
    dt : float [s]
        Time step, in (0, 1e-10].  Keep gamma0 ``|H|`` dt below about 0.05 rad.
    n_devices : int, optional [-]
        Number of devices, in [1, 1e8] (``MAX_DEVICES``; default: the ensemble size
        of ``params``, or 1); for an ensemble it must equal the ensemble size.
    temperature : float [K]
        Temperature, in [0, 2000]; 0 switches the thermal field off.  Ms, Ku and TMR
        follow it if the parameters carry a temperature law
        (:meth:`MTJParams.at_temperature`).
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Seed of the random streams (``spinaps.params.seed_sequence``); ``None`` draws
        fresh entropy, which is recorded in the output so the run can be repeated.
    m0 : array-like, optional [-]
        Initial magnetisation: a unit 3-vector or an (n_devices, 3) array (normalised
        here).  ``None`` draws each device exactly from the Boltzmann equilibrium of the
        +z well (m_z > 0) in the applied field, density propto
        exp[Delta (m_z^2 + 2 h.m)] with h = ``h_applied`` / H_K,eff (every component,
        in-plane ones included; :func:`spinaps.device.equilibrium.sample_initial_state`),
        the initial state of the Fokker-Planck solver; at zero temperature that is
        exactly +z (an unstable fixed point: pass a tilt).
    record_every : float [s], optional
        Recording interval, > 0 (rounded to whole steps, at least one).  ``None``
        records only the initial and final states.  At most 1e9 recorded values
        (3 x devices x records, ``MAX_RECORDED``) are kept.
    h_applied : 3-sequence [A/m]
        Applied field (x, y, z); the reference layer's offset field
        ``params.h_offset`` is added along z (along -z for ``direction="ap_to_p"``,
        where the reference layer points along -z, and along +z for ``"p_to_ap"``).
    stt_form : {"constant", "slonczewski"}
        Spin-torque efficiency: constant eta = P, or Slonczewski's tunnel-junction
        angular dependence eta = P / (1 + P^2 cos theta) (Slonczewski 2005), with
        theta the angle between free and reference layers.
    direction : {"ap_to_p", "p_to_ap"}
        Which write the +z -> -z reversal is: it selects cos theta = -m_z or +m_z in
        the Slonczewski form and the sign of the offset field ``params.h_offset``
        (irrelevant for the constant form without an offset field).
    switch_level : float [-]
        m_z level in (-1, 1) whose first crossing defines ``t_switch`` (default 0, the
        equator; e.g. -0.9 measures the first passage into the opposite well).
    threads : int, optional [-]
        Worker threads (default: :func:`spinaps.threads.get_threads`).  Results do not
        depend on it.
    progress : bool [flag]
        Show a progress bar (tqdm).

    Returns
    -------
    xarray.Dataset
        ``mx``, ``my``, ``mz`` (device, time) [1]; ``t_switch`` (device) [s], the first
        time m_z crosses ``switch_level`` (NaN if it never does); ``switched`` (device), whether
        the final m_z has the opposite sign to the initial one; ``current`` (time)
        [A] of device 0.  Coordinates ``device`` [1] and ``time`` [s] (the recorded
        times).  Attributes: the seed (entropy of the stream), ``t_end``, ``dt``,
        ``temperature``, ``stt_form``, ``direction``, ``h_applied``, ``n_devices``,
        ``switch_level``, the parameters and the citation keys.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        If ``t_end`` is not > 0, ``dt`` not in (0, 1e-10] s, the temperature not in
        [0, 2000] K, ``stt_form`` or ``direction`` unknown, ``switch_level`` not in
        (-1, 1), ``n_devices`` not an integer in [1, 1e8] or not the ensemble size,
        ``t_end / dt`` above 2e8 steps, ``record_every`` not > 0 or more than 1e9
        recorded values, ``h_applied`` not 3 finite numbers, ``m0`` of
        the wrong shape or with zero or non-finite vectors, the ``seed`` invalid, or
        ``current`` outside [-1, 1] A or of a shape that matches neither the devices
        nor the time grid (see :func:`spinaps.device.drive.current_on_grid`).

    Warns
    -----
    UserWarning
        If the precession angle per step gamma0 ``|H|`` dt exceeds 0.1 rad (keep it
        below about 0.05 rad for an accurate Heun integration).

    Notes
    -----
    Landau-Lifshitz form of the Gilbert equation with Slonczewski torque
    (Slonczewski 1996, 2005; see :mod:`spinaps.device._kernel`),

    .. math::

       \frac{d\mathbf{m}}{dt} = -\frac{\gamma_0}{1 + \alpha^2} \left[
       \mathbf{m} \times \mathbf{H} + \alpha\, \mathbf{m} \times (\mathbf{m} \times \mathbf{H})
       + (b_J - \alpha a_J)\, \mathbf{m} \times \mathbf{p}
       + (a_J + \alpha b_J)\, \mathbf{m} \times (\mathbf{m} \times \mathbf{p}) \right],

    polariser p = -z, a_J = a_J0 s(t) / (1 + c m_z) (c = 0 for the constant form,
    -/+ P^2 for the Slonczewski form of the AP->P / P->AP write), effective field
    H = H_K,eff m_z z + H_app + s H_offset z + H_th with H_K,eff including the cylinder's
    demagnetisation (N_zz - N_xx, :attr:`MTJParams.demag_factor_difference`; the full tensor
    field differs from it by a multiple of m, which exerts no torque) and s = -1 (AP->P) or
    +1 (P->AP) the direction of the reference layer,
    and Brown's thermal field with per-component standard deviation per step

    .. math:: \sigma = \sqrt{\frac{2 \alpha k_B T}{\gamma_0 \mu_0 M_s V\, \Delta t}} \quad [\mathrm{A/m}]

    (Brown 1963; Garcia-Palacios and Lazaro 1998), its standard normal numbers
    computed inside the compiled loop by a counter-based generator (SplitMix64 bits,
    Steele, Lea and Flood 2014, and the Box-Muller transform, Box and Muller 1958;
    :mod:`spinaps.device._normal`), one stream per device.  Stochastic Heun
    (Stratonovich), renormalising ``|m|`` after each step.  The STT amplitude is
    a_J = hbar eta I / (2 e mu0 M_s V) [A/m], field-like b_J = r a_J; the critical
    current and damping time of the macrospin follow Sun (2000).

    References
    ----------
    * Brown, W. F., "Thermal Fluctuations of a Single-Domain Particle", Phys. Rev.
      130, 1677-1686 (1963); citation key ``Brown1963``.
    * Garcia-Palacios, J. L. and Lazaro, F. J., "Langevin-dynamics study of the
      dynamical properties of small magnetic particles", Phys. Rev. B 58, 14937-14958
      (1998); citation key ``GarciaPalacios1998``.
    * Slonczewski, J. C., "Current-driven excitation of magnetic multilayers", J. Magn.
      Magn. Mater. 159, L1-L7 (1996); citation key ``Slonczewski1996``.
    * Slonczewski, J. C., "Currents, torques, and polarization factors in magnetic
      tunnel junctions", Phys. Rev. B 71, 024411 (2005): the angular form
      (``stt_form="slonczewski"``); citation key ``Slonczewski2005``.
    * Sun, J. Z., "Spin-current interaction with a monodomain magnetic body: A model
      study", Phys. Rev. B 62, 570-578 (2000); citation key ``Sun2000``.
    * Steele, G. L., Lea, D. and Flood, C. H., "Fast splittable pseudorandom number
      generators", OOPSLA 2014, 453-472: SplitMix64, the random bits of the thermal
      field; citation key ``Steele2014``.
    * Box, G. E. P. and Muller, M. E., "A Note on the Generation of Random Normal
      Deviates", Ann. Math. Stat. 29, 610-611 (1958); citation key ``BoxMuller1958``.

    Examples
    --------
    >>> from spinaps.device import Pulse, preset, simulate
    >>> p = preset("Ikeda2010")  # I_c0 = 49 uA
    >>> ds = simulate(p, 100e-6, 10e-9, n_devices=200, seed=1)
    >>> dict(ds.sizes), float(ds.switched.mean())
    ({'device': 200, 'time': 2}, 1.0)
    >>> ds = simulate(p, Pulse(100e-6, t_pulse=5e-9), 10e-9, n_devices=20, seed=1, record_every=1e-9)
    >>> ds.sizes["time"], ds.current.values[[0, -1]].tolist()
    (11, [0.0001, 0.0])
    """
    check_params(params)
    check_temperature(temperature)
    return simulate_at_temperature(
        params.at_temperature(temperature),
        current,
        t_end,
        dt=dt,
        n_devices=n_devices,
        temperature=temperature,
        seed=seed,
        m0=m0,
        record_every=record_every,
        h_applied=h_applied,
        stt_form=stt_form,
        direction=direction,
        switch_level=switch_level,
        threads=threads,
        progress=progress,
        stacklevel=4,
    )


def simulate_at_temperature(
    params: MTJParams,
    current,
    t_end,
    *,
    dt=1e-12,
    n_devices=None,
    temperature=300.0,
    seed=None,
    m0=None,
    record_every=None,
    h_applied=(0.0, 0.0, 0.0),
    stt_form="constant",
    direction="ap_to_p",
    switch_level=0.0,
    threads=None,
    progress=False,
    stacklevel=2,
) -> xr.Dataset:
    """:func:`simulate` for parameters already at ``temperature`` (internal API).

    Parameters
    ----------
    params : MTJParams
        The parameters at ``temperature`` (:meth:`MTJParams.at_temperature` or
        :attr:`spinaps.device.tools.OperatingPoint.params`); not converted again.
    current, t_end, dt, n_devices, temperature, seed, m0, record_every, h_applied, \
stt_form, direction, switch_level, threads, progress
        As for :func:`simulate` (``t_end`` [s], ``dt`` [s], ``temperature`` [K],
        ``record_every`` [s], ``h_applied`` [A/m]).
    stacklevel : int
        Stack level of the time-step warning (2: the caller of this function).

    Returns
    -------
    xarray.Dataset
        As :func:`simulate`.
    """
    check_params(params)
    check_range("t_end", t_end, low=0.0, units="s")
    check_range("dt", dt, low=0.0, high=1e-10, high_inclusive=True, units="s")
    check_temperature(temperature)
    check_choice("stt_form", stt_form, STT_FORMS)
    check_choice("direction", direction, DIRECTIONS)
    check_range("switch_level", switch_level, low=-1.0, high=1.0)
    n_ens = params.n_devices
    if n_devices is not None:
        check_int("n_devices", n_devices, 1, MAX_DEVICES)
    n = n_ens if n_devices is None else int(n_devices)
    if n_ens > 1 and n != n_ens:
        raise ValueError(
            f"n_devices = {n_devices!r} must be >= 1 and equal the ensemble size {n_ens} "
            "of params when params is an ensemble"
        )
    n_steps = max(1, int(round(t_end / dt)))
    if n_steps > 200_000_000:
        raise ValueError(f"t_end / dt = {n_steps} steps exceeds the limit of 2e8 steps")
    if record_every is not None:
        check_range("record_every", record_every, low=0.0, units="s")
    rec = n_steps if record_every is None else max(1, int(round(record_every / dt)))
    check_range("record_every", rec * dt, low=0.0, units="s")
    record_steps = np.unique(np.r_[np.arange(0, n_steps, rec), n_steps])
    if 3 * n * record_steps.size > MAX_RECORDED:
        raise ValueError(
            f"record_every = {record_every!r} s: {record_steps.size} records of {n} devices exceed "
            f"{MAX_RECORDED:.0e} recorded values; record less often or simulate fewer devices (n_devices)"
        )
    h_applied = np.asarray(as_float_array(h_applied, "h_applied"))
    if h_applied.shape != (3,) or not np.all(np.isfinite(h_applied)):
        raise ValueError(f"h_applied must be 3 finite numbers [A/m], got {h_applied!r}")
    threads = resolve(threads)

    times = np.arange(n_steps + 1) * dt
    amplitude, shape = current_on_grid(current, times, n)
    p = params.broadcast(n)

    seq = seed_sequence(seed)
    init_seq, noise_seq = seq.spawn(2)
    # one 64-bit seed for the thermal noise; every device has its own stream in it
    noise_seed = noise_seq.generate_state(1, np.uint64)[0]
    # The thermal initial state sits in the field the run sees: applied plus the offset.
    field = np.broadcast_to(h_applied, (n, 3)).copy()
    field[:, 2] += DIRECTIONS[direction] * np.broadcast_to(np.asarray(p["h_offset"], dtype=float), (n,))
    m_init = _initial_state(m0, params, n, temperature, np.random.Generator(np.random.SFC64(init_seq)), field)

    alpha = np.ascontiguousarray(p["alpha"])

    def per_device(value):
        return np.broadcast_to(np.asarray(value, dtype=float), (n,))

    volume = per_device(params.volume)
    hk = per_device(params.hk_eff)
    a_per_amp = per_device(params.stt_field_per_ampere)
    pol = p["polarization"]
    kernel_args = dict(
        hk=np.ascontiguousarray(hk),
        pre=np.ascontiguousarray(-GAMMA0 / (1.0 + alpha**2)),
        alpha=alpha,
        aj=np.ascontiguousarray(a_per_amp * amplitude),
        fl=np.ascontiguousarray(p["field_like_ratio"]),
        cang=np.ascontiguousarray(STT_FORMS[stt_form] * DIRECTIONS[direction] * pol**2),
        # the reference layer's offset field: along the reference layer, which points
        # along DIRECTIONS[direction] (-z for AP->P, +z for P->AP) in this frame
        hoff=np.ascontiguousarray(DIRECTIONS[direction] * p["h_offset"]),
        sigma=np.ascontiguousarray(np.sqrt(2.0 * alpha * K_B * temperature / (GAMMA0 * MU0 * p["ms"] * volume * dt))),
    )
    thermal = temperature > 0.0
    kick = GAMMA0 * float(np.max(np.abs(hk) + np.linalg.norm(h_applied) + np.abs(kernel_args["hoff"]))) * dt
    if kick > 0.1:
        warnings.warn(
            f"dt = {dt:g} s gives a precession angle gamma0 |H| dt = {kick:.3g} rad per step "
            "(keep it below about 0.05 rad for an accurate Heun integration)",
            stacklevel=stacklevel,
        )

    out = np.empty((3, n, len(record_steps)))
    tsw = np.full(n, -1.0)
    sign0 = np.where(m_init[:, 2] < switch_level, -1.0, 1.0)

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=n * n_steps, unit="dev-step", unit_scale=True, desc="LLGS")
    lock = threading.Lock()

    def run_chunk(c):
        lo, hi = c * CHUNK, min(n, (c + 1) * CHUNK)
        m = [np.ascontiguousarray(m_init[lo:hi, k]) for k in range(3)]
        args = {k: v[lo:hi] for k, v in kernel_args.items()}
        s0 = np.ascontiguousarray(sign0[lo:hi])
        t_sw = np.full(hi - lo, -1.0)
        for k in range(3):
            out[k, lo:hi, 0] = m[k]
        step = 0
        for r, target in enumerate(record_steps[1:], start=1):
            while step < target:
                s = min(_STEP_BLOCK, target - step)
                _kernel.advance(
                    m[0],
                    m[1],
                    m[2],
                    s,
                    thermal,
                    noise_seed,
                    lo,
                    dt,
                    step * dt,
                    step,
                    shape,
                    args["hk"],
                    h_applied,
                    args["hoff"],
                    args["pre"],
                    args["alpha"],
                    args["aj"],
                    args["fl"],
                    args["cang"],
                    args["sigma"],
                    s0,
                    float(switch_level),
                    t_sw,
                )
                step += s
                if bar is not None:
                    with lock:
                        bar.update(s * (hi - lo))
            for k in range(3):
                out[k, lo:hi, r] = m[k]
        tsw[lo:hi] = t_sw

    n_chunks = -(-n // CHUNK)
    if threads == 1 or n_chunks == 1:
        for c in range(n_chunks):
            run_chunk(c)
    else:
        with ThreadPoolExecutor(max_workers=min(threads, n_chunks)) as pool:
            list(pool.map(run_chunk, range(n_chunks)))
    if bar is not None:
        bar.close()

    t_switch = np.where(tsw < 0.0, np.nan, tsw)
    switched = out[2, :, -1] * np.where(m_init[:, 2] < 0.0, -1.0, 1.0) < 0.0
    return _dataset(
        params,
        out,
        record_steps * dt,
        t_switch,
        switched,
        amplitude[0] * shape[record_steps],
        switch_level,
        seq,
        dict(
            t_end=n_steps * dt,
            dt=dt,
            temperature=float(temperature),
            stt_form=stt_form,
            direction=direction,
            h_applied=str(h_applied.tolist()),
            n_devices=n,
            switch_level=float(switch_level),
        ),
    )


def _initial_state(m0, params, n, temperature, rng, field=(0.0, 0.0, 0.0)):
    """The initial magnetisation (n, 3): ``m0`` normalised, or (``m0=None``) exact samples
    of the Boltzmann equilibrium of the +z well in ``field`` [A/m] (a 3-vector or one per
    device, shape (n, 3): the applied field plus the reference layer's offset), reduced
    to h = H / H_K,eff per device (:func:`spinaps.device.equilibrium.sample_initial_state`);
    exactly +z at zero temperature."""
    if m0 is None:
        if temperature == 0.0:
            return np.tile([0.0, 0.0, 1.0], (n, 1))
        hk = np.broadcast_to(np.asarray(params.hk_eff, dtype=float), (n,))
        h = np.broadcast_to(np.asarray(field, dtype=float), (n, 3)) / hk[:, None]
        return sample_initial_state(np.broadcast_to(params.delta(temperature), (n,)), rng, n, h=h)
    m0 = np.asarray(m0, dtype=float)
    if m0.shape == (3,):
        m0 = np.tile(m0, (n, 1))
    if m0.shape != (n, 3):
        raise ValueError(f"m0 must be a 3-vector or an array of shape ({n}, 3), got shape {m0.shape}")
    norm = np.linalg.norm(m0, axis=1)
    if not np.all(np.isfinite(norm)) or np.any(norm == 0.0):
        raise ValueError("m0 must contain finite, non-zero vectors")
    return m0 / norm[:, None]


def _dataset(params, m, time, t_switch, switched, current, switch_level, seq, info):
    device = np.arange(m.shape[1])
    coords = {
        "device": annotate(xr.Variable("device", device), "1", "device index"),
        "time": annotate(xr.Variable("time", time), "s", "time"),
    }
    data = {}
    for k, name in enumerate("xyz"):
        data[f"m{name}"] = annotate(
            xr.Variable(("device", "time"), m[k]), "1", f"reduced magnetisation m_{name} = M_{name} / M_s"
        )
    data["t_switch"] = annotate(
        xr.Variable("device", t_switch), "s", f"first time m_z crosses {switch_level:g} (NaN: never)"
    )
    data["switched"] = annotate(
        xr.Variable("device", switched), "1", "final m_z has the sign opposite to the initial one"
    )
    data["current"] = annotate(xr.Variable("time", current), "A", "drive current of device 0")
    ds = xr.Dataset(data, coords=coords)
    seed = seq.entropy if not seq.spawn_key else f"{seq.entropy} spawn_key={seq.spawn_key}"
    return finalize(
        ds,
        params=params,
        seed=seed,
        cite=("Brown1963", "GarciaPalacios1998", "Slonczewski1996", "Sun2000", "Steele2014", "BoxMuller1958"),
        model="stochastic LLGS, Landau-Lifshitz form, stochastic Heun (Stratonovich)",
        **info,
    )
