"""Perpendicular MTJ parameters (:class:`MTJParams`) and their derived properties.

The free layer is a macrospin disk of diameter ``diameter`` and thickness
``thickness`` with perpendicular uniaxial anisotropy along +z and the magnetometric
demagnetising factors of a cylinder of its aspect ratio (:mod:`spinaps.device.demag`;
the thin-film N = diag(0, 0, 1) is their limit t_F / d -> 0); the reference layer is
fixed along the easy axis.  All quantities are SI.

An ``MTJParams`` whose fields are numpy arrays (all of one length, or scalars) is an
ensemble of devices; every derived property and every device function broadcasts
over it.
"""

from __future__ import annotations

import dataclasses
import functools
import warnings
from dataclasses import dataclass

import numpy as np

from ..constants import E_CHARGE, GAMMA0, HBAR, K_B, MU0
from ..deprecation import renamed_fields
from ..params import as_float_array, check_range, check_temperature, ensemble_size
from .demag import demag_factor_difference

__all__ = ["MTJParams", "anisotropy_at_thickness", "EXCHANGE_STIFFNESS_COFEB", "INTERFACIAL_FRACTION_DEFAULT"]

#: Default exchange stiffness A [J/m] of the free layer, 1.5e-11 J/m: an assumed value
#: for CoFeB, inside the 1-3e-11 J/m range reported for CoFeB films; it only sets the
#: macrospin validity limit (:attr:`MTJParams.macrospin_max_diameter`).
EXCHANGE_STIFFNESS_COFEB = 1.5e-11
#: Default share of K_u that is interfacial, 1: the perpendicular anisotropy of
#: CoFeB/MgO free layers is interfacial (Ikeda et al., Nature Materials 9, 721, 2010:
#: K_eff t_F linear in t_F, K_i = 1.3 mJ/m^2; citation key ``Ikeda2010``).
INTERFACIAL_FRACTION_DEFAULT = 1.0


def anisotropy_at_thickness(ku, interfacial_fraction, thickness, new_thickness):
    r"""K_u and its interfacial share of the same stack at another free-layer thickness.

        With K_u(t) = K_i / t + K_b and f = K_i / (K_u t) at the thickness t:

        .. math::

           K_u(t') = K_u(t) \left[f rac{t}{t'} + 1 - f
    ight], \qquad
           f' = rac{f\, t / t'}{f\, t / t' + 1 - f}

        (K_i and K_b unchanged).  Used by :meth:`MTJParams.at_thickness`, by
        :func:`spinaps.device.sample_variability` and by the chip-cell sampler of
        :mod:`spinaps.circuit.cells` whenever a thickness is drawn.

        Parameters
        ----------
        ku : float or array [J/m^3]
            K_u at ``thickness``.
        interfacial_fraction : float or array [-]
            f, in [0, 1].
        thickness, new_thickness : float or array [m]
            t and t', > 0.

        Returns
        -------
        ku_new : numpy.ndarray [J/m^3]
        fraction_new : numpy.ndarray [-]
            Broadcast over the inputs.

        Examples
        --------
        >>> ku, f = anisotropy_at_thickness(1.0e6, 1.0, 1.3e-9, 1.339e-9)  # 3 % thicker
        >>> round(float(ku), 1), float(f)
        (970873.8, 1.0)
    """
    check_range(
        "interfacial_fraction", interfacial_fraction, low=0.0, high=1.0, low_inclusive=True, high_inclusive=True
    )
    check_range("thickness", thickness, low=0.0, high=np.inf, units="m")
    check_range("new_thickness", new_thickness, low=0.0, high=np.inf, units="m")
    f = np.asarray(interfacial_fraction, dtype=float)
    interfacial = f * np.asarray(thickness, dtype=float) / np.asarray(new_thickness, dtype=float)
    scale = interfacial + 1.0 - f
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(scale > 0, interfacial / np.where(scale > 0, scale, 1.0), f)
    fraction = np.clip(fraction, 0.0, 1.0)  # f = 1 stays 1 despite rounding
    return np.asarray(ku, dtype=float) * scale, fraction


#: Angular form of the spin-torque efficiency: the coefficient multiplying
#: +/- P^2 cos(theta) in eta = P / (1 + P^2 cos theta) (0: constant efficiency eta = P).
STT_FORMS = {"constant": 0.0, "slonczewski": 1.0}
#: Write direction of the +z -> -z reversal: the sign of cos(theta) = -/+ m_z between
#: free and reference layer in the Slonczewski form, which is also the direction (-z or
#: +z) of the reference-layer magnetisation in the frame of the reversal.
DIRECTIONS = {"ap_to_p": -1.0, "p_to_ap": 1.0}
#: The two stored states and the sign of the reduced offset field along each one's
#: magnetisation (+1: the parallel state lies along the reference layer).
STATES = {"p": 1.0, "ap": -1.0}

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
    "h_offset",
    "interfacial_fraction",
    "exchange_stiffness",
)
_OPTIONAL_FIELDS = ("attempt_time", "curie_temperature", "tmr_bloch_coefficient")


def _first_where(mask, *arrays):
    """The elements of ``arrays`` at the first True element of ``mask``, all broadcast together."""
    mask, *arrays = np.broadcast_arrays(mask, *arrays)
    idx = int(np.flatnonzero(mask.ravel())[0])
    return [a.ravel()[idx] for a in arrays]


