"""Finite differences: derivatives from function values only.

A difference quotient makes two errors that pull the step ``eps`` in opposite
directions. The *truncation* error (the Taylor terms the formula drops) shrinks
with ``eps``; the *round-off* error (float64 values of f carry a relative error
of about machine epsilon, 2.2e-16, and the difference divides it by ``eps``)
grows as ``eps`` shrinks. Plotting the error against ``eps`` on log-log axes
gives a V, and its bottom is the best step (``optimal_step``). The complex
step has no subtraction, hence no round-off term and no V.

``check_grads`` uses central differences to test the AD engine ``course.ad``.
"""
import numpy as np

MACHINE_EPS = np.finfo(np.float64).eps  # 2.2e-16, spacing of floats near 1


def forward_difference(f, x, direction, eps, fx=None):
    """(f(x + eps v) - f(x)) / eps, the slide's formula along v = direction.

    Error ~ eps/2 |f''| (truncation) + 2 MACHINE_EPS |f| / eps (round-off).
    Pass ``fx = f(x)`` to reuse it: a gradient then costs d + 1 evaluations.
    """
    fx = f(x) if fx is None else fx
    return (np.asarray(f(x + eps * direction)) - fx) / eps


def backward_difference(f, x, direction, eps, fx=None):
    """(f(x) - f(x - eps v)) / eps: the forward difference with step -eps, same errors."""
    return forward_difference(f, x, direction, -eps, fx)


def central_difference(f, x, direction, eps):
    """(f(x + eps v) - f(x - eps v)) / (2 eps).

    The even Taylor terms cancel, so the truncation error is eps^2/6 |f'''|
    (exact for quadratics); round-off is still ~ MACHINE_EPS |f| / eps.
    A gradient costs 2d evaluations: the "2dT" of the slide.
    """
    return (np.asarray(f(x + eps * direction)) - np.asarray(f(x - eps * direction))) / (2 * eps)


def complex_step(f, x, direction, eps):
    """Im f(x + i eps v) / eps.

    f must accept complex input and be analytic: written with operations that
    extend to complex numbers (+, *, exp, sin, x @ y, ...), never abs, max,
    comparisons, np.real or np.vdot (which conjugates). Then
    f(x + i eps v) = f(x) + i eps f'(x) v - eps^2/2 f''(x)[v, v] + O(eps^3),
    so the imaginary part gives the derivative with no subtraction: no
    round-off term, truncation eps^2/6 |f'''|, and any tiny eps (1e-20) is exact.
    """
    return np.imag(f(x + 1j * eps * direction)) / eps


DIFFERENCES = {"forward": forward_difference, "backward": backward_difference,
               "central": central_difference, "complex": complex_step}


def optimal_step(method):
    """The step that balances truncation and round-off error in float64.

    With f and its derivatives of order one and eps_m = MACHINE_EPS:
    - forward/backward: error ~ eps/2 + 2 eps_m/eps, smallest at
      eps ~ sqrt(eps_m) ~ 1.5e-8, where the error is ~ sqrt(eps_m) ~ 1e-8;
    - central: error ~ eps^2/6 + eps_m/eps, smallest at eps ~ cbrt(eps_m)
      ~ 6e-6, where the error is ~ eps_m^(2/3) ~ 4e-11;
    - complex: no round-off term, so any tiny step works; we use 1e-20.
    Constants of order one (and the sizes of f, f'', f''') are dropped: they
    move the best step by a small factor, not by orders of magnitude.
    """
    steps = {"forward": np.sqrt(MACHINE_EPS), "backward": np.sqrt(MACHINE_EPS),
             "central": np.cbrt(MACHINE_EPS), "complex": 1e-20}
    if method not in steps:
        raise ValueError(f"unknown method {method!r}; choose one of {sorted(steps)}")
    return float(steps[method])


