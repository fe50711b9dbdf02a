"""The 1T-1MTJ bitcell (:class:`MTJBitcell`): write sizing, read margins and error rates.

The cell is one NMOS access transistor in series with the MTJ between the bitline and
the source line.  Writing drives the current ``i_write`` through both in either
direction; in one direction the MTJ sits on the transistor's source and lowers its
gate-source voltage (source degeneration), so that direction sets the width.  Reading
applies ``v_read`` across the cell and compares its current with a reference current
midway between a P and an AP reference cell (current sensing, as NVSim's reference
scheme).  Error rates come from the device layer: the write error rate of the pulse
(Fokker-Planck), the read disturb of one read, the retention failure over a storage
time, and the read decision error from the spread of R_P and R_AP across an ensemble
and the sense amplifier's offset.

Transistor model: the saturation current of width W at gate-source voltage V_GS is
W i_on [(V_GS - V_th) / (V_dd - V_th)]^a (alpha-power law; Sakurai and Newton, IEEE
JSSC 1990; a = 1.3 assumed for short channels), and its linear-region resistance
r_eff (V_dd - V_th) / ((V_GS - V_th) W) with CACTI's effective resistance r_eff.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import xarray as xr
from scipy import special

from .. import literature
from ..deprecation import renamed_fields
from ..device import MTJParams, heating
from ..device.error_rates import (
    pulse_for_wer,
    read_disturb_probability,
    retention_failure_probability,
    write_error_rate,
)
from ..device.tools import STT_FORMS
from ..params import check_choice, check_range, check_temperature
from ..provenance import annotate, finalize
from .technology import Technology

__all__ = ["MTJBitcell", "DIRECTIONS", "cell_area_f2", "mtj_footprint_f2", "CELL_AREA_K", "INTEL_22FFL_CELL_F2"]

#: Write directions: the state written.  ``"p_to_ap"`` starts in P (R_P), ``"ap_to_p"`` in AP.
DIRECTIONS = ("p_to_ap", "ap_to_p")
_TEN_YEARS = 10 * 365.25 * 86400.0


@renamed_fields(t_write="t_pulse")
@dataclass(frozen=True)
class MTJBitcell:
    r"""A 1T-1MTJ cell: write sizing, read margins and error rates.

    One NMOS access transistor in series with the MTJ between the bitline and the
    source line (see the module notes for the transistor model and the read scheme).
    The error rates come from the device layer's Fokker-Planck solver; the figures are
    per device when ``mtj`` is an ensemble.

    Parameters
    ----------
    mtj : MTJParams
        The junction (a device or an ensemble: figures are per device).
    tech : Technology
        The CMOS node of the access transistor.
    i_write : float, optional [A]
        Write current in both directions, in (0, 10 mA) (default 2 I_c0 at
        ``temperature`` of the device with the largest I_c0, i.e. of the only device
        for a single MTJ; assumed).
    t_pulse : float, optional [s]
        Write pulse width, in (0, 1 s); default: the pulse reaching ``target_wer``
        (worst direction, worst device).  ``t_write`` is its deprecated name.
    target_wer : float [1]
        Target write error rate used when ``t_pulse`` is not given, in (1e-300, 1)
        (default 1e-9).
    v_read : float [V]
        Read voltage across the cell, in (0, V_dd) (default 0.1 V, assumed).
    t_read : float [s]
        Duration of the read current, i.e. the sense time, in (0, 1 ms) (default 2 ns,
        assumed; the array model computes it from the bitline).
    sense_offset : float [A]
        Standard deviation of the sense amplifier's input-referred current offset, >= 0
        (default 0.1 uA, assumed).
    degenerated : {"p_to_ap", "ap_to_p"}
        The write direction in which the MTJ is on the transistor's source (default
        ``"p_to_ap"``, the usual bottom-pinned connection; assumed).
    alpha_power : float [1]
        Exponent a of the alpha-power law, in [1, 2] (default 1.3, assumed).
    temperature : float [K]
        Temperature of the device figures, in (0, 2000] (default 300 K).
    t_storage : float [s]
        Storage time of the retention figure, > 0 (default 10 years).
    stt_form : {"slonczewski", "constant"}
        Spin-torque efficiency of the device model (default ``"slonczewski"``, which
        makes the two directions differ).
    v_write : float, optional [V]
        Write supply and gate voltage, in (V_th, 5) (default the node's V_dd; a boosted
        write supply is common and may be given here).
    min_area_f2 : float [F^2]
        Layout floor of the cell area in F^2, in [0, 1000] (default 0: the transistor
        rule and the pillar footprint alone).  The rule is calibrated to NVSim's planar
        sample cells, which lie 1.7-2.9x below silicon; :data:`INTEL_22FFL_CELL_F2`
        (about 100 F^2) is a silicon-based floor.
    joule_heating : bool
        Whether the write current heats the junction (default False): the write pulse
        and the write error rates are then taken at the junction temperature of each
        direction's initial state (:func:`spinaps.device.heating.junction_temperature`,
        ``temperature`` being the ambient); read disturb and retention stay at
        ``temperature``.
    thermal_resistance : float or None [K/W]
        Thermal resistance of the junction with ``joule_heating``, in [0, 1e12]
        (default None: the area-scaled
        :func:`spinaps.device.heating.default_thermal_resistance`, assumed).
    area_f2 : float or None [F^2]
        A given cell area in F^2, in (0, 1000] (default None: our transistor rule,
        the pillar footprint and ``min_area_f2``).  A cell read from an NVSim file
        (:func:`spinaps.circuit.from_nvsim_cell`) gives the file's area here, as NVSim
        takes it; the figures' attribute ``area_source`` says which.
    aspect_ratio : float or None [1]
        Cell height / width, in [0.1, 10] (default None: the array takes a square
        cell); the NVSim file's ``CellAspectRatio`` for a cell read from one.
    access_width_f : float or None [F]
        A given access-transistor width in units of F, in [1, 100] (default None:
        sized for the write current, :meth:`access_width`).  With a given width the
        write current is still checked against it: a warning says when the width is
        narrower than the sizing needs.

    Attributes
    ----------
    write_voltage : float [V]
        Write supply and gate voltage: ``v_write``, else the node's V_dd.
    write_current : float [A]
        The write current: ``i_write``, else its default.

    Raises
    ------
    TypeError
        If ``mtj`` is not an :class:`~spinaps.device.MTJParams` or ``tech`` not a
        :class:`Technology`.
    ValueError
        If a field is outside its range (the message names the field, the value and
        the range) or ``degenerated`` is not one of :data:`DIRECTIONS`.

    See Also
    --------
    Array : a sub-array of these cells with its peripherals.
    spinaps.circuit.chip_cells : every cell with its own device.

    Notes
    -----
    The cell area is ``area_f2`` if given, else the largest of the transistor rule
    :func:`cell_area_f2`, the pillar footprint :func:`mtj_footprint_f2` and
    ``min_area_f2``; the access width is ``access_width_f`` F if given, else the larger
    of the two directions' (:meth:`access_width`).  The write energy is
    drawn from the write supply,

    .. math:: E_\mathrm{write} = V_\mathrm{write} \, I_\mathrm{write} \, t_\mathrm{pulse},

    and the read energy counts the cell and its reference cell,
    :math:`E_\mathrm{read} = 2 \, V_\mathrm{read} \, (I_P + I_{AP})/2 \; t_\mathrm{read}`.

    References
    ----------
    * X. Dong, C. Xu, Y. Xie and N. P. Jouppi, "NVSim: a circuit-level performance,
      energy, and area model for emerging nonvolatile memory", IEEE Trans.
      Comput.-Aided Des. Integr. Circuits Syst. 31(7), 994-1007 (2012); citation key
      ``Dong2012``.
    * R. Balasubramonian, A. B. Kahng, N. Muralimanohar, A. Shafiee and V. Srinivas,
      "CACTI 7: New tools for interconnect exploration in innovative off-chip
      memories", ACM Trans. Archit. Code Optim. 14(2), 14:1-14:25 (2017); citation
      key ``Balasubramonian2017``.
    * T. Sakurai and A. R. Newton, "Alpha-power law MOSFET model and its applications
      to CMOS inverter delay and other formulas", IEEE J. Solid-State Circuits 25(2),
      584-594 (1990); citation key ``SakuraiNewton1990``.

    Examples
    --------
    >>> from spinaps.circuit import MTJBitcell, technology
    >>> from spinaps.device import preset
    >>> mtj = preset("Ikeda2010")
    >>> cell = MTJBitcell(mtj, technology(28), i_write=1.5 * float(mtj.ic0), t_pulse=60e-9, v_write=1.2)
    >>> cell.write_voltage, cell.write_pulse()
    (1.2, 6e-08)
    >>> ds = cell.figures()   # doctest: +SKIP
    """

    mtj: MTJParams
    tech: Technology
    i_write: float | None = None
    t_pulse: float | None = None
    target_wer: float = 1e-9
    v_read: float = 0.1
    t_read: float = 2e-9
    sense_offset: float = 1e-7
    degenerated: str = "p_to_ap"
    alpha_power: float = 1.3
    temperature: float = 300.0
    t_storage: float = _TEN_YEARS
    stt_form: str = "slonczewski"
    v_write: float | None = None
    min_area_f2: float = 0.0
    joule_heating: bool = False
    thermal_resistance: float | None = None
    area_f2: float | None = None
    aspect_ratio: float | None = None
    access_width_f: float | None = None

    def __post_init__(self):
        if not isinstance(self.mtj, MTJParams):
            raise TypeError(f"mtj must be an MTJParams, got {type(self.mtj).__name__}")
        if not isinstance(self.tech, Technology):
            raise TypeError(f"tech must be a Technology, got {type(self.tech).__name__}")
        if self.i_write is not None:
            check_range("i_write", self.i_write, low=0.0, high=1e-2, units="A")
        if self.t_pulse is not None:
            check_range("t_pulse", self.t_pulse, low=0.0, high=1.0, units="s")
        check_range("target_wer", self.target_wer, low=1e-300, high=1.0)
        check_range("v_read", self.v_read, low=0.0, high=self.tech.vdd, units="V")
        check_range("t_read", self.t_read, low=0.0, high=1e-3, units="s")
        check_range("sense_offset", self.sense_offset, low=0.0, low_inclusive=True, units="A")
        check_range("alpha_power", self.alpha_power, low=1.0, high=2.0, low_inclusive=True, high_inclusive=True)
        check_temperature(self.temperature, allow_zero=False)
        check_range("t_storage", self.t_storage, low=0.0, units="s")
        if self.v_write is not None:
            check_range("v_write", self.v_write, low=self.tech.vth, high=5.0, units="V")
        check_range("min_area_f2", self.min_area_f2, low=0.0, high=1000.0, low_inclusive=True, units="F^2")
        if self.area_f2 is not None:
            check_range("area_f2", self.area_f2, low=0.0, high=1000.0, high_inclusive=True, units="F^2")
        if self.aspect_ratio is not None:
            check_range("aspect_ratio", self.aspect_ratio, low=0.1, high=10.0, low_inclusive=True, high_inclusive=True)
        if self.access_width_f is not None:
            check_range(
                "access_width_f", self.access_width_f, low=1.0, high=100.0, low_inclusive=True, high_inclusive=True
            )
        check_choice("degenerated", self.degenerated, DIRECTIONS)
        check_choice("stt_form", self.stt_form, STT_FORMS)
        if not isinstance(self.joule_heating, bool):
            raise ValueError(f"joule_heating = {self.joule_heating!r} must be True or False")
        if self.thermal_resistance is not None:
            check_range(
                "thermal_resistance", self.thermal_resistance, low=0.0, high=1e12, low_inclusive=True, units="K/W"
            )
            if not self.joule_heating:
                raise ValueError(
                    f"thermal_resistance = {self.thermal_resistance!r} K/W is given but joule_heating is False"
                )

    # ------------------------------------------------------------------ write
    @property
    def write_voltage(self) -> float:
        """Write supply and gate voltage [V]: ``v_write``, else the node's V_dd."""
        return float(self.tech.vdd if self.v_write is None else self.v_write)

    @property
    def write_current(self) -> float:
        """The write current [A]: ``i_write``, else 2 I_c0 at ``temperature`` of the device
        with the largest I_c0 (of the ensemble, if ``mtj`` is one)."""
        if self.i_write is not None:
            return float(self.i_write)
        return 2.0 * float(np.max(self.mtj.at_temperature(self.temperature).ic0))

    def _mtj_resistance(self, direction, current):
        """Resistance of the MTJ in the state a write starts from, at the bias it sees [Ohm]."""
        p = self.mtj.at_temperature(self.temperature)
        if direction == "p_to_ap":
            return np.asarray(p.r_p, dtype=float)
        r = np.asarray(p.r_ap, dtype=float)
        for _ in range(30):  # R_AP(V) with V = I R_AP(V): a contraction (TMR falls with bias)
            r = np.asarray(p.r_ap_at(current * r), dtype=float)
        return r

    def access_width(self, direction) -> np.ndarray:
        r"""Smallest access-transistor width that drives the write current.

        Both conditions hold: the saturation current at the available gate drive
        reaches the write current, and the series resistance R_MTJ + R_on(W) lets it
        flow from the write supply V_w (``write_voltage``, V_dd by default).  In the
        degenerated direction the gate drive is V_GS = V_w - I R_MTJ (else V_w).  With
        the drive :math:`d = (V_{GS} - V_{th}) / (V_{dd} - V_{th})`,

        .. math::

            W = \max\left(\frac{I}{i_{on,n} \, d^{a}},\;
                \frac{r_{eff,n}}{d \, (V_w / I - R_\mathrm{MTJ})},\; F\right),

        never below the minimum width F.  R_MTJ is the resistance of the state the
        write starts from, R_P for ``"p_to_ap"`` and R_AP at the bias I R_AP (a fixed
        point) for ``"ap_to_p"``, at ``temperature``.

        Parameters
        ----------
        direction : {"p_to_ap", "ap_to_p"}
            The write direction (:data:`DIRECTIONS`).

        Returns
        -------
        numpy.ndarray [m]
            The width, per device (0-d for a single device).

        Raises
        ------
        ValueError
            If ``direction`` is unknown, or the write current cannot flow through
            R_MTJ from ``v_write`` (no resistance or no gate drive left for the
            transistor).
        """
        check_choice("direction", direction, DIRECTIONS)
        t, i, v = self.tech, self.write_current, self.write_voltage
        r_mtj = self._mtj_resistance(direction, i)
        headroom = v / i - r_mtj  # resistance left for the transistor [Ohm]
        v_gs = v - i * r_mtj if direction == self.degenerated else np.full_like(r_mtj, v)
        drive = (v_gs - t.vth) / (t.vdd - t.vth)
        if np.any(headroom <= 0) or np.any(drive <= 0):
            raise ValueError(
                f"i_write = {i:.4g} A cannot flow through R_MTJ = {float(np.max(r_mtj)):.4g} Ohm from "
                f"v_write = {v} V ({direction}): lower the current or the RA, or raise v_write"
            )
        w_sat = i / (t.i_on_n * drive**self.alpha_power)
        w_lin = t.r_eff_n / (drive * headroom)
        return np.maximum(np.maximum(w_sat, w_lin), t.feature_size)  # never below the minimum width F

    def write_pulse(self) -> float:
        """The write pulse width: ``t_pulse`` or the pulse reaching ``target_wer`` in the
        worse direction for the worst device.

        The latter is :func:`spinaps.device.pulse_for_wer` at ``write_current``,
        ``temperature`` and ``stt_form`` in both directions (a Fokker-Planck solve at
        every call).

        Returns
        -------
        float [s]
            The pulse width; ``inf`` (with a warning from the device layer) if the write
            current never reaches ``target_wer``.
        """
        if self.t_pulse is not None:
            return float(self.t_pulse)
        pulses = [
            np.max(
                pulse_for_wer(
                    self.mtj,
                    self.write_current,
                    self.target_wer,
                    temperature=self.temperature,
                    stt_form=self.stt_form,
                    direction=d,
                    **self._heating(),
                ).values
            )
            for d in DIRECTIONS
        ]
        return float(max(pulses))

    # ------------------------------------------------------------------ read
    def read_currents(self, width):
        """Cell currents in P and AP at ``v_read`` with the access transistor fully on.

        I_P = V_read / (R_P + R_on(W)); in AP the resistance is taken at the bias the
        MTJ actually sees, the fixed point V = I_AP R_AP(V) (30 iterations), at
        ``temperature``.

        Parameters
        ----------
        width : float or array_like [m]
            Access-transistor width W (e.g. the figures' ``access_width``), > 0.

        Returns
        -------
        i_p, i_ap : numpy.ndarray [A]
            Read currents in P and in AP, per device.

        Raises
        ------
        ValueError
            If ``width`` is not positive.
        """
        p = self.mtj.at_temperature(self.temperature)
        r_t = self.tech.r_on(width)
        i_p = self.v_read / (np.asarray(p.r_p) + r_t)
        r_ap = np.asarray(p.r_ap, dtype=float)
        for _ in range(30):  # the AP resistance at the bias V = I R_AP(V) the MTJ actually sees
            i_ap = self.v_read / (r_ap + r_t)
            r_ap = np.asarray(p.r_ap_at(i_ap * r_ap), dtype=float)
        return np.asarray(i_p, dtype=float), np.asarray(self.v_read / (r_ap + r_t), dtype=float)

    def read_decision_error(self, i_p, i_ap):
        r"""Per-device probabilities of reading P as AP and AP as P.

        The reference current lies midway between the median P and AP currents of the
        ensemble, :math:`I_\mathrm{ref} = (\mathrm{med}\, I_P + \mathrm{med}\, I_{AP})/2`,
        and the sense amplifier has a Gaussian offset of standard deviation
        :math:`\sigma` = ``sense_offset``:

        .. math::

            P(P \to AP) = \tfrac12 \operatorname{erfc}\frac{I_P - I_\mathrm{ref}}{\sqrt2\,\sigma},
            \qquad
            P(AP \to P) = \tfrac12 \operatorname{erfc}\frac{I_\mathrm{ref} - I_{AP}}{\sqrt2\,\sigma}.

        Parameters
        ----------
        i_p, i_ap : array_like [A]
            Read currents in P and in AP per device (:meth:`read_currents`).

        Returns
        -------
        p_as_ap, ap_as_p : numpy.ndarray [1]
            Probabilities of reading a P cell as AP and an AP cell as P, per device.
        """
        i_ref = 0.5 * (np.median(i_p) + np.median(i_ap))
        sigma = max(self.sense_offset, 1e-30)
        p_as_ap = 0.5 * special.erfc((i_p - i_ref) / (np.sqrt(2.0) * sigma))
        ap_as_p = 0.5 * special.erfc((i_ref - i_ap) / (np.sqrt(2.0) * sigma))
        return p_as_ap, ap_as_p

    # ------------------------------------------------------------------ all figures
    def figures(self) -> xr.Dataset:
        """Area, write and read figures and error rates, per device and direction.

        Returns
        -------
        xarray.Dataset
            Dims ``device`` (only if ``mtj`` is an ensemble) and ``direction``
            (``p_to_ap``, ``ap_to_p``); every variable has ``units`` and
            ``long_name``:

            * ``access_width`` (device) [m]: the width driving both directions;
              ``access_width_by_direction`` (device, direction) [m];
            * ``cell_area_f2`` (device) [F^2, units "1"], ``cell_area`` (device)
              [m^2];
            * ``i_write`` [A], ``t_pulse`` [s], ``write_latency`` [s] (the pulse),
              ``write_energy`` [J] per bit from the write supply;
            * ``wer`` (device, direction) [1]: write error rate per programmed bit;
            * ``i_read_p``, ``i_read_ap`` (device) [A], ``sense_margin`` (device) [A],
              (I_P - I_AP) / 2, the margin to the midpoint reference;
              ``read_energy`` (device) [J], cell plus reference cell;
              ``read_latency`` [s], the assumed ``t_read``;
            * ``read_disturb`` (device) [1]: flip probability per read, at the
              largest read current of the ensemble (of either state) in the AP->P
              direction with the cell's ``stt_form``; ``read_error_p``, ``read_error_ap``
              (device) [1] (:meth:`read_decision_error`); ``retention_failure``
              (device) [1]: flip probability over ``t_storage``.  Both flip
              probabilities are the "currently flipped" quantity ``p_flipped`` of
              :func:`spinaps.device.retention_failure_probability` (m_z < 0 at the end
              of the read or of the storage period, tending to 1/2), not the "ever
              escaped" ``p_escape``: a stored bit is lost when it is flipped at the
              moment it is read.  The attribute ``flip_quantity`` records it.

            Attributes record the technology, the read and write settings, the
            parameters and the citations (``Dong2012``, ``Balasubramonian2017``,
            ``SakuraiNewton1990``).

        Raises
        ------
        ValueError
            If the write current cannot flow (:meth:`access_width`), or from the
            device layer (e.g. Delta beyond the Fokker-Planck solver's range).

        References
        ----------
        * X. Dong et al., IEEE Trans. Comput.-Aided Des. Integr. Circuits Syst. 31(7),
          994-1007 (2012) (NVSim); citation key ``Dong2012``.
        * R. Balasubramonian et al., ACM Trans. Archit. Code Optim. 14(2), 14:1-14:25
          (2017) (CACTI 7); citation key ``Balasubramonian2017``.
        * T. Sakurai and A. R. Newton, IEEE J. Solid-State Circuits 25(2), 584-594
          (1990) (the alpha-power law); citation key ``SakuraiNewton1990``.
        """
        t, i = self.tech, self.write_current
        widths = {d: self.access_width(d) for d in DIRECTIONS}
        width = np.maximum(widths["p_to_ap"], widths["ap_to_p"])
        if self.access_width_f is not None:
            given = self.access_width_f * t.feature_size
            if np.any(width > given * (1 + 1e-9)):
                warnings.warn(
                    f"access_width_f = {self.access_width_f} F is narrower than the "
                    f"{float(np.max(width)) / t.feature_size:.3g} F the write current {i:.4g} A needs",
                    UserWarning,
                    stacklevel=2,
                )
            width = np.full_like(width, given)
        t_w = self.write_pulse()
        kw = dict(temperature=self.temperature, stt_form=self.stt_form, **self._heating())
        wers = {d: write_error_rate(self.mtj, i, t_w, direction=d, **kw) for d in DIRECTIONS}
        wer = np.stack([np.broadcast_to(wers[d].values, width.shape) for d in DIRECTIONS], axis=-1)
        e_write = self.write_voltage * i * t_w
        i_p, i_ap = self.read_currents(width)
        p_as_ap, ap_as_p = self.read_decision_error(i_p, i_ap)
        i_disturb = float(np.max(np.maximum(i_p, i_ap)))
        # A stored bit is lost when it is flipped at the moment it is read: both figures
        # are the "currently flipped" probability (quantity="p_flipped"), whatever the
        # method the device layer picks.  The read is taken as the worst case: the
        # largest read current, in the AP->P direction, whose threshold is the lower one
        # in the Slonczewski form.
        # (A device with a calibrated attempt time uses the thermal method, which keeps
        # the constant efficiency but still checks the read against the Slonczewski
        # threshold: its note that it ignores stt_form is expected here.)
        flipped = dict(temperature=self.temperature, quantity="p_flipped")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="method='thermal' ignores stt_form", category=UserWarning)
            disturb = read_disturb_probability(
                self.mtj, i_disturb, self.t_read, stt_form=self.stt_form, direction="ap_to_p", **flipped
            ).values
        retention = retention_failure_probability(self.mtj, self.t_storage, **flipped).values
        if self.area_f2 is not None:
            area_f2 = np.full_like(width, float(self.area_f2))
        else:
            area_f2 = np.maximum(
                np.maximum(cell_area_f2(width, t.feature_size), self.min_area_f2),
                mtj_footprint_f2(np.asarray(self.mtj.diameter, dtype=float), t.feature_size),
            )
        dims = ("device",) if width.ndim else ()
        ddims = dims + ("direction",)

        def var(value, dims_, units, long_name):
            return annotate(xr.Variable(dims_, np.asarray(value, dtype=float)), units, long_name)

        ds = xr.Dataset(
            {
                "access_width": var(width, dims, "m", "access transistor width (both directions)"),
                "access_width_by_direction": var(
                    np.stack([widths[d] for d in DIRECTIONS], axis=-1), ddims, "m", "width needed per write direction"
                ),
                "cell_area_f2": var(area_f2, dims, "1", "cell area in F^2"),
                "cell_area": var(area_f2 * t.feature_size**2, dims, "m^2", "cell area"),
                "i_write": var(i, (), "A", "write current"),
                "t_pulse": var(t_w, (), "s", "write pulse width"),
                "write_latency": var(t_w, (), "s", "cell write latency (the pulse)"),
                "wer": var(wer, ddims, "1", "write error rate per programmed bit"),
                "write_energy": var(
                    e_write, (), "J", "write energy per bit from V_dd (cell and driver), each direction"
                ),
                "i_read_p": var(i_p, dims, "A", "read current in P"),
                "i_read_ap": var(i_ap, dims, "A", "read current in AP"),
                "sense_margin": var(0.5 * (i_p - i_ap), dims, "A", "current margin to the midpoint reference"),
                "read_energy": var(
                    self.v_read * (i_p + i_ap) / 2.0 * self.t_read * 2.0,
                    dims,
                    "J",
                    "read energy per bit, cell plus reference cell (mean of P and AP)",
                ),
                "read_latency": var(self.t_read, (), "s", "sense time (assumed; set by the array)"),
                "read_disturb": var(disturb, dims, "1", "flip probability per read (currently flipped)"),
                "read_error_p": var(p_as_ap, dims, "1", "probability of reading a P cell as AP"),
                "read_error_ap": var(ap_as_p, dims, "1", "probability of reading an AP cell as P"),
                "retention_failure": var(retention, dims, "1", "flip probability over t_storage (currently flipped)"),
            },
            coords={"direction": annotate(xr.Variable("direction", list(DIRECTIONS)), "1", "write direction")},
        )
        if self.joule_heating:
            t_j = np.stack([np.broadcast_to(wers[d].coords["t_junction"].values, width.shape) for d in DIRECTIONS], -1)
            ds["t_junction"] = var(t_j, ddims, "K", "junction temperature during the write pulse")
        return finalize(
            ds,
            params=self.mtj,
            cite=("Dong2012", "Balasubramonian2017", "SakuraiNewton1990")
            + (heating.HEATING_CITES if self.joule_heating else ()),
            technology=t.name,
            v_read=self.v_read,
            t_read=self.t_read,
            sense_offset=self.sense_offset,
            degenerated=self.degenerated,
            temperature=self.temperature,
            t_storage=self.t_storage,
            stt_form=self.stt_form,
            target_wer=self.target_wer,
            joule_heating=int(self.joule_heating),
            thermal_resistance=heating.describe_thermal_resistance(self.thermal_resistance)
            if self.joule_heating
            else "none",
            flip_quantity="p_flipped",
            area_source="transistor rule" if self.area_f2 is None else "given (area_f2, e.g. an NVSim cell file)",
            access_width_source="sized for the write current"
            if self.access_width_f is None
            else f"given (access_width_f = {self.access_width_f} F)",
        )

    def _heating(self) -> dict:
        """The Joule-heating keywords of the device-layer write functions."""
        if not self.joule_heating:
            return {}
        return {"joule_heating": True, "thermal_resistance": self.thermal_resistance}


