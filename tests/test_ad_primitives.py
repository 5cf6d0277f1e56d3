"""Every op of `course.ad.numpy`: its value against numpy, its JVP and VJP rules against JAX.

Each op is written once as `op(m, *arrays, **params)`, where `m` is `course.ad.numpy`, numpy
or jax.numpy, so the same line is evaluated by the engine and by both references. Hypothesis
draws the shapes (broadcasting included) and the values; only `arrays` are differentiated,
`params` (axes, indices, conditions, constants) are held fixed.
"""
import warnings
from dataclasses import dataclass, field, replace

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import course.ad as ad
import course.ad.numpy as anp
from strategies import (MAX_SIDE, arrays, axes, broadcastable_pairs, broadcastable_triples, indices,
                        keepdims, matmul_shapes, nonscalar_shapes, nonzero_arrays, positive_arrays,
                        same_size_shape, separated_pairs, shapes)

jax.config.update("jax_enable_x64", True)

# One primitive in float64: engine and reference evaluate the same formula once, so they agree
# to a few ulps (~1e-15 relative). rtol 1e-10 still leaves room for an equivalent but different
# derivative formula (tanh' as 1 - tanh^2 or as sech^2), and atol 1e-12 for entries that cancel
# to ~0 in a sum of terms of size <= ~100 (rounding ~1e-14). A wrong rule is off by O(1).
RTOL, ATOL = 1e-10, 1e-12


def assert_close(got, expected):
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape, f"shape {got.shape}, expected {expected.shape}"
    assert got.dtype == np.float64, f"dtype {got.dtype}, expected float64"
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)


class WithActivations:
    """numpy or jax.numpy plus `sigmoid` and `relu`, which numpy lacks, so one op line serves all."""

    def __init__(self, module, sigmoid, relu):
        self._module, self.sigmoid, self.relu = module, sigmoid, relu

    def __getattr__(self, name):
        return getattr(self._module, name)


NP = WithActivations(np, scipy.special.expit, lambda x: np.maximum(x, 0.0))
JNP = WithActivations(jnp, jax.nn.sigmoid, jax.nn.relu)


@dataclass
class Example:
    """One call `op(m, *arrays, **params)`; `arrays` are the differentiated inputs."""
    op: object
    arrays: tuple
    params: dict = field(default_factory=dict)

    def bind(self, m):
        return lambda *xs: self.op(m, *xs, **self.params)


# ---- strategies of examples, one builder per calling pattern ---------------------------------

def unary(op, elements=arrays):
    return shapes.flatmap(elements).map(lambda x: Example(op, (x,)))


@st.composite
def binary(draw, op, left=arrays, right=arrays):
    """Two differentiated inputs of mutually broadcastable shapes."""
    shape_x, shape_y = draw(broadcastable_pairs).input_shapes
    return Example(op, (draw(left(shape_x)), draw(right(shape_y))))


@st.composite
def never_tied(draw, op):
    """maximum/minimum away from ties: the entries differ by >= 0.2 after broadcasting."""
    shape_x, shape_y = draw(broadcastable_pairs).input_shapes
    return Example(op, draw(separated_pairs(shape_x, shape_y)))


@st.composite
def constant_on_the_left(draw, op, x_elements=arrays):
    """`op(m, x, c)` with a constant numpy array `c`, broadcasting with x, as the left operand."""
    shape_x, shape_c = draw(broadcastable_pairs).input_shapes
    return Example(op, (draw(x_elements(shape_x)),), {"c": draw(arrays(shape_c))})


@st.composite
def reduction(draw, op):
    shape = draw(shapes)
    return Example(op, (draw(arrays(shape)),), {"axis": draw(axes(len(shape))), "keepdims": draw(keepdims)})


