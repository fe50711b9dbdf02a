"""Physical constants in SI units.

All values are the CODATA 2018 recommended values (Tiesinga, Mohr, Newell and
Taylor, Rev. Mod. Phys. 93, 025010, 2021); e, hbar and k_B are exact in the 2019 SI.
"""

import math

#: Elementary charge [C] (exact, 2019 SI).
E_CHARGE = 1.602176634e-19
#: Reduced Planck constant [J s] (exact, 2019 SI).
HBAR = 1.054571817e-34
#: Boltzmann constant [J/K] (exact, 2019 SI).
K_B = 1.380649e-23
#: Vacuum permeability [T m/A] (CODATA 2018).
MU0 = 1.25663706212e-6
#: Electron gyromagnetic ratio, magnitude [rad s^-1 T^-1] (CODATA 2018).
GAMMA_E = 1.76085963023e11
#: Gyromagnetic ratio in field units, gamma0 = mu0 * gamma [m A^-1 s^-1].
GAMMA0 = MU0 * GAMMA_E
#: Euler-Mascheroni constant (used in Sun's thermally averaged switching time).
EULER_GAMMA = 0.5772156649015329
#: pi, re-exported for formula readability.
PI = math.pi
