"""The computational graph of the slide function, node by node, against hand-derived values.

    L(w1, w2) = w2 log w1 + sqrt(w2 log w1),   v1 = log w1,  v2 = w2 v1,  v3 = sqrt v2,  L = v2 + v3

Forward mode (tangents, direction (1, 0) then (0, 1)), by the chain rule node by node:
    dv1/dw1 = 1/w1                      dv1/dw2 = 0
    dv2/dw1 = w2/w1                     dv2/dw2 = v1 = log w1
    dv3/dw1 = w2 / (2 w1 sqrt v2)       dv3/dw2 = log w1 / (2 sqrt v2)
    dL/dw1  = dv2/dw1 + dv3/dw1         dL/dw2  = dv2/dw2 + dv3/dw2
Reverse mode (adjoints, vbar = dL/dv), from the output back:
    Lbar = 1,  v3bar = 1,  v2bar = 1 + v3bar / (2 sqrt v2),  v1bar = w2 v2bar,
    w2bar = v1 v2bar,  w1bar = v1bar / w1
"""
import numpy as np
import pytest

import course.ad as ad

from slide_function import L, adjoints, tangents_along_w1, tangents_along_w2, values  # the tests' helpers

# A handful of float64 operations: agreement to ~1e-15; 1e-12 is tight and safe.
RTOL = 1e-12

NAMES = ["w1", "w2", "v1", "v2", "v3", "L"]
PRIMITIVES = ["input", "input", "log", "mul", "sqrt", "add"]
PARENTS = {"w1": (), "w2": (), "v1": ("w1",), "v2": ("w2", "v1"), "v3": ("v2",), "L": ("v2", "v3")}
EXPRESSIONS = {"v1": "log(w1)", "v2": "w2 * v1", "v3": "sqrt(v2)", "L": "v2 + v3"}
POINTS = [(2.0, 3.0), (np.e, 0.5), (5.0, 1.7)]  # w2 log w1 > 0, so sqrt is differentiable


def by_name(graph):
    return {node.name: node for node in graph.nodes}


def test_nodes_names_primitives_parents_expressions():
    g = ad.trace(L, 2.0, 3.0, names=("w1", "w2"), output_name="L")
    assert [node.name for node in g.nodes] == NAMES
    assert [node.primitive for node in g.nodes] == PRIMITIVES
    nodes = by_name(g)
    for name, parents in PARENTS.items():
        # The parents are the very nodes of the graph, not copies.
        assert tuple(p.name for p in nodes[name].parents) == parents
        assert all(p is nodes[p.name] for p in nodes[name].parents)
    for name, expression in EXPRESSIONS.items():
        assert nodes[name].expression == expression
    assert [node.name for node in g.inputs] == ["w1", "w2"]
    assert g.output is nodes["L"]


def test_nodes_are_in_evaluation_order():
    g = ad.trace(L, 2.0, 3.0)
    position = {id(node): i for i, node in enumerate(g.nodes)}
    for i, node in enumerate(g.nodes):
        assert all(position[id(parent)] < i for parent in node.parents)


def test_input_names_default_to_parameter_names():
    g = ad.trace(L, 2.0, 3.0)
    assert [node.name for node in g.inputs] == ["w1", "w2"]
    assert [node.name for node in g.nodes[2:5]] == ["v1", "v2", "v3"]


@pytest.mark.parametrize("w1, w2", POINTS)
def test_values(w1, w2):
    g = ad.trace(L, w1, w2, output_name="L")
    expected = values(w1, w2)
    for node in g.nodes:
        np.testing.assert_allclose(node.value, expected[node.name], rtol=RTOL)


@pytest.mark.parametrize("w1, w2", POINTS)
@pytest.mark.parametrize("direction, analytic",
                         [((1.0, 0.0), tangents_along_w1), ((0.0, 1.0), tangents_along_w2)],
                         ids=["d/dw1", "d/dw2"])
def test_tangents(w1, w2, direction, analytic):
    g = ad.trace(L, w1, w2, tangents=direction, output_name="L")
    expected = analytic(w1, w2)
    for node in g.nodes:
        np.testing.assert_allclose(node.tangent, expected[node.name], rtol=RTOL, err_msg=node.name)


@pytest.mark.parametrize("w1, w2", POINTS)
def test_adjoints(w1, w2):
    g = ad.trace(L, w1, w2, adjoints=True, output_name="L")
    expected = adjoints(w1, w2)
    for node in g.nodes:
        np.testing.assert_allclose(node.adjoint, expected[node.name], rtol=RTOL, err_msg=node.name)


@pytest.mark.parametrize("w1, w2", POINTS)
def test_grad_equals_analytic_gradient(w1, w2):
    # dL/dw = (w2/w1, log w1) (1 + 1/(2 sqrt(w2 log w1))): both modes, and the last tangents.
    factor = 1 + 1 / (2 * np.sqrt(w2 * np.log(w1)))
    expected = (w2 / w1 * factor, np.log(w1) * factor)
    got = ad.grad(L, argnums=(0, 1))(w1, w2)
    np.testing.assert_allclose(got, expected, rtol=RTOL)
    # The node-by-node tables above end in the same gradient (a check on the tables themselves).
    last_tangents = tangents_along_w1(w1, w2)["L"], tangents_along_w2(w1, w2)["L"]
    np.testing.assert_allclose(last_tangents, expected, rtol=RTOL)
    last_adjoints = adjoints(w1, w2)
    np.testing.assert_allclose((last_adjoints["w1"], last_adjoints["w2"]), expected, rtol=RTOL)


def test_table_lists_every_node():
    g = ad.trace(L, 2.0, 3.0, tangents=(1.0, 0.0), adjoints=True, output_name="L")
    for columns in [("name", "expression", "value", "tangent"), ("name", "expression", "value", "adjoint")]:
        table = g.table(columns=columns)
        assert isinstance(table, str)
        for name in NAMES:
            assert name in table
        for expression in EXPRESSIONS.values():
            assert expression in table
    default = g.table()
    assert all(name in default for name in NAMES)
