"""Tests of course.zero_order: moments of the estimators, their costs, and descent with them."""
import numpy as np
import pytest

from course import fd
from course import zero_order as zo

D = 10
_rng = np.random.default_rng(0)
_M = _rng.standard_normal((D, D))
A = _M @ _M.T / D + np.eye(D)  # symmetric positive definite
B = _rng.standard_normal(D)
X = _rng.standard_normal(D)


def quadratic(x):
    return 0.5 * x @ A @ x + B @ x


GRAD = A @ X + B
SAMPLES = 20_000


@pytest.mark.parametrize("directions", ["sphere", "gaussian"])
def test_two_point_estimate_is_unbiased_on_a_quadratic(directions):
    # On a quadratic E[G] = grad f exactly; the sample mean must lie within a few
    # standard errors of it (4 standard errors: a 6e-5 chance per coordinate).
    samples = zo.two_point_samples(quadratic, X, 1e-3, np.random.default_rng(1), directions, SAMPLES)
    standard_error = samples.std(axis=0, ddof=1) / np.sqrt(SAMPLES)
    assert np.all(np.abs(samples.mean(axis=0) - GRAD) < 4 * standard_error)
    # The averaged estimate is that same mean (same seed, same samples).
    averaged = zo.two_point_estimate(quadratic, X, 1e-3, np.random.default_rng(1), directions, SAMPLES)
    np.testing.assert_allclose(averaged, samples.mean(axis=0), rtol=1e-12)


@pytest.mark.parametrize("directions, expected", [("gaussian", D + 2), ("sphere", D)])
def test_second_moment_of_two_point_estimate(directions, expected):
    # E||G||^2 / ||grad f||^2 = d + 2 (Gaussian v) and d (sphere): within 10 % (slide 3)
    # and within 4 standard errors of the Monte Carlo mean (about 1.5 % here).
    samples = zo.two_point_samples(quadratic, X, 1e-3, np.random.default_rng(2), directions, SAMPLES)
    ratios = np.sum(samples**2, axis=1) / (GRAD @ GRAD)
    standard_error = ratios.std(ddof=1) / np.sqrt(SAMPLES)
    assert abs(ratios.mean() - expected) < min(0.1 * expected, 4 * standard_error)


def test_sphere_directions_have_unit_norm_and_shape_of_x():
    v = zo.random_directions(np.random.default_rng(3), (3, 2), 5, "sphere")
    assert v.shape == (5, 3, 2)
    np.testing.assert_allclose(np.sqrt(np.sum(v**2, axis=(1, 2))), 1.0, rtol=1e-14)
    with pytest.raises(ValueError, match="unknown directions"):
        zo.random_directions(np.random.default_rng(3), (2,), 1, "cube")


def test_coordinate_estimate_is_exact_on_quadratics_and_costs_2d():
    f = zo.CountingFunction(quadratic)
    eps = 1e-3
    estimate = zo.coordinate_estimate(f, X, eps)
    assert f.calls == 2 * D
    # No truncation error on a quadratic; round-off: two values of f with
    # relative error ~ eps_mach each, divided by 2 eps (factor 4 margin).
    roundoff = 4 * fd.MACHINE_EPS * abs(quadratic(X)) / eps
    assert np.max(np.abs(estimate - GRAD)) < roundoff


def test_coordinate_estimate_error_is_second_order_in_eps():
    def f(x):
        return np.sum(np.exp(x)) + np.sin(x[0]) * x[1]

    x = np.array([0.3, -0.5, 0.8])
    exact = np.exp(x) + np.array([np.cos(x[0]) * x[1], np.sin(x[0]), 0.0])
    errors = [np.linalg.norm(zo.coordinate_estimate(f, x, eps) - exact) for eps in (1e-2, 5e-3)]
    assert errors[0] / errors[1] == pytest.approx(4, rel=0.01)  # halving eps divides it by 4


# Slide 3: f = x^2 + 3y^2 + 2xy = xᵀ A2 x / 2 from (4, 4); Hessian eigenvalues 4 -+ 2 sqrt(2).
A2 = np.array([[2.0, 2.0], [2.0, 6.0]])
LAMBDA_MAX = 4 + 2 * np.sqrt(2)
START = np.array([4.0, 4.0])


def slide3(x):
    return x[0] ** 2 + 3 * x[1] ** 2 + 2 * x[0] * x[1]


def test_gradient_descent_with_slide_step_converges():
    # lr = 0.25 < 2 / lambda_max = 0.29: GD contracts by |1 - 0.25 lambda| <= 0.71 per step.
    iterates = zo.gradient_descent(lambda x: A2 @ x, START, lr=0.25, steps=100)
    assert iterates.shape == (101, 2)
    assert slide3(iterates[-1]) < 1e-12 * slide3(START)


def test_coordinate_zero_order_gd_follows_gd():
    # Central differences are exact on quadratics: the same iterates as GD, 2d evaluations a step.
    iterates, evaluations = zo.zero_order_gd(slide3, START, 0.25, 50, "coordinate", eps=1e-3)
    np.testing.assert_allclose(iterates, zo.gradient_descent(lambda x: A2 @ x, START, 0.25, 50),
                               atol=1e-9)
    assert evaluations == 50 * 2 * 2


def test_two_point_gd_needs_a_d_times_smaller_step():
    # With the sphere estimator E||x_{k+1}||^2 = xᵀ (I - 2 lr A + lr^2 d A^2) x: the
    # mean square contracts only if lr < 2 / (d lambda_max) = 0.146 for d = 2.
    # The slide's lr = 0.25 blows up; lr = 0.1 converges (20 seeds, median).
    final = {lr: np.median([slide3(zo.zero_order_gd(slide3, START, lr, 200, "sphere",
                                                     np.random.default_rng(seed))[0][-1])
                            for seed in range(20)])
             for lr in (0.25, 0.1)}
    assert 0.1 < 2 / (2 * LAMBDA_MAX) < 0.25
    assert final[0.25] > 1e3 * slide3(START)
    assert final[0.1] < 1e-10 * slide3(START)


def test_zero_order_gd_counts_evaluations_and_needs_rng():
    iterates, evaluations = zo.zero_order_gd(slide3, START, 0.05, 30, "gaussian",
                                             np.random.default_rng(4), num_samples=3)
    assert iterates.shape == (31, 2) and evaluations == 30 * 2 * 3
    with pytest.raises(ValueError, match="rng"):
        zo.zero_order_gd(slide3, START, 0.05, 3, "sphere")
