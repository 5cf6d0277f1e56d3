"""course.ad.numpy: numpy's array functions, recorded so that course.ad can differentiate them.

    import course.ad.numpy as anp
    def f(x): return anp.sum(anp.tanh(x) ** 2)

Each function here is a thin front end to the primitive table
(`course.ad.primitives`): it settles numpy's conventions (axis arguments,
vectors in matmul, stacking) and calls primitives. On plain arrays every
function returns what numpy returns; on traced values it is recorded.

Where JAX and numpy disagree we follow numpy, and say so:
- `x[[0, 0]]` gathers element 0 twice, and its gradient accumulates (2 at
  index 0), because numpy's fancy indexing gathers;
- d|x|/dx at x = 0 is sign(0) = 0 (numpy's np.sign), where JAX gives 1;
  relu'(0) = 0 as well.
At ties, maximum and minimum split the derivative evenly (as JAX does).
Comparisons (x > 0, ...) give plain boolean arrays: they have no derivative.
Constants (anp.zeros, anp.pi, ...) are numpy's own.
"""
import builtins

import numpy as np

from . import primitives as p
from .tracer import Tracer, concrete, shape

add, subtract, multiply, divide, negative, power = p.add, p.sub, p.mul, p.div, p.neg, p.power
exp, log, sqrt, sin, cos, tanh, sigmoid, relu = p.exp, p.log, p.sqrt, p.sin, p.cos, p.tanh, p.sigmoid, p.relu
abs, absolute, maximum, minimum = p.abs, p.abs, p.maximum, p.minimum
true_divide = divide


def square(x):
    return multiply(x, x)


def ndim(x):
    return len(shape(x))


def _axes(axis, nd):
    if axis is None:
        return tuple(range(nd))
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    return tuple(sorted(int(a) % nd for a in axes))