def jacobian(f, x, method="central", eps=None):
    """Jacobian of f at x by differences along each coordinate e_i, shape f(x).shape + x.shape.

    eps=None takes optimal_step(method) * max(1, |x_i|) for coordinate i: the
    step is relative for large |x_i|, since x_i + eps must differ from x_i.
    Cost in evaluations of f: d + 1 for forward/backward (f(x) is shared),
    2d for central, d complex evaluations for the complex step.
    """
    x = np.asarray(x, dtype=np.float64)
    difference = DIFFERENCES[method]
    if eps is None:
        steps = optimal_step(method) * np.maximum(1.0, np.abs(x.ravel()))
    else:
        steps = np.full(x.size, float(eps))
    shared = {"fx": np.asarray(f(x))} if method in ("forward", "backward") else {}
    basis = np.eye(x.size).reshape((x.size,) + x.shape)
    # One difference per coordinate: a loop, since f need not accept a batch of points.
    columns = [difference(f, x, e, h, **shared) for e, h in zip(basis, steps)]
    out = np.stack(columns, axis=-1)  # f(x).shape + (d,)
    return out.reshape(out.shape[:-1] + x.shape)


def gradient(f, x, method="central", eps=None):
    """Gradient of a scalar-valued f at x (shape x.shape): ``jacobian`` of a scalar."""
    grad = jacobian(f, x, method, eps)
    if grad.shape != np.shape(x):
        raise ValueError(f"gradient needs a scalar-valued f; use jacobian (got shape {grad.shape})")
    return grad


def _unit(rng, shape):
    """A random direction of the given shape with norm 1 (a sign for scalars)."""
    z = rng.standard_normal(shape)
    return z / np.linalg.norm(z)


def check_grads(f, x, modes=("fwd", "rev"), order=2, eps=None, rtol=None, seed=0):
    """Check course.ad derivatives of f at x against central differences.

    Like HIPS autograd's check_grads: draw a random unit direction v (shape of
    x) and a random unit cotangent u (shape of f(x)), and compare the number
    uᵀ J v computed two ways:
    - "fwd": uᵀ (J v) with J v from ``ad.jvp``;  "rev": (uᵀ J) v with uᵀ J from ``ad.vjp``;
    - against uᵀ (f(x + eps v) - f(x - eps v)) / (2 eps).
    order=2 repeats the check on each derivative map x -> J(x) v and
    x -> J(x)ᵀ u (so "rev over fwd" etc. test nested differentiation), and so on.

    Tolerance. The central difference errs by ~ eps^2/6 |f'''| + eps_m |f| / eps,
    about 4e-11 times the size of f and f''' at eps = optimal_step("central")
    (scaled by max(1, |x|)). The default rtol = 1e-6 leaves four orders of
    magnitude for those sizes, yet a wrong derivative rule is off by O(1)
    relative. Test: |AD - FD| <= rtol * (1 + |FD|), absolute near zero.
    Raise AssertionError naming the mode and order that failed and by how much.
    """
    import course.ad as ad  # lazy: the difference formulas above need no engine

    x = np.asarray(x, dtype=np.float64)
    if eps is None:
        eps = optimal_step("central") * max(1.0, float(np.max(np.abs(x), initial=0.0)))
    rtol = 1e-6 if rtol is None else rtol
    rng = np.random.default_rng(seed)

    def check(f, level, path):
        v = _unit(rng, x.shape)
        u = _unit(rng, np.shape(f(x)))
        fd_value = np.vdot(u, central_difference(f, x, v, eps))
        for mode in modes:
            if mode == "fwd":
                ad_value = np.vdot(u, ad.jvp(f, (x,), (v,))[1])
                derivative = lambda x: ad.jvp(f, (x,), (v,))[1]  # x -> J(x) v
            elif mode == "rev":
                ad_value = np.vdot(ad.vjp(f, x)[1](u)[0], v)
                derivative = lambda x: ad.vjp(f, x)[1](u)[0]  # x -> J(x)ᵀ u
            else:
                raise ValueError(f"unknown mode {mode!r}; use 'fwd' or 'rev'")
            error, tolerance = abs(ad_value - fd_value), rtol * (1 + abs(fd_value))
            name = " over ".join((mode,) + path)
            if not error <= tolerance:
                raise AssertionError(
                    f"check_grads failed: mode {name!r}, order {level}: AD gives uᵀJv = "
                    f"{ad_value:.12g}, central difference gives {fd_value:.12g} "
                    f"(|difference| {error:.2e} > tolerance {tolerance:.2e})")
            if level < order:
                check(derivative, level + 1, (mode,) + path)

    check(f, 1, ())
