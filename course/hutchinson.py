"""Trace of a matrix seen only through matrix-vector products.

Hutchinson (1990): for a random vector v with E[v v^T] = I,

    Tr(A) = E[v^T A v]  ~  (1/V) sum_{i=1..V} v_i^T A v_i,

so V products A v_i (Hessian-vector products for a Hessian) give an unbiased
estimate whose standard error falls like 1/sqrt(V). Hutch++ (Meyer, Musco,
Musco & Woodruff 2021) spends a third of the products on finding the top
eigen-directions, takes their part of the trace exactly, and applies
Hutchinson only to the rest: error ~ 1/V instead of 1/sqrt(V) when the
spectrum decays.
"""
import numpy as np


def probe_vectors(rng, d, n, probes="rademacher"):
    """n random probe vectors with E[v v^T] = I, as the columns of a d x n array."""
    if probes == "rademacher":
        return rng.choice([-1.0, 1.0], size=(d, n))
    if probes == "gaussian":
        return rng.standard_normal((d, n))
    raise ValueError(f"probes must be 'rademacher' or 'gaussian', not {probes!r}")


def _apply(matvec, V):
    """matvec applied to every column of V."""
    return np.column_stack([matvec(v) for v in V.T])


def hutchinson(matvec, d, num_probes, rng, probes="rademacher", return_samples=False):
    """Hutchinson's estimate of Tr(A) from `num_probes` products A v.

    With `return_samples=True` also returns the per-probe values v_i^T A v_i,
    whose sample variance estimates the variance of one probe.
    """
    V = probe_vectors(rng, d, num_probes, probes)
    samples = np.einsum("ij,ij->j", V, _apply(matvec, V))
    estimate = samples.mean()
    return (estimate, samples) if return_samples else estimate


def hutch_plus_plus(matvec, d, num_matvecs, rng, probes="rademacher"):
    """Hutch++ estimate of Tr(A) from `num_matvecs` products (Meyer et al. 2021).

    Split the budget in three: k = num_matvecs // 3 products A S give an
    orthonormal basis Q of (approximately) the top-k eigen-space; k products A Q
    give Tr(Q^T A Q) exactly; the remaining products estimate the trace of the
    deflated matrix (I - Q Q^T) A (I - Q Q^T) with Hutchinson.
    """
    k = num_matvecs // 3
    if k < 1:
        raise ValueError("Hutch++ needs at least 3 matrix-vector products")
    S = probe_vectors(rng, d, k, probes)
    Q, _ = np.linalg.qr(_apply(matvec, S))
    top = np.trace(Q.T @ _apply(matvec, Q))
    G = probe_vectors(rng, d, num_matvecs - 2 * k, probes)
    G = G - Q @ (Q.T @ G)  # project the probes off range(Q)
    rest = np.einsum("ij,ij->j", G, _apply(matvec, G)).mean()
    return top + rest


def variance_theory(A, probes="rademacher"):
    """Variance of one Hutchinson sample v^T A v for a symmetric matrix A.

    Gaussian v:   Var = 2 ||A||_F^2.
    Rademacher v: Var = 2 (||A||_F^2 - sum_i A_ii^2)  (v_i^2 = 1, so the
    diagonal contributes no noise: Rademacher probes are never worse).
    """
    A = np.asarray(A, dtype=np.float64)
    frobenius2 = np.sum(A * A)
    if probes == "gaussian":
        return 2 * frobenius2
    if probes == "rademacher":
        return 2 * (frobenius2 - np.sum(np.diag(A) ** 2))
    raise ValueError(f"probes must be 'rademacher' or 'gaussian', not {probes!r}")