@st.composite
def integer_exponents(draw, op):
    """`op(m, x, k)` with a constant integer array k in 0..3 as the exponent, broadcasting with x."""
    shape_x, shape_k = draw(broadcastable_pairs).input_shapes
    k = draw(hnp.arrays(np.int64, shape_k, elements=st.integers(0, 3)))
    return Example(op, (draw(arrays(shape_x)),), {"k": k})


@st.composite
def matmul_case(draw, op):
    shape_a, shape_b = draw(matmul_shapes).input_shapes
    return Example(op, (draw(arrays(shape_a)), draw(arrays(shape_b))))


@st.composite
def matmul_constant_on_the_left(draw, op):
    shape_c, shape_x = draw(matmul_shapes).input_shapes
    return Example(op, (draw(arrays(shape_x)),), {"c": draw(arrays(shape_c))})


@st.composite
def dot_case(draw, op):
    """numpy.dot on vector and matrix operands: (n,)|(m, n) with (n,)|(n, p)."""
    m, n, p = (draw(st.integers(1, MAX_SIDE)) for _ in range(3))
    shape_a = draw(st.sampled_from([(n,), (m, n)]))
    shape_b = draw(st.sampled_from([(n,), (n, p)]))
    return Example(op, (draw(arrays(shape_a)), draw(arrays(shape_b))))


@st.composite
def vdot_case(draw, op):
    """numpy.vdot flattens both operands: shapes may differ as long as the sizes agree."""
    shape = draw(shapes)
    other = draw(st.sampled_from([shape, shape[::-1], (int(np.prod(shape, dtype=int)),)]))
    return Example(op, (draw(arrays(shape)), draw(arrays(other))))


@st.composite
def reshape_case(draw, op):
    shape = draw(shapes)
    return Example(op, (draw(arrays(shape)),), {"shape": draw(same_size_shape(shape))})


@st.composite
def transpose_case(draw, op):
    shape = draw(shapes)
    perm = tuple(draw(st.permutations(range(len(shape)))))
    return Example(op, (draw(arrays(shape)),), {"axes": perm})


@st.composite
def swapaxes_case(draw, op):
    shape = draw(nonscalar_shapes)
    pick = st.integers(-len(shape), len(shape) - 1)
    return Example(op, (draw(arrays(shape)),), {"axis1": draw(pick), "axis2": draw(pick)})


@st.composite
def expand_dims_case(draw, op):
    shape = draw(shapes)
    return Example(op, (draw(arrays(shape)),), {"axis": draw(st.integers(-len(shape) - 1, len(shape)))})


@st.composite
def getitem_case(draw, op):
    shape = draw(nonscalar_shapes)
    return Example(op, (draw(arrays(shape)),), {"index": draw(indices(shape))})


@st.composite
def concatenate_case(draw, op):
    """1-3 arrays that agree on every axis but the concatenation axis."""
    shape = draw(nonscalar_shapes)
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        part_shape = list(shape)
        part_shape[axis] = draw(st.integers(1, MAX_SIDE))
        parts.append(draw(arrays(tuple(part_shape))))
    return Example(op, tuple(parts), {"axis": axis})


@st.composite
def stack_case(draw, op):
    shape = draw(shapes)
    parts = tuple(draw(arrays(shape)) for _ in range(draw(st.integers(1, 3))))
    return Example(op, parts, {"axis": draw(st.integers(-len(shape) - 1, len(shape)))})


@st.composite
def where_case(draw, op):
    """`where(cond, x, y)` with cond, x and y of three mutually broadcastable shapes."""
    shape_c, shape_x, shape_y = draw(broadcastable_triples).input_shapes
    cond = draw(hnp.arrays(np.bool_, shape_c))
    return Example(op, (draw(arrays(shape_x)), draw(arrays(shape_y))), {"cond": cond})


