"""Compiled stochastic Heun kernel for macrospin LLGS ensembles.

The kernel advances a chunk of independent devices over a block of time steps; the
inner loop runs over devices so that LLVM vectorises it (SIMD across devices).  The
Gaussian numbers of the thermal field are computed in the same loop from a
counter-based generator (:mod:`spinaps.device._normal`): each is a function of (seed,
device, step, component), so no noise is stored, and the result depends neither on the
chunks nor on the threads.  The kernel releases the GIL so chunks run on several
threads.

Physics (reduced to the collinear pMTJ geometry, polariser p = -z):

    dm/dt = -gamma0 / (1 + alpha^2) [ m x H + alpha m x (m x H)
                                      + (b_J - alpha a_J) m x p + (a_J + alpha b_J) m x (m x p) ]

with H = (h_x, h_y, H_K,eff m_z + h_z + h_off) + H_th (h_off: the reference layer's
offset field of each device, along z of the reversal), a_J = a_J0 s(t) / (1 + c m_z) and
b_J = r_FL a_J.  This is the exact Landau-Lifshitz form of the Gilbert equation with
Slonczewski torque (the alpha cross terms are kept; cmtj omits them, which only changes
the precession frequency in this geometry).  Stochastic Heun with the same thermal
field in predictor and corrector converges to the Stratonovich solution; |m| is
renormalised after each step.
"""

from __future__ import annotations

import math

import numpy as np

from .._jit import njit
from ._normal import device_key, normal3

# No 'nnan'/'ninf': inputs are validated, but keep IEEE semantics for safety.
_FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}


@njit(fastmath=_FASTMATH, nogil=True, error_model="numpy", inline="always")
def _rhs(mx, my, mz, hx, hy, hz, a, b, pre, alpha):
    # m x H
    ax = my * hz - mz * hy
    ay = mz * hx - mx * hz
    az = mx * hy - my * hx
    # m x (m x H)
    bx = my * az - mz * ay
    by = mz * ax - mx * az
    bz = mx * ay - my * ax
    # p = -z:  m x p = (-my, mx, 0);  m x (m x p) = (-mz mx, -mz my, mx^2 + my^2)
    cx = -my
    cy = mx
    dx = -mz * mx
    dy = -mz * my
    dz = mx * mx + my * my
    kf = b - alpha * a
    kd = a + alpha * b
    fx = pre * (ax + alpha * bx + kf * cx + kd * dx)
    fy = pre * (ay + alpha * by + kf * cy + kd * dy)
    fz = pre * (az + alpha * bz + kd * dz)
    return fx, fy, fz


@njit(fastmath=_FASTMATH, nogil=True, error_model="numpy")
def advance(
    mx,
    my,
    mz,
    n_steps,
    thermal,
    seed,
    device0,
    dt,
    t0,
    step0,
    shape,
    hk,
    hxyz,
    hoff,
    pre,
    alpha,
    aj,
    fl,
    cang,
    sigma,
    sign0,
    level,
    tsw,
):
    """Advance a chunk of devices by ``n_steps`` Heun steps, in place.

    Parameters
    ----------
    mx, my, mz : float64[n]
        Magnetisation components (unit vectors), updated in place.
    n_steps : int
        Number of steps of the block.
    thermal : bool
        Whether to add the thermal field.
    seed : uint64
        Seed of the normal numbers of the thermal field (:mod:`spinaps.device._normal`).
    device0 : int
        Global index of the chunk's first device (selects the devices' streams).
    dt : float [s]
        Time step.
    t0 : float [s]
        Time at the start of step ``step0`` (used for ``tsw``).
    step0 : int
        Global index of the first step of the block (index into ``shape``).
    shape : float64[n_steps + 1]
        Dimensionless current waveform on the time grid.
    hk, pre, alpha, aj, fl, cang, sigma, sign0 : float64[n]
        Per device: H_K,eff [A/m]; -gamma0/(1+alpha^2) [m/(A s)]; alpha; a_J at unit
        waveform [A/m]; b_J/a_J; angular-efficiency coefficient c; thermal field
        standard deviation per step [A/m]; sign of the initial m_z.
    hxyz : float64[3]
        Applied field [A/m].
    hoff : float64[n]
        Per device: offset field along z [A/m] (added to ``hxyz[2]``).
    level : float
        m_z level whose first crossing (away from the initial side) is recorded.
    tsw : float64[n]
        First time m_z crossed ``level`` (-1 while it has not); updated in place.
    """
    n = mx.shape[0]
    hx0 = hxyz[0]
    hy0 = hxyz[1]
    hz0 = hxyz[2]
    for s in range(n_steps):
        j0 = shape[step0 + s]
        j1 = shape[step0 + s + 1]
        tstart = t0 + s * dt
        st = np.uint64(step0 + s)
        for i in range(n):
            x = mx[i]
            y = my[i]
            z = mz[i]
            if thermal:
                sg = sigma[i]
                gx, gy, gz = normal3(device_key(seed, device0 + i), st)
                tx = hx0 + sg * gx
                ty = hy0 + sg * gy
                tz = hz0 + hoff[i] + sg * gz
            else:
                tx = hx0
                ty = hy0
                tz = hz0 + hoff[i]
            al = alpha[i]
            pr = pre[i]
            k = hk[i]
            a1 = aj[i] * j0 / (1.0 + cang[i] * z)
            f1x, f1y, f1z = _rhs(x, y, z, tx, ty, k * z + tz, a1, fl[i] * a1, pr, al)
            px = x + dt * f1x
            py = y + dt * f1y
            pz = z + dt * f1z
            a2 = aj[i] * j1 / (1.0 + cang[i] * pz)
            f2x, f2y, f2z = _rhs(px, py, pz, tx, ty, k * pz + tz, a2, fl[i] * a2, pr, al)
            x = x + 0.5 * dt * (f1x + f2x)
            y = y + 0.5 * dt * (f1y + f2y)
            z2 = z + 0.5 * dt * (f1z + f2z)
            inv = 1.0 / math.sqrt(x * x + y * y + z2 * z2)
            x *= inv
            y *= inv
            z2 *= inv
            # first crossing of the level (linear interpolation inside the step), branch-free
            crossed = (tsw[i] < 0.0) & ((z2 - level) * sign0[i] < 0.0)
            tc = tstart + dt * (z - level) / (z - z2 + 1e-300)
            tsw[i] = tc if crossed else tsw[i]
            mx[i] = x
            my[i] = y
            mz[i] = z2
