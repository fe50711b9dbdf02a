"""A memory sub-array with its peripherals (:class:`Array`), for MTJ and SRAM cells.

An NVSim-class model (Dong et al., IEEE TCAD 2012): ``rows`` x ``cols`` cells, one row
read or written per access, ``word_bits`` columns selected through column multiplexers
of degree ``cols / word_bits``, one sense amplifier and one write driver per selected
column.  Every figure has a breakdown by component.

Geometry and wires
------------------
Cell height (along the bitline) sqrt(A r) and width sqrt(A / r) for a cell of area A
and aspect ratio r; the wordline spans ``cols`` cells and the bitline ``rows`` cells
of local wire:

    C_WL = c_wire L_WL + cols c_gate W_a,       R_WL = r_wire L_WL,
    C_BL = c_wire L_BL + rows c_drain W_a / 2,  R_BL = r_wire L_BL

(one access drain per two cells on the bitline: shared contacts, as NVSim).

Periphery
---------
* Row decoder and wordline driver: a chain of inverters of fan-out 4 from a
  minimum inverter to the wordline (``ceil(log4(C_WL / C_min))`` stages) after
  ``ceil(log2(rows) / 2)`` stages of 2-input predecode and NAND (each one FO4 delay):
  delay = (stages) tau_FO4 + 0.38 R_WL C_WL, tau_FO4 = 0.69 r_eff (1 + beta) (4 c_gate
  + c_drain) (a delay of logical effort one per stage; Sutherland, Sproull and
  Harris, *Logical Effort*, 1999), energy C_WL V^2 x 4/3 (the buffer chain's gates add
  a geometric 1/3).
* Column multiplexer: one NMOS per column, sized to pass the write current (NVSim:
  W = I_write / i_on, at least 1.5 F); it adds its drain to the bitline.
* Sense amplifier: CACTI's delay and energy per amplifier (voltage sensing); for MTJ
  cells the bitline must first settle through the cell: 2.3 (R_cell + R_BL / 2)
  (C_BL + C_mux) (to 10 %).  SRAM: the cell current discharges C_BL by the sense swing.
* Write driver: the column multiplexer device's width again (assumed).

Areas of peripheral transistors: (W + 2F)(4F) each (assumed layout rule: a diffusion
width W plus contacts, one contacted gate pitch 4F), times the transistors per block:
per row the decoder NAND (4 min devices) and the wordline buffer chain (sum of its
widths, NMOS + PMOS); per column the mux device; per selected column a sense amplifier
of 10 minimum devices (assumed) and a write driver.

Error rates per word of ``word_bits`` bits, from the cell's bit error rates:
1 - prod(1 - p_bit); writes count half the bits in each direction (random data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..params import check_range
from ..provenance import annotate, finalize
from .bitcell import MTJBitcell
from .sram import ASPECT_RATIO as SRAM_ASPECT_RATIO, SRAMBitcell

__all__ = ["Array"]

_SA_DEVICES = 10  # minimum-width devices per sense amplifier (assumed)
_GATE_PITCH_F = 4.0  # contacted gate pitch in F (assumed)


@dataclass(frozen=True)
class Array:
    """A sub-array of ``rows`` x ``cols`` cells reading/writing ``word_bits`` per access.

    Parameters
    ----------
    bitcell : MTJBitcell or SRAMBitcell
    rows, cols : int
        Powers of two, 4 ... 8192.
    word_bits : int
        Bits per access; divides ``cols``.
    aspect_ratio : float, optional
        Cell height / width (default 1.46 for SRAM, CACTI; 1.0 for MTJ cells, assumed).
    """

    bitcell: MTJBitcell | SRAMBitcell
    rows: int
    cols: int
    word_bits: int
    aspect_ratio: float | None = None

    def __post_init__(self):
        if not isinstance(self.bitcell, (MTJBitcell, SRAMBitcell)):
            raise TypeError(f"bitcell must be an MTJBitcell or SRAMBitcell, got {type(self.bitcell).__name__}")
        for name in ("rows", "cols"):
            v = getattr(self, name)
            if not (isinstance(v, (int, np.integer)) and 4 <= v <= 8192 and v & (v - 1) == 0):
                raise ValueError(f"{name} = {v!r} must be a power of two in [4, 8192]")
        if not (isinstance(self.word_bits, (int, np.integer)) and 1 <= self.word_bits <= self.cols
                and self.cols % self.word_bits == 0):
            raise ValueError(f"word_bits = {self.word_bits!r} must divide cols = {self.cols}")
        if self.aspect_ratio is not None:
            check_range("aspect_ratio", self.aspect_ratio, low=0.1, high=10.0)

    @property
    def tech(self):
        return self.bitcell.tech

    @property
    def mux(self) -> int:
        """Column multiplexer degree (columns per sense amplifier)."""
        return self.cols // self.word_bits

    def figures(self) -> xr.Dataset:
        """Area, latency, energy and leakage with breakdowns, and word error rates."""
        t = self.tech
        f, v = t.feature_size, t.vdd
        is_mtj = isinstance(self.bitcell, MTJBitcell)
        cell = self.bitcell.figures()
        red = (lambda x: float(np.max(np.asarray(x))))  # worst device of an ensemble
        area_cell = red(cell.cell_area)
        ar = self.aspect_ratio or (1.0 if is_mtj else SRAM_ASPECT_RATIO)
        h, w = math.sqrt(area_cell * ar), math.sqrt(area_cell / ar)
        w_a = red(cell.access_width) if is_mtj else 1.31 * f
        beta = t.r_eff_p / t.r_eff_n  # PMOS/NMOS width ratio of a balanced inverter

        # wires
        l_wl, l_bl = self.cols * w, self.rows * h
        c_wl = t.wire_c_local * l_wl + self.cols * t.c_gate * w_a
        r_wl = t.wire_r_local * l_wl
        i_write = float(cell.i_write) if is_mtj else t.i_on(w_a) * 0.5
        w_mux = max(i_write / t.i_on_n, 1.5 * f)
        c_mux = self.mux * t.c_drain * w_mux
        c_bl = t.wire_c_local * l_bl + self.rows * t.c_drain * w_a / 2.0 + t.c_drain * w_mux
        r_bl = t.wire_r_local * l_bl

        # decoder and wordline driver
        # balanced inverter (PMOS beta times wider): R = r_eff_n / W, load 4 C_in + its own drains
        tau_fo4 = 0.69 * t.r_eff_n * (1.0 + beta) * (4.0 * t.c_gate + t.c_drain)
        c_min = t.c_gate * f * (1.0 + beta)
        n_buf = max(1, math.ceil(math.log(max(c_wl / c_min, 1.0), 4.0)))
        n_dec = math.ceil(math.log2(self.rows) / 2.0)
        t_decoder = n_dec * tau_fo4
        t_wordline = n_buf * tau_fo4 + 0.38 * r_wl * c_wl
        e_wordline = c_wl * v ** 2 * 4.0 / 3.0
        e_decoder = n_dec * 4.0 * c_min * v ** 2  # one path of minimum gates switches
        buffer_width = sum(4.0 ** k for k in range(n_buf)) * f * (1.0 + beta)

        # read
        t_sa, e_sa = t.sense_delay, t.sense_energy
        if is_mtj:
            r_cell = 0.5 * (self.bitcell.v_read / red(cell.i_read_p) + self.bitcell.v_read / red(cell.i_read_ap))
            t_bitline = 2.3 * (r_cell + r_bl / 2.0 + t.r_on(w_mux)) * (c_bl + c_mux)
            t_read_cell = t_bitline + t_sa
            i_mean = 0.5 * (red(cell.i_read_p) + red(cell.i_read_ap))
            # cell plus reference cell draw current for the whole sensing time (NVSim's factor 2)
            e_cell_read = 2.0 * self.bitcell.v_read * i_mean * t_read_cell
            e_bl_read = (c_bl + c_mux) * self.bitcell.v_read ** 2
        else:
            swing = self.bitcell.swing * v
            t_bitline = (c_bl + c_mux) * swing / float(cell.read_current)
            e_cell_read = 0.0
            e_bl_read = (c_bl + c_mux) * v * swing
        t_mux = 0.69 * t.r_on(w_mux) * c_mux
        read_parts = {"decoder": t_decoder, "wordline": t_wordline, "bitline": t_bitline, "mux": t_mux,
                      "sense_amp": t_sa}
        e_read_parts = {"decoder": e_decoder, "wordline": e_wordline,
                        "bitline": self.word_bits * e_bl_read + (0.0 if is_mtj else (self.cols - self.word_bits)
                                                                 * c_bl * v * swing),
                        "cells": self.word_bits * e_cell_read, "sense_amp": self.word_bits * e_sa}

        # write
        if is_mtj:
            t_cell_write = float(cell.t_write)
            e_cell_write = float(cell.write_energy)
            e_bl_write = c_bl * float(self.bitcell.write_voltage) ** 2
        else:
            t_cell_write = 0.69 * t.r_on(w_mux) * (c_bl + c_mux)
            e_cell_write = 0.0
            e_bl_write = c_bl * v ** 2
        write_parts = {"decoder": t_decoder, "wordline": t_wordline, "cell": t_cell_write}
        e_write_parts = {"decoder": e_decoder, "wordline": e_wordline, "bitline": self.word_bits * e_bl_write,
                         "cells": self.word_bits * e_cell_write}

        # area
        def dev_area(width):
            return (width + 2.0 * f) * _GATE_PITCH_F * f

        area_parts = {
            "cells": self.rows * self.cols * area_cell,
            "decoder": self.rows * (4 * dev_area(f) + dev_area(buffer_width)),
            "column_mux": self.cols * dev_area(w_mux),
            "sense_amps": self.word_bits * _SA_DEVICES * dev_area(f),
            "write_drivers": self.word_bits * 2 * dev_area(w_mux),
        }

        # leakage: periphery devices are off but powered; SRAM cells leak, MTJ cells do not
        w_periph = (self.rows * (4 * f + buffer_width) + self.cols * w_mux
                    + self.word_bits * (_SA_DEVICES * f + 2 * w_mux))
        leak_parts = {"cells": 0.0 if is_mtj else self.rows * self.cols * float(cell.leakage_power),
                      "periphery": v * t.i_off_n * w_periph / 2.0}

        # word error rates
        if is_mtj:
            wer_bit = float(np.mean(cell.wer.values))  # mean over devices and the two directions
            read_bit = float(np.mean(0.5 * (cell.read_error_p + cell.read_error_ap) + cell.read_disturb))
        else:
            wer_bit = read_bit = 0.0
        word_write_error = -math.expm1(self.word_bits * math.log1p(-wer_bit)) if wer_bit < 1 else 1.0
        word_read_error = -math.expm1(self.word_bits * math.log1p(-read_bit)) if read_bit < 1 else 1.0

        return _dataset(area_parts, read_parts, write_parts, e_read_parts, e_write_parts, leak_parts,
                        word_write_error, word_read_error, wer_bit, read_bit,
                        extra={"wordline_c": (c_wl, "F", "wordline capacitance"),
                               "bitline_c": (c_bl, "F", "bitline capacitance"),
                               "wordline_r": (r_wl, "Ohm", "wordline resistance"),
                               "bitline_r": (r_bl, "Ohm", "bitline resistance")},
                        attrs=dict(rows=self.rows, cols=self.cols, word_bits=self.word_bits, mux=self.mux,
                                   cell="MTJ" if is_mtj else "SRAM", technology=t.name),
                        params=self.bitcell.mtj if is_mtj else None)


def _dataset(area, t_read, t_write, e_read, e_write, leak, word_write_error, word_read_error, wer_bit, read_bit,
             extra, attrs, params):
    """Assemble the figures: each breakdown along its own component dimension plus its total."""
    data = {}
    for name, parts, units, long_name in (
            ("area", area, "m^2", "area"), ("read_latency", t_read, "s", "read latency"),
            ("write_latency", t_write, "s", "write latency"), ("read_energy", e_read, "J", "read energy per access"),
            ("write_energy", e_write, "J", "write energy per access"), ("leakage", leak, "W", "leakage power")):
        dim = f"{name}_component"
        data[f"{name}_breakdown"] = annotate(xr.DataArray(np.array(list(parts.values()), dtype=float), dims=dim,
                                                          coords={dim: list(parts)}), units, f"{long_name} by component")
        data[name] = annotate(xr.DataArray(float(sum(parts.values()))), units, long_name)
    for name, (value, units, long_name) in extra.items():
        data[name] = annotate(xr.DataArray(float(value)), units, long_name)
    for name, value, long_name in (("word_write_error", word_write_error, "write error probability per word"),
                                   ("word_read_error", word_read_error, "read error probability per word"),
                                   ("bit_write_error", wer_bit, "write error rate per bit (mean of directions)"),
                                   ("bit_read_error", read_bit, "read error probability per bit")):
        data[name] = annotate(xr.DataArray(float(value)), "1", long_name)
    ds = xr.Dataset(data)
    for dim in [d for d in ds.dims if d.endswith("_component")]:
        annotate(ds[dim], "1", "component")
    return finalize(ds, params=params, cite=("Dong2012", "Balasubramonian2017"), **attrs)
