"""Drawings of computational graphs recorded by `course.ad.trace`.

Matplotlib only (no graphviz), so the drawings work the same on a laptop,
on Binder and in headless CI. `layout` is the pure part and is tested alone;
`draw_graph` only paints what `layout` decided.
"""
from collections import defaultdict

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

DX, DY = 1.6, 1.1          # distance between layers, and between nodes of one layer (data units)
BOX_W, BOX_H = 1.2, 0.75   # node box size: leaves room for the arrows between boxes
BULGE = 0.6                # how far an arrow that skips layers bends out of the way
COLORS = {"input": "#cfe2f3", "node": "#f3f3f3", "output": "#d9ead3", "highlight": "#f6b26b"}


def layers(graph):
    """Layer of each node: the length of the longest path from an input to it."""
    layer = {}
    for node in graph.nodes:  # evaluation order: every parent comes before its child
        layer[node.name] = 1 + max((layer[p.name] for p in node.parents), default=-1)
    return layer


def layout(graph):
    """Positions {node name: (x, y)}: x grows with the layer, so every arrow points right.

    Inside a layer the nodes are sorted by the mean height of their parents
    (the barycentre heuristic), which removes most crossings in small graphs.
    """
    layer = layers(graph)
    columns = defaultdict(list)
    for node in graph.nodes:
        columns[layer[node.name]].append(node)
    pos = {}
    for col in sorted(columns):
        nodes = columns[col]
        nodes.sort(key=lambda n: -np.mean([pos[p.name][1] for p in n.parents]) if n.parents else 0.0)
        for i, node in enumerate(nodes):
            pos[node.name] = (col * DX, ((len(nodes) - 1) / 2 - i) * DY)
    return pos


def format_value(x):
    """A number as 4 significant digits; an array by its shape."""
    x = np.asarray(x)
    return f"{x.item():.4g}" if x.size == 1 else f"array{x.shape}"


def _label(node, labels):
    text = node.name if node.primitive == "input" else f"{node.name} = {node.expression}"
    if labels is not None and getattr(node, labels, None) is not None:
        text += f"\n{labels} {format_value(getattr(node, labels))}"
    return text


def _edge_ends(p, q):
    """Points where the segment p -> q leaves the box around p and enters the box around q."""
    d = np.subtract(q, p)
    t = 0.5 * min(BOX_W / abs(d[0]) if d[0] else np.inf, BOX_H / abs(d[1]) if d[1] else np.inf)
    return p + t * d, q - t * d


def draw_graph(graph, ax=None, highlight=None, labels="value"):
    """Draw a traced graph (meant for a few dozen nodes): one labelled box per node, arrows parent -> child.

    labels: "value", "tangent", "adjoint" or None (which number to print under each node).
    highlight: a node name or a collection of names, drawn in orange.
    Returns the Axes.
    """
    if labels not in ("value", "tangent", "adjoint", None):
        raise ValueError(f"labels must be 'value', 'tangent', 'adjoint' or None, not {labels!r}")
    highlight = {highlight} if isinstance(highlight, str) else set(highlight or ())
    pos = layout(graph)
    layer = layers(graph)
    if ax is None:
        xs, ys = zip(*pos.values())
        width, height = max(xs) - min(xs) + DX, max(ys) - min(ys) + DY
        _, ax = plt.subplots(figsize=(1.2 * width, 1.2 * height + 0.5), layout="constrained")
    for node in graph.nodes:
        kind = "input" if node.primitive == "input" else "output" if node is graph.output else "node"
        color = COLORS["highlight"] if node.name in highlight else COLORS[kind]
        x, y = pos[node.name]
        ax.add_patch(FancyBboxPatch((x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H,
                                    boxstyle="round,pad=0,rounding_size=0.15",
                                    facecolor=color, edgecolor="black", zorder=2))
        ax.text(x, y, _label(node, labels), ha="center", va="center", fontsize=9, zorder=3)
        for parent in node.parents:
            start, end = _edge_ends(np.array(pos[parent.name]), np.array(pos[node.name]))
            # An edge that skips a layer would run through the nodes between: bend it by BULGE
            # (an arc3 curve peaks at rad * length / 2) away from the middle of the drawing;
            # a negative rad bends a rightward arrow up.
            bend = 0.0
            if layer[node.name] - layer[parent.name] > 1:
                bend = 2 * BULGE / np.hypot(*(end - start)) * (-1 if start[1] + end[1] >= 0 else 1)
            ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12,
                                         connectionstyle=f"arc3,rad={bend}", zorder=4))
    xs, ys = zip(*pos.values())
    ax.set_xlim(min(xs) - DX / 2, max(xs) + DX / 2)
    ax.set_ylim(min(ys) - DY / 2 - 0.3, max(ys) + DY / 2 + 0.3)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
