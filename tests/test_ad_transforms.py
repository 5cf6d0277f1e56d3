"""The transformations of `course.ad` (grad, jvp, vjp, Jacobians, Hessians, HVPs, checkpoint)
on compositions of primitives, against JAX and against derivatives worked out by hand.

The rules of single primitives are tested in test_ad_primitives.py; here the question is whether
they are chained correctly: fan-out, broadcasting, nesting, long chains, and what they cost.
"""
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import course.ad as ad
import course.ad.numpy as anp
from strategies import arrays, broadcastable_pairs

jax.config.update("jax_enable_x64", True)

# Compositions of up to a few dozen float64 operations on values of size <= ~1e3: engine and
# JAX may round differently at each step (~1e-16 relative), so results agree to ~1e-13 relative;
# 1e-9 leaves a wide margin and still catches any wrong rule, whose error is O(1).
RTOL, ATOL = 1e-9, 1e-10


def assert_close(got, expected, rtol=RTOL, atol=ATOL):
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape, f"shape {got.shape}, expected {expected.shape}"
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)


# ---- random expression trees against jax.grad ---------------------------------------------------

# Every op keeps values moderate for any input (no overflow, no pole, no kink), so
# derivatives exist everywhere and a comparison at any drawn point is meaningful.
UNARY = {
    "neg": lambda m, a: -a,
    "sin": lambda m, a: m.sin(a),
    "cos": lambda m, a: m.cos(a),
    "tanh": lambda m, a: m.tanh(a),
    "exp(tanh)": lambda m, a: m.exp(m.tanh(a)),
    "log(1+a^2)": lambda m, a: m.log(1.0 + m.square(a)),
    "sqrt(1+a^2)": lambda m, a: m.sqrt(1.0 + a * a),
}
BINARY = {
    "+": lambda m, a, b: a + b,
    "-": lambda m, a, b: a - b,
    "*": lambda m, a, b: a * b,
    "a/(1+b^2)": lambda m, a, b: a / (1.0 + b ** 2),
}

leaves = st.one_of(st.sampled_from(["x", "y"]), st.floats(-2.0, 2.0, allow_subnormal=False))


def _grow(children):
    return st.one_of(st.tuples(st.sampled_from(sorted(UNARY)), children),
                     st.tuples(st.sampled_from(sorted(BINARY)), children, children))


expressions = st.recursive(leaves, _grow, max_leaves=10)
"""Expression trees: leaves "x", "y" or a float constant; nodes (op, child) or (op, left, right)."""


def evaluate(tree, m, x, y):
    if isinstance(tree, str):
        return {"x": x, "y": y}[tree]
    if isinstance(tree, float):
        return tree
    name, *children = tree
    args = [evaluate(child, m, x, y) for child in children]
    return (UNARY if len(args) == 1 else BINARY)[name](m, *args)


@settings(max_examples=25)
@given(tree=expressions, data=st.data())
def test_random_composition_matches_jax_grad(tree, data):
    shape_x, shape_y = data.draw(broadcastable_pairs).input_shapes
    x, y = data.draw(arrays(shape_x, -2.0, 2.0)), data.draw(arrays(shape_y, -2.0, 2.0))

    def loss(m, x, y):
        return m.sum(evaluate(tree, m, x, y))

    value, grads = ad.value_and_grad(partial(loss, anp), argnums=(0, 1))(x, y)
    expected = jax.grad(partial(loss, jnp), argnums=(0, 1))(x, y)
    assert_close(value, loss(np, x, y))
    for got, want, arg in zip(grads, expected, (x, y)):
        assert np.shape(got) == arg.shape
        assert_close(got, want)
    # Forward mode along a random direction gives the directional derivative <grad, t>.
    tx, ty = data.draw(arrays(shape_x)), data.draw(arrays(shape_y))
    _, tangent = ad.jvp(partial(loss, anp), (x, y), (tx, ty))
    assert_close(tangent, np.sum(expected[0] * tx) + np.sum(expected[1] * ty))