OPS = {
    # elementwise, one input
    "-x": unary(lambda m, x: -x),
    "exp": unary(lambda m, x: m.exp(x)),
    "log": unary(lambda m, x: m.log(x), positive_arrays),
    "sqrt": unary(lambda m, x: m.sqrt(x), positive_arrays),
    "sin": unary(lambda m, x: m.sin(x)),
    "cos": unary(lambda m, x: m.cos(x)),
    "tanh": unary(lambda m, x: m.tanh(x)),
    "sigmoid": unary(lambda m, x: m.sigmoid(x)),
    "relu": unary(lambda m, x: m.relu(x), nonzero_arrays),
    "abs": unary(lambda m, x: m.abs(x), nonzero_arrays),
    "square": unary(lambda m, x: m.square(x)),
    "x**3": unary(lambda m, x: x ** 3),
    "x**1.5": unary(lambda m, x: x ** 1.5, positive_arrays),
    "x**k": integer_exponents(lambda m, x, k: x ** k),  # k = 0 included, x = 0 too: d/dx x^0 = 0
    # elementwise, two inputs, broadcasting
    "x+y": binary(lambda m, x, y: x + y),
    "x-y": binary(lambda m, x, y: x - y),
    "x*y": binary(lambda m, x, y: x * y),
    "x/y": binary(lambda m, x, y: x / y, right=nonzero_arrays),
    "x**y": binary(lambda m, x, y: x ** y, left=positive_arrays),
    "maximum": never_tied(lambda m, x, y: m.maximum(x, y)),
    "minimum": never_tied(lambda m, x, y: m.minimum(x, y)),
    # a constant on the left: Python scalars (reflected operators) and numpy arrays (ufunc dispatch)
    "2+x": unary(lambda m, x: 2.0 + x),
    "2-x": unary(lambda m, x: 2.0 - x),
    "2*x": unary(lambda m, x: 2.0 * x),
    "2/x": unary(lambda m, x: 2.0 / x, nonzero_arrays),
    "2**x": unary(lambda m, x: 2.0 ** x),
    "c+x": constant_on_the_left(lambda m, x, c: c + x),
    "c-x": constant_on_the_left(lambda m, x, c: c - x),
    "c*x": constant_on_the_left(lambda m, x, c: c * x),
    "c/x": constant_on_the_left(lambda m, x, c: c / x, nonzero_arrays),
    # reductions
    "sum": reduction(lambda m, x, axis, keepdims: m.sum(x, axis=axis, keepdims=keepdims)),
    "mean": reduction(lambda m, x, axis, keepdims: m.mean(x, axis=axis, keepdims=keepdims)),
    # products
    "x@y": matmul_case(lambda m, x, y: x @ y),
    "c@x": matmul_constant_on_the_left(lambda m, x, c: c @ x),
    "dot": dot_case(lambda m, x, y: m.dot(x, y)),
    "vdot": vdot_case(lambda m, x, y: m.vdot(x, y)),
    # shapes, selection, assembly
    "reshape": reshape_case(lambda m, x, shape: m.reshape(x, shape)),
    "transpose": unary(lambda m, x: m.transpose(x)),
    "transpose(axes)": transpose_case(lambda m, x, axes: m.transpose(x, axes)),
    "swapaxes": swapaxes_case(lambda m, x, axis1, axis2: m.swapaxes(x, axis1, axis2)),
    "expand_dims": expand_dims_case(lambda m, x, axis: m.expand_dims(x, axis)),
    "x[index]": getitem_case(lambda m, x, index: x[index]),
    "concatenate": concatenate_case(lambda m, *xs, axis: m.concatenate(xs, axis=axis)),
    "stack": stack_case(lambda m, *xs, axis: m.stack(xs, axis=axis)),
    "where": where_case(lambda m, x, y, cond: m.where(cond, x, y)),
}

