"""The primitive table: every operation the engine knows, defined once.

Each row gives a primitive's value (a numpy function), its JVP rule (how a
tangent `t` of one argument moves the output: forward mode) and its VJP rule
(how an adjoint `g` of the output reaches one argument: reverse mode). Rules
receive `(t or g, ans, *args, **params)` where `ans` is the primitive's output,
and there is one rule per differentiable argument.

Rules are written with the primitives themselves, not with raw numpy (only
constants, such as the masks at kinks, are plain numpy), so a rule applied to
traced values is recorded in turn: that is all it takes for derivatives of
derivatives (Hessians, HVPs) to work to any order.

Broadcasting is handled once, by the interpreters: a tangent is broadcast to
the output's shape, and an adjoint is summed back to its argument's shape
(`sum_to_shape`), so the rules below are written as if shapes matched.
"""
import numpy as np

from .tracer import bind, concrete, shape

PRIMITIVES = {}


class Primitive:
    def __init__(self, name, impl, jvp, vjp):
        self.name, self.impl, self.jvp, self.vjp = name, impl, jvp, vjp

    def __call__(self, *args, **params):
        return bind(self, *args, **params)

    def __repr__(self):
        return f"<primitive {self.name}>"

    def tangent(self, tangents, ans, args, params):
        """Forward mode: sum of J_i t_i over the arguments i that carry a tangent.

        `tangents` maps argument position -> tangent."""
        out = None
        for i, t in tangents.items():
            contribution = self.jvp[i](t, ans, *args, **params)
            out = contribution if out is None else add(out, contribution)
        return out if shape(out) == shape(ans) else broadcast_to(out, shape=shape(ans))

    def adjoints(self, g, ans, args, params, argnums):
        """Reverse mode: J_i^T g for each argument position i in `argnums`."""
        return [sum_to_shape(self.vjp[i](g, ans, *args, **params), shape(args[i])) for i in argnums]


def defprimitive(name, impl, jvp, vjp):
    PRIMITIVES[name] = Primitive(name, impl, jvp, vjp)
    return PRIMITIVES[name]


def defelementwise(name, impl, *partials):
    """An elementwise primitive, from its partial derivatives d ans / d arg_i.

    Its Jacobian is diagonal, so J t and J^T g are both the product with the
    partial: the JVP and VJP rules are the same multiplication."""
    jvp = [lambda t, ans, *args, d=d: mul(t, d(ans, *args)) for d in partials]
    return defprimitive(name, impl, jvp=jvp, vjp=jvp)


class PerArgument:
    """Rules for a primitive with any number of arguments: rules[i] = make_rule(i)."""

    def __init__(self, make_rule):
        self.make_rule = make_rule

    def __getitem__(self, i):
        return self.make_rule(i)


def _tangent_rule(linear_map):
    """The JVP rule of a linear map: apply the map to the tangent."""
    return lambda t, ans, *args, **params: linear_map(t, **params)


# --- linear elementwise: the rules are the operation itself ------------------------------
neg = defprimitive("neg", np.negative,
                   jvp=[lambda t, ans, x: neg(t)],
                   vjp=[lambda g, ans, x: neg(g)])
add = defprimitive("add", np.add,
                   jvp=[lambda t, ans, x, y: t, lambda t, ans, x, y: t],
                   vjp=[lambda g, ans, x, y: g, lambda g, ans, x, y: g])
sub = defprimitive("sub", np.subtract,
                   jvp=[lambda t, ans, x, y: t, lambda t, ans, x, y: neg(t)],
                   vjp=[lambda g, ans, x, y: g, lambda g, ans, x, y: neg(g)])

# --- nonlinear elementwise: name, value, partial derivatives ------------------------------
mul = defelementwise("mul", np.multiply, lambda ans, x, y: y, lambda ans, x, y: x)
div = defelementwise("div", np.divide, lambda ans, x, y: div(1.0, y), lambda ans, x, y: neg(div(ans, y)))
exp = defelementwise("exp", np.exp, lambda ans, x: ans)
log = defelementwise("log", np.log, lambda ans, x: div(1.0, x))
sqrt = defelementwise("sqrt", np.sqrt, lambda ans, x: div(0.5, ans))
sin = defelementwise("sin", np.sin, lambda ans, x: cos(x))
cos = defelementwise("cos", np.cos, lambda ans, x: neg(sin(x)))
tanh = defelementwise("tanh", np.tanh, lambda ans, x: sub(1.0, mul(ans, ans)))
sigmoid = defelementwise("sigmoid", lambda x: 0.5 * (1.0 + np.tanh(0.5 * x)),  # tanh form: no overflow
                         lambda ans, x: mul(ans, sub(1.0, ans)))
def _pow_partial_y(ans, x, y):
    """d(x^y)/dy = x^y log x, taken as 0 where x = 0 (as JAX does) rather than 0 * -inf."""
    nonzero = concrete(x) != 0
    return where(mul(ans, log(where(x, 1.0, cond=nonzero))), 0.0, cond=nonzero)


def _pow_partial_x(ans, x, y):
    """d(x^y)/dx = y x^(y-1), taken as 0 where y = 0 (x^0 is constant, even at x = 0)."""
    nonzero = concrete(y) != 0
    return mul(y, power(where(x, 1.0, cond=nonzero), sub(y, 1)))


power = defelementwise("pow", np.power, _pow_partial_x, _pow_partial_y)
# Kinks: the partial is a constant mask of the concrete values, chosen as numpy's sign(0) = 0
# for |x| and relu, and an even split at ties of maximum/minimum (as JAX).
abs = defelementwise("abs", np.abs, lambda ans, x: np.sign(concrete(x)))
relu = defelementwise("relu", lambda x: np.maximum(x, 0.0), lambda ans, x: (concrete(x) > 0) * 1.0)


