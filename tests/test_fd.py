"""Tests of course.fd: difference formulas against their error theory, JAX and course.ad."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from course import fd
from course.zero_order import CountingFunction

jax.config.update("jax_enable_x64", True)
EPS = fd.MACHINE_EPS

# f and its first three derivatives, for the error bounds.
FUNCTIONS = {
    "sin": (np.sin, np.cos, lambda x: -np.sin(x), lambda x: -np.cos(x)),
    "exp": (np.exp, np.exp, np.exp, np.exp),
    "cubic": (lambda x: x**3 - 2 * x**2 + 0.5 * x - 1, lambda x: 3 * x**2 - 4 * x + 0.5,
              lambda x: 6 * x - 4, lambda x: 6 + 0 * x),
}
POINTS = np.array([-1.3, 0.4, 2.5])


def error_bound(method, h, x, f, df, d2f, d3f):
    """Truncation + round-off bound of each formula at step h (twice the leading terms).

    Round-off: f(x +- h) and f(x) carry relative errors ~ EPS each, and rounding
    x + h moves the point by ~ EPS |x| / 2, which costs EPS |x f'(x)| / 2.
    """
    roundoff = (2 * EPS * np.abs(f(x)) + EPS * np.abs(x * df(x))) / h
    truncation = {"forward": h / 2 * np.abs(d2f(x)), "backward": h / 2 * np.abs(d2f(x)),
                  "central": h**2 / 6 * np.abs(d3f(x))}[method]
    roundoff = roundoff / 2 if method == "central" else roundoff
    return 2 * (truncation + roundoff)


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("method", ["forward", "backward", "central"])
def test_difference_within_error_theory_at_optimal_step(name, method):
    f, df, d2f, d3f = FUNCTIONS[name]
    h = fd.optimal_step(method)
    error = np.abs(fd.DIFFERENCES[method](f, POINTS, 1.0, h) - df(POINTS))
    assert np.all(error <= error_bound(method, h, POINTS, f, df, d2f, d3f))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_truncation_error_matches_leading_taylor_term(name):
    # At h = 1e-3 round-off (~1e-13) is negligible: the error is the first dropped
    # Taylor term, h/2 f'' (forward), -h/2 f'' (backward), h^2/6 f''' (central).
    f, df, d2f, d3f = FUNCTIONS[name]
    h = 1e-3
    leading = {"forward": h / 2 * d2f(POINTS), "backward": -h / 2 * d2f(POINTS),
               "central": h**2 / 6 * d3f(POINTS)}
    for method, term in leading.items():
        error = fd.DIFFERENCES[method](f, POINTS, 1.0, h) - df(POINTS)
        np.testing.assert_allclose(error, term, rtol=1e-2)  # next term is O(h) relative


def test_error_vs_step_has_its_minimum_at_the_optimal_step():
    # Root-mean-square relative error over points near 1 averages out lucky
    # round-off cancellations, leaving the V of truncation vs round-off.
    steps = np.logspace(-14, -1, 131)
    x = np.linspace(0.9, 1.1, 21)
    for method in ["forward", "backward", "central"]:
        errors = [np.sqrt(np.mean((fd.DIFFERENCES[method](np.exp, x, 1.0, h) / np.exp(x) - 1) ** 2))
                  for h in steps]
        best = steps[np.argmin(errors)]
        assert fd.optimal_step(method) / 10 <= best <= fd.optimal_step(method) * 10, (method, best)
    assert 1e-9 <= fd.optimal_step("forward") <= 1e-7 and 1e-6 <= fd.optimal_step("central") <= 1e-5


@pytest.mark.parametrize("name", FUNCTIONS)
def test_complex_step_reaches_machine_precision(name):
    f, df, _, _ = FUNCTIONS[name]
    for h in [1e-20, 1e-100]:  # no subtraction: the step can be as small as we like
        relative = np.abs(fd.complex_step(f, POINTS, 1.0, h) / df(POINTS) - 1)
        assert np.all(relative < 1e-15)


def rosenbrock(x, xp=np):
    return xp.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def softplus_energy(x, xp=np):
    return xp.log(1 + xp.exp(x @ x / 4)) + xp.sin(x[0]) * x[-1]


W = np.random.default_rng(0).standard_normal((4, 3))


def layer(x, xp=np):  # matrix input (3, 2) -> matrix output (4, 2): Jacobian (4, 2, 3, 2)
    return xp.tanh(W @ x) * xp.exp(x[0])


# Relative accuracy each method reaches at its optimal step (fd.optimal_step), with
# a factor 100 for the sizes of f and its derivatives (measured: factors 1 to 3).
REACH = {"forward": 100 * np.sqrt(EPS), "backward": 100 * np.sqrt(EPS),
         "central": 100 * EPS ** (2 / 3), "complex": 100 * EPS}


@pytest.mark.parametrize("method", list(REACH))
@pytest.mark.parametrize("function", [rosenbrock, softplus_energy])
def test_gradient_matches_jax(method, function):
    x = np.random.default_rng(1).uniform(-1.5, 1.5, size=5)
    expected = np.asarray(jax.grad(lambda x: function(x, jnp))(x))
    np.testing.assert_allclose(fd.gradient(function, x, method), expected,
                               rtol=REACH[method], atol=REACH[method] * np.max(np.abs(expected)))


@pytest.mark.parametrize("method", list(REACH))
def test_jacobian_matches_jax_with_shape_out_plus_in(method):
    x = np.random.default_rng(2).uniform(-1, 1, size=(3, 2))
    expected = np.asarray(jax.jacobian(lambda x: layer(x, jnp))(x))
    actual = fd.jacobian(layer, x, method)
    assert actual.shape == (4, 2, 3, 2)
    np.testing.assert_allclose(actual, expected, rtol=REACH[method],
                               atol=REACH[method] * np.max(np.abs(expected)))


def test_gradient_rejects_vector_valued_functions():
    with pytest.raises(ValueError, match="scalar-valued"):
        fd.gradient(np.sin, np.ones(3))


@pytest.mark.parametrize("method, evaluations", [("forward", 6), ("backward", 6), ("central", 10),
                                                 ("complex", 5)])
def test_evaluation_counts(method, evaluations):
    # d = 5: one-sided differences share f(x): d + 1; central needs 2d; complex step d.
    f = CountingFunction(rosenbrock)
    fd.gradient(f, np.ones(5), method)
    assert f.calls == evaluations


def test_optimal_step_rejects_unknown_methods():
    with pytest.raises(ValueError, match="unknown method"):
        fd.optimal_step("sideways")


# check_grads against the course engine ----------------------------------------


def test_check_grads_passes_on_correct_engine_derivatives():
    import course.ad.numpy as anp

    x = np.array([0.3, -0.7, 1.1])
    fd.check_grads(lambda x: anp.sum(anp.sin(x) * anp.exp(x)) + x @ x, x)
    fd.check_grads(lambda x: anp.tanh(W @ x) * x[0], x, order=2)
    fd.check_grads(lambda x: anp.sin(x) ** 2, np.float64(0.4), order=3)


def test_check_grads_catches_a_wrong_first_derivative():
    import course.ad as ad

    # AD sees stop_gradient(x)**2 + x, derivative 1; the true derivative is 2x + 1.
    def f(x):
        return ad.stop_gradient(x) ** 2 + x

    x = np.array([0.5, 2.0])
    for mode in ["fwd", "rev"]:
        with pytest.raises(AssertionError, match=f"mode '{mode}', order 1"):
            fd.check_grads(f, x, modes=(mode,))


def test_check_grads_catches_a_wrong_second_derivative():
    import course.ad as ad
    import course.ad.numpy as anp

    # x - stop_gradient(x) is 0 in value but has derivative 1: the first derivative
    # 2x - 2 (x - sg(x)) = 2x is right, its derivative 2 - 2 = 0 is wrong (true: 2).
    def f(x):
        return anp.sum(x**2 - (x - ad.stop_gradient(x)) ** 2)

    x = np.array([0.5, 2.0])
    fd.check_grads(f, x, order=1)
    with pytest.raises(AssertionError, match="order 2"):
        fd.check_grads(f, x, order=2)
