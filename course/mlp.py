"""A tiny multilayer perceptron on scikit-learn's digits, parameters in one flat vector.

The 8x8 digit images (1797 of them, shipped with scikit-learn) go through a
tanh hidden layer to 10 logits and a softmax cross-entropy loss. All weights
and biases live in ONE flat vector w of length d (1210 for the default sizes
64-16-10), so the Hessian of the training loss is a plain d x d matrix: small
enough to build densely and check what Lanczos and Hutchinson estimate from
Hessian-vector products alone.

The loss is written once against an array module `xp`: with course.ad.numpy
(the default) the course engine differentiates it; with jax.numpy it is the
JAX twin used as the fast reference (`jax_loss`, `jax_hvp`, `jax_hessian`).
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np
from sklearn.datasets import load_digits

import course.ad.numpy as anp

SIZES = (64, 16, 10)


def load_data(num_train=1000, seed=0):
    """Digits with pixels scaled to [0, 1] and one-hot labels, split at random.

    Returns X_train, Y_train, X_test, Y_test (the test set is the remaining 797 images
    for the default num_train).
    """
    digits = load_digits()
    X = digits.data / 16.0
    Y = np.eye(10)[digits.target]
    order = np.random.default_rng(seed).permutation(len(X))
    train, test = order[:num_train], order[num_train:]
    return X[train], Y[train], X[test], Y[test]


def num_params(sizes=SIZES):
    """d = sum over layers of (inputs + 1) * outputs: weights plus biases."""
    return sum((m + 1) * n for m, n in zip(sizes[:-1], sizes[1:]))


def unflatten(w, sizes=SIZES):
    """The layers [(W1, b1), (W2, b2), ...] as slices of the flat vector w.

    Only slicing and reshape are used, so w may be a numpy, course.ad or JAX array.
    Layout per layer: W (row-major, inputs x outputs) then b.
    """
    layers, start = [], 0
    for m, n in zip(sizes[:-1], sizes[1:]):
        W = w[start:start + m * n].reshape(m, n)
        b = w[start + m * n:start + m * n + n]
        layers.append((W, b))
        start += m * n + n
    return layers


def init_params(rng, sizes=SIZES):
    """Random W with entries N(0, 1/inputs) (keeps tanh away from saturation), zero b."""
    parts = []
    for m, n in zip(sizes[:-1], sizes[1:]):
        parts += [rng.standard_normal(m * n) / np.sqrt(m), np.zeros(n)]
    return np.concatenate(parts)


def logits(w, X, xp=np, sizes=SIZES):
    """Network output before the softmax, shape (batch, 10)."""
    layers = unflatten(w, sizes)
    h = X
    for W, b in layers[:-1]:
        h = xp.tanh(h @ W + b)
    W, b = layers[-1]
    return h @ W + b


def loss(w, X, Y, xp=anp, sizes=SIZES):
    """Mean softmax cross-entropy: mean_i [log sum_k exp(z_ik) - z_i,label_i].

    log-sum-exp is taken without the usual max shift to keep the code to
    operations both engines share: float64 exp overflows only above 709, and
    the logits of this small tanh network stay far below that.
    """
    z = logits(w, X, xp, sizes)
    return xp.mean(xp.log(xp.sum(xp.exp(z), axis=1)) - xp.sum(Y * z, axis=1))


def accuracy(w, X, Y, sizes=SIZES):
    """Fraction of images whose largest logit is the true class."""
    return np.mean(np.argmax(logits(w, X, np, sizes), axis=1) == np.argmax(Y, axis=1))


# The JAX twin: the same loss on jax.numpy, the reference and the fast path.
jax_loss = functools.partial(loss, xp=jnp)


def _require_x64():
    if not jax.config.jax_enable_x64:
        raise RuntimeError('call jax.config.update("jax_enable_x64", True) first: '
                           "the course compares derivatives in float64")


def jax_hvp(X, Y, sizes=SIZES):
    """Jitted Hessian-vector product (w, v) -> H(w) v of the training loss on (X, Y).

    Forward-over-reverse: a JVP (forward mode) of the gradient function (reverse
    mode), the cheapest of the three HVP compositions, about 2-3 gradients.
    """
    _require_x64()
    gradient = jax.grad(functools.partial(jax_loss, X=X, Y=Y, sizes=sizes))
    return jax.jit(lambda w, v: jax.jvp(gradient, (w,), (v,))[1])


def jax_hessian(w, X, Y, sizes=SIZES, chunk=128):
    """Dense d x d Hessian of the training loss, built column by column from HVPs.

    H e_j is column j; the products are batched with vmap, `chunk` columns at a
    time, so memory stays at chunk copies of the activations (jax.hessian would
    batch all d of them at once).
    """
    d = num_params(sizes)
    hvp = jax_hvp(X, Y, sizes)
    batched = jax.jit(jax.vmap(hvp, in_axes=(None, 1), out_axes=1))
    eye = np.eye(d)
    columns = [batched(w, eye[:, j:j + chunk]) for j in range(0, d, chunk)]
    return np.asarray(jnp.concatenate(columns, axis=1))


def train(value_and_grad, w0, num_steps, learning_rate, method="adam",
          beta1=0.9, beta2=0.999, eps=1e-8):
    """Full-batch training in numpy; value_and_grad(w) -> (loss, gradient).

    method="gd": w <- w - lr g.  method="adam": Kingma & Ba (2015) with the
    usual bias corrections. Returns the final w and the loss at every step.
    """
    w = np.array(w0, dtype=np.float64)
    m, s = np.zeros_like(w), np.zeros_like(w)
    history = []
    for t in range(1, num_steps + 1):
        value, g = value_and_grad(w)
        history.append(float(value))
        g = np.asarray(g)
        if method == "gd":
            w = w - learning_rate * g
        elif method == "adam":
            m = beta1 * m + (1 - beta1) * g
            s = beta2 * s + (1 - beta2) * g * g
            w = w - learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + eps)
        else:
            raise ValueError(f"method must be 'gd' or 'adam', not {method!r}")
    return w, np.array(history)
