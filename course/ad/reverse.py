"""Reverse mode: record a tape on the way forward, walk it backwards with adjoints.

The forward pass runs f as usual and stores every primitive application as a
Node: its primitive, its parent nodes and the values its rules will need. The
backward pass visits the nodes in reverse topological order and sends each
node's adjoint v̄ = ∂L/∂v to its parents through the VJP rules of the table,
summing over children: v̄_j = Σ_{i child of j} v̄_i ∂v_i/∂v_j. One backward
pass gives the whole gradient; the price is the memory of the stored nodes.
"""
import functools
import itertools

import numpy as np

from . import counters
from .inputs import as_float_input, check_output
from .primitives import Primitive, add
from .tracer import Interpreter, Tracer, concrete, new_interpreter, shape, top_interpreter


class Node:
    """One record of the tape: also what `trace` returns for drawing and tables."""
    __slots__ = ("primitive", "rules", "parents", "argnums", "args", "params", "value",
                 "created", "name", "expression", "tangent", "adjoint")
    _clock = itertools.count()

    def __init__(self, rules, parents, argnums, args, params, value):
        self.created = next(Node._clock)  # creation order: the order Python evaluated the program
        self.rules, self.primitive = rules, rules.name if rules else "input"
        self.parents, self.argnums = parents, argnums
        self.args, self.params, self.value = args, params, value
        self.name = self.expression = self.tangent = self.adjoint = None

    def __repr__(self):
        return f"Node({self.name or self.primitive}, parents={[p.name for p in self.parents]})"


class ReverseTracer(Tracer):
    __slots__ = ("node",)

    def __init__(self, interpreter, primal, node):
        self.interpreter, self.primal, self.node = interpreter, primal, node


class ReverseInterpreter(Interpreter):
    def process(self, primitive, args, params):
        values = [a.primal if self.owns(a) else a for a in args]
        return self.record(primitive, args, values, params, primitive(*values, **params))

    def record(self, rules, args, values, params, ans):
        argnums = tuple(i for i, a in enumerate(args) if self.owns(a))
        node = Node(rules, tuple(args[i].node for i in argnums), argnums, values, params, ans)
        counters.count("nodes_stored")
        return ReverseTracer(self, ans, node)


def topological_order(output):
    """Nodes that `output` depends on, parents before children (iterative: no recursion limit)."""
    order, visited = [], set()
    stack = [(output, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((parent, False) for parent in node.parents if parent not in visited)
    return order


def backward(output, cotangent, keep_all=False):
    """Adjoints of the nodes `output` depends on. Only the leaves' are kept unless `keep_all`."""
    adjoints = {output: cotangent}
    for node in reversed(topological_order(output)):
        if not node.parents:
            continue  # an input: its adjoint is an answer
        g = adjoints[node] if keep_all else adjoints.pop(node)
        contributions = node.rules.adjoints(g, node.value, node.args, node.params, node.argnums)
        for parent, contribution in zip(node.parents, contributions):
            adjoints[parent] = add(adjoints[parent], contribution) if parent in adjoints else contribution
    return adjoints


def record_inputs(interpreter, primals):
    return [ReverseTracer(interpreter, p, Node(None, (), (), (), {}, p)) for p in primals]


def vjp(f, *primals):
    """Run f forward recording a tape; return (f(*primals), pullback).

    pullback(cotangent) returns a tuple with one adjoint per primal:
    the vector-Jacobian product cotangentᵀ J, by one backward pass."""
    primals = [as_float_input(p, "vjp", i) for i, p in enumerate(primals)]
    with new_interpreter(ReverseInterpreter) as interpreter:
        inputs = record_inputs(interpreter, primals)
        out = check_output(f(*inputs), "vjp")
    owned = interpreter.owns(out)
    out_value = out.primal if owned else out

    def pullback(cotangent):
        if shape(cotangent) != shape(out_value):
            raise ValueError(f"pullback: cotangent has shape {shape(cotangent)} but the output has "
                             f"shape {shape(out_value)}; they must match")
        counters.count("backward_passes")
        if not owned:  # the output does not depend on the inputs
            return tuple(np.zeros(shape(p)) for p in primals)
        adjoints = backward(out.node, cotangent)
        return tuple(adjoints.get(x.node, np.zeros(shape(p))) for x, p in zip(inputs, primals))

    return out_value, pullback


def with_args_at(f, args, positions):
    """f as a function of the arguments at `positions` only, the others fixed to `args`."""
    def f_of_selected(*selected):
        full = list(args)
        for position, x in zip(positions, selected):
            full[position] = x
        return f(*full)
    return f_of_selected


def value_and_grad(f, argnums=0):
    """f(*args) and its gradient with respect to argument(s) `argnums` (int or tuple)."""
    positions = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    @functools.wraps(f)
    def wrapped(*args):
        selected = [as_float_input(args[p], "grad", p) for p in positions]
        out, pullback = vjp(with_args_at(f, args, positions), *selected)
        if shape(out) != ():
            raise TypeError(
                f"grad needs f to return a scalar, but it returned an array of shape {shape(out)}. "
                "For a vector-valued f use jacrev(f) or jacfwd(f) for the Jacobian, or vjp(f, x) "
                "with a cotangent; or reduce the output first (e.g. anp.sum).")
        grads = pullback(np.ones(()))
        return out, grads[0] if isinstance(argnums, int) else grads

    return wrapped


def grad(f, argnums=0):
    """The gradient of scalar-valued f with respect to argument(s) `argnums`, by reverse mode."""
    value_and_grad_f = value_and_grad(f, argnums)
    return functools.wraps(f)(lambda *args: value_and_grad_f(*args)[1])


class Recompute(Primitive):
    """The tape entry of a checkpointed function: its VJP runs the function again."""

    def __init__(self, f):
        super().__init__(f"checkpoint({getattr(f, '__name__', 'f')})", impl=f, jvp=None, vjp=None)

    def adjoints(self, g, ans, args, params, argnums):
        with counters.counting(isolated=True) as redo:
            _, pullback = vjp(with_args_at(self.impl, args, argnums), *[args[i] for i in argnums])
        # The re-run's tape is transient, so it counts as recomputation, not as stored nodes.
        counters.add_evaluations(redo.by_primitive)
        counters.count("recomputations", redo.evaluations)
        return list(pullback(g))


def checkpoint(f):
    """f that, under reverse mode, stores only its inputs and output and recomputes its
    inner steps during the backward pass: memory traded for one more forward run.

    Pass what f differentiates as arguments: if f closes over a value being
    differentiated, f runs twice and the second run is recorded step by step
    (right gradients, no memory saved)."""
    @functools.wraps(f)
    def wrapped(*args):
        interpreter = top_interpreter(args)
        if not isinstance(interpreter, ReverseInterpreter):
            return f(*args)
        values = [a.primal if interpreter.owns(a) else a for a in args]
        ans = f(*values)
        if interpreter.owns(ans):  # a closed-over tracer reached the tape: record f step by step
            return f(*args)
        return interpreter.record(Recompute(f), args, values, {}, ans)

    return wrapped


def stop_gradient(x):
    """x as a constant: no derivative flows through it, at any level."""
    return concrete(x)
