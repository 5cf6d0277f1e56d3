"""Tracers, the trace stack, and `bind`: how a primitive call reaches the right interpreter.

Every transformation in progress (a `jvp`, a `vjp`) owns one level of a stack.
A value that transformation differentiates is wrapped in a Tracer of that level.
`bind(primitive, *args)` hands the call to the interpreter of the highest level
among its arguments. That interpreter unwraps its own tracers and calls `bind`
again on the primal values, which reach the lower levels and finally numpy.
Nesting (grad of grad, jvp of grad) is simply several levels at once; because
every interpreter only ever unwraps its own level, perturbations of different
levels are never confused.

Same design as JAX's (see autodidax), without the staging machinery.
"""
from contextlib import contextmanager

import numpy as np

from . import counters

_stack = []  # interpreters of the transformations in progress, innermost last


class Interpreter:
    """One transformation in progress; subclasses say how to `process` a primitive."""

    def __init__(self, level):
        self.level = level

    def owns(self, x):
        return isinstance(x, Tracer) and x.interpreter is self

    def process(self, primitive, args, params):
        raise NotImplementedError


@contextmanager
def new_interpreter(kind):
    interpreter = kind(len(_stack))
    _stack.append(interpreter)
    try:
        yield interpreter
    finally:
        _stack.pop()


class Tracer:
    """A value being differentiated by the interpreter of one level.

    `primal` is the value one level down: a numpy array, or a Tracer of a lower level.
    Arithmetic and numpy-style methods are attached by `course.ad.numpy`.
    """
    __slots__ = ("interpreter", "primal")

    @property
    def shape(self):
        return shape(self.primal)

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return int(np.prod(self.shape))

    @property
    def dtype(self):
        return concrete(self).dtype

    @property
    def value(self):
        """The concrete numpy value (no derivative attached)."""
        return concrete(self)

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of a 0-d (scalar) traced value")
        return self.shape[0]

    def __bool__(self):
        return bool(concrete(self))

    def __float__(self):
        raise TypeError(
            "float() of a traced value would drop its derivative. Keep it an array inside the "
            "function being differentiated, or use course.ad.stop_gradient(x) if you mean a constant.")

    __int__ = __index__ = __complex__ = __float__

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            "a traced value cannot become a plain numpy array: its derivative would be lost. "
            "Use the functions of course.ad.numpy (import course.ad.numpy as anp) on traced values, "
            "or course.ad.stop_gradient(x) if you mean a constant.")

    def __repr__(self):
        return f"{type(self).__name__}(level={self.interpreter.level}, value={concrete(self)!r})"

    def __format__(self, spec):
        return format(concrete(self), spec)


def concrete(x):
    """The numpy value under any number of tracer levels."""
    while isinstance(x, Tracer):
        x = x.primal
    return x


def shape(x):
    return x.shape if isinstance(x, Tracer) else np.shape(x)


def bind(primitive, *args, **params):
    """Apply a primitive: the top interpreter among the arguments handles it, else numpy does."""
    top = top_interpreter(args)
    if top is None:
        counters.count_evaluation(primitive.name)
        return primitive.impl(*args, **params)
    return top.process(primitive, args, params)


def top_interpreter(args):
    top = None
    for a in args:
        if isinstance(a, Tracer) and (top is None or a.interpreter.level > top.level):
            top = a.interpreter
    return top