# Other spellings of the ops above: named functions for operators, methods for functions.
# Each is checked against its op in OPS on the same examples, inside the engine; JAX is not
# needed again (and compiling its reference is what costs time here).
ALIASES = {
    "negative": ("-x", lambda m, x: m.negative(x)),
    "add": ("x+y", lambda m, x, y: m.add(x, y)),
    "subtract": ("x-y", lambda m, x, y: m.subtract(x, y)),
    "multiply": ("x*y", lambda m, x, y: m.multiply(x, y)),
    "divide": ("x/y", lambda m, x, y: m.divide(x, y)),
    "power": ("x**y", lambda m, x, y: m.power(x, y)),
    "matmul": ("x@y", lambda m, x, y: m.matmul(x, y)),
    "x.sum()": ("sum", lambda m, x, axis, keepdims: x.sum(axis=axis, keepdims=keepdims)),
    "x.mean()": ("mean", lambda m, x, axis, keepdims: x.mean(axis=axis, keepdims=keepdims)),
    "x.reshape()": ("reshape", lambda m, x, shape: x.reshape(shape)),
    "x.T": ("transpose", lambda m, x: x.T),
}


def examples_of(name):
    """The examples of an op or of an alias (same examples, the alias's spelling)."""
    if name in OPS:
        return OPS[name]
    canonical, op = ALIASES[name]
    return OPS[canonical].map(lambda example: replace(example, op=op))


# These tiny programs run once each, so compile them fast rather than well: no LLVM optimisation,
# no fusion, one codegen unit. (Measured: about half the compile time; no fast-math, so the
# float64 arithmetic is unchanged.)
QUICK_COMPILE = {"xla_backend_optimization_level": 0, "xla_llvm_disable_expensive_passes": True,
                 "xla_cpu_use_fusion_emitters": False, "xla_cpu_parallel_codegen_split_count": 1}


def jax_reference(fn, primals, tangents, cotangent):
    """JAX's output, JVP along `tangents` and VJP of `cotangent`, compiled as one XLA program.

    Every example has fresh shapes, so JAX compiles anew each time: one quickly compiled program
    per example costs a fraction of compiling each primitive separately in eager mode.
    """
    def program(primals, tangents, cotangent):
        out, tangent_out = jax.jvp(fn, primals, tangents)
        _, pullback = jax.vjp(fn, *primals)
        return out, tangent_out, pullback(cotangent)
    return jax.jit(program, compiler_options=QUICK_COMPILE)(primals, tangents, cotangent)


# ---- the checks, run on every op ---------------------------------------------------------------

@pytest.mark.parametrize("name", [*OPS, *ALIASES])
@settings(max_examples=25)
@given(data=st.data())
def test_value_matches_numpy(name, data):
    example = data.draw(examples_of(name))
    expected = example.bind(NP)(*example.arrays)
    # On plain arrays the op is plain numpy; on traced values it records, with the same value.
    assert_close(example.bind(anp)(*example.arrays), expected)
    out, _ = ad.vjp(example.bind(anp), *example.arrays)
    assert_close(out, expected)


@pytest.mark.parametrize("name", OPS)
@settings(max_examples=25)
@given(data=st.data())
def test_jvp_and_vjp_match_jax(name, data):
    example = data.draw(OPS[name])
    fn, reference = example.bind(anp), example.bind(JNP)
    tangents = tuple(data.draw(arrays(x.shape), label="tangent") for x in example.arrays)
    cotangent = data.draw(arrays(jax.eval_shape(reference, *example.arrays).shape), label="cotangent")
    jax_out, jax_tangent_out, jax_cotangents = jax_reference(reference, example.arrays, tangents, cotangent)

    out, tangent_out = ad.jvp(fn, example.arrays, tangents)
    assert_close(out, jax_out)
    assert_close(tangent_out, jax_tangent_out)

    out, pullback = ad.vjp(fn, *example.arrays)
    assert_close(out, jax_out)
    cotangents = pullback(cotangent)
    assert isinstance(cotangents, tuple) and len(cotangents) == len(example.arrays)
    for x, got, expected in zip(example.arrays, cotangents, jax_cotangents):
        # Broadcasting is undone: each cotangent has its input's shape, summed over broadcast axes.
        assert np.shape(got) == x.shape
        assert_close(got, expected)


