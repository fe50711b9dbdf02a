r"""Magnetometric demagnetising factors of a uniformly magnetised circular cylinder.

The free layer of a perpendicular MTJ is a disk of diameter d and thickness t_F.  Its
shape anisotropy enters the macrospin energy through the difference of the
magnetometric (volume-averaged) demagnetising factors along the axis and across it,

.. math::

   K_\mathrm{eff} = K_u - \frac{\mu_0 M_s^2}{2} (N_{zz} - N_{xx}),

which tends to the thin-film value 1 as t_F / d -> 0 and is 13 % smaller for the
Ikeda et al. (2010) 40 nm x 1.3 nm junction (N_zz - N_xx = 0.866).

The axial factor is Joseph's closed form (Joseph 1966; tabulated by Chen, Brug and
Goldfarb 1991) with the aspect ratio p = t_F / d (length over diameter) and the
complete elliptic integrals K and E of parameter m = k^2 = 1 / (1 + p^2):

.. math::

   N_{zz}(p) = 1 - \frac{4}{3 \pi p}
   \left[\sqrt{1 + p^2}\,\bigl(p^2 K(m) + (1 - p^2) E(m)\bigr) - 1\right],
   \qquad N_{xx} = N_{yy} = \frac{1 - N_{zz}}{2}

(the trace of the demagnetising tensor is 1).  Equivalently
N_zz = (1 / p) \int_0^\infty J_1(x)^2 x^{-2} (1 - e^{-2 p x}) dx, the Fourier-space
form the tests use as an independent quadrature.

Limits: N_zz -> 1 (thin film, p -> 0); N_zz = N_xx = 1/3 at p = 0.9065 (Chen et al.
1991: "N = 1/3 at gamma ~ 0.906"); N_zz -> 4 / (3 pi p) -> 0 and N_xx -> 1/2 for a
long rod (p -> infinity).

References
----------
* Joseph, R. I., "Ballistic demagnetizing factor in uniformly magnetized cylinders",
  J. Appl. Phys. 37, 4639-4643 (1966); citation key ``Joseph1966``.
* Chen, D.-X., Brug, J. A. and Goldfarb, R. B., "Demagnetizing factors for
  cylinders", IEEE Trans. Magn. 27, 3601-3619 (1991); citation key ``Chen1991``.
* Sato, H., et al., "Properties of magnetic tunnel junctions with a
  MgO/CoFeB/Ta/CoFeB/MgO recording structure down to junction diameter of 11 nm",
  Appl. Phys. Lett. 105, 062403 (2014): Delta(D) of pMTJs follows the blanket-film
  anisotropy once the size-dependent demagnetising factors are used; citation key
  ``Sato2014``.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ..params import as_float_array, check_range

__all__ = ["cylinder_demag_factors", "demag_factor_difference"]

# Below this aspect ratio the series N_zz = 1 - (2 p / pi)(ln(4 / p) - 1/2) + O(p^3 ln p)
# replaces the closed form, whose bracket loses all digits to cancellation as p -> 0
# (1e-6: the series' neglected term is ~ p^3 ln(1/p) < 1e-16 there).
_THIN_LIMIT = 1e-6


def cylinder_demag_factors(aspect_ratio):
    r"""Magnetometric demagnetising factors (N_xx, N_zz) of a cylinder [-].

    .. math::

       N_{zz}(p) = 1 - \frac{4}{3 \pi p}
       \left[\sqrt{1 + p^2}\,\bigl(p^2 K(m) + (1 - p^2) E(m)\bigr) - 1\right],
       \quad m = \frac{1}{1 + p^2}, \qquad N_{xx} = \frac{1 - N_{zz}}{2}

    (Joseph 1966; Chen, Brug and Goldfarb 1991), z the cylinder axis, K and E the
    complete elliptic integrals of the first and second kind with parameter m.

    Parameters
    ----------
    aspect_ratio : float or array [-]
        p = length / diameter (t_F / d for a free-layer disk), in (0, 1e6].

    Returns
    -------
    n_xx, n_zz : numpy.ndarray [-]
        The transverse and axial factors, broadcast as ``aspect_ratio``;
        2 N_xx + N_zz = 1.

    Raises
    ------
    ValueError
        If ``aspect_ratio`` is not a real number in (0, 1e6].

    Examples
    --------
    >>> n_xx, n_zz = cylinder_demag_factors([0.0325, 1.0])
    >>> np.round(n_zz, 4).tolist(), np.round(n_xx, 4).tolist()
    ([0.9108, 0.3116], [0.0446, 0.3442])
    """
    p = np.asarray(as_float_array(aspect_ratio, "aspect_ratio"), dtype=float)
    check_range("aspect_ratio", p, low=0.0, high=1e6, high_inclusive=True, units="(t_F / d)")
    # both branches are evaluated everywhere and np.where keeps the valid one: silence
    # the overflow of the other (the closed form at tiny p, the series at huge p)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        m = 1.0 / (1.0 + p**2)
        closed = 1.0 - 4.0 / (3.0 * np.pi * p) * (
            np.sqrt(1.0 + p**2) * (p**2 * special.ellipk(m) + (1.0 - p**2) * special.ellipe(m)) - 1.0
        )
        thin = 1.0 - 2.0 * p / np.pi * (np.log(4.0 / p) - 0.5)
    n_zz = np.where(p < _THIN_LIMIT, thin, closed)
    return 0.5 * (1.0 - n_zz), n_zz


def demag_factor_difference(diameter, thickness):
    r"""Shape-anisotropy factor N_zz - N_xx of a free-layer disk [-].

    .. math:: \Delta N = N_{zz}(t_F / d) - N_{xx}(t_F / d) = \frac{3 N_{zz} - 1}{2}

    It multiplies the demagnetising energy: K_eff = K_u - (mu0 M_s^2 / 2) Delta N.
    1 for a thin film, 0 at t_F / d = 0.9065, -1/2 for a long rod.

    Parameters
    ----------
    diameter : float or array [m]
        Disk diameter d, > 0.
    thickness : float or array [m]
        Disk thickness t_F, > 0.

    Returns
    -------
    numpy.ndarray [-]
        Delta N, broadcast over ``diameter`` and ``thickness``.

    Raises
    ------
    ValueError
        If the aspect ratio t_F / d is not in (0, 1e6] (see
        :func:`cylinder_demag_factors`).

    Examples
    --------
    >>> round(float(demag_factor_difference(40e-9, 1.3e-9)), 4)
    0.8661
    """
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # out-of-range ratios are refused next
        aspect = np.asarray(thickness, dtype=float) / np.asarray(diameter, dtype=float)
    n_xx, n_zz = cylinder_demag_factors(aspect)
    return n_zz - n_xx
