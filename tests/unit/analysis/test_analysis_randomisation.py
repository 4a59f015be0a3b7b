"""Randomisation tests and the seeded allocation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from bedside.analysis.allocation import block_order
from bedside.analysis.randomisation import sign_flip_test, within_block_permutation_test


@pytest.mark.parametrize(
    ("k", "smallest"), [(2, 0.5), (3, 0.25), (4, 0.125), (5, 0.0625), (6, 0.03125)]
)
def test_smallest_achievable_p_is_two_over_two_to_the_k(k: int, smallest: float) -> None:
    d = np.arange(1, k + 1, dtype=float)  # all the same sign: the most extreme outcome
    result = sign_flip_test(d)
    assert result.min_p == pytest.approx(smallest)
    assert result.p_value == pytest.approx(smallest)
    assert result.exact


def test_sign_flip_p_matches_brute_force() -> None:
    d = np.array([0.8, -0.3, 1.2, 0.5, -0.1, 0.9, 0.4])
    observed = abs(d.mean())
    flips = [abs(np.mean(d * s)) >= observed - 1e-12 for s in itertools.product([1, -1], repeat=7)]
    assert sign_flip_test(d).p_value == pytest.approx(np.mean(flips))


def test_zero_differences_raise_the_smallest_p() -> None:
    assert sign_flip_test([1.0, 2.0, 0.0]).min_p == pytest.approx(0.5)


def test_many_pairs_fall_back_to_seeded_monte_carlo() -> None:
    d = np.linspace(-0.5, 1.5, 22)
    first, second = sign_flip_test(d), sign_flip_test(d)
    assert not first.exact
    assert first == second
    assert 0 < first.p_value < 0.01


def test_within_block_permutation_test_exact_and_extreme() -> None:
    means = np.array([[1.0, 2.0, 3.0]] * 4)
    result = within_block_permutation_test(means)
    assert result.exact
    assert result.n_assignments == 6**4
    assert result.min_p == pytest.approx(6 / 6**4)
    assert result.p_value == pytest.approx(result.min_p)
    null = within_block_permutation_test(np.array([[1.0, 1.0, 1.0]] * 3))
    assert null.p_value == 1.0


def test_block_order_is_deterministic_balanced_and_seed_dependent() -> None:
    levels = ("kratom", "no kratom")
    orders = [block_order(42, i, levels) for i in range(400)]
    assert orders == [block_order(42, i, levels) for i in range(400)]
    assert all(sorted(o) == sorted(levels) for o in orders)
    first_kratom = sum(o[0] == "kratom" for o in orders)
    assert 160 < first_kratom < 240
    assert orders != [block_order(43, i, levels) for i in range(400)]


def test_block_order_known_values_never_change() -> None:
    """Stored seeds must give the same schedule in every future version."""
    assert [block_order(12345, i, ("A", "B")) for i in range(4)] == [
        ("B", "A"),
        ("B", "A"),
        ("B", "A"),
        ("A", "B"),
    ]
    assert block_order(1, 0, ("A", "B", "C")) == ("A", "C", "B")


def test_block_order_refuses_bad_levels() -> None:
    with pytest.raises(ValueError):
        block_order(1, 0, ("A", "A"))
