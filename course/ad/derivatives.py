"""Derived transformations: Jacobians, Hessians and Hessian-vector products.

All are compositions of the two primitive transformations, `jvp` (forward)
and `vjp` (reverse): a Jacobian is n forward passes (one per input entry) or
m backward passes (one per output entry); a Hessian-vector product nests one
mode inside another.
"""
import functools

import numpy as np

from . import numpy as anp
from .forward import jvp
from .inputs import as_float_input
from .reverse import grad, vjp, with_args_at
from .tracer import shape


def _basis(shape_):
    """Unit arrays e_0, e_1, ... of the given shape."""
    size = int(np.prod(shape_))
    return [np.eye(1, size, k).reshape(shape_) for k in range(size)]


def jacfwd(f, argnums=0):
    """Jacobian by forward mode: one jvp per entry of the input. Shape: out.shape + x.shape."""
    @functools.wraps(f)
    def jacobian(*args):
        x = as_float_input(args[argnums], "jacfwd", argnums)
        f_x = with_args_at(f, args, (argnums,))
        columns = [jvp(f_x, (x,), (e,))[1] for e in _basis(shape(x))]
        out_shape = shape(columns[0])
        return anp.reshape(anp.stack(columns, axis=-1), out_shape + shape(x))
    return jacobian


def jacrev(f, argnums=0):
    """Jacobian by reverse mode: one backward pass per entry of the output. Shape: out.shape + x.shape."""
    @functools.wraps(f)
    def jacobian(*args):
        x = args[argnums]
        out, pullback = vjp(with_args_at(f, args, (argnums,)), x)
        rows = [pullback(e)[0] for e in _basis(shape(out))]
        return anp.reshape(anp.stack(rows), shape(out) + shape(x))
    return jacobian


def hessian(f, argnums=0):
    """Hessian: forward mode over reverse mode (n forward passes through a gradient)."""
    return jacfwd(jacrev(f, argnums), argnums)


HVP_MODES = ("forward-over-reverse", "reverse-over-reverse", "reverse-over-forward")


def hvp(f, x, v, mode="forward-over-reverse"):
    """∇²f(x) v without forming the Hessian, by one of three nestings:

    forward-over-reverse: the directional derivative of ∇f along v: jvp(grad f, x, v);
    reverse-over-reverse: ∇ₓ[∇f(x)ᵀ v] (the slide's JAX snippet);
    reverse-over-forward: ∇ₓ[∇f(x)ᵀ v] with the inner product computed by a jvp.
    Reverse-over-reverse gives ∇²f(x)ᵀ v, equal to ∇²f(x) v since the Hessian of a
    twice continuously differentiable f is symmetric."""
    if mode == "forward-over-reverse":
        return jvp(grad(f), (x,), (v,))[1]
    if mode == "reverse-over-reverse":
        return grad(lambda y: anp.vdot(grad(f)(y), v))(x)
    if mode == "reverse-over-forward":
        return grad(lambda y: jvp(f, (y,), (v,))[1])(x)
    raise ValueError(f"hvp: unknown mode {mode!r}; choose one of {', '.join(HVP_MODES)}")