@pytest.mark.parametrize("name", ALIASES)
@settings(max_examples=25)
@given(data=st.data())
def test_alias_has_the_derivatives_of_its_op(name, data):
    canonical, op = ALIASES[name]
    example = data.draw(OPS[canonical])
    alias = replace(example, op=op)
    tangents = tuple(data.draw(arrays(x.shape), label="tangent") for x in example.arrays)
    cotangent = data.draw(arrays(np.shape(example.bind(NP)(*example.arrays))), label="cotangent")
    for got, expected in zip(ad.jvp(alias.bind(anp), example.arrays, tangents),
                             ad.jvp(example.bind(anp), example.arrays, tangents)):
        assert_close(got, expected)
    got = ad.vjp(alias.bind(anp), *example.arrays)[1](cotangent)
    expected = ad.vjp(example.bind(anp), *example.arrays)[1](cotangent)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert_close(g, e)


# ---- numpy's own functions on traced values ----------------------------------------------------

UNARY_UFUNCS = [(np.exp, anp.exp), (np.log, anp.log), (np.sqrt, anp.sqrt), (np.sin, anp.sin),
                (np.cos, anp.cos), (np.tanh, anp.tanh), (np.negative, anp.negative),
                (np.abs, anp.abs), (np.square, anp.square)]
BINARY_UFUNCS = [(np.add, anp.add), (np.subtract, anp.subtract), (np.multiply, anp.multiply),
                 (np.divide, anp.divide), (np.power, anp.power), (np.maximum, anp.maximum),
                 (np.minimum, anp.minimum), (np.matmul, anp.matmul)]


@pytest.mark.parametrize("np_fn, anp_fn", UNARY_UFUNCS, ids=[f.__name__ for f, _ in UNARY_UFUNCS])
def test_numpy_unary_ufunc_dispatches_on_traced_values(np_fn, anp_fn):
    rng = np.random.default_rng(0)
    x, tangent = rng.uniform(0.5, 2.0, size=(2, 3)), rng.normal(size=(2, 3))
    got = ad.jvp(np_fn, (x,), (tangent,))
    expected = ad.jvp(anp_fn, (x,), (tangent,))
    for g, e in zip(got, expected):
        assert_close(g, e)


@pytest.mark.parametrize("np_fn, anp_fn", BINARY_UFUNCS, ids=[f.__name__ for f, _ in BINARY_UFUNCS])
def test_numpy_binary_ufunc_dispatches_on_traced_values(np_fn, anp_fn):
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0.5, 2.0, size=(3, 3)), rng.uniform(2.5, 4.0, size=(3, 3))
    tangents = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    got = ad.jvp(np_fn, (x, y), tangents)
    expected = ad.jvp(anp_fn, (x, y), tangents)
    for g, e in zip(got, expected):
        assert_close(g, e)


def test_traced_value_behaves_like_an_array():
    seen = {}

    def f(x):
        seen.update(shape=x.shape, ndim=x.ndim, size=x.size, positive=x > 0)
        return anp.sum(x)

    x = np.array([[1.0, -2.0, 3.0], [-4.0, 5.0, 6.0]])
    ad.grad(f)(x)
    assert (seen["shape"], seen["ndim"], seen["size"]) == ((2, 3), 2, 6)
    # Comparisons give plain bool arrays: they have no derivative and can feed `where` or a mask.
    assert type(seen["positive"]) is np.ndarray and seen["positive"].dtype == np.bool_
    np.testing.assert_array_equal(seen["positive"], x > 0)


# ---- special points and numpy semantics, against analytic values ------------------------------

