"""Eigenvalues of a symmetric matrix seen only through matrix-vector products.

A network's Hessian is too large to store, but a Hessian-vector product (HVP)
costs a few gradients. The Lanczos method needs nothing else: from a start
vector q1 it builds an orthonormal basis Q = [q1 .. qm] of the Krylov space
span{q1, A q1, ..., A^(m-1) q1} in which A is tridiagonal,

    Q^T A Q = T,   T = tridiag(betas; alphas; betas),

and the eigenvalues of the small m x m matrix T (Ritz values) approximate the
extreme eigenvalues of A after a few dozen products. Stochastic Lanczos
quadrature (Ubaru, Chen & Saad 2017; Ghorbani, Krishnan & Xiao 2019) turns
the same run into an estimate of the whole spectral density.
"""
from typing import NamedTuple

import numpy as np


class LanczosResult(NamedTuple):
    """Output of `lanczos`: T = tridiagonal(alphas, betas[:-1]) and Q^T A Q = T."""

    alphas: np.ndarray  # (m,) diagonal of T
    betas: np.ndarray   # (m,) betas[:-1] off-diagonal of T; betas[-1] = norm of the last residual
    basis: np.ndarray   # (d, m) orthonormal columns q1 .. qm


def lanczos(matvec, d, num_steps, rng=None, start=None, reorthogonalize=True):
    """Run `num_steps` Lanczos steps on the symmetric operator `matvec`.

    The start vector is `start` if given, else a Gaussian vector drawn from
    the numpy Generator `rng`. With `reorthogonalize=True` every new vector is orthogonalised
    against all earlier ones (full reorthogonalisation): in floating point the
    plain three-term recurrence loses orthogonality as soon as a Ritz value
    converges, and T then shows spurious copies ("ghosts") of it.
    The run stops early if the Krylov space becomes invariant (beta ~ 0);
    then the Ritz values are exact eigenvalues.
    """
    num_steps = min(num_steps, d)
    q = rng.standard_normal(d) if start is None else np.asarray(start, dtype=np.float64)
    q = q / np.linalg.norm(q)
    Q = np.zeros((d, num_steps))
    alphas, betas = np.zeros(num_steps), np.zeros(num_steps)
    q_prev, beta_prev = np.zeros(d), 0.0
    for j in range(num_steps):
        Q[:, j] = q
        w = matvec(q) - beta_prev * q_prev
        alphas[j] = q @ w
        w = w - alphas[j] * q
        if reorthogonalize:
            # Two passes of Gram-Schmidt: one pass can leave rounding-size
            # components behind, a second one removes them ("twice is enough").
            for _ in range(2):
                w = w - Q[:, :j + 1] @ (Q[:, :j + 1].T @ w)
        betas[j] = np.linalg.norm(w)
        # beta tiny relative to the size of A seen so far: invariant subspace reached.
        scale = max(np.abs(alphas[:j + 1]).max(), betas[:j + 1].max())
        if betas[j] <= 1e-12 * scale:
            return LanczosResult(alphas[:j + 1], betas[:j + 1], Q[:, :j + 1])
        q_prev, beta_prev, q = q, betas[j], w / betas[j]
    return LanczosResult(alphas, betas, Q)


def tridiagonal(result):
    """The m x m tridiagonal matrix T = Q^T A Q of a Lanczos run."""
    off = result.betas[:-1]
    return np.diag(result.alphas) + np.diag(off, 1) + np.diag(off, -1)


def ritz_pairs(result):
    """Ritz values (ascending), eigenvectors S of T, and residual norms.

    For a Ritz pair (theta_i, y_i = Q s_i) the residual is
    ||A y_i - theta_i y_i|| = beta_m |s_i[-1]|, computable without A; a
    symmetric A has an eigenvalue within that distance of theta_i.
    """
    values, S = np.linalg.eigh(tridiagonal(result))
    residuals = result.betas[-1] * np.abs(S[-1, :])
    return values, S, residuals


def top_eigenvalues(matvec, d, k, rng, num_steps=None, return_residuals=False):
    """The k largest eigenvalues of a symmetric operator, in descending order.

    Uses `num_steps` Lanczos steps with full reorthogonalisation (default
    max(4k, 50), capped at d). With `return_residuals=True` also returns the
    residual norm of each Ritz pair, a bound on its distance to the spectrum.
    """
    if num_steps is None:
        num_steps = max(4 * k, 50)
    values, _, residuals = ritz_pairs(lanczos(matvec, d, num_steps, rng))
    top = np.argsort(values)[::-1][:k]
    return (values[top], residuals[top]) if return_residuals else values[top]


def quadrature_nodes_weights(matvec, d, num_steps, num_probes, rng):
    """Gauss quadrature nodes and weights of stochastic Lanczos quadrature.

    For a unit start vector q, the measure mu_q = sum_i (q . u_i)^2 delta(t - lambda_i)
    (u_i, lambda_i the eigenpairs of A) has its m-point Gauss rule in the
    Lanczos run from q: nodes are the Ritz values theta_j and weights the squared
    first components of T's eigenvectors, tau_j = S[0, j]^2. With q drawn
    uniformly (a normalised Rademacher vector here), E[mu_q] is the spectral
    density (1/d) sum_i delta(t - lambda_i).
    Returns two lists with one array per probe (lengths can differ if a run stops early).
    """
    nodes, weights = [], []
    for _ in range(num_probes):
        start = rng.choice([-1.0, 1.0], size=d)
        values, S, _ = ritz_pairs(lanczos(matvec, d, num_steps, start=start))
        nodes.append(values)
        weights.append(S[0, :] ** 2)
    return nodes, weights


def spectral_density(matvec, d, num_steps, num_probes, rng, grid, sigma):
    """Stochastic Lanczos quadrature estimate of the spectral density on `grid`.

    phi(t) = (1/num_probes) sum_probes sum_j tau_j N(t; theta_j, sigma^2):
    every delta of the quadrature rule is broadened into a Gaussian of width
    `sigma`, so phi integrates to 1 and has mean (1/d) Tr(A) in expectation.
    """
    grid = np.asarray(grid, dtype=np.float64)
    nodes, weights = quadrature_nodes_weights(matvec, d, num_steps, num_probes, rng)
    density = np.zeros_like(grid)
    for theta, tau in zip(nodes, weights):
        gauss = np.exp(-0.5 * ((grid[:, None] - theta[None, :]) / sigma) ** 2)
        density += gauss @ tau / (sigma * np.sqrt(2 * np.pi))
    return density / num_probes