# ---- grad, value_and_grad, jvp, vjp: calling conventions -----------------------------------------

rng = np.random.default_rng(0)
X, Y, Z = rng.normal(size=(2, 3)), rng.normal(size=(3,)), rng.normal(size=(2, 3))
A = rng.normal(size=(4, 6))


def three_args(m, x, y, z):
    """A scalar function of three arrays, broadcasting y against x and z."""
    return m.sum(m.sin(x) * y + z ** 2 * m.tanh(x)) + m.sum(x * z) * m.sum(y)


@pytest.mark.parametrize("argnums", [0, 1, 2, (0,), (0, 2), (2, 1, 0)])
def test_grad_argnums(argnums):
    got = ad.grad(partial(three_args, anp), argnums=argnums)(X, Y, Z)
    expected = jax.grad(partial(three_args, jnp), argnums=argnums)(X, Y, Z)
    if isinstance(argnums, int):
        assert_close(got, expected)
    else:
        # A tuple of argnums gives a tuple of gradients, in the order asked for.
        assert isinstance(got, tuple) and len(got) == len(argnums)
        for g, e in zip(got, expected):
            assert_close(g, e)


@pytest.mark.parametrize("argnums", [0, (1, 2)])
def test_value_and_grad(argnums):
    value, got = ad.value_and_grad(partial(three_args, anp), argnums=argnums)(X, Y, Z)
    assert_close(value, three_args(np, X, Y, Z))
    expected = jax.grad(partial(three_args, jnp), argnums=argnums)(X, Y, Z)
    if isinstance(argnums, int):
        got, expected = (got,), (expected,)
    assert isinstance(got, tuple) and len(got) == len(expected)
    for g, e in zip(got, expected):
        assert_close(g, e)


def pair_to_vector(m, x, y):
    """(2, 3) and (3,) arrays -> a vector of 4."""
    return m.tanh(A @ m.reshape(x * y, (6,))) * m.sum(x ** 2)


def test_jvp_with_tuple_primals():
    tangents = rng.normal(size=(2, 3)), rng.normal(size=(3,))
    out, tangent = ad.jvp(partial(pair_to_vector, anp), (X, Y), tangents)
    jax_out, jax_tangent = jax.jvp(partial(pair_to_vector, jnp), (X, Y), tangents)
    assert_close(out, jax_out)
    assert_close(tangent, jax_tangent)


def test_vjp_pullback_returns_one_cotangent_per_primal():
    cotangent = rng.normal(size=4)
    out, pullback = ad.vjp(partial(pair_to_vector, anp), X, Y)
    jax_out, jax_pullback = jax.vjp(partial(pair_to_vector, jnp), X, Y)
    assert_close(out, jax_out)
    got = pullback(cotangent)
    assert isinstance(got, tuple) and len(got) == 2
    for g, e in zip(got, jax_pullback(cotangent)):
        assert_close(g, e)
    # One primal still gives a tuple, of one cotangent (as in JAX).
    _, pullback = ad.vjp(anp.sin, Y)
    (only,) = pullback(np.ones(3))
    assert_close(only, np.cos(Y))


def test_stop_gradient_blocks_the_derivative():
    # d/dx [x * c] with c = stop_gradient(x) is c = x, not 2x.
    got = ad.grad(lambda x: anp.sum(x * ad.stop_gradient(x)))(X)
    expected = jax.grad(lambda x: jnp.sum(x * jax.lax.stop_gradient(x)))(X)
    assert_close(got, expected)
    assert_close(got, X)


# ---- Jacobians and Hessians ---------------------------------------------------------------------

def matrix_to_vector(m, x):
    """R^{2x3} -> R^4, so the Jacobian has shape (4, 2, 3)."""
    return m.tanh(A @ m.reshape(x, (6,))) * m.sum(m.sin(x))


