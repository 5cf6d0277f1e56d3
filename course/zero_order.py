"""Zero-order (gradient-free) gradient estimators and gradient descent with them.

Only values of f are used. Costs are counted in evaluations of f
(``CountingFunction``), the unit in which zero-order methods are compared.
Points x may have any shape; d = x.size is the dimension.
"""
import numpy as np

from course import fd


class CountingFunction:
    """Wrap f and count its calls in ``.calls`` (cost in evaluations, not seconds)."""

    def __init__(self, f):
        self.f = f
        self.calls = 0

    def __call__(self, x):
        self.calls += 1
        return self.f(x)


def random_directions(rng, shape, num_samples, directions="sphere"):
    """num_samples random directions of the given shape, stacked on axis 0.

    "gaussian": v ~ N(0, I).  "sphere": v uniform on the unit sphere, made by
    normalising a Gaussian vector (its distribution is rotation invariant).
    """
    v = rng.standard_normal((num_samples,) + tuple(shape))
    if directions == "gaussian":
        return v
    if directions == "sphere":
        return v / np.sqrt(np.sum(v**2, axis=tuple(range(1, v.ndim)), keepdims=True))
    raise ValueError(f"unknown directions {directions!r}; use 'sphere' or 'gaussian'")


def two_point_samples(f, x, eps, rng, directions="sphere", num_samples=1):
    """num_samples independent two-point estimates G of grad f(x), stacked on axis 0.

    sphere:   G = d (f(x + eps v) - f(x - eps v)) / (2 eps) v,  v uniform on the unit sphere;
    gaussian: G =   (f(x + eps v) - f(x - eps v)) / (2 eps) v,  v ~ N(0, I).
    Each sample costs 2 evaluations of f. See ``two_point_estimate`` for the theory.
    """
    x = np.asarray(x, dtype=np.float64)
    v = random_directions(rng, x.shape, num_samples, directions)
    slopes = np.array([fd.central_difference(f, x, vi, eps) for vi in v])
    scale = x.size if directions == "sphere" else 1  # E[v vᵀ] = I/d on the sphere, I for N(0, I)
    return scale * slopes.reshape((num_samples,) + (1,) * x.ndim) * v


def two_point_estimate(f, x, eps, rng, directions="sphere", num_samples=1):
    """The two-point gradient estimate averaged over num_samples (2 num_samples evaluations).

    Unbiased for a smoothed f. With v uniform on the sphere and f_eps(x) = E f(x + eps w),
    w uniform in the unit ball, grad f_eps(x) = (d / eps) E[f(x + eps v) v] (divergence
    theorem); v and -v are equally likely, so the symmetric difference has the same
    mean: E[G] = grad f_eps. With v ~ N(0, I) and f_eps(x) = E f(x + eps v), Gaussian
    integration by parts (Stein) gives grad f_eps(x) = E[f(x + eps v) v] / eps, the same way.
    For a quadratic f_eps - f is a constant, so E[G] = grad f exactly.

    Second moment, as eps -> 0 where G -> scale (gᵀv) v with g = grad f:
    - gaussian: E||G||^2 = E[(gᵀv)^2 ||v||^2] = gᵀ E[v vᵀ v vᵀ] g = (d + 2) ||g||^2,
      from the Gaussian fourth moments E[v_i^2 v_j^2] = 1 + 2 [i = j];
    - sphere: ||v|| = 1, so E||G||^2 = d^2 E[(gᵀv)^2] = d^2 ||g||^2 / d = d ||g||^2.
    Either way one sample is ~ sqrt(d) times longer than the gradient: the variance
    that makes zero-order methods need ~ d times more steps (the curse of dimensionality).
    """
    return two_point_samples(f, x, eps, rng, directions, num_samples).mean(axis=0)


def coordinate_estimate(f, x, eps):
    """sum_i (f(x + eps e_i) - f(x - eps e_i)) / (2 eps) e_i: central differences.

    Deterministic, 2d evaluations, error eps^2/6 |f'''| per coordinate (zero on quadratics).
    """
    return fd.gradient(f, x, method="central", eps=eps)


def zero_order_gd(f, x0, lr, steps, estimator="sphere", rng=None, eps=None, num_samples=1):
    """Gradient descent x_{k+1} = x_k - lr G_k with a zero-order estimate G_k.

    estimator: "sphere" or "gaussian" (``two_point_estimate``, needs rng) or
    "coordinate" (``coordinate_estimate``). eps=None takes fd.optimal_step("central").
    Returns (iterates of shape (steps + 1,) + x0.shape, number of evaluations of f).
    Every step costs the same (2 num_samples or 2d), so the evaluations after step k
    are k * evaluations / steps: the axis for "loss vs function evaluations".

    Step size: a two-point estimate is noisy, E||G||^2 = d ||g||^2 (sphere), so the
    mean squared distance to the minimum of a quadratic with Hessian A contracts
    from every start only if lr < 2 / (d lambda_max(A)), d times below GD's 2 / lambda_max.
    (Single runs tolerate somewhat more: on slide 3's f, d = 2, the bound is 0.146,
    runs start to diverge near lr = 0.22, and the slide's lr = 0.25 diverges.)
    """
    f = CountingFunction(f)
    eps = fd.optimal_step("central") if eps is None else eps
    if estimator == "coordinate":
        estimate = lambda x: coordinate_estimate(f, x, eps)
    elif rng is None:
        raise ValueError(f"the {estimator!r} estimator is random: pass rng=np.random.default_rng(seed)")
    else:
        estimate = lambda x: two_point_estimate(f, x, eps, rng, estimator, num_samples)
    iterates = [np.asarray(x0, dtype=np.float64)]
    for _ in range(steps):
        iterates.append(iterates[-1] - lr * estimate(iterates[-1]))
    return np.array(iterates), f.calls


def gradient_descent(grad_f, x0, lr, steps):
    """Plain gradient descent with the exact gradient; iterates of shape (steps + 1,) + x0.shape."""
    iterates = [np.asarray(x0, dtype=np.float64)]
    for _ in range(steps):
        iterates.append(iterates[-1] - lr * np.asarray(grad_f(iterates[-1])))
    return np.array(iterates)
