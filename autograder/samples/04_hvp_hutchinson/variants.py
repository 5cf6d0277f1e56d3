"""Assignment 4 (HVPs and Hutchinson): typical wrong solutions.

The format of VARIANTS is described in tests/assignment_harness.py, which adds the reference.
"""
VARIANTS = {
    "hvp_by_differences_of_gradients": {
        "about": "forward-over-reverse replaced by a central difference of two gradients: ~1e-8 error",
        "edits": {"hvp": [(
            "return ad.jvp(ad.grad(f), (x,), (v,))[1]",
            "return (ad.grad(f)(x + 1e-5 * v) - ad.grad(f)(x - 1e-5 * v)) / 2e-5")]},
        # exact on the visible quadratic, whose gradient is linear
        "expected": {"hvp_nonlinear_against_analytic": 0, "hvp_costs": 0},
    },
    "hvp_from_the_dense_hessian": {
        "about": "the whole Hessian built with ad.hessian, then multiplied by v: n passes, not one",
        "edits": {"hvp": [("return ad.jvp(ad.grad(f), (x,), (v,))[1]", "return ad.hessian(f)(x) @ v")]},
        "expected": {"hvp_costs": 0},
    },
    "reverse_over_reverse_without_v": {
        "about": "the gradient of sum(grad f): H times the vector of ones instead of H v",
        "edits": {"hvp": [("ad.grad(lambda y: anp.vdot(ad.grad(f)(y), v))(x)", "ad.grad(lambda y: anp.sum(ad.grad(f)(y)))(x)")]},
        "expected": {"hvp_reverse_over_reverse_quadratic": 0, "hvp_nonlinear_against_analytic": 0},
    },
    "hutchinson_gaussian_probes": {
        "about": "Gaussian probes: still unbiased, but not exact on a diagonal and not +-1",
        "edits": {"hutchinson": [("v = rng.choice([-1.0, 1.0], size=d)", "v = rng.standard_normal(d)")]},
        "expected": {"hutchinson_diagonal_exact": 0, "hutchinson_one_matvec_per_probe": 0},
    },
    "hutchinson_zero_one_probes": {
        "about": "probes with entries 0 or 1 (rng.integers(0, 2)): E[v v^T] is not I, the estimate is biased",
        "edits": {"hutchinson": [("v = rng.choice([-1.0, 1.0], size=d)", "v = rng.integers(0, 2, size=d).astype(float)")]},
        # the visible Hessian-trace test runs the student's own estimator
        "expected": {"hutchinson_diagonal_exact": 0, "hutchinson_unbiased": 0, "hutchinson_one_matvec_per_probe": 0,
                     "hessian_trace_close_to_exact": 0},
    },
    "hutchinson_variance_of_gaussian_probes": {
        "about": "2 ||A||_F^2: the diagonal, which Rademacher probes read exactly, counted as noise",
        "edits": {"hutchinson_variance": [("2 * (np.sum(A ** 2) - np.sum(np.diag(A) ** 2))", "2 * np.sum(A ** 2)")]},
        "expected": {"hutchinson_variance_small_matrix": 0, "hutchinson_variance_measured": 0},
    },
    "hessian_trace_by_basis_vectors": {
        "about": "the exact trace from n HVPs with the unit vectors: right value, n products instead of num_probes",
        "edits": {"hessian_trace": [(
            "return hutchinson_trace(lambda v: hvp_forward_over_reverse(f, x, v), x.size, num_probes, rng)",
            "return sum(hvp_forward_over_reverse(f, x, e)[i] for i, e in enumerate(np.eye(x.size)))")]},
        # exact, so the visible test passes; the hidden one counts 20 products for 12 probes
        "expected": {"hessian_trace_uses_hvps": 0},
    },
}