@renamed_fields(tau0="tau_d")
@dataclass(frozen=True)
class MTJParams:
    r"""Perpendicular STT-MTJ free layer and junction, in SI units.

    A macrospin free-layer disk with perpendicular uniaxial anisotropy along +z and the
    demagnetising factors of a cylinder of its aspect ratio t_F / d
    (:mod:`spinaps.device.demag`), and the tunnel junction (resistance, TMR) it sits in.
    Scalar fields describe one device; numpy-array fields (all of one length, or
    scalars) describe an ensemble of :attr:`n_devices` devices, over which every
    derived property and every device function broadcasts.  Instances are frozen:
    use :func:`dataclasses.replace` for a modified copy.

    Parameters
    ----------
    diameter : float or array [m]
        Junction (free-layer disk) diameter, in (0, 10 um].
    thickness : float or array [m]
        Free-layer thickness t_F, in (0, 100 nm].
    ms : float or array [A/m]
        Saturation magnetisation M_s, in (0, 1e7).
    ku : float or array [J/m^3]
        Uniaxial perpendicular anisotropy energy density *before* demagnetisation, at
        ``thickness`` (K_u = K_i / t_F + K_bulk, split by ``interfacial_fraction``).
        Must exceed (mu0 M_s^2 / 2)(N_zz - N_xx) so the layer is perpendicular.
    alpha : float or array [-]
        Gilbert damping, in (0, 1).
    polarization : float or array [-]
        Spin polarisation P, in (0, 1].  With the constant-efficiency Slonczewski
        torque the STT efficiency is eta = P.
    ra : float or array [Ohm m^2]
        Resistance-area product of the parallel state, in (0, 1e-6].
    tmr0 : float or array [-]
        Zero-bias tunnel magnetoresistance (R_AP - R_P) / R_P, in [0, 100].
    v_half : float or array [V]
        Bias at which the TMR has fallen to half of ``tmr0``, in (0, 100].
    field_like_ratio : float or array, optional [-]
        Ratio r = b_J / a_J of the field-like to the damping-like torque, in [-10, 10]
        with 1 + alpha r > 0 (default 0: no field-like torque).  In the collinear
        geometry it multiplies the effective drive by (1 + alpha r), so that
        :attr:`ic0` is divided by it; see the Notes for the sign convention and its
        relation to cmtj's ``beta``.
    attempt_time : float or None, optional [s]
        Calibrated Neel-Brown attempt time tau_0 for the thermal-activation model,
        in (0, 1).  ``None`` (default) uses the macrospin (Brown 1963) prefactor
        derived from the damping; see :func:`spinaps.device.switching.thermal_escape_time`.
    t_ref : float, optional [K]
        Temperature at which ``ms``, ``ku`` and ``tmr0`` hold, in [0, 2000) (default 300).
    curie_temperature : float or array or None, optional [K]
        Effective Curie temperature T_C of the Bloch law
        M_s(T) = M_s(0) [1 - (T / T_C)^(3/2)], > t_ref.  ``None`` (default): M_s and
        K_u do not depend on temperature.
    anisotropy_exponent : float or array, optional [-]
        Exponent n of the Callen-Callen scaling K_u(T) proportional to M_s(T)^n, in
        [0, 10] (default 2, the interfacial-anisotropy value).
    interfacial_fraction : float or array, optional [-]
        Share f = K_i / (K_u t_F) of ``ku`` that is interfacial at ``thickness``, in
        [0, 1] (default 1, :data:`INTERFACIAL_FRACTION_DEFAULT`: CoFeB/MgO
        perpendicular anisotropy is interfacial, Ikeda et al. 2010).  It fixes how
        K_u changes with the thickness, K_u(t') = K_u [f t_F / t' + 1 - f]
        (:meth:`at_thickness`); 0 is a bulk anisotropy.
    exchange_stiffness : float or array, optional [J/m]
        Exchange stiffness A of the free layer, in (0, 1e-10] (default 1.5e-11,
        :data:`EXCHANGE_STIFFNESS_COFEB`, assumed); sets the macrospin validity limit
        :attr:`macrospin_max_diameter` only.
    tmr_bloch_coefficient : float or array or None, optional [K^(-3/2)]
        Coefficient a of the spin-polarisation law P(T) = P(0) (1 - a T^(3/2))
        applied to the Julliere polarisation of ``tmr0`` (Shang et al. 1998);
        ``None`` (default): TMR does not depend on temperature.  At most
        t_ref^(-3/2), so that P(t_ref) stays positive.
    h_offset : float or array, optional [A/m]
        Offset (stray) field of the reference layer acting on the free layer, along
        the easy axis, positive along the reference-layer magnetisation (it then
        stabilises the parallel state), with ``|h_offset|`` below H_K,eff so that both
        states stay stable (default 0).  Taken temperature independent (assumed).
        Every device function adds it to the applied field: the reduced field
        h = (H_applied + H_offset) / H_K,eff gives the barriers
        Delta_P/AP = Delta (1 +/- h)^2 (:meth:`delta_state`) and the per-direction
        critical currents (:meth:`ic0_direction`).

    Raises
    ------
    ValueError
        If a field is not a real number (or array of them), is NaN or infinite, or
        lies outside its range above (the message names the field, the offending
        value and the allowed range); if ``curie_temperature`` is not above
        ``t_ref``; if ``ku <= (mu0 ms^2 / 2)(N_zz - N_xx)`` (an in-plane free layer:
        the models are for perpendicular ones); if ``1 + alpha field_like_ratio <= 0`` or
        ``|h_offset| >= H_K,eff``; or if the array fields have incompatible shapes or
        are not one-dimensional.

    Notes
    -----
    Derived quantities (Sun 2000; Butler et al. 2012):

    * effective anisotropy and anisotropy field, with the cylinder's magnetometric
      demagnetising factors (Joseph 1966; Chen et al. 1991; :attr:`demag_factor_difference`)

      .. math::

         K_\mathrm{eff} = K_u - \frac{\mu_0 M_s^2}{2} (N_{zz} - N_{xx}), \qquad
         H_{K,\mathrm{eff}} = \frac{2 K_\mathrm{eff}}{\mu_0 M_s};

      the LLGS field H_K,eff m_z z is the same dynamics (it differs from
      H_K m_z z - M_s N m by a multiple of m, which exerts no torque);

    * thermal stability factor :math:`\Delta(T) = K_\mathrm{eff} V / (k_B T)`
      (:meth:`delta`);
    * zero-temperature critical current (instability threshold of the collinear
      macrospin with constant efficiency :math:`\eta = P`, :attr:`ic0`)

      .. math:: I_{c0} = \frac{2 e \alpha}{\hbar \eta} \mu_0 M_s H_{K,\mathrm{eff}} V;

    * damping (relaxation) time, exposed as :attr:`tau_d`; the small-angle growth rate
      above I_c0 is :math:`(i - 1) / \tau_D`

      .. math:: \tau_D = \frac{1 + \alpha^2}{\alpha \gamma_0 H_{K,\mathrm{eff}}};

    * field-like torque (``field_like_ratio`` r): in the Landau-Lifshitz form of the
      LLGS (:mod:`spinaps.device._kernel`, polariser p),

      .. math::

         \dot{\mathbf m} = -\frac{\gamma_0}{1 + \alpha^2} [\ldots
         + (b_J - \alpha a_J)\, \mathbf m \times \mathbf p
         + (a_J + \alpha b_J)\, \mathbf m \times (\mathbf m \times \mathbf p)],
         \qquad b_J = r a_J,

      only the m x (m x p) term moves m_z when p and the fields lie along z, so
      ``dm_z/ds = (1 - m_z^2) [m_z + h - i g(m_z) (1 + alpha r)]``: the field-like
      torque acts as a current-proportional field -b_J along z whose effect is
      exactly i -> i (1 + alpha r) (in the drift, the threshold and the diffusion-free
      dynamics; the thermal diffusion does not depend on it).  r > 0 (b_J along the
      field of the polariser p) helps the reversal.  Relation to cmtj's STT layer
      (``Layer.createSTTLayer``: LL form without the alpha cross terms, damping-like
      factor ``kappa`` and field-like factor ``beta``, both multiplying the same
      a_J eta, reference vector = our p, same current sign): our (a_J, r) equals
      cmtj's (a_J, kappa = 1 + alpha r, beta = alpha - r); with cmtj's default
      kappa = 1, r = (alpha - beta) / (1 + alpha beta) with our a_J = cmtj's
      a_J / (1 + alpha r).  In particular cmtj's ``beta = alpha`` is our r = 0, and
      cmtj's ``beta = 0`` is our r = alpha with a_J scaled by 1 / (1 + alpha^2)
      (derived from cmtj's ``Layer::solveLLG`` in its ``core/junction.hpp``, and
      checked by running both: ``benchmarks/check_field_like_cmtj.py``, trajectories
      within 2.5e-3 for r = -0.5, 0, 0.5 at alpha = 0.2, against 1.3 for a wrong
      mapping);
    * offset field: with h = H_offset / H_K,eff, the barrier of the state along
      (against) the reference layer is Delta (1 + h)^2 (Delta (1 - h)^2) and its
      instability threshold I_c0 (1 + h) (I_c0 (1 - h)), times the Slonczewski factor
      (1 + c) of :meth:`ic0_direction`;
    * junction: :math:`R_P = RA / A`, :math:`R_{AP} = R_P (1 + \mathrm{TMR})`,
      :math:`\mathrm{TMR}(V) = \mathrm{TMR}_0 / (1 + V^2 / V_h^2)` (:meth:`tmr`).

    Validity: a macrospin describes the reversal only while a domain wall across the
    disk costs more than the coherent barrier, d < :attr:`macrospin_max_diameter`
    = (16 / pi) sqrt(A / K_eff); beyond it a ``UserWarning`` is issued (reversal by
    domain nucleation, Sato et al. 2014).

    Temperature: without a temperature law M_s, K_u and TMR are taken
    temperature independent and T enters only through k_B T; with
    ``curie_temperature`` (and ``tmr_bloch_coefficient``) they follow
    :meth:`at_temperature`, and :meth:`delta` uses K_eff(T).

    References
    ----------
    * Sun, J. Z., "Spin-current interaction with a monodomain magnetic body: A model
      study", Phys. Rev. B 62, 570-578 (2000); citation key ``Sun2000``.
    * Butler, W. H., et al., "Switching Distributions for Perpendicular Spin-Torque
      Devices Within the Macrospin Approximation", IEEE Trans. Magn. 48, 4684-4700
      (2012); citation key ``Butler2012``.
    * Shang, C. H., Nowak, J., Jansen, R. and Moodera, J. S., Phys. Rev. B 58,
      R2917-R2920 (1998): the TMR temperature law; citation key ``Shang1998``.

    Examples
    --------
    >>> from spinaps.device import preset
    >>> p = preset("Ikeda2010")
    >>> p.n_devices, round(float(p.delta(300.0)), 6)
    (1, 40.0)
    >>> f"{float(p.ic0):.3g} A, {float(p.tau_d):.3g} s, {float(p.r_p):.1f} Ohm"
    '4.9e-05 A, 1.3e-09 s, 7957.7 Ohm'

    An ensemble of three diameters:

    >>> import dataclasses, numpy as np
    >>> ens = dataclasses.replace(p, diameter=np.array([38e-9, 40e-9, 42e-9]))
    >>> ens.n_devices, np.round(ens.delta(300.0), 1).tolist()
    (3, [38.0, 40.0, 42.0])
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
    h_offset: float = 0.0
    interfacial_fraction: float = INTERFACIAL_FRACTION_DEFAULT
    exchange_stiffness: float = EXCHANGE_STIFFNESS_COFEB

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
        # t_ref = 0 K is allowed: at_temperature(0) (no thermal field) re-expresses the
        # parameters there; quantities that divide by T (Delta) diverge, as they should.
        check_range("t_ref", self.t_ref, low=0.0, high=2000.0, low_inclusive=True, units="K")
        check_range(
            "anisotropy_exponent", self.anisotropy_exponent, low=0.0, high=10.0, low_inclusive=True, high_inclusive=True
        )
        check_range(
            "interfacial_fraction",
            self.interfacial_fraction,
            low=0.0,
            high=1.0,
            low_inclusive=True,
            high_inclusive=True,
        )
        check_range(
            "exchange_stiffness", self.exchange_stiffness, low=0.0, high=1e-10, high_inclusive=True, units="J/m"
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
            t_max = float(np.max(self.t_ref))
            limit = t_max**-1.5 if t_max > 0 else np.inf  # P(t_ref) > 0
            check_range(
                "tmr_bloch_coefficient",
                self.tmr_bloch_coefficient,
                low=0.0,
                high=limit,
                low_inclusive=True,
                units="K^-1.5",
            )
        ensemble_size(self)  # raises on incompatible array shapes
        # The models are for perpendicular free layers: K_eff > 0 is required.
        k_demag = 0.5 * MU0 * np.asarray(self.ms) ** 2 * self.demag_factor_difference
        in_plane = np.asarray(self.ku) <= k_demag
        if np.any(in_plane):
            ku, kd = _first_where(in_plane, self.ku, k_demag)
            raise ValueError(
                f"ku = {ku!r} J/m^3 makes the free layer in-plane: a perpendicular MTJ needs "
                f"ku > (mu0*ms^2/2)(N_zz - N_xx) = {kd:.6g} J/m^3 (allowed range ({kd:.6g}, 1e8) J/m^3)"
            )
        if np.any(np.asarray(self.diameter) > self.macrospin_max_diameter):
            # One fixed text, so that the warning registry shows it once per call site.
            warnings.warn(
                "diameter exceeds the macrospin validity limit macrospin_max_diameter = (16/pi) sqrt(A/K_eff): "
                "such a layer reverses by domain nucleation (Sato et al., APL 105, 062403, 2014), and the "
                "macrospin Delta and I_c0 overestimate it",
                UserWarning,
                stacklevel=3,
            )
        self._check_torque_and_offset()

    def _check_torque_and_offset(self):
        """Raise ``ValueError`` unless 1 + alpha r > 0 and |h_offset| < H_K,eff."""
        gain = 1.0 + self.alpha * self.field_like_ratio
        if np.any(gain <= 0.0):
            r, a = (float(v) for v in _first_where(gain == np.min(gain), self.field_like_ratio, self.alpha))
            raise ValueError(
                f"field_like_ratio = {r!r} with alpha = {a!r} gives 1 + alpha r = {1.0 + a * r:.6g} <= 0: the "
                f"field-like torque would cancel the damping-like one (allowed range ({-1.0 / a:.6g}, 10] "
                "for this alpha)"
            )
        check_range("h_offset", self.h_offset, low=-1e7, high=1e7, units="A/m")
        if not np.any(self.h_offset != 0.0):
            return
        hk = np.asarray(self.hk_eff, dtype=float)
        unstable = np.abs(self.h_offset) >= hk
        if np.any(unstable):
            h, k = (float(v) for v in _first_where(unstable, self.h_offset, hk))
            raise ValueError(
                f"h_offset = {h!r} A/m: |h_offset| must be below H_K,eff = {k:.6g} A/m so that both states "
                f"stay stable (allowed range ({-k:.6g}, {k:.6g}) A/m)"
            )

    # ------------------------------------------------------------------ geometry
    @property
    def n_devices(self) -> int:
        """Number of devices in the ensemble (1 for scalar fields) [-].

        The array fields broadcast to one 1-D shape, the ``device`` dimension of the
        outputs; scalar fields are shared by every device.
        """
        return ensemble_size(self)

    @property
    def area(self):
        r"""Junction area :math:`A = \pi d^2 / 4` [m^2] (float, or array for an ensemble)."""
        return np.pi * self.diameter**2 / 4.0

    @property
    def volume(self):
        """Free-layer volume V = A t_F [m^3] (float, or array for an ensemble)."""
        return self.area * self.thickness

    # ------------------------------------------------------------------ magnetics
    @functools.cached_property
    def demag_factor_difference(self):
        r"""Shape-anisotropy factor N_zz - N_xx of the free-layer cylinder [-].

        .. math:: \Delta N = N_{zz}(t_F / d) - N_{xx}(t_F / d)

        Magnetometric factors of a cylinder of aspect ratio t_F / d (Joseph 1966;
        Chen, Brug and Goldfarb 1991), :func:`spinaps.device.demag.demag_factor_difference`;
        1 in the thin-film limit, 0.866 for a 40 nm x 1.3 nm disk.  Computed once per
        instance (the elliptic integrals dominate the derived properties of a large
        ensemble; the fields are frozen, so the value cannot go stale).
        """
        value = demag_factor_difference(self.diameter, self.thickness)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False  # shared by every later access
        return value

    @property
    def k_eff(self):
        r"""Effective anisotropy K_eff = K_u - (mu0 M_s^2 / 2)(N_zz - N_xx) [J/m^3].

        .. math:: K_\mathrm{eff} = K_u - \frac{\mu_0 M_s^2}{2} (N_{zz} - N_{xx})

        At ``t_ref``; positive for every valid parameter set (perpendicular layer).
        """
        return self.ku - 0.5 * MU0 * self.ms**2 * self.demag_factor_difference

    @property
    def macrospin_max_diameter(self):
        r"""Largest diameter for which the macrospin picture holds, (16 / pi) sqrt(A / K_eff) [m].

        A reversed domain bounded by a wall across the disk (wall energy per area
        sigma_w = 4 sqrt(A K_eff), Hubert and Schaefer 1998, citation key ``Hubert1998``) costs sigma_w d t_F; the
        coherent barrier is K_eff (pi d^2 / 4) t_F.  The wall path is cheaper, and
        reversal proceeds by nucleation and wall motion rather than coherent rotation,
        once

        .. math:: d > d_c = \frac{16}{\pi} \sqrt{\frac{A}{K_\mathrm{eff}}}

        (an estimate: Sato et al., APL 105, 062403, 2014, observe Delta(D) departing
        from the macrospin K_eff V above about 30 nm in their double-interface stack).
        A is ``exchange_stiffness`` (assumed 1.5e-11 J/m by default).  At ``t_ref``.
        """
        return 16.0 / np.pi * np.sqrt(self.exchange_stiffness / self.k_eff)

    def at_thickness(self, thickness) -> MTJParams:
        r"""The same stack with the free-layer thickness ``thickness`` [m].

        K_u follows its origin (:func:`anisotropy_at_thickness`): K_i and K_b are
        kept, K_u(t') = K_u [f t_F / t' + 1 - f], f = ``interfacial_fraction`` (updated
        to the new thickness).  The demagnetising factors follow the new aspect ratio.

        Sensitivity of Delta = K_eff V / (k_B T) to t_F at fixed diameter (first
        order): with K_d = mu0 M_s^2 / 2 and Delta N = N_zz - N_xx,

        .. math::

           \frac{d \ln \Delta}{d \ln t_F}
           = \frac{(1 - f) K_u - K_d \Delta N
                    - K_d\, d\Delta N / d\ln t_F}{K_\mathrm{eff}},

        since K_eff t_F = f K_u t_F^0 + [(1 - f) K_u - K_d Delta N] t_F.  For a purely
        interfacial layer (f = 1) it is -(K_d / K_eff)(Delta N + d Delta N / d ln t):
        -7.47 for Ikeda2010 (K_d / K_eff = 9.79, Delta N = 0.866,
        d Delta N / d ln t = -0.103), so a 3 % thickness spread gives a Delta spread
        of about 22 % (29 % with the thin-film Delta N = 1); for a bulk layer (f = 0)
        it is 1 + 0.103 K_d / K_eff, about +2 (Delta follows the volume, and the shape
        anisotropy weakens as the disk thickens).

        Parameters
        ----------
        thickness : float or array [m]
            New free-layer thickness t', in (0, 100 nm].

        Returns
        -------
        MTJParams
            A copy with ``thickness``, ``ku`` and ``interfacial_fraction`` replaced.

        Raises
        ------
        ValueError
            If the new parameters are invalid (e.g. a thick interfacial layer turns
            in-plane).

        Examples
        --------
        >>> from spinaps.device import preset
        >>> p = preset("Ikeda2010")
        >>> round(float(p.at_thickness(1.01 * p.thickness).delta(300.0) / p.delta(300.0)), 3)
        0.925
        """
        ku, fraction = anisotropy_at_thickness(self.ku, self.interfacial_fraction, self.thickness, thickness)
        scalar = np.ndim(ku) == 0
        return dataclasses.replace(
            self,
            thickness=thickness,
            ku=float(ku) if scalar else ku,
            interfacial_fraction=float(fraction) if np.ndim(fraction) == 0 else fraction,
        )

    @property
    def hk_eff(self):
        r"""Effective anisotropy field H_K,eff = 2 K_eff / (mu0 M_s) [A/m].

        .. math:: H_{K,\mathrm{eff}} = \frac{2 K_\mathrm{eff}}{\mu_0 M_s}

        At ``t_ref``; the field scale of the reduced field h = H_z / H_K,eff.
        """
        return 2.0 * self.k_eff / (MU0 * self.ms)

    @property
    def energy_barrier(self):
        """Zero-field, zero-current energy barrier E_b = K_eff V [J].

        At ``t_ref``; Delta(T) = E_b / (k_B T) without a temperature law (:meth:`delta`).
        """
        return self.k_eff * self.volume

    def delta(self, temperature=300.0):
        r"""Thermal stability factor Delta(T) = K_eff(T) V / (k_B T) [-].

        .. math::

           \Delta(T) = \frac{K_\mathrm{eff}(T) V}{k_B T}, \qquad
           K_\mathrm{eff}(T) = K_u r^n - \frac{\mu_0 (M_s r)^2}{2} (N_{zz} - N_{xx}), \quad
           r = \frac{M_s(T)}{M_s(t_\mathrm{ref})}

        K_eff(T) follows :meth:`at_temperature` when a temperature law is set
        (r = :meth:`ms_ratio`, n = ``anisotropy_exponent``); without one r = 1 and T
        enters only through k_B T.

        Parameters
        ----------
        temperature : float or array [K]
            Temperature, in (0, T_MAX] (``spinaps.params.T_MAX``; Delta diverges at
            0 K) and below ``curie_temperature`` if set; an array broadcasts against
            the ensemble.

        Returns
        -------
        float or numpy.ndarray [-]
            Delta, broadcast over the ensemble and ``temperature``.

        Raises
        ------
        ValueError
            If ``temperature`` is not in (0, T_MAX] K, or not below
            ``curie_temperature``.

        Examples
        --------
        >>> from spinaps.device import preset
        >>> round(float(preset("Ikeda2010").delta(300.0)), 6)
        40.0
        """
        check_temperature(temperature, allow_zero=False)
        temperature = np.asarray(temperature, dtype=float)
        r = self.ms_ratio(temperature)
        k_d = 0.5 * MU0 * (self.ms * r) ** 2 * self.demag_factor_difference
        k_eff = self.ku * r**self.anisotropy_exponent - k_d
        return k_eff * self.volume / (K_B * temperature)

    # ------------------------------------------------------------------ temperature
    def ms_ratio(self, temperature):
        r"""M_s(T) / M_s(t_ref) from the Bloch law (1 without ``curie_temperature``) [-].

        M_s(T) = M_s(0) [1 - (T / T_C)^(3/2)] (Bloch 1930); T must stay below T_C:

        .. math::

           \frac{M_s(T)}{M_s(t_\mathrm{ref})}
           = \frac{1 - (T / T_C)^{3/2}}{1 - (t_\mathrm{ref} / T_C)^{3/2}}

        Parameters
        ----------
        temperature : float or array [K]
            Temperature, in [0, T_C) (checked only when ``curie_temperature`` is set).

        Returns
        -------
        numpy.ndarray [-]
            The ratio, broadcast over the ensemble and ``temperature`` (ones, shaped as
            ``temperature``, without a temperature law).

        Raises
        ------
        ValueError
            If ``curie_temperature`` is set and ``temperature`` is negative, not finite,
            or not below the smallest ``curie_temperature``.

        References
        ----------
        * Bloch, F., "Zur Theorie des Ferromagnetismus", Z. Phys. 61, 206-219 (1930):
          the T^(3/2) law (not in ``spinaps/references.bib``; not cited by the code).
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
        r"""The parameters at ``temperature`` [K] (a scalar).

        * M_s(T) = M_s(t_ref) b(T) / b(t_ref), b(T) = 1 - (T / T_C)^(3/2) (Bloch law);
        * K_u(T) = K_u(t_ref) [M_s(T) / M_s(t_ref)]^n (Callen-Callen scaling; the
          demagnetising term mu0 M_s(T)^2 / 2 follows M_s), hence Delta(T), H_K,eff(T),
          I_c0(T) and tau_D(T);
        * TMR(T) = 2 P(T)^2 / (1 - P(T)^2) with the Julliere polarisation
          P(t_ref) = sqrt(TMR0 / (2 + TMR0)) scaled by (1 - a T^(3/2)) / (1 - a t_ref^(3/2))
          (Shang et al. 1998):

          .. math::

             P_J(T) = \sqrt{\frac{\mathrm{TMR}_0}{2 + \mathrm{TMR}_0}}\,
             \frac{1 - a T^{3/2}}{1 - a t_\mathrm{ref}^{3/2}}, \qquad
             \mathrm{TMR}(T) = \frac{2 P_J(T)^2}{1 - P_J(T)^2}.

        Without a temperature law the parameters are returned unchanged.  The spin
        polarisation of the torque, the damping and RA are held constant (assumed).

        Parameters
        ----------
        temperature : float [K]
            Operating temperature, a scalar in [0, T_MAX] (``spinaps.params.T_MAX``),
            below ``curie_temperature`` if set.

        Returns
        -------
        MTJParams
            A copy with ``ms``, ``ku`` (Bloch and Callen-Callen laws) and ``tmr0``
            (Shang law) at ``temperature`` and ``t_ref = temperature``; ``self`` itself
            when there is no temperature law or ``temperature`` equals a scalar
            ``t_ref``.

        Raises
        ------
        ValueError
            If ``temperature`` is not a scalar in [0, T_MAX] K or not below
            ``curie_temperature``, or if the converted parameters are invalid (e.g. the
            layer turns in-plane as K_u(T) falls faster than mu0 M_s(T)^2 / 2).

        References
        ----------
        * Shang, C. H., Nowak, J., Jansen, R. and Moodera, J. S., "Temperature
          dependence of magnetoresistance and surface magnetization in ferromagnetic
          tunnel junctions", Phys. Rev. B 58, R2917-R2920 (1998); citation key
          ``Shang1998``.
        * Julliere, M., "Tunneling between ferromagnetic films", Phys. Lett. A 54,
          225-226 (1975): TMR = 2 P^2 / (1 - P^2); citation key ``Julliere1975``.
        * Bloch, F., Z. Phys. 61, 206 (1930), and Callen, H. B. and Callen, E. R.,
          J. Phys. Chem. Solids 27, 1271 (1966): the M_s(T) and K_u(T) laws (not in
          ``spinaps/references.bib``).

        Examples
        --------
        >>> from spinaps.device import preset
        >>> p = preset("Ikeda2010")  # carries a TMR law (tmr_bloch_coefficient)
        >>> round(float(p.at_temperature(358.15).tmr0), 4)
        1.0768
        >>> p.at_temperature(300.0) is p
        True
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
    def tau_d(self):
        r"""Damping (relaxation) time tau_D = (1 + alpha^2) / (alpha gamma0 H_K,eff) [s].

        Not the Neel-Brown attempt time: the mean escape time is
        tau_D sqrt(pi / Delta) e^Delta (Brown 1963), not tau_D e^Delta
        (:func:`~spinaps.device.switching.thermal_escape_time`; a calibrated attempt
        time is the field ``attempt_time``).  Formerly ``tau0`` (deprecated alias until
        spinaps 0.2.0).

        .. math:: \tau_D = \frac{1 + \alpha^2}{\alpha \gamma_0 H_{K,\mathrm{eff}}}

        It sets the time scale of every switching model: the small-angle growth rate
        above the critical current is (I / I_c0 - 1) / tau_D (Sun 2000; citation key
        ``Sun2000``).  At ``t_ref``; the device functions use tau_D(T).
        """
        return (1.0 + self.alpha**2) / (self.alpha * GAMMA0 * self.hk_eff)

    @property
    def f_fmr(self):
        r"""Small-angle (Kittel) precession frequency gamma0 H_K,eff / (2 pi (1 + alpha^2)) [Hz].

        .. math:: f_\mathrm{FMR} = \frac{\gamma_0 H_{K,\mathrm{eff}}}{2 \pi (1 + \alpha^2)}

        Kittel, C., "On the Theory of Ferromagnetic Resonance Absorption", Phys. Rev. 73,
        155-161 (1948); citation key ``Kittel1948``.
        """
        return GAMMA0 * self.hk_eff / (2.0 * np.pi * (1.0 + self.alpha**2))

    @property
    def stt_field_per_ampere(self):
        r"""Damping-like STT amplitude per unit current, a_J / I = hbar P / (2 e mu0 M_s V) [A/m per A].

        .. math:: \frac{a_J}{I} = \frac{\hbar P}{2 e \mu_0 M_s V}

        The constant-efficiency (eta = P) Slonczewski torque (Slonczewski 1996; citation
        key ``Slonczewski1996``).
        """
        return HBAR * self.polarization / (2.0 * E_CHARGE * MU0 * self.ms * self.volume)

    @property
    def ic0(self):
        r"""Zero-temperature critical current I_c0 = alpha H_K,eff / [(a_J / I)(1 + alpha r)] [A].

        Equivalent to I_c0 = (2 e alpha / (hbar eta (1 + alpha r))) mu0 M_s H_K,eff V
        with eta = P (Sun 2000; citation key ``Sun2000``) and r the
        ``field_like_ratio`` (see the class Notes: the field-like torque multiplies the
        drive by 1 + alpha r in the collinear geometry):

        .. math::

           I_{c0} = \frac{\alpha H_{K,\mathrm{eff}}}{(a_J / I)(1 + \alpha r)}
           = \frac{2 e \alpha}{\hbar \eta (1 + \alpha r)} \mu_0 M_s H_{K,\mathrm{eff}} V

        The instability threshold of the collinear macrospin at zero temperature and
        zero field with the constant efficiency, at ``t_ref``; it is the current
        scale of the reduced current i = I / I_c0 of every model.  The device functions
        use I_c0(T); :meth:`ic0_direction` gives the threshold of one write direction
        (Slonczewski efficiency, offset and applied field).
        """
        return self.alpha * self.hk_eff / (self.stt_field_per_ampere * self.torque_gain)

    @property
    def torque_gain(self):
        """Factor 1 + alpha r by which the field-like torque (r = ``field_like_ratio``)
        multiplies the drive of the collinear macrospin [-] (see the class Notes)."""
        return 1.0 + self.alpha * self.field_like_ratio

    @property
    def h_offset_reduced(self):
        """Reduced offset field h_offset / H_K,eff along the reference layer [-] (at ``t_ref``)."""
        return self.h_offset / self.hk_eff

    def ic0_direction(self, direction="ap_to_p", stt_form="slonczewski", *, temperature=None, h_applied=0.0):
        r"""Zero-temperature critical current of one write direction [A].

        .. math::

           I_{c0}^{\mathrm{dir}} = I_{c0} (1 + h) (1 + c), \qquad
           h = \frac{H_\mathrm{applied} + s H_\mathrm{offset}}{H_{K,\mathrm{eff}}}, \quad
           c = \pm P^2 \ (\text{Slonczewski}), \ 0 \ (\text{constant})

        with s = -1 for AP->P (the initial state points against the reference layer)
        and +1 for P->AP, and c = -P^2 (AP->P) or +P^2 (P->AP) for the Slonczewski
        tunnel-junction efficiency eta = P / (1 + P^2 cos theta) at the initial state
        (Slonczewski 2005): eta = P / (1 - P^2) at theta = pi (AP), P / (1 + P^2) at
        theta = 0 (P).  The threshold is where the drift
        (1 - x^2)(x + h - i g(x)), g = 1 / (1 + c x), changes sign at the initial pole
        x = 1.  The efficiency depends on ``polarization``, not on the TMR: the
        bias-dependent TMR changes the voltage V = I R(V) that drives I_c0, not I_c0.

        Parameters
        ----------
        direction : {"ap_to_p", "p_to_ap"}
            The write (see :func:`spinaps.device.simulate`).
        stt_form : {"constant", "slonczewski"}
            Spin-torque efficiency form (default the Slonczewski one, the
            :class:`~spinaps.design.Design` default).
        temperature : float, optional [K]
            Operating temperature (default: ``t_ref``, no conversion).
        h_applied : float [A/m]
            Applied field along +z of the reversal (the initial state's direction).

        Returns
        -------
        float or numpy.ndarray [A]
            The threshold, broadcast over the ensemble.

        Raises
        ------
        ValueError
            For an unknown ``direction`` or ``stt_form``, a non-finite ``h_applied``
            or an invalid ``temperature``.

        References
        ----------
        * Slonczewski, J. C., Phys. Rev. B 71, 024411 (2005); citation key
          ``Slonczewski2005``.
        * Sun, J. Z., Phys. Rev. B 62, 570-578 (2000); citation key ``Sun2000``.

        Examples
        --------
        >>> from spinaps.device import preset
        >>> p = preset("Ikeda2010")  # I_c0 = 49 uA, P = 0.555
        >>> [f"{p.ic0_direction(d) * 1e6:.1f}" for d in ("ap_to_p", "p_to_ap")]
        ['33.9', '64.1']
        """
        p = self if temperature is None else self.at_temperature(temperature)
        h = p.reduced_field(direction, h_applied)
        if stt_form not in STT_FORMS:
            raise ValueError(f"stt_form = {stt_form!r}; allowed: {', '.join(map(repr, STT_FORMS))}")
        c = STT_FORMS[stt_form] * DIRECTIONS[direction] * p.polarization**2
        return p.ic0 * (1.0 + h) * (1.0 + c)

    def reduced_field(self, direction="ap_to_p", h_applied=0.0):
        """Reduced field h = (H_applied + s H_offset) / H_K,eff along +z of a write [-].

        Parameters
        ----------
        direction : {"ap_to_p", "p_to_ap"}
            The write: s = -1 (AP->P, the reference layer points along -z of the
            reversal) or +1 (P->AP).
        h_applied : float [A/m]
            Applied field along +z of the reversal (the initial state's direction).

        Returns
        -------
        float or numpy.ndarray [-]
            At ``t_ref`` (use :meth:`at_temperature` first for another temperature).

        Raises
        ------
        ValueError
            For an unknown ``direction`` or a non-finite ``h_applied``.
        """
        if direction not in DIRECTIONS:
            raise ValueError(f"direction = {direction!r}; allowed: {', '.join(map(repr, DIRECTIONS))}")
        check_range("h_applied", h_applied, units="A/m")
        return (float(h_applied) + DIRECTIONS[direction] * self.h_offset) / self.hk_eff

    def delta_state(self, state, temperature=300.0):
        r"""Thermal stability factor of one stored state in the offset field [-].

        .. math::

           \Delta_{P} = \Delta (1 + h)^2, \qquad \Delta_{AP} = \Delta (1 - h)^2,
           \qquad h = H_\mathrm{offset} / H_{K,\mathrm{eff}}(T)

        the barrier E_b(h) = K_eff V (1 + h)^2 of the Stoner-Wohlfarth uniaxial energy
        with a field along the easy axis, over k_B T (Brown 1963; Coffey et al. 1994).

        Parameters
        ----------
        state : {"p", "ap"}
            The stored state: parallel or antiparallel to the reference layer.
        temperature : float [K]
            In (0, T_MAX] (a scalar), the parameters' temperature law applies.

        Returns
        -------
        float or numpy.ndarray [-]

        Raises
        ------
        ValueError
            For an unknown ``state`` or an invalid ``temperature``.

        Examples
        --------
        >>> import dataclasses
        >>> from spinaps.device import preset
        >>> p = dataclasses.replace(preset("Ikeda2010"), h_offset=0.1 * float(preset("Ikeda2010").hk_eff))
        >>> [round(float(p.delta_state(s)), 4) for s in ("p", "ap")]
        [48.4, 32.4]
        """
        if state not in STATES:
            raise ValueError(f"state = {state!r}; allowed: {', '.join(map(repr, STATES))}")
        check_temperature(temperature, allow_zero=False)
        p = self.at_temperature(temperature)
        return p.delta(temperature) * (1.0 + STATES[state] * p.h_offset_reduced) ** 2

    # ------------------------------------------------------------------ transport
    @property
    def r_p(self):
        """Parallel-state resistance R_P = RA / A [Ohm] (bias independent; at ``t_ref``)."""
        return self.ra / self.area

    @property
    def r_ap(self):
        """Zero-bias antiparallel-state resistance R_AP = R_P (1 + TMR0) [Ohm].

        At ``t_ref``; :meth:`r_ap_at` gives it at a bias, :meth:`at_temperature` at
        another temperature.
        """
        return self.r_p * (1.0 + self.tmr0)

    def tmr(self, v=0.0):
        r"""Bias-dependent TMR(V) = TMR0 / (1 + V^2 / V_h^2) [-].

        .. math:: \mathrm{TMR}(V) = \frac{\mathrm{TMR}_0}{1 + V^2 / V_h^2}

        An empirical Lorentzian roll-off that halves the TMR at ``v_half``.

        Parameters
        ----------
        v : float or array [V]
            Junction bias (either polarity).

        Returns
        -------
        float or numpy.ndarray [-]
            TMR, broadcast over the ensemble and ``v``.

        Raises
        ------
        ValueError
            If ``v`` is not finite.

        Examples
        --------
        >>> from spinaps.device import preset
        >>> p = preset("Ikeda2010")  # tmr0 = 1.2, v_half = 0.5 V
        >>> float(p.tmr(0.5))
        0.6
        """
        v = np.asarray(v, dtype=float)
        if not np.all(np.isfinite(v)):
            raise ValueError(f"v must be finite, got {v!r}")
        with np.errstate(over="ignore"):  # (v / v_half)^2 = inf gives the limit TMR = 0 exactly
            return self.tmr0 / (1.0 + (v / self.v_half) ** 2)

    def r_ap_at(self, v=0.0):
        """Antiparallel resistance at bias ``v``: R_P (1 + TMR(V)) [Ohm].

        Parameters
        ----------
        v : float or array [V]
            Junction bias (either polarity; default 0 gives :attr:`r_ap`).

        Returns
        -------
        float or numpy.ndarray [Ohm]
            R_AP(V), broadcast over the ensemble and ``v``.

        Raises
        ------
        ValueError
            If ``v`` is not finite (see :meth:`tmr`).

        Examples
        --------
        >>> from spinaps.device import preset
        >>> round(float(preset("Ikeda2010").r_ap_at(0.5)), 1)
        12732.4
        """
        return self.r_p * (1.0 + self.tmr(v))

    # ------------------------------------------------------------------ ensembles
    def device(self, index: int) -> MTJParams:
        """The scalar parameter set of device ``index`` of an ensemble.

        Parameters
        ----------
        index : int [-]
            Device index, in [-n_devices, n_devices) (negative counts from the end, as
            in Python sequences).

        Returns
        -------
        MTJParams
            A single device: every array field replaced by its element ``index`` (as a
            float), the scalar fields unchanged.

        Raises
        ------
        IndexError
            If ``index`` is out of range.

        Examples
        --------
        >>> import dataclasses, numpy as np
        >>> from spinaps.device import preset
        >>> ens = dataclasses.replace(preset("Ikeda2010"), diameter=np.array([38e-9, 40e-9]))
        >>> ens.device(-1).diameter, ens.device(0).n_devices
        (4e-08, 1)
        """
        n = self.n_devices
        if not -n <= index < n:
            raise IndexError(f"device index {index} out of range for an ensemble of {n}")
        values = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            values[f.name] = float(np.broadcast_to(v, (n,))[index]) if isinstance(v, np.ndarray) else v
        return MTJParams(**values)

    def broadcast(self, n: int | None = None) -> dict:
        """Per-device float64 arrays of every numeric field, length ``n`` (default: ensemble size).

        Parameters
        ----------
        n : int, optional [-]
            Number of devices (default :attr:`n_devices`); a single device can be
            broadcast to any ``n``, an ensemble only to its own size.

        Returns
        -------
        dict of str -> numpy.ndarray
            ``{field: array of shape (n,)}`` [units of each field] for every float field
            and every optional field that is not ``None``; read-only broadcast views.

        Raises
        ------
        ValueError
            If an ensemble of more than one device cannot be broadcast to ``n``.

        Examples
        --------
        >>> from spinaps.device import preset
        >>> arrays = preset("Ikeda2010").broadcast(3)
        >>> arrays["diameter"].shape, "attempt_time" in arrays
        ((3,), False)
        """
        n = self.n_devices if n is None else n
        if self.n_devices not in (1, n):
            raise ValueError(f"an ensemble of {self.n_devices} devices cannot be broadcast to {n} devices")
        names = _FLOAT_FIELDS + tuple(f for f in _OPTIONAL_FIELDS if getattr(self, f) is not None)
        return {name: np.broadcast_to(np.asarray(getattr(self, name), float), (n,)) for name in names}
