"""Forward mode: push a tangent through the computation alongside the values.

Every traced value carries (primal, tangent). A primitive's output tangent is
the sum over its inputs of the JVP rules from the table: the chain rule
v̇_i = Σ_j ∂v_i/∂v_j v̇_j, evaluated in the same order as the values. Nothing
is stored, and one pass gives one directional derivative J v.
"""
import numpy as np

from . import counters
from .inputs import as_float_input, check_output
from .tracer import Interpreter, Tracer, new_interpreter, shape


class JVPTracer(Tracer):
    __slots__ = ("tangent",)

    def __init__(self, interpreter, primal, tangent):
        self.interpreter, self.primal, self.tangent = interpreter, primal, tangent


class JVPInterpreter(Interpreter):
    def process(self, primitive, args, params):
        primals = [a.primal if self.owns(a) else a for a in args]
        ans = primitive(*primals, **params)
        tangents = {i: a.tangent for i, a in enumerate(args) if self.owns(a)}
        return JVPTracer(self, ans, primitive.tangent(tangents, ans, primals, params))


def jvp(f, primals, tangents):
    """Evaluate f at `primals` and its derivative along `tangents`: returns (f(x), J v).

    `primals` and `tangents` are tuples with one entry per argument of f; each
    tangent has its primal's shape."""
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: got {len(primals)} primals but {len(tangents)} tangents; "
                         "pass one tangent per primal, as tuples: jvp(f, (x, y), (tx, ty))")
    primals = [as_float_input(p, "jvp", i) for i, p in enumerate(primals)]
    for i, (p, t) in enumerate(zip(primals, tangents)):
        if shape(t) != shape(p):
            raise ValueError(f"jvp: tangent {i} has shape {shape(t)} but its primal has shape "
                             f"{shape(p)}; each tangent must have its primal's shape")
    counters.count("forward_passes")
    with new_interpreter(JVPInterpreter) as interpreter:
        out = check_output(f(*[JVPTracer(interpreter, p, as_float_input(t, "jvp", i))
                               for i, (p, t) in enumerate(zip(primals, tangents))]), "jvp")
    if interpreter.owns(out):
        return out.primal, out.tangent
    return out, np.zeros(shape(out))  # f does not depend on its inputs
