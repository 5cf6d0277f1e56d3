"""Mistakes a student will make get a clear error: the right exception type, and a message
that says what went wrong and what to do instead. Messages are matched on key words only."""
import numpy as np
import pytest

import course.ad as ad
import course.ad.numpy as anp

X = np.array([0.5, -1.0, 2.0])


@pytest.mark.parametrize("transform", [ad.grad, ad.value_and_grad])
@pytest.mark.parametrize("f", [anp.sin, lambda x: x[:1]], ids=["shape (3,)", "shape (1,)"])
def test_grad_of_non_scalar_output_suggests_jacobian_or_vjp(transform, f):
    with pytest.raises((TypeError, ValueError), match=r"(?is)scalar.*(jacrev|jacfwd|vjp)"):
        transform(f)(X)


@pytest.mark.parametrize("call, name", [
    (lambda x: np.linalg.inv(anp.reshape(x[:1], (1, 1))), "inv"),
    (lambda x: np.fft.fft(x), "fft"),
    (lambda x: np.sort(x), "sort"),
    (lambda x: np.arctan2(x, 1.0), "arctan2"),  # a ufunc, but not one in the table
], ids=["linalg.inv", "fft.fft", "sort", "arctan2"])
def test_unsupported_numpy_function_is_named(call, name):
    # The message names the function and points to what is supported instead.
    with pytest.raises((TypeError, ValueError), match=rf"(?is)({name}.*support|support.*{name})"):
        ad.grad(lambda x: anp.sum(call(x)))(X)


def test_missing_function_of_course_numpy_is_named():
    # anp.fft is not provided: either the attribute or the call fails, naming it.
    with pytest.raises((AttributeError, TypeError, ValueError), match=r"(?is)(fft.*support|support.*fft)"):
        ad.grad(lambda x: anp.sum(anp.fft.fft(x).real))(X)


def test_jvp_tangent_shape_mismatch_names_both_shapes():
    with pytest.raises((TypeError, ValueError), match=r"(?s)(\(3,\).*\(2,\)|\(2,\).*\(3,\))"):
        ad.jvp(anp.sin, (X,), (np.ones(2),))


def test_jvp_needs_one_tangent_per_primal():
    with pytest.raises((TypeError, ValueError), match=r"(?i)tangent"):
        ad.jvp(lambda x, y: x * y, (X, X), (np.ones(3),))


@pytest.mark.parametrize("x", [np.arange(3), 2, np.array(True)], ids=["int array", "python int", "bool"])
def test_integer_input_to_grad_says_convert_to_float(x):
    with pytest.raises((TypeError, ValueError), match=r"(?i)float"):
        ad.grad(lambda x: anp.sum(x * x))(x)


def test_pullback_cotangent_shape_mismatch_names_both_shapes():
    _, pullback = ad.vjp(anp.sin, X)
    with pytest.raises((TypeError, ValueError), match=r"(?s)(\(3,\).*\(2,\)|\(2,\).*\(3,\))"):
        pullback(np.ones(2))


@pytest.mark.parametrize("convert", [float, np.asarray, lambda x: np.array([x, x])],
                         ids=["float", "np.asarray", "np.array of traced"])
def test_converting_a_traced_value_to_plain_numbers_is_refused(convert):
    # Silently turning x into a constant would give a wrong (zero) derivative; say so instead.
    with pytest.raises(TypeError, match=r"(?is)(derivative|stop_gradient)"):
        ad.grad(lambda x: anp.sum(convert(x) * x))(0.5)