@pytest.mark.parametrize("f, x", [(matrix_to_vector, X), (lambda m, x: m.sum(m.exp(x) * x), X),
                                  (lambda m, x: m.sin(x) * x[0], Y)],
                         ids=["matrix->vector", "matrix->scalar", "vector->vector"])
def test_jacfwd_equals_jacrev_equals_jax(f, x):
    expected = jax.jacobian(partial(f, jnp))(x)
    forward, reverse = ad.jacfwd(partial(f, anp))(x), ad.jacrev(partial(f, anp))(x)
    assert np.shape(forward) == np.shape(reverse) == expected.shape
    assert_close(forward, expected)
    assert_close(reverse, expected)


def test_jacobians_with_argnums():
    for jac in (ad.jacfwd, ad.jacrev):
        got = jac(partial(pair_to_vector, anp), argnums=1)(X, Y)
        assert_close(got, jax.jacobian(partial(pair_to_vector, jnp), argnums=1)(X, Y))


def scalar_loss(m, x):
    """A smooth scalar function of a vector: matmul, elementwise ops and reductions, all coupled."""
    h = m.tanh(A[:, :4] @ x)
    return m.sum(h ** 2) + m.sum(m.sin(x) * x) + 0.1 * m.sum(x * x) ** 2


X4, V4 = rng.normal(size=4), rng.normal(size=4)


def test_hessian_matches_jax():
    got = ad.hessian(partial(scalar_loss, anp))(X4)
    expected = jax.hessian(partial(scalar_loss, jnp))(X4)
    assert_close(got, expected)
    assert_close(got, np.asarray(got).T)  # symmetric, as every smooth Hessian


def test_hessian_of_a_matrix_argument_has_shape_x_shape_twice():
    f = lambda m, x: m.sum(m.sin(x) * x) * m.sum(x)  # noqa: E731
    got = ad.hessian(partial(f, anp))(X)
    assert np.shape(got) == (2, 3, 2, 3)
    assert_close(got, jax.hessian(partial(f, jnp))(X))


HVP_MODES = ["forward-over-reverse", "reverse-over-reverse", "reverse-over-forward"]


@pytest.mark.parametrize("mode", HVP_MODES)
def test_hvp_all_modes_equal_dense_hessian_times_v(mode):
    got = ad.hvp(partial(scalar_loss, anp), X4, V4, mode=mode)
    assert_close(got, jax.hessian(partial(scalar_loss, jnp))(X4) @ V4)
    assert_close(got, np.asarray(ad.hessian(partial(scalar_loss, anp))(X4)) @ V4)


@pytest.mark.parametrize("mode", HVP_MODES)
def test_hvp_of_a_matrix_argument(mode):
    f = lambda m, x: m.sum(m.sin(x) * x) * m.sum(x)  # noqa: E731
    v = rng.normal(size=X.shape)
    got = ad.hvp(partial(f, anp), X, v, mode=mode)
    hessian = jax.hessian(partial(f, jnp))(X).reshape(X.size, X.size)
    assert_close(got, (hessian @ v.ravel()).reshape(X.shape))


def quartic_exp_sin(x):
    return x ** 4 + anp.exp(2.0 * x) + anp.sin(x)


def test_third_derivative_by_grad_of_grad_of_grad():
    # f = x^4 + e^{2x} + sin x:  f''' = 24x + 8 e^{2x} - cos x.
    x = 0.7
    got = ad.grad(ad.grad(ad.grad(quartic_exp_sin)))(x)
    assert_close(got, 24 * x + 8 * np.exp(2 * x) - np.cos(x))


def test_forward_over_forward():
    # Second derivative by a JVP of a JVP: f'' = 12x^2 + 4 e^{2x} - sin x.
    x = 0.7
    first = lambda x: ad.jvp(quartic_exp_sin, (x,), (1.0,))[1]  # noqa: E731
    _, second = ad.jvp(first, (x,), (1.0,))
    assert_close(second, 12 * x ** 2 + 4 * np.exp(2 * x) - np.sin(x))
    # and the whole Hessian by jacfwd of jacfwd.
    got = ad.jacfwd(ad.jacfwd(partial(scalar_loss, anp)))(X4)
    assert_close(got, jax.hessian(partial(scalar_loss, jnp))(X4))


