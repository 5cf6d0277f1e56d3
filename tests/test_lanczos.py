"""Lanczos eigenvalues and stochastic Lanczos quadrature against dense linear algebra."""
import numpy as np
import pytest

from course import hutchinson, lanczos


def random_symmetric(d, seed):
    M = np.random.default_rng(seed).standard_normal((d, d))
    return (M + M.T) / 2


def with_spectrum(eigenvalues, seed):
    """Q diag(eigenvalues) Q^T with a random orthogonal Q."""
    d = len(eigenvalues)
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
    return (Q * eigenvalues) @ Q.T


@pytest.mark.parametrize("d, seed", [(20, 0), (60, 1), (150, 2)])
def test_full_krylov_space_gives_exact_top_eigenvalues(d, seed):
    # With d steps the Krylov space is all of R^d, so the Ritz values are the
    # eigenvalues up to rounding (~ d eps ||A||; 1e-10 relative is generous).
    A = random_symmetric(d, seed)
    top = lanczos.top_eigenvalues(lambda v: A @ v, d, 5, np.random.default_rng(seed), num_steps=d)
    expected = np.linalg.eigvalsh(A)[::-1][:5]
    np.testing.assert_allclose(top, expected, rtol=1e-10, atol=1e-10 * np.abs(expected).max())


def test_few_steps_converge_to_separated_top_eigenvalues_within_residual_bound():
    # Five outliers over a bulk in [0, 1]: 60 steps of 400 suffice, and each
    # Ritz value lies within its computable residual norm of an eigenvalue.
    rng = np.random.default_rng(3)
    eigenvalues = np.concatenate([[50.0, 30.0, 20.0, 12.0, 8.0], rng.uniform(0, 1, 395)])
    A = with_spectrum(eigenvalues, seed=4)
    top, residuals = lanczos.top_eigenvalues(lambda v: A @ v, 400, 5, rng, num_steps=60,
                                             return_residuals=True)
    expected = np.sort(eigenvalues)[::-1][:5]
    assert np.all(np.abs(top - expected) <= residuals + 1e-12 * expected[0])
    np.testing.assert_allclose(top, expected, rtol=1e-10)


def test_basis_is_orthonormal_and_tridiagonalises():
    d, m = 80, 30
    A = random_symmetric(d, seed=5)
    result = lanczos.lanczos(lambda v: A @ v, d, m, np.random.default_rng(6))
    Q = result.basis
    np.testing.assert_allclose(Q.T @ Q, np.eye(m), atol=1e-13)
    np.testing.assert_allclose(Q.T @ A @ Q, lanczos.tridiagonal(result), atol=1e-12)


def test_without_reorthogonalisation_orthogonality_is_lost():
    # The reason for full reorthogonalisation: once the top Ritz value converges,
    # the plain recurrence produces vectors far from orthogonal.
    eigenvalues = np.concatenate([[100.0], np.linspace(0, 1, 199)])
    A = with_spectrum(eigenvalues, seed=7)
    plain = lanczos.lanczos(lambda v: A @ v, 200, 80, np.random.default_rng(8), reorthogonalize=False)
    Q = plain.basis
    assert np.abs(Q.T @ Q - np.eye(80)).max() > 1e-3


def test_stops_early_on_an_invariant_subspace():
    # Three distinct eigenvalues: the Krylov space has dimension 3.
    A = with_spectrum(np.repeat([-1.0, 2.0, 5.0], [10, 10, 20]), seed=9)
    result = lanczos.lanczos(lambda v: A @ v, 40, 20, np.random.default_rng(10))
    assert len(result.alphas) == 3
    values, _, _ = lanczos.ritz_pairs(result)
    np.testing.assert_allclose(values, [-1.0, 2.0, 5.0], rtol=1e-10)


def test_quadrature_weights_are_squared_projections_of_the_start_vector():
    # Diagonal A with distinct entries and m = d: nodes are the diagonal, weights
    # are q_i^2 = 1/d for a normalised Rademacher start.
    d = 12
    A = np.diag(np.arange(1.0, d + 1))
    nodes, weights = lanczos.quadrature_nodes_weights(lambda v: A @ v, d, d, 1, np.random.default_rng(11))
    np.testing.assert_allclose(nodes[0], np.arange(1.0, d + 1), rtol=1e-10)
    np.testing.assert_allclose(weights[0], np.full(d, 1 / d), rtol=1e-8)


def test_spectral_density_integrates_to_one_and_has_mean_trace_over_d():
    d, num_probes = 200, 10
    A = random_symmetric(d, seed=12)
    sigma = 0.5
    grid = np.linspace(-30, 30, 6001)  # the spectrum lies in about [-20, 20]
    density = lanczos.spectral_density(lambda v: A @ v, d, 40, num_probes, np.random.default_rng(13),
                                       grid, sigma)
    step = grid[1] - grid[0]
    assert abs(density.sum() * step - 1) < 1e-8
    # The density's mean is (1/P) sum_p q_p^T A q_p = (Hutchinson estimate)/d: its
    # standard error is sqrt(Var_rademacher / P) / d; allow 4 of them.
    mean = (grid * density).sum() * step
    standard_error = np.sqrt(hutchinson.variance_theory(A, "rademacher") / num_probes) / d
    assert abs(mean - np.trace(A) / d) < 4 * standard_error


def test_spectral_density_matches_broadened_eigenvalues():
    # Outliers plus a bulk, as for a network Hessian: with 60 steps and 20 probes
    # the estimate is within 0.1 in L1 of the exact broadened density (measured
    # 0.014-0.035 over several seeds; two densities are at most 2 apart in L1).
    rng = np.random.default_rng(14)
    eigenvalues = np.concatenate([[9.0, 6.0, 4.0], rng.normal(0, 0.3, 297)])
    A = with_spectrum(eigenvalues, seed=15)
    grid, sigma = np.linspace(-3, 11, 1401), 0.1
    density = lanczos.spectral_density(lambda v: A @ v, 300, 60, 20, rng, grid, sigma)
    exact = np.exp(-0.5 * ((grid[:, None] - eigenvalues) / sigma) ** 2).sum(1) / (300 * sigma * np.sqrt(2 * np.pi))
    assert np.abs(density - exact).sum() * (grid[1] - grid[0]) < 0.1