def test_abs_derivative_at_zero_is_sign_of_zero():
    # d|x|/dx = sign(x), and numpy's sign(0) = 0 (here we differ from JAX, which gives 1 at 0).
    x = np.array([-1.5, 0.0, 2.0])
    assert_close(ad.grad(lambda x: anp.sum(anp.abs(x)))(x), [-1.0, 0.0, 1.0])
    assert_close(ad.grad(anp.abs)(0.0), 0.0)
    _, tangent = ad.jvp(anp.abs, (x,), (np.ones(3),))
    assert_close(tangent, [-1.0, 0.0, 1.0])


def test_relu_derivative_at_zero_is_zero():
    # The usual convention (JAX, PyTorch): relu'(x) = 1 only where x > 0.
    assert_close(ad.grad(lambda x: anp.sum(anp.relu(x)))(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])


def test_repeated_integer_index_gathers_and_gradient_accumulates():
    x = np.array([10.0, 20.0, 30.0])
    out, pullback = ad.vjp(lambda x: x[[0, 0]], x)
    assert_close(out, [10.0, 10.0])
    (cotangent,) = pullback(np.array([1.0, 1.0]))
    assert_close(cotangent, [2.0, 0.0, 0.0])
    # The same through grad and an int array with three picks: index 0 twice, index 2 once.
    grad = ad.grad(lambda x: anp.sum(x[np.array([0, 2, 0])] * np.array([1.0, 2.0, 3.0])))(x)
    assert_close(grad, [4.0, 0.0, 2.0])


def test_tie_in_maximum_of_x_with_itself_gives_derivative_one():
    # maximum(x, x) = x, so any tie rule must hand out a total of exactly 1 (not 0, not 2).
    for op in (anp.maximum, anp.minimum):
        assert_close(ad.grad(lambda x: op(x, x))(1.5), 1.0)
        assert_close(ad.jvp(lambda x: op(x, x), (1.5,), (1.0,))[1], 1.0)


def test_sigmoid_is_stable_for_large_inputs():
    # exp(1000) overflows: a naive 1 / (1 + exp(-x)) warns, and its derivative becomes nan.
    x = np.array([-1000.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = ad.value_and_grad(lambda x: anp.sum(anp.sigmoid(x)))(x)
    assert_close(value, 1.0)
    assert_close(grad, [0.0, 0.0])


def test_integer_powers_at_zero_have_exact_derivatives():
    # d/dx x^k = k x^(k-1) with integer k is a polynomial: at x = 0 it is 0 for k = 0, not
    # 0 * 0^(-1) = nan. This is how polynomial features x ** np.arange(n) are differentiated,
    # and every derivative of order > k of x^k vanishes (JAX gives exact zeros here as well).
    for k, expected in [(0, 0.0), (1, 1.0), (2, 0.0), (3, 0.0)]:
        assert_close(ad.grad(lambda x: x ** k)(0.0), expected)
    coefficients = np.array([1.0, 2.0, 3.0, 4.0])
    polynomial = lambda x: anp.sum(coefficients * x ** np.arange(4))  # noqa: E731
    assert_close(ad.grad(polynomial)(0.0), 2.0)  # p'(0) = c_1
    assert_close(ad.grad(ad.grad(lambda x: x ** 1))(0.0), 0.0)
    assert_close(ad.grad(ad.grad(ad.grad(ad.grad(lambda x: x ** 3))))(0.0), 0.0)


def test_axis_and_shape_arguments_may_be_numpy_integers():
    # numpy accepts its own integers wherever an int goes; they appear as soon as a size is
    # computed with numpy, e.g. x.reshape(np.prod(x.shape)).
    x = np.arange(6.0).reshape(2, 3)
    out, _ = ad.vjp(lambda x: anp.sum(x, axis=np.int64(0)), x)
    assert_close(out, x.sum(axis=0))
    out, _ = ad.vjp(lambda x: anp.mean(x, axis=np.int64(-1), keepdims=True), x)
    assert_close(out, x.mean(axis=-1, keepdims=True))
    out, _ = ad.vjp(lambda x: x.reshape(np.prod(x.shape)), x)
    assert_close(out, x.reshape(6))