# ---- perturbation confusion ----------------------------------------------------------------------

def derivative_reverse(f):
    return ad.grad(f)


def derivative_forward(f):
    return lambda x: ad.jvp(f, (x,), (1.0,))[1]


@pytest.mark.parametrize("outer", [derivative_reverse, derivative_forward], ids=["outer-rev", "outer-fwd"])
@pytest.mark.parametrize("inner", [derivative_reverse, derivative_forward], ids=["inner-rev", "inner-fwd"])
def test_no_perturbation_confusion(outer, inner):
    # Siskind & Pearlmutter's example: d/dx [x * d/dy (x + y)] = d/dx [x * 1] = 1. An engine that
    # cannot tell the inner perturbation of y from the outer one of x finds 2.
    got = outer(lambda x: x * inner(lambda y: x + y)(1.0))(3.0)
    assert_close(got, 1.0)
    # The inner derivative may depend on x: d/dx [x * d/dy (x * y)] = d/dx [x^2] = 2x.
    got = outer(lambda x: x * inner(lambda y: x * y)(1.0))(3.0)
    assert_close(got, 6.0)


# ---- structure: fan-out, unused inputs, constants, dtypes, depth ------------------------------------

def test_fan_out_accumulates():
    x = 1.3
    assert_close(ad.grad(lambda x: x * x * x)(x), 3 * x ** 2)
    g = lambda x: anp.sin(x) * x  # noqa: E731
    # g used twice: d/dx [g(x) + g(x)] = 2 (cos(x) x + sin(x)).
    assert_close(ad.grad(lambda x: g(x) + g(x))(x), 2 * (np.cos(x) * x + np.sin(x)))
    # The same on arrays, where x also reaches the output through a broadcast reduction.
    got = ad.grad(lambda x: anp.sum(x * x * x) + anp.sum(x) * anp.sum(x))(X)
    assert_close(got, 3 * X ** 2 + 2 * X.sum())


def test_ignored_input_gets_zeros_of_its_shape():
    gx, gz = ad.grad(lambda x, z: anp.sum(anp.sin(x)), argnums=(0, 1))(Y, Z)
    assert_close(gx, np.cos(Y))
    assert np.shape(gz) == Z.shape and np.asarray(gz).dtype == np.float64
    assert_close(gz, np.zeros_like(Z))
    _, pullback = ad.vjp(lambda x, z: anp.sin(x), Y, Z)
    assert_close(pullback(np.ones(3))[1], np.zeros_like(Z))


def test_constant_output_has_zero_gradient():
    value, got = ad.value_and_grad(lambda x: 3.0)(X)
    assert_close(value, 3.0)
    assert_close(got, np.zeros_like(X))
    assert_close(ad.grad(lambda x: anp.sum(anp.ones(3)))(Y), np.zeros_like(Y))


def test_float32_input_gives_float64_results():
    x32 = np.array([0.5, -1.25, 2.0], dtype=np.float32)
    value, got = ad.value_and_grad(lambda x: anp.sum(anp.sin(x) * x))(x32)
    assert np.asarray(value).dtype == np.float64
    assert np.asarray(got).dtype == np.float64
    x = x32.astype(np.float64)
    assert_close(got, np.cos(x) * x + np.sin(x))
    out, tangent = ad.jvp(anp.exp, (x32,), (np.ones(3, dtype=np.float32),))
    assert np.asarray(out).dtype == np.asarray(tangent).dtype == np.float64


