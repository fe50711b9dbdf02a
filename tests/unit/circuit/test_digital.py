"""Digital operation energies (spinaps.circuit.digital)."""

from dataclasses import replace

import numpy as np
import pytest

from spinaps.circuit import OPERATIONS, operation_energy, technology


@pytest.fixture
def horowitz():
    """A node at Horowitz's conditions: 45 nm and 0.9 V."""
    return replace(technology(45), vdd=0.9)


@pytest.mark.parametrize(
    "op, bits, pj, rel",
    [
        ("add", 8, 0.03, 1e-12),
        ("add", 32, 0.1, 1e-12),
        ("multiply", 32, 3.1, 1e-12),
        ("multiply", 8, 0.2, 0.04),  # the quadratic rule gives 0.194 pJ: within 4 % of the table
        ("sram_read_bit", 64, 10.0, 1e-12),
    ],
)
def test_reproduces_horowitz_table(horowitz, op, bits, pj, rel):
    assert operation_energy(horowitz, op, bits) == pytest.approx(pj * 1e-12, rel=rel)


def test_scaling_rule_is_cv2(horowitz):
    """E proportional to F V^2: 22 nm at 0.8 V costs (22/45)(0.8/0.9)^2 of 45 nm at 0.9 V."""
    ratio = operation_energy(technology(22), "add", 16) / operation_energy(horowitz, "add", 16)
    assert ratio == pytest.approx((22 / 45) * (0.8 / 0.9) ** 2, rel=1e-12)


def test_every_operation_grows_with_width_and_is_positive():
    t = technology(28)
    for op in OPERATIONS:
        e = operation_energy(t, op, np.array([1, 4, 8, 16, 32]))
        assert np.all(e > 0) and np.all(np.diff(e) > 0), op


def test_bad_requests():
    with pytest.raises(ValueError, match="operation"):
        operation_energy(technology(45), "divide", 8)
    with pytest.raises(ValueError, match="bits"):
        operation_energy(technology(45), "add", 0)


def test_operation_areas_follow_their_transistor_counts():
    from spinaps.circuit import operation_area

    t = technology(45)
    f2 = t.feature_size**2
    assert operation_area(t, "add", 8) == pytest.approx(8 * 28 * 24 * f2)
    # area scales with F^2 between nodes and the multiplier grows quadratically
    assert operation_area(technology(22), "register", 8) / operation_area(t, "register", 8) == pytest.approx(
        (22 / 45) ** 2
    )
    m = operation_area(t, "multiply", np.array([8, 16, 32]))
    assert m[2] / m[1] == pytest.approx(4.0, rel=0.05)
    with pytest.raises(ValueError, match="operation"):
        operation_area(t, "divide", 8)
