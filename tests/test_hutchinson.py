"""Hutchinson and Hutch++ trace estimates against exact traces and the variance formulas."""
import itertools

import numpy as np
import pytest

from course import hutchinson


def symmetric_with_diagonal(d, seed):
    """Symmetric matrix whose diagonal carries a sizeable part of ||A||_F^2."""
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((d, d))
    return (M + M.T) / 2 + np.diag(rng.uniform(1, 4, d))


@pytest.mark.parametrize("probes", ["rademacher", "gaussian"])
def test_unbiased_and_variance_matches_theory(probes):
    d, n = 30, 20_000
    A = symmetric_with_diagonal(d, seed=0)
    estimate, samples = hutchinson.hutchinson(lambda v: A @ v, d, n, np.random.default_rng(1), probes,
                                              return_samples=True)
    theory = hutchinson.variance_theory(A, probes)
    # Mean of n samples: standard error sqrt(Var / n); allow 4 of them.
    assert abs(estimate - np.trace(A)) < 4 * np.sqrt(theory / n)
    # Sample variance: standard error sqrt((m4 - s^4) / n) from the fourth central moment.
    centred = samples - samples.mean()
    variance, m4 = np.mean(centred ** 2), np.mean(centred ** 4)
    assert abs(variance - theory) < 4 * np.sqrt((m4 - variance ** 2) / n)


def test_rademacher_variance_formula_by_enumeration():
    # All 2^6 sign vectors are equally likely: the exact variance, no sampling.
    d = 6
    A = symmetric_with_diagonal(d, seed=2)
    values = [np.array(s) @ A @ np.array(s) for s in itertools.product([-1.0, 1.0], repeat=d)]
    assert np.mean(values) == pytest.approx(np.trace(A), rel=1e-12)
    assert np.var(values) == pytest.approx(hutchinson.variance_theory(A, "rademacher"), rel=1e-12)


def test_rademacher_is_exact_on_a_diagonal_matrix():
    A = np.diag(np.arange(1.0, 11.0))
    estimate = hutchinson.hutchinson(lambda v: A @ v, 10, 3, np.random.default_rng(3))
    assert estimate == pytest.approx(55.0, rel=1e-14)
    assert hutchinson.variance_theory(A, "rademacher") == 0.0


def test_hutch_plus_plus_is_exact_for_low_rank():
    # Rank 5 < num_matvecs // 3: Q spans range(A) and the deflated rest is zero.
    rng = np.random.default_rng(4)
    B = rng.standard_normal((100, 5))
    A = B @ B.T
    estimate = hutchinson.hutch_plus_plus(lambda v: A @ v, 100, 30, rng)
    assert estimate == pytest.approx(np.trace(A), rel=1e-10)


def test_hutch_plus_plus_beats_hutchinson_on_low_rank_plus_noise():
    # 10 large eigen-directions plus small symmetric noise. At 60 products each,
    # Hutch++ removes the large part exactly and its error comes from the noise
    # only; Hutchinson's error is dominated by the large part. The measured RMS
    # errors differ by a factor of about 50; we ask for 5.
    d, trials, budget = 300, 40, 60
    rng = np.random.default_rng(5)
    U, _ = np.linalg.qr(rng.standard_normal((d, 10)))
    N = rng.standard_normal((d, d)) * 0.01
    A = (U * np.linspace(10, 100, 10)) @ U.T + (N + N.T) / 2
    matvec, trace = (lambda v: A @ v), np.trace(A)
    plain = [hutchinson.hutchinson(matvec, d, budget, rng) - trace for _ in range(trials)]
    plus = [hutchinson.hutch_plus_plus(matvec, d, budget, rng) - trace for _ in range(trials)]
    rms_plain, rms_plus = np.sqrt(np.mean(np.square(plain))), np.sqrt(np.mean(np.square(plus)))
    assert rms_plus * 5 < rms_plain


def test_unknown_probe_kind_is_rejected():
    with pytest.raises(ValueError, match="rademacher"):
        hutchinson.probe_vectors(np.random.default_rng(0), 3, 2, "uniform")
    with pytest.raises(ValueError, match="rademacher"):
        hutchinson.variance_theory(np.eye(2), "uniform")