def test_long_chain_has_no_recursion_limit():
    # x_{k+1} = a x_k + b, n times: 2n = 100,000 recorded nodes. Closed form:
    # x_n = a^n x_0 + b (a^n - 1) / (a - 1), and dx_n/dx_0 = a^n.
    a, b, n, x0 = 1.0000001, 1e-6, 50_000, 0.5

    def chain(x):
        for _ in range(n):
            x = x * a + b
        return x

    with ad.counting() as counts:
        value, got = ad.value_and_grad(chain)(x0)
    assert counts.nodes_stored == 2 * n
    # n steps of rounding (~1e-16 each) accumulate to at most ~1e-11 relative.
    assert_close(value, a ** n * x0 + b * (a ** n - 1) / (a - 1), rtol=1e-9)
    assert_close(got, a ** n, rtol=1e-9)


# ---- checkpoint ------------------------------------------------------------------------------------

def block(x):
    """Ten primitive applications (sin and mul, five times)."""
    for _ in range(5):
        x = anp.sin(x) * 1.1
    return x


def test_checkpoint_same_gradient_fewer_stored_nodes():
    plain = lambda x: anp.sum(block(block(x)))  # noqa: E731
    remembered = ad.checkpoint(block)
    checkpointed = lambda x: anp.sum(remembered(remembered(x)))  # noqa: E731
    with ad.counting() as plain_counts:
        plain_value, plain_grad = ad.value_and_grad(plain)(X)
    with ad.counting() as checkpoint_counts:
        value, got = ad.value_and_grad(checkpointed)(X)
    # The same arithmetic in the same order: equal up to rounding.
    assert_close(value, plain_value, rtol=1e-12)
    assert_close(got, plain_grad, rtol=1e-12)
    assert plain_counts.nodes_stored == 21  # 2 blocks x 10 + the sum
    assert plain_counts.recomputations == 0
    assert checkpoint_counts.nodes_stored < plain_counts.nodes_stored
    assert checkpoint_counts.recomputations > 0


def test_checkpoint_of_a_function_closing_over_a_differentiated_value():
    # The common way to checkpoint a layer: checkpoint(lambda h: layer(h, W)) with W closed over.
    # The gradient with respect to W must still arrive, as plain arrays: d/dw sum(sin(x) w) = sum(sin x).
    w = 2.0
    got = ad.grad(lambda x, w: anp.sum(ad.checkpoint(lambda z: anp.sin(z) * w)(x)), argnums=(0, 1))(Y, w)
    assert all(type(g) in (np.ndarray, np.float64) for g in got), f"not plain arrays: {got!r}"
    assert_close(got[0], w * np.cos(Y))
    assert_close(got[1], np.sin(Y).sum())


def test_checkpoint_in_forward_mode_and_second_order():
    f = lambda x: anp.sum(block(x) * x)  # noqa: E731
    remembered = ad.checkpoint(block)
    g = lambda x: anp.sum(remembered(x) * x)  # noqa: E731
    tangent = rng.normal(size=X.shape)
    assert_close(ad.jvp(g, (X,), (tangent,))[1], ad.jvp(f, (X,), (tangent,))[1], rtol=1e-12)
    assert_close(ad.hessian(g)(Y), ad.hessian(f)(Y), rtol=1e-12)


# ---- counters -------------------------------------------------------------------------------------

def five_primitives(x):
    return anp.sum(anp.sin(x) * x + anp.exp(x))  # sin, mul, exp, add, sum


def test_reverse_mode_one_backward_pass_and_one_node_per_primitive():
    with ad.counting() as counts:
        ad.grad(five_primitives)(X)
    assert counts.nodes_stored == 5
    assert counts.backward_passes == 1
    assert counts.forward_passes == 0
    assert counts.by_primitive["sin"] >= 1
    assert sum(counts.by_primitive.values()) == counts.evaluations


@pytest.mark.parametrize("x", [Y, X], ids=["d=3", "d=6"])
def test_forward_mode_full_gradient_costs_d_passes(x):
    with ad.counting() as counts:
        got = ad.jacfwd(five_primitives)(x)
    assert_close(got, np.cos(x) * x + np.sin(x) + np.exp(x))
    assert counts.forward_passes == x.size
    assert counts.backward_passes == 0
    assert counts.nodes_stored == 0  # forward mode keeps no tape
