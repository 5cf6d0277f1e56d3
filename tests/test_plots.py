"""Graph drawing: the layout puts every arrow left to right, the drawing labels every node once."""
import matplotlib

matplotlib.use("Agg")  # headless: no display needed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import course.ad as ad  # noqa: E402
import course.ad.numpy as anp  # noqa: E402
from course.plots import COLORS, draw_graph, layers, layout  # noqa: E402
from slide_function import L as slide_L  # noqa: E402


def deep(x, y):
    """Skip connections, a reused node and a constant operand: a harder graph to lay out."""
    a = anp.sin(x)
    b = a * y
    c = anp.exp(b) + 2.0 * a
    return c * x + anp.tanh(c) - y


GRAPHS = {"slide": (slide_L, (2.0, 3.0)), "deep": (deep, (0.3, -1.2))}


@pytest.fixture(params=sorted(GRAPHS))
def graph(request):
    f, args = GRAPHS[request.param]
    return ad.trace(f, *args, tangents=(1.0, 0.0), adjoints=True)


def test_slide_graph_layers():
    g = ad.trace(slide_L, 2.0, 3.0)
    assert layers(g) == {"w1": 0, "w2": 0, "v1": 1, "v2": 2, "v3": 3, "L": 4}


def test_every_node_strictly_right_of_its_parents(graph):
    pos = layout(graph)
    assert set(pos) == {n.name for n in graph.nodes}
    for node in graph.nodes:
        for parent in node.parents:
            assert pos[node.name][0] > pos[parent.name][0], (parent.name, node.name)


def test_no_two_nodes_share_a_position(graph):
    points = list(layout(graph).values())
    assert len(set(points)) == len(points)


@pytest.mark.parametrize("labels", ["value", "tangent", "adjoint", None])
def test_one_text_label_per_node(graph, labels):
    ax = draw_graph(graph, labels=labels)
    try:
        assert isinstance(ax, matplotlib.axes.Axes)
        texts = [t.get_text() for t in ax.texts]
        assert len(texts) == len(graph.nodes)
        for node, text in zip(graph.nodes, texts):
            assert text.split("\n")[0].split(" = ")[0] == node.name
            if labels is not None:
                assert text.endswith(f"{float(getattr(node, labels)):.4g}")
    finally:
        plt.close(ax.figure)


def test_adjoint_labels_show_the_gradient():
    g = ad.trace(slide_L, 2.0, 3.0, adjoints=True)
    ax = draw_graph(g, labels="adjoint")
    # dL/dw1 = (w2/w1)(1 + 1/(2 sqrt(w2 log w1))), written by hand from the slide's formulas.
    expected = 1.5 * (1 + 1 / (2 * np.sqrt(3 * np.log(2))))
    label = ax.texts[0].get_text()
    assert label.startswith("w1\nadjoint ")
    assert float(label.split()[-1]) == pytest.approx(expected, rel=1e-3)  # 4 digits printed
    plt.close(ax.figure)


def test_highlighted_nodes_are_coloured_and_drawn_into_a_given_axes():
    g = ad.trace(slide_L, 2.0, 3.0)
    fig, ax = plt.subplots()
    assert draw_graph(g, ax=ax, highlight=["v1", "L"]) is ax
    colour = matplotlib.colors.to_rgba(COLORS["highlight"])
    boxes = [p for p in ax.patches if isinstance(p, matplotlib.patches.FancyBboxPatch)]
    assert len(boxes) == len(g.nodes)
    assert [b.get_facecolor() == colour for b in boxes] == [n.name in ("v1", "L") for n in g.nodes]
    arrows = [p for p in ax.patches if isinstance(p, matplotlib.patches.FancyArrowPatch)]
    assert len(arrows) == sum(len(n.parents) for n in g.nodes)
    plt.close(fig)


def test_bad_labels_rejected():
    with pytest.raises(ValueError, match="labels"):
        draw_graph(ad.trace(slide_L, 2.0, 3.0), labels="gradient")
