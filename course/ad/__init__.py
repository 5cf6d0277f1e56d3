"""course.ad: automatic differentiation, small enough to read in a sitting.

    import course.ad as ad
    import course.ad.numpy as anp

    def L(w1, w2):
        v1 = anp.log(w1)
        v2 = w2 * v1
        return v2 + anp.sqrt(v2)

    ad.grad(L, argnums=(0, 1))(2.0, 3.0)

Where to read: `primitives.py` (the table: value, JVP rule, VJP rule of every
operation), `tracer.py` (how a call finds its interpreter), `forward.py`
(tangents), `reverse.py` (tape and backward pass), `derivatives.py`
(Jacobians, Hessians, HVPs), `trace.py` (the graph as records), `numpy.py`
(the array functions users call). The API follows JAX's, so what you learn
here carries over.
"""
from .counters import Counts, counting
from .derivatives import HVP_MODES, hessian, hvp, jacfwd, jacrev
from .forward import jvp
from .primitives import PRIMITIVES
from .reverse import checkpoint, grad, stop_gradient, value_and_grad, vjp
from .trace import Graph, trace
from .tracer import Tracer
from . import numpy  # noqa: F401  (attaches array behaviour to Tracer)

__all__ = ["grad", "value_and_grad", "jvp", "vjp", "jacfwd", "jacrev", "hessian", "hvp",
           "HVP_MODES", "checkpoint", "stop_gradient", "trace", "Graph", "counting", "Counts",
           "PRIMITIVES", "Tracer"]
