"""Symbolic derivation (sympy) of the macrospin formulae used by the device layer.

The numerical code (:class:`~spinaps.device.MTJParams` properties, the switching
models) writes these formulae out for speed; the tests check every one of them
against the expressions derived here, so there is one place where each formula is
derived and a test that keeps the two in step.  The notebook displays them.

Conventions: polar angle theta of the free layer from +z; demagnetisation by the
cylinder's factors through Delta_N = N_zz - N_xx (1 for a thin film; the numbers are
:func:`spinaps.device.demag.demag_factor_difference`);
applied field H along +z; polariser p = -z; a_J = hbar eta I / (2 e mu0 Ms V).
"""

from __future__ import annotations

import functools

import sympy as sp

__all__ = [
    "symbols",
    "energy_density",
    "effective_anisotropy_field",
    "energy_barrier",
    "thermal_stability",
    "stt_amplitude",
    "linear_stability",
    "critical_current",
    "kittel_frequency",
    "damping_time",
    "barrier_with_current",
    "all_formulae",
]

Ms, Ku, mu0, V, kB, T, alpha, gamma0, eta, hbar, e, I, H = sp.symbols(
    "M_s K_u mu_0 V k_B T alpha gamma_0 eta hbar e I H", positive=True
)
theta = sp.symbols("theta", real=True)
dN = sp.Symbol("Delta_N", real=True)  # N_zz - N_xx of the free-layer cylinder
i_red = sp.symbols("i", real=True)


def symbols():
    """The sympy symbols used, by name."""
    return dict(
        Ms=Ms,
        Ku=Ku,
        mu0=mu0,
        V=V,
        kB=kB,
        T=T,
        alpha=alpha,
        gamma0=gamma0,
        eta=eta,
        hbar=hbar,
        e=e,
        I=I,
        H=H,
        theta=theta,
        i=i_red,
        dN=dN,
    )


def energy_density():
    """Free-layer energy density E/V(theta) [J/m^3]: uniaxial + demag + Zeeman.

    The demagnetising energy (mu0 Ms^2 / 2)(N_zz cos^2 + N_xx sin^2) is, up to a
    constant, (mu0 Ms^2 / 2) Delta_N cos^2 theta with Delta_N = N_zz - N_xx.
    """
    return -Ku * sp.cos(theta) ** 2 + mu0 * Ms**2 / 2 * dN * sp.cos(theta) ** 2 - mu0 * Ms * H * sp.cos(theta)


def effective_anisotropy_field():
    """H_K,eff = (1 / (mu0 Ms)) d^2(E/V)/dtheta^2 at theta = 0, H = 0."""
    return sp.simplify(sp.diff(energy_density(), theta, 2).subs({theta: 0, H: 0}) / (mu0 * Ms))


def energy_barrier():
    """Zero-field barrier (E(pi/2) - E(0)) V [J]."""
    e_v = energy_density().subs(H, 0)
    return sp.simplify((e_v.subs(theta, sp.pi / 2) - e_v.subs(theta, 0)) * V)


def thermal_stability():
    """Delta = E_b / (k_B T)."""
    return energy_barrier() / (kB * T)


def stt_amplitude():
    """Damping-like spin-torque field a_J = hbar eta I / (2 e mu0 Ms V) [A/m]."""
    return hbar * eta * I / (2 * e * mu0 * Ms * V)


@functools.lru_cache(maxsize=1)
def linear_stability():
    """Eigenvalues of the LLGS linearised about m = +z.

    Linearises dm/dt = -gamma0/(1+alpha^2)[m x H + alpha m x (m x H)
    - alpha a_J m x p + a_J m x (m x p)] in (m_x, m_y) with H = H_K,eff m_z z and
    p = -z.  Returns ``(growth_rate, angular_frequency)``: the common real part and
    the magnitude of the imaginary part of the two eigenvalues [1/s].
    """
    u, v, hk, aj = sp.symbols("u v H_K a_J", real=True)
    m = sp.Matrix([u, v, sp.sqrt(1 - u**2 - v**2)])
    h = sp.Matrix([0, 0, hk * m[2]])
    p = sp.Matrix([0, 0, -1])
    mxh = m.cross(h)
    mxp = m.cross(p)
    rhs = -gamma0 / (1 + alpha**2) * (mxh + alpha * m.cross(mxh) - alpha * aj * mxp + aj * m.cross(mxp))
    jac = sp.Matrix([[sp.diff(rhs[r], var).subs({u: 0, v: 0}) for var in (u, v)] for r in (0, 1)])
    lam = sp.symbols("lambda")
    roots = sp.solve(sp.det(jac - lam * sp.eye(2)), lam)
    growth = sp.simplify(sp.re(sp.expand_complex(roots[0])))
    omega = sp.simplify(sp.Abs(sp.im(sp.expand_complex(roots[0]))))
    hk_eff = effective_anisotropy_field()
    return (sp.simplify(growth.subs({hk: hk_eff, aj: stt_amplitude()})), sp.simplify(omega.subs({hk: hk_eff, aj: 0})))


def critical_current():
    """I_c0: the current at which the growth rate of small deviations vanishes."""
    growth, _ = linear_stability()
    return sp.simplify(sp.solve(sp.Eq(growth, 0), I)[0])


def kittel_frequency():
    """Small-angle precession frequency f = omega / (2 pi) at zero current [Hz]."""
    return linear_stability()[1] / (2 * sp.pi)


def damping_time():
    """tau_D such that the growth rate is (I / I_c0 - 1) / tau_D."""
    growth, _ = linear_stability()
    rate_per_i = sp.simplify(sp.diff(growth, I) * critical_current())
    return sp.simplify(1 / rate_per_i)


def barrier_with_current():
    """Reduced barrier from the +z well, Delta (1 - i)^2, from U(x) = Delta (2 i x - x^2)."""
    x, delta = sp.symbols("x Delta", real=True)
    u = delta * (2 * i_red * x - x**2)
    x_top = sp.solve(sp.diff(u, x), x)[0]
    return sp.factor(sp.simplify(u.subs(x, x_top) - u.subs(x, 1)))


def all_formulae():
    """Name -> sympy expression, for display."""
    return {
        "E/V": energy_density(),
        "H_K,eff": effective_anisotropy_field(),
        "E_b": energy_barrier(),
        "Delta": thermal_stability(),
        "a_J": stt_amplitude(),
        "I_c0": critical_current(),
        "tau_D": damping_time(),
        "f_FMR": kittel_frequency(),
        "barrier(i)": barrier_with_current(),
    }