#: Area per (access width in F + 1), in F^2: 1T-1MTJ cell area = K (W / F + 1) F^2.
#: K = 6 reproduces NVSim's sample STT-RAM cells (Dong et al., IEEE TCAD 2012; files
#: sample_STTRAM.cell: 57.5 F^2 at W = 8.5 F and 54 F^2 at 8 F;
#: sample_STTRAM_aggressive.cell: 34.5 F^2 at 4.5 F) to within 4.3 %; NVSim itself takes
#: the area as an input, so this rule is ours, calibrated to those files.
CELL_AREA_K = 6.0
_INTEL_22FFL = literature.load("published_memory")["intel_22ffl_cell"].require("cell_area", "feature_size")
#: Intel's 22FFL 1T-1MTJ cell, 0.0486 um^2 (216 x 225 nm) at F = 22 nm, in F^2 (about
#: 100; L. Wei et al., ISSCC 2019; the literature table ``published_memory``): a
#: silicon-based floor for ``min_area_f2``.
INTEL_22FFL_CELL_F2 = _INTEL_22FFL["cell_area"] / _INTEL_22FFL["feature_size"] ** 2


def cell_area_f2(width, feature_size):
    """1T-1MTJ cell area in F^2 for an access transistor of ``width``.

    K (W / F + 1) with K = :data:`CELL_AREA_K` = 6, which reproduces NVSim's sample
    STT-RAM cells to within 4.3 % (a rule of ours, calibrated to those files).

    Parameters
    ----------
    width : float or array_like [m]
        Access-transistor width W, > 0.
    feature_size : float [m]
        F.

    Returns
    -------
    numpy.ndarray [F^2]
        The cell area in units of F^2.

    Raises
    ------
    ValueError
        If ``width`` is not positive.

    References
    ----------
    * X. Dong, C. Xu, Y. Xie and N. P. Jouppi, IEEE Trans. Comput.-Aided Des.
      Integr. Circuits Syst. 31(7), 994-1007 (2012) (NVSim, files
      ``sample_STTRAM.cell`` and ``sample_STTRAM_aggressive.cell``); citation key
      ``Dong2012``.

    Examples
    --------
    >>> from spinaps.circuit.bitcell import cell_area_f2
    >>> float(cell_area_f2(8.5 * 22e-9, 22e-9))   # NVSim's sample cell: 57.5 F^2
    57.0
    """
    check_range("width", width, low=0.0, units="m")
    return CELL_AREA_K * (np.asarray(width, dtype=float) / feature_size + 1.0)


def mtj_footprint_f2(diameter, feature_size):
    """Smallest cell the MTJ pillar itself allows, in F^2.

    A square of side d + 2F (the pillar plus an F of spacing on each side; assumed):
    ((d + 2F) / F)^2.

    Parameters
    ----------
    diameter : float or array_like [m]
        MTJ diameter d.
    feature_size : float [m]
        F.

    Returns
    -------
    numpy.ndarray [F^2]
        The footprint in units of F^2.

    Examples
    --------
    >>> from spinaps.circuit.bitcell import mtj_footprint_f2
    >>> float(mtj_footprint_f2(44e-9, 22e-9))
    16.0
    """
    return ((np.asarray(diameter, dtype=float) + 2.0 * feature_size) / feature_size) ** 2