def _winner(x, y, wins):
    x, y = concrete(x), concrete(y)
    return wins(x, y) + 0.5 * (x == y)


maximum = defelementwise("maximum", np.maximum,
                         lambda ans, x, y: _winner(x, y, np.greater),
                         lambda ans, x, y: _winner(y, x, np.greater))
minimum = defelementwise("minimum", np.minimum,
                         lambda ans, x, y: _winner(x, y, np.less),
                         lambda ans, x, y: _winner(y, x, np.less))

# where(x, y, cond=mask): choose x where mask, else y. The mask is a constant.
where = defprimitive("where", lambda x, y, cond: np.where(cond, x, y),
                     jvp=[lambda t, ans, x, y, cond: where(t, 0.0, cond=cond),
                          lambda t, ans, x, y, cond: where(0.0, t, cond=cond)],
                     vjp=[lambda g, ans, x, y, cond: where(g, 0.0, cond=cond),
                          lambda g, ans, x, y, cond: where(0.0, g, cond=cond)])

# --- shapes: linear maps; the VJP is the transposed map --------------------------------
def _kept_dims(in_shape, axis):
    return tuple(1 if i in axis else n for i, n in enumerate(in_shape))


# sum(x, axis=tuple of axes, keepdims=bool)
reduce_sum = defprimitive(
    "sum", lambda x, axis, keepdims: np.sum(x, axis=axis, keepdims=keepdims),
    jvp=[_tangent_rule(lambda t, axis, keepdims: reduce_sum(t, axis=axis, keepdims=keepdims))],
    vjp=[lambda g, ans, x, axis, keepdims: broadcast_to(
        reshape(g, shape=_kept_dims(shape(x), axis)), shape=shape(x))])
broadcast_to = defprimitive(
    "broadcast_to", lambda x, shape: np.broadcast_to(x, shape),
    jvp=[_tangent_rule(lambda t, shape: broadcast_to(t, shape=shape))],
    vjp=[lambda g, ans, x, shape: g])  # summed back to x's shape by `adjoints`
reshape = defprimitive(
    "reshape", lambda x, shape: np.reshape(x, shape),
    jvp=[_tangent_rule(lambda t, shape: reshape(t, shape=shape))],
    vjp=[lambda g, ans, x, shape: reshape(g, shape=np.shape(concrete(x)))])
transpose = defprimitive(
    "transpose", lambda x, axes: np.transpose(x, axes),
    jvp=[_tangent_rule(lambda t, axes: transpose(t, axes=axes))],
    vjp=[lambda g, ans, x, axes: transpose(g, axes=tuple(np.argsort(axes)))])


def _swap_last(x):
    axes = list(range(len(shape(x))))
    axes[-2:] = axes[-1], axes[-2]
    return transpose(x, axes=tuple(axes))


# matmul of arrays with ndim >= 2 (course.ad.numpy reshapes vectors); batch axes broadcast.
matmul = defprimitive("matmul", np.matmul,
                      jvp=[lambda t, ans, x, y: matmul(t, y), lambda t, ans, x, y: matmul(x, t)],
                      vjp=[lambda g, ans, x, y: matmul(g, _swap_last(y)),
                           lambda g, ans, x, y: matmul(_swap_last(x), g)])


# --- indexing: gather, and its transpose scatter-add -----------------------------------
def _scatter_add(g, index, shape):
    out = np.zeros(shape, dtype=np.result_type(g, np.float64))
    np.add.at(out, index, g)  # repeated indices accumulate, unlike out[index] += g
    return out


getitem = defprimitive("getitem", lambda x, index: x[index],
                       jvp=[_tangent_rule(lambda t, index: getitem(t, index=index))],
                       vjp=[lambda g, ans, x, index: scatter_add(g, index=index, shape=shape(x))])
scatter_add = defprimitive("scatter_add", _scatter_add,
                           jvp=[_tangent_rule(lambda t, index, shape: scatter_add(t, index=index, shape=shape))],
                           vjp=[lambda g, ans, x, index, shape: getitem(g, index=index)])


# --- concatenate: any number of arguments --------------------------------------------
def _block(i, args, axis):
    """Index of argument i's block inside the concatenation along `axis`."""
    start = sum(shape(a)[axis] for a in args[:i])
    return (slice(None),) * axis + (slice(start, start + shape(args[i])[axis]),)


def _concat_tangent(i, t, args, axis):
    parts = [t if j == i else np.zeros(shape(a)) for j, a in enumerate(args)]
    return concatenate(*parts, axis=axis)


concatenate = defprimitive(
    "concatenate", lambda *xs, axis: np.concatenate(xs, axis=axis),
    jvp=PerArgument(lambda i: lambda t, ans, *xs, axis: _concat_tangent(i, t, xs, axis)),
    vjp=PerArgument(lambda i: lambda g, ans, *xs, axis: getitem(g, index=_block(i, xs, axis))))


def sum_to_shape(x, target):
    """Sum `x` over the axes that broadcasting added or stretched, so it has shape `target`."""
    xs = shape(x)
    if xs == tuple(target):
        return x
    lead = len(xs) - len(target)
    stretched = tuple(lead + i for i, n in enumerate(target) if n == 1 and xs[lead + i] != 1)
    summed = reduce_sum(x, axis=tuple(range(lead)) + stretched, keepdims=True)
    return reshape(summed, shape=tuple(target))
