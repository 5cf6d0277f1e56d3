"""The computational graph of one evaluation, as records.

`trace(f, *args)` runs f once under reverse mode and returns the tape as a
Graph of named nodes (inputs, then v1, v2, ..., then the output): the same
records the backward pass walks. On request it also runs forward mode along
the recorded graph (a tangent per node) and the backward pass (an adjoint per
node), so the slide tables and the drawings come from the real algorithms.
"""
import inspect

import numpy as np

from .inputs import as_float_input, check_output
from .reverse import ReverseInterpreter, backward, record_inputs, topological_order
from .tracer import new_interpreter

_INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**", "matmul": "@"}


class Graph:
    def __init__(self, nodes, inputs, output):
        self.nodes, self.inputs, self.output = nodes, inputs, output

    def __getitem__(self, name):
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"no node named {name!r}; nodes: {[n.name for n in self.nodes]}")

    def rows(self, columns=("name", "expression", "value")):
        return [tuple(getattr(node, c) for c in columns) for node in self.nodes]

    def table(self, columns=("name", "expression", "value")):
        """A markdown table, one row per node in evaluation order."""
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in self.rows(columns)]
        return "\n".join(lines)

    def __repr__(self):
        return f"Graph({len(self.nodes)} nodes: {', '.join(n.name for n in self.nodes)})"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    a = np.asarray(value)
    return f"{a.item():.6g}" if a.size == 1 else f"array{a.shape}"


def _operand(node, i):
    parent = dict(zip(node.argnums, node.parents)).get(i)
    return parent.name if parent is not None else _cell(node.args[i])


def expression(node):
    """How a node was computed, in the names of its parents: 'w2 * v1', 'log(w1)'."""
    if node.rules is None:
        return "input"
    operands = [_operand(node, i) for i in range(len(node.args))]
    if node.primitive in _INFIX and len(operands) == 2:
        return f" {_INFIX[node.primitive]} ".join(operands)
    return f"{node.primitive}({', '.join(operands)})"


def trace(f, *args, names=None, tangents=None, adjoints=False, output_name="L"):
    """Record f(*args) as a Graph of named nodes.

    names: input names (default: f's parameter names); tangents: one per input,
    to fill node.tangent by forward mode; adjoints=True: fill node.adjoint = ∂out/∂node
    by the backward pass (the output must then be a scalar)."""
    if names is None:
        names = list(inspect.signature(f).parameters)[:len(args)]
    args = [as_float_input(a, "trace", i) for i, a in enumerate(args)]
    with new_interpreter(ReverseInterpreter) as interpreter:
        inputs = record_inputs(interpreter, args)
        out = check_output(f(*inputs), "trace")
    if not interpreter.owns(out) or out.node.rules is None:
        raise ValueError("trace: the output is a constant or one of the inputs unchanged; "
                         "there is no computation to record")
    input_nodes = [x.node for x in inputs]
    for node, name in zip(input_nodes, names):
        node.name = name
    operations = sorted((n for n in topological_order(out.node) if n.rules is not None),
                        key=lambda n: n.created)
    nodes = input_nodes + operations  # unused inputs too
    for k, node in enumerate((n for n in nodes if n.rules is not None and n is not out.node), 1):
        node.name = f"v{k}"
    out.node.name = output_name
    for node in nodes:
        node.expression = expression(node)
    if tangents is not None:
        _push_tangents(nodes, input_nodes, tangents)
    if adjoints:
        found = backward(out.node, np.ones(np.shape(out.node.value)), keep_all=True)
        for node in nodes:
            node.adjoint = found.get(node, np.zeros(np.shape(node.value)))
    return Graph(nodes, input_nodes, out.node)


def _push_tangents(nodes, input_nodes, tangents):
    """Forward mode along the recorded graph, node by node (the slide's forward table)."""
    for node, t in zip(input_nodes, tangents):
        node.tangent = np.asarray(t, dtype=np.float64)
    for node in nodes:
        if node.rules is not None:
            by_position = {i: parent.tangent for i, parent in zip(node.argnums, node.parents)}
            node.tangent = node.rules.tangent(by_position, node.value, node.args, node.params)
