"""Perpendicular MTJ parameters (:class:`MTJParams`) and their derived properties.

The free layer is a macrospin disk of diameter ``diameter`` and thickness
``thickness`` with perpendicular uniaxial anisotropy along +z and thin-film
demagnetisation (demagnetising factors N = diag(0, 0, 1)); the reference layer is fixed
along the easy axis.  All quantities are SI.

An ``MTJParams`` whose fields are numpy arrays (all of one length, or scalars) is an
ensemble of devices; every derived property and every device function broadcasts
over it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..constants import E_CHARGE, GAMMA0, HBAR, K_B, MU0
from ..params import as_float_array, check_range, check_temperature, ensemble_size

__all__ = ["MTJParams"]

_FLOAT_FIELDS = (
    "diameter",
    "thickness",
    "ms",
    "ku",
    "alpha",
    "polarization",
    "ra",
    "tmr0",
    "v_half",
    "field_like_ratio",
    "t_ref",
    "anisotropy_exponent",
)
_OPTIONAL_FIELDS = ("attempt_time", "curie_temperature", "tmr_bloch_coefficient")


@dataclass(frozen=True)
class MTJParams:
    """Perpendicular STT-MTJ free layer and junction, in SI units.

    Parameters
    ----------
    diameter : float or array [m]
        Junction (free-layer disk) diameter, in (0, 10 um].
    thickness : float or array [m]
        Free-layer thickness t_F, in (0, 100 nm].
    ms : float or array [A/m]
        Saturation magnetisation M_s, in (0, 1e7).
    ku : float or array [J/m^3]
        Uniaxial perpendicular anisotropy energy density *before* demagnetisation
        (K_u = K_i / t_F + K_bulk).  Must exceed mu0 M_s^2 / 2 so the layer is
        perpendicular.
    alpha : float or array
        Gilbert damping, in (0, 1).
    polarization : float or array
        Spin polarisation P, in (0, 1].  With the constant-efficiency Slonczewski
        torque the STT efficiency is eta = P.
    ra : float or array [Ohm m^2]
        Resistance-area product of the parallel state, in (0, 1e-6].
    tmr0 : float or array
        Zero-bias tunnel magnetoresistance (R_AP - R_P) / R_P, in [0, 100].
    v_half : float or array [V]
        Bias at which the TMR has fallen to half of ``tmr0``, in (0, 100].
    field_like_ratio : float or array, optional
        Ratio b_J / a_J of the field-like to the damping-like torque, in [-10, 10]
        (default 0: no field-like torque).
    attempt_time : float or None, optional [s]
        Calibrated Neel-Brown attempt time tau_0 for the thermal-activation model,
        in (0, 1).  ``None`` (default) uses the macrospin (Brown 1963) prefactor
        derived from the damping; see :func:`spinaps.device.switching.thermal_escape_time`.
    t_ref : float, optional [K]
        Temperature at which ``ms``, ``ku`` and ``tmr0`` hold, in (0, 2000) (default 300).
    curie_temperature : float or array or None, optional [K]
        Effective Curie temperature T_C of the Bloch law
        M_s(T) = M_s(0) [1 - (T / T_C)^(3/2)], > t_ref.  ``None`` (default): M_s and
        K_u do not depend on temperature.
    anisotropy_exponent : float or array, optional
        Exponent n of the Callen-Callen scaling K_u(T) proportional to M_s(T)^n, in
        [0, 10] (default 2, the interfacial-anisotropy value).
    tmr_bloch_coefficient : float or array or None, optional [K^(-3/2)]
        Coefficient a of the spin-polarisation law P(T) = P(0) (1 - a T^(3/2))
        applied to the Julliere polarisation of ``tmr0`` (Shang et al. 1998);
        ``None`` (default): TMR does not depend on temperature.

    Notes
    -----
    Derived quantities [1]_ [2]_:

    * K_eff = K_u - mu0 M_s^2 / 2 ;  H_K,eff = 2 K_eff / (mu0 M_s)
    * Delta(T) = K_eff V / (k_B T)
    * I_c0 = (2 e alpha / (hbar eta)) mu0 M_s H_K,eff V  (zero-temperature instability
      threshold of the collinear macrospin with constant efficiency eta = P)
    * tau_D = (1 + alpha^2) / (alpha gamma0 H_K,eff)  (damping / relaxation time,
      exposed as ``tau0``; the small-angle growth rate above I_c0 is (i - 1) / tau_D)
    * R_P = RA / A ;  R_AP = R_P (1 + TMR) ;  TMR(V) = TMR0 / (1 + V^2 / V_h^2)

    Temperature: without a temperature law (the default) M_s, K_u and TMR are taken
    temperature independent and T enters only through k_B T; with
    ``curie_temperature`` (and ``tmr_bloch_coefficient``) they follow
    :meth:`at_temperature`, and :meth:`delta` uses K_eff(T).

    References
    ----------
    .. [1] Sun, J. Z., Phys. Rev. B 62, 570 (2000).
    .. [2] Butler, W. H., et al., IEEE Trans. Magn. 48, 4684 (2012).
    """

    diameter: float
    thickness: float
    ms: float
    ku: float
    alpha: float
    polarization: float
    ra: float
    tmr0: float
    v_half: float
    field_like_ratio: float = 0.0
    attempt_time: float | None = None
    t_ref: float = 300.0
    curie_temperature: float | None = None
    anisotropy_exponent: float = 2.0
    tmr_bloch_coefficient: float | None = None

    def __post_init__(self):
        for name in _FLOAT_FIELDS:
            object.__setattr__(self, name, as_float_array(getattr(self, name), name))
        check_range("diameter", self.diameter, low=0.0, high=1e-5, high_inclusive=True, units="m")
        check_range("thickness", self.thickness, low=0.0, high=1e-7, high_inclusive=True, units="m")
        check_range("ms", self.ms, low=0.0, high=1e7, units="A/m")
        check_range("ku", self.ku, low=0.0, high=1e8, low_inclusive=True, units="J/m^3")
        check_range("alpha", self.alpha, low=0.0, high=1.0)
        check_range("polarization", self.polarization, low=0.0, high=1.0, high_inclusive=True)
        check_range("ra", self.ra, low=0.0, high=1e-6, high_inclusive=True, units="Ohm m^2")
        check_range("tmr0", self.tmr0, low=0.0, high=100.0, low_inclusive=True, high_inclusive=True)
        check_range("v_half", self.v_half, low=0.0, high=100.0, high_inclusive=True, units="V")
        check_range(
            "field_like_ratio", self.field_like_ratio, low=-10.0, high=10.0, low_inclusive=True, high_inclusive=True
        )
        if self.attempt_time is not None:
            object.__setattr__(self, "attempt_time", as_float_array(self.attempt_time, "attempt_time"))
            check_range("attempt_time", self.attempt_time, low=0.0, high=1.0, units="s")
        check_range("t_ref", self.t_ref, low=0.0, high=2000.0, units="K")
        check_range(
            "anisotropy_exponent", self.anisotropy_exponent, low=0.0, high=10.0, low_inclusive=True, high_inclusive=True
        )
        if self.curie_temperature is not None:
            object.__setattr__(self, "curie_temperature", as_float_array(self.curie_temperature, "curie_temperature"))
            check_range(
                "curie_temperature", self.curie_temperature, low=float(np.max(self.t_ref)), high=5000.0, units="K"
            )
        if self.tmr_bloch_coefficient is not None:
            object.__setattr__(
                self, "tmr_bloch_coefficient", as_float_array(self.tmr_bloch_coefficient, "tmr_bloch_coefficient")
            )
            limit = float(np.max(self.t_ref)) ** -1.5
            check_range(
                "tmr_bloch_coefficient",
                self.tmr_bloch_coefficient,
                low=0.0,
                high=limit,
                low_inclusive=True,
                units="K^-1.5",
            )
        # The models are for perpendicular free layers: K_eff > 0 is required.
        k_demag = 0.5 * MU0 * np.asarray(self.ms) ** 2
        in_plane = np.asarray(self.ku) <= k_demag
        if np.any(in_plane):
            idx = np.flatnonzero(np.broadcast_to(in_plane, np.broadcast(self.ku, self.ms).shape).ravel())[0]
            ku = np.broadcast_to(self.ku, in_plane.shape).ravel()[idx]
            kd = np.broadcast_to(k_demag, in_plane.shape).ravel()[idx]
            raise ValueError(
                f"ku = {ku!r} J/m^3 makes the free layer in-plane: a perpendicular MTJ needs "
                f"ku > mu0*ms^2/2 = {kd:.6g} J/m^3 (allowed range ({kd:.6g}, 1e8) J/m^3)"
            )
        ensemble_size(self)  # raises on incompatible array shapes

    # ------------------------------------------------------------------ geometry
    @property
    def n_devices(self) -> int:
        """Number of devices in the ensemble (1 for scalar fields)."""
        return ensemble_size(self)

    @property
    def area(self):
        """Junction area A = pi d^2 / 4 [m^2]."""
        return np.pi * self.diameter**2 / 4.0

    @property
    def volume(self):
        """Free-layer volume V = A t_F [m^3]."""
        return self.area * self.thickness

    # ------------------------------------------------------------------ magnetics
    @property
    def k_eff(self):
        """Effective anisotropy K_eff = K_u - mu0 M_s^2 / 2 [J/m^3] (thin-film demag)."""
        return self.ku - 0.5 * MU0 * self.ms**2

    @property
    def hk_eff(self):
        """Effective anisotropy field H_K,eff = 2 K_eff / (mu0 M_s) [A/m]."""
        return 2.0 * self.k_eff / (MU0 * self.ms)

    @property
    def energy_barrier(self):
        """Zero-field, zero-current energy barrier E_b = K_eff V [J]."""
        return self.k_eff * self.volume

    def delta(self, temperature=300.0):
        """Thermal stability factor Delta(T) = K_eff(T) V / (k_B T) [-].

        K_eff(T) follows :meth:`at_temperature` when a temperature law is set.

        Parameters
        ----------
        temperature : float or array [K], > 0
        """
        check_temperature(temperature, allow_zero=False)
        temperature = np.asarray(temperature, dtype=float)
        r = self.ms_ratio(temperature)
        k_eff = self.ku * r**self.anisotropy_exponent - 0.5 * MU0 * (self.ms * r) ** 2
        return k_eff * self.volume / (K_B * temperature)

    # ------------------------------------------------------------------ temperature
    def ms_ratio(self, temperature):
        """M_s(T) / M_s(t_ref) from the Bloch law (1 without ``curie_temperature``).

        M_s(T) = M_s(0) [1 - (T / T_C)^(3/2)] (Bloch 1930); T must stay below T_C.
        """
        if self.curie_temperature is None:
            return np.ones_like(np.asarray(temperature, dtype=float))
        check_range(
            "temperature",
            temperature,
            low=0.0,
            high=float(np.min(self.curie_temperature)),
            low_inclusive=True,
            units="K",
        )
        bloch = lambda t: 1.0 - (np.asarray(t, dtype=float) / self.curie_temperature) ** 1.5  # noqa: E731
        return bloch(temperature) / bloch(self.t_ref)

    def at_temperature(self, temperature) -> MTJParams:
        """The parameters at ``temperature`` [K] (a scalar).

        * M_s(T) = M_s(t_ref) b(T) / b(t_ref), b(T) = 1 - (T / T_C)^(3/2) (Bloch law);
        * K_u(T) = K_u(t_ref) [M_s(T) / M_s(t_ref)]^n (Callen-Callen scaling; the
          demagnetising term mu0 M_s(T)^2 / 2 follows M_s), hence Delta(T), H_K,eff(T),
          I_c0(T) and tau_D(T);
        * TMR(T) = 2 P(T)^2 / (1 - P(T)^2) with the Julliere polarisation
          P(t_ref) = sqrt(TMR0 / (2 + TMR0)) scaled by (1 - a T^(3/2)) / (1 - a t_ref^(3/2))
          (Shang et al. 1998).

        Without a temperature law the parameters are returned unchanged.  The spin
        polarisation of the torque, the damping and RA are held constant (assumed).
        """
        check_temperature(temperature)
        if np.ndim(temperature):
            raise ValueError(f"temperature must be a scalar here, got shape {np.shape(temperature)}")
        t = float(temperature)
        if np.ndim(self.t_ref) == 0 and t == float(self.t_ref):
            return self  # already at this temperature (the law maps t_ref onto itself)
        changes = {}
        if self.curie_temperature is not None:
            r = self.ms_ratio(t)
            changes.update(ms=self.ms * r, ku=self.ku * r**self.anisotropy_exponent)
        if self.tmr_bloch_coefficient is not None:
            a = self.tmr_bloch_coefficient
            p_ref = np.sqrt(self.tmr0 / (2.0 + self.tmr0))
            p_t = p_ref * (1.0 - a * t**1.5) / (1.0 - a * np.asarray(self.t_ref) ** 1.5)
            changes["tmr0"] = 2.0 * p_t**2 / (1.0 - p_t**2)
        if not changes:
            return self
        try:
            return dataclasses.replace(self, t_ref=t, **changes)
        except ValueError as err:
            raise ValueError(f"at temperature = {t:g} K the parameters are invalid: {err}") from None

    @property
    def tau0(self):
        """Damping (relaxation) time tau_D = (1 + alpha^2) / (alpha gamma0 H_K,eff) [s].

        It sets the time scale of every switching model: the small-angle growth rate
        above the critical current is (I / I_c0 - 1) / tau_D (Sun 2000).
        """
        return (1.0 + self.alpha**2) / (self.alpha * GAMMA0 * self.hk_eff)

    @property
    def f_fmr(self):
        """Small-angle (Kittel) precession frequency gamma0 H_K,eff / (2 pi (1 + alpha^2)) [Hz]."""
        return GAMMA0 * self.hk_eff / (2.0 * np.pi * (1.0 + self.alpha**2))

    @property
    def stt_field_per_ampere(self):
        """Damping-like STT amplitude per unit current, a_J / I = hbar P / (2 e mu0 M_s V) [A/m per A]."""
        return HBAR * self.polarization / (2.0 * E_CHARGE * MU0 * self.ms * self.volume)

    @property
    def ic0(self):
        """Zero-temperature critical current I_c0 = alpha H_K,eff / (a_J / I) [A].

        Equivalent to I_c0 = (2 e alpha / (hbar eta)) mu0 M_s H_K,eff V with eta = P
        (Sun 2000).
        """
        return self.alpha * self.hk_eff / self.stt_field_per_ampere

    # ------------------------------------------------------------------ transport
    @property
    def r_p(self):
        """Parallel-state resistance R_P = RA / A [Ohm] (bias independent)."""
        return self.ra / self.area

    @property
    def r_ap(self):
        """Zero-bias antiparallel-state resistance R_AP = R_P (1 + TMR0) [Ohm]."""
        return self.r_p * (1.0 + self.tmr0)

    def tmr(self, v=0.0):
        """Bias-dependent TMR(V) = TMR0 / (1 + V^2 / V_h^2) [-].

        Parameters
        ----------
        v : float or array [V]
            Junction bias (either polarity).
        """
        v = np.asarray(v, dtype=float)
        if not np.all(np.isfinite(v)):
            raise ValueError(f"v must be finite, got {v!r}")
        return self.tmr0 / (1.0 + (v / self.v_half) ** 2)

    def r_ap_at(self, v=0.0):
        """Antiparallel resistance at bias ``v``: R_P (1 + TMR(V)) [Ohm]."""
        return self.r_p * (1.0 + self.tmr(v))

    # ------------------------------------------------------------------ ensembles
    def device(self, index: int) -> MTJParams:
        """The scalar parameter set of device ``index`` of an ensemble."""
        n = self.n_devices
        if not -n <= index < n:
            raise IndexError(f"device index {index} out of range for an ensemble of {n}")
        values = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            values[f.name] = float(np.broadcast_to(v, (n,))[index]) if isinstance(v, np.ndarray) else v
        return MTJParams(**values)

    def broadcast(self, n: int | None = None) -> dict:
        """Per-device float64 arrays of every numeric field, length ``n`` (default: ensemble size)."""
        n = self.n_devices if n is None else n
        if self.n_devices not in (1, n):
            raise ValueError(f"an ensemble of {self.n_devices} devices cannot be broadcast to {n} devices")
        names = _FLOAT_FIELDS + tuple(f for f in _OPTIONAL_FIELDS if getattr(self, f) is not None)
        return {name: np.broadcast_to(np.asarray(getattr(self, name), float), (n,)) for name in names}