def sum(x, axis=None, keepdims=False):
    return p.reduce_sum(x, axis=_axes(axis, ndim(x)), keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    count = int(np.prod([shape(x)[a] for a in _axes(axis, ndim(x))]))
    return divide(sum(x, axis, keepdims), float(count))


def reshape(x, newshape):
    newshape = (int(newshape),) if np.ndim(newshape) == 0 else tuple(int(n) for n in newshape)
    size = int(np.prod(shape(x)))
    if -1 in newshape:
        known = int(np.prod([n for n in newshape if n != -1]))
        newshape = tuple(size // known if n == -1 and known else n for n in newshape)
    if int(np.prod(newshape)) != size:
        raise ValueError(f"cannot reshape an array of shape {shape(x)} into shape {newshape}")
    return p.reshape(x, shape=newshape)


def ravel(x):
    return reshape(x, (-1,))


def transpose(x, axes=None):
    axes = tuple(reversed(range(ndim(x)))) if axes is None else tuple(a % ndim(x) for a in axes)
    return p.transpose(x, axes=axes)


def swapaxes(x, axis1, axis2):
    axes = list(range(ndim(x)))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return p.transpose(x, axes=tuple(axes))


def expand_dims(x, axis):
    nd = ndim(x) + (1 if np.ndim(axis) == 0 else len(axis))
    new_axes = _axes(axis, nd)
    sizes = iter(shape(x))
    return reshape(x, [1 if i in new_axes else next(sizes) for i in range(nd)])


def squeeze(x, axis=None):
    s = shape(x)
    drop = [i for i, n in enumerate(s) if n == 1] if axis is None else _axes(axis, len(s))
    return reshape(x, [n for i, n in enumerate(s) if i not in drop])


def broadcast_to(x, newshape):
    return p.broadcast_to(x, shape=tuple(newshape))


def matmul(a, b):
    """numpy's matmul: a vector operand is treated as a row (left) or column (right), then dropped."""
    if ndim(a) == 0 or ndim(b) == 0:
        raise ValueError("matmul: operands must not be scalars; use * for scaling")
    out = p.matmul(reshape(a, (1, -1)) if ndim(a) == 1 else a,
                   reshape(b, (-1, 1)) if ndim(b) == 1 else b)
    if ndim(a) == 1:
        out = squeeze(out, -2)
    if ndim(b) == 1:
        out = squeeze(out, -1)
    return out


def dot(a, b):
    if ndim(a) == 0 or ndim(b) == 0:
        return multiply(a, b)
    if ndim(a) > 2 or ndim(b) > 2:
        raise NotImplementedError("anp.dot supports 1-D and 2-D operands; use anp.matmul for stacks of matrices")
    return matmul(a, b)


def vdot(a, b):
    return sum(multiply(ravel(a), ravel(b)))


def concatenate(arrays, axis=0):
    arrays = list(arrays)
    return p.concatenate(*arrays, axis=axis % ndim(arrays[0]))


def stack(arrays, axis=0):
    arrays = list(arrays)
    axis = axis % (ndim(arrays[0]) + 1)
    return concatenate([expand_dims(a, axis) for a in arrays], axis=axis)


def where(condition, x, y):
    """Elementwise choice; the condition is a constant (it has no derivative)."""
    return p.where(x, y, cond=np.asarray(concrete(condition), dtype=bool))


def getitem(x, index):
    parts = index if isinstance(index, tuple) else (index,)
    if builtins.any(isinstance(i, Tracer) for i in parts):
        raise TypeError("indices must be constants (ints, slices, integer or boolean arrays), "
                        "not traced values: an index has no derivative")
    return p.getitem(x, index=index)


def zeros_like(x):
    return np.zeros(shape(x))


def ones_like(x):
    return np.ones(shape(x))


def stop_gradient(x):
    return concrete(x)


# --- numpy names that are constants or build constant arrays: numpy's own ----------------
_CONSTANTS = ("pi", "e", "inf", "nan", "newaxis", "float64", "ndarray", "zeros", "ones", "full",
              "eye", "arange", "linspace", "array", "asarray", "random", "allclose", "isclose",
              "prod", "argmax", "argmin", "sign")


def __getattr__(name):
    if name in _CONSTANTS:
        return getattr(np, name)
    raise AttributeError(
        f"course.ad.numpy has no '{name}': it is not a primitive of course.ad, so it cannot be "
        f"differentiated. Supported: {', '.join(SUPPORTED)}. Write it from these, or for constants "
        "use numpy directly.")


# --- traced values behave like arrays ---------------------------------------------------
def _compare(ufunc):
    return lambda self, other: ufunc(concrete(self), concrete(other))


def _flip(f):
    return lambda self, other: f(other, self)


_METHODS = {
    "__add__": add, "__radd__": _flip(add), "__sub__": subtract, "__rsub__": _flip(subtract),
    "__mul__": multiply, "__rmul__": _flip(multiply), "__truediv__": divide,
    "__rtruediv__": _flip(divide), "__pow__": power, "__rpow__": _flip(power),
    "__matmul__": matmul, "__rmatmul__": _flip(matmul), "__neg__": negative, "__abs__": abs,
    "__pos__": lambda self: self, "__getitem__": getitem,
    "__lt__": _compare(np.less), "__le__": _compare(np.less_equal),
    "__gt__": _compare(np.greater), "__ge__": _compare(np.greater_equal),
    "__eq__": _compare(np.equal), "__ne__": _compare(np.not_equal),
    "sum": sum, "mean": mean, "ravel": ravel, "dot": dot, "squeeze": squeeze,
    "reshape": lambda self, *s: reshape(self, s[0] if len(s) == 1 else s),
    "transpose": lambda self, *axes: transpose(self, (axes[0] if len(axes) == 1 else axes) or None),
    "T": property(lambda self: transpose(self)),
    "__iter__": lambda self: (self[i] for i in range(len(self))),
    "__hash__": object.__hash__,
}
for _name, _method in _METHODS.items():
    if isinstance(_method, p.Primitive):  # a callable object does not bind `self` as a method: wrap it
        _method = (lambda primitive: lambda *args: primitive(*args))(_method)
    setattr(Tracer, _name, _method)

# numpy's own functions called on traced values dispatch here when they are in the table.
_UFUNCS = {np.add: add, np.subtract: subtract, np.multiply: multiply, np.divide: divide,
           np.negative: negative, np.power: power, np.exp: exp, np.log: log, np.sqrt: sqrt,
           np.sin: sin, np.cos: cos, np.tanh: tanh, np.absolute: abs, np.maximum: maximum,
           np.minimum: minimum, np.matmul: matmul, np.square: square, np.positive: lambda x: x}
_FUNCTIONS = {np.sum: sum, np.mean: mean, np.reshape: reshape, np.ravel: ravel,
              np.transpose: transpose, np.swapaxes: swapaxes, np.expand_dims: expand_dims,
              np.squeeze: squeeze, np.broadcast_to: broadcast_to, np.dot: dot, np.vdot: vdot,
              np.concatenate: concatenate, np.stack: stack, np.where: where,
              np.shape: shape, np.ndim: ndim, np.zeros_like: zeros_like, np.ones_like: ones_like}
_COMPARISONS = (np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal)


def _unsupported(name):
    return TypeError(
        f"numpy.{name} was called on a traced value, and course.ad has no derivative for it. "
        f"Use course.ad.numpy (import course.ad.numpy as anp), which supports: {', '.join(SUPPORTED)}.")


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    if method == "__call__" and not kwargs:
        if ufunc in _UFUNCS:
            return _UFUNCS[ufunc](*inputs)
        if ufunc in _COMPARISONS:
            return ufunc(*[concrete(x) for x in inputs])
    raise _unsupported(ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}")


def _array_function(self, func, types, args, kwargs):
    if func in _FUNCTIONS:
        return _FUNCTIONS[func](*args, **kwargs)
    raise _unsupported(f"{func.__module__.removeprefix('numpy').lstrip('.')}.{func.__name__}".lstrip("."))


Tracer.__array_ufunc__ = _array_ufunc
Tracer.__array_function__ = _array_function

SUPPORTED = sorted(["add", "subtract", "multiply", "divide", "negative", "power", "exp", "log",
                    "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "maximum", "minimum",
                    "square", "sum", "mean", "reshape", "ravel", "transpose", "swapaxes",
                    "expand_dims", "squeeze", "broadcast_to", "matmul", "dot", "vdot",
                    "concatenate", "stack", "where", "indexing x[...]", "stop_gradient"])
