"""The digits MLP: course.ad derivatives of its loss against the JAX twin, and training."""
import jax
import numpy as np
import pytest

import course.ad as ad
from course import mlp

jax.config.update("jax_enable_x64", True)

SMALL = (64, 3, 10)  # a narrower hidden layer keeps the dense-Hessian test cheap


@pytest.fixture(scope="module")
def data():
    return mlp.load_data(num_train=300)


def test_data_and_parameter_layout(data):
    X, Y, X_test, Y_test = data
    assert X.shape == (300, 64) and X_test.shape == (1497, 64)
    assert 0.0 <= X.min() and X.max() <= 1.0
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    assert mlp.num_params() == 64 * 16 + 16 + 16 * 10 + 10 == 1210
    w = mlp.init_params(np.random.default_rng(0))
    layers = mlp.unflatten(w)
    assert [W.shape for W, _ in layers] == [(64, 16), (16, 10)]
    np.testing.assert_array_equal(np.concatenate([p.ravel() for layer in layers for p in layer]), w)


@pytest.mark.parametrize("seed", [0, 1])
def test_loss_and_gradient_match_jax(data, seed):
    X, Y, _, _ = data
    # Away from the initialisation too: non-zero biases, larger weights.
    w = mlp.init_params(np.random.default_rng(seed)) + 0.3 * np.random.default_rng(seed + 10).standard_normal(1210)
    value, gradient = ad.value_and_grad(lambda w: mlp.loss(w, X, Y))(w)
    assert value == pytest.approx(float(mlp.jax_loss(w, X, Y)), rel=1e-12)
    expected = jax.grad(mlp.jax_loss)(w, X, Y)
    np.testing.assert_allclose(gradient, expected, rtol=1e-10, atol=1e-10 * np.abs(expected).max())


def test_hvp_matches_jax(data):
    X, Y, _, _ = data
    rng = np.random.default_rng(2)
    w, v = mlp.init_params(rng), rng.standard_normal(1210)
    expected = np.asarray(mlp.jax_hvp(X, Y)(w, v))
    for mode in ad.HVP_MODES:
        got = ad.hvp(lambda w: mlp.loss(w, X, Y), w, v, mode=mode)
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10 * np.abs(expected).max())


def test_dense_hessian_from_hvps_matches_jax_hessian(data):
    X, Y, _, _ = data
    w = mlp.init_params(np.random.default_rng(3), SMALL)
    H = mlp.jax_hessian(w, X, Y, SMALL, chunk=100)  # 235 columns: 2 full chunks and a short one
    expected = jax.jit(jax.hessian(lambda w: mlp.jax_loss(w, X, Y, sizes=SMALL)))(w)
    assert H.shape == (235, 235)
    np.testing.assert_allclose(H, expected, atol=1e-12 * np.abs(expected).max())
    np.testing.assert_allclose(H, H.T, atol=1e-14 * np.abs(H).max())


@pytest.mark.parametrize("method, learning_rate", [("adam", 1e-2), ("gd", 0.5)])
def test_training_lowers_the_loss(data, method, learning_rate):
    X, Y, X_test, Y_test = data
    value_and_grad = jax.jit(jax.value_and_grad(lambda w: mlp.jax_loss(w, X, Y)))
    w0 = mlp.init_params(np.random.default_rng(4))
    w, history = mlp.train(value_and_grad, w0, 200, learning_rate, method)
    assert history[0] == pytest.approx(float(mlp.jax_loss(w0, X, Y)))
    assert history[-1] < 0.3 * history[0]
    assert mlp.accuracy(w, X_test, Y_test) > 0.8  # chance is 0.1


def test_training_with_course_ad_gradients_follows_jax(data):
    X, Y, _, _ = data
    w0 = mlp.init_params(np.random.default_rng(5))
    w_ad, _ = mlp.train(ad.value_and_grad(lambda w: mlp.loss(w, X, Y)), w0, 5, 1e-2)
    w_jax, _ = mlp.train(jax.value_and_grad(lambda w: mlp.jax_loss(w, X, Y)), w0, 5, 1e-2)
    np.testing.assert_allclose(w_ad, w_jax, rtol=1e-9, atol=1e-12)


def test_unknown_method_is_rejected(data):
    with pytest.raises(ValueError, match="adam"):
        mlp.train(lambda w: (0.0, np.zeros_like(w)), np.zeros(3), 1, 0.1, method="sgd")
