"""Step through a traced graph node by node, filling its trace table one row per step.

Forward mode visits the nodes in evaluation order and shows their tangents;
reverse mode visits them in reverse order and shows their adjoints. The state
(`step`, `rows()`) is plain Python so it can be tested without a browser; the
ipywidgets buttons and slider only move it, and an Output widget shows it.
"""
import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display

from .plots import draw_graph, format_value


class TraceStepper:
    """Prev/Next buttons and a slider over the nodes of a `course.ad.trace` graph.

    direction: "forward" (evaluation order) or "reverse" (reverse order).
    quantity: the node attribute tabulated, "tangent" or "adjoint"; by default
    "tangent" for forward and "adjoint" for reverse. Step k shows the first k rows
    and highlights the k-th node; step 0 shows an empty table.
    """

    def __init__(self, graph, direction="forward", quantity=None):
        if direction not in ("forward", "reverse"):
            raise ValueError(f"direction must be 'forward' or 'reverse', not {direction!r}")
        self.graph = graph
        self.quantity = quantity or {"forward": "tangent", "reverse": "adjoint"}[direction]
        if self.quantity not in ("tangent", "adjoint"):
            raise ValueError(f"quantity must be 'tangent' or 'adjoint', not {self.quantity!r}")
        self.order = list(graph.nodes) if direction == "forward" else list(reversed(graph.nodes))
        missing = [n.name for n in self.order if getattr(n, self.quantity) is None]
        if missing:
            raise ValueError(f"nodes {missing} have no {self.quantity}: "
                             "trace with tangents=(...) or adjoints=True")
        self.step = 0

        self.prev_button = widgets.Button(description="◀ Prev")
        self.next_button = widgets.Button(description="Next ▶")
        self.slider = widgets.IntSlider(value=0, min=0, max=len(self.order), description="step")
        self.prev_button.on_click(lambda _: self.prev())
        self.next_button.on_click(lambda _: self.next())
        self.slider.observe(self._on_slider, names="value")
        self.output = widgets.Output()
        self.table = widgets.HTML()
        self.widget = widgets.VBox([widgets.HBox([self.prev_button, self.slider, self.next_button]),
                                    self.output, self.table])
        self.go(0)

    @property
    def current(self):
        """The node of the current step (None at step 0)."""
        return self.order[self.step - 1] if self.step else None

    def rows(self):
        """Rows shown so far: (name, expression, value, tangent or adjoint) as strings."""
        return [(n.name, n.expression, format_value(n.value), format_value(getattr(n, self.quantity)))
                for n in self.order[:self.step]]

    def go(self, step):
        """Move to `step`, clipped to [0, number of nodes], and redraw."""
        self.step = min(max(int(step), 0), len(self.order))
        self.slider.value = self.step
        self.prev_button.disabled = self.step == 0
        self.next_button.disabled = self.step == len(self.order)
        self._render()

    def next(self):
        """One row more (what the Next button does)."""
        self.go(self.step + 1)

    def prev(self):
        """One row less (what the Prev button does)."""
        self.go(self.step - 1)

    def _on_slider(self, change):
        if change["new"] != self.step:  # else go() moved the slider itself and has drawn already
            self.go(change["new"])

    def table_html(self):
        """The rows shown so far as an HTML table, the current row in bold."""
        head = "".join(f"<th>{h}</th>" for h in ("node", "expression", "value", self.quantity))
        body = ""
        for i, row in enumerate(self.rows(), 1):
            style = ' style="font-weight:bold"' if i == self.step else ""
            body += f"<tr{style}>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        return f"<table><tr>{head}</tr>{body}</table>"

    def _render(self):
        self.table.value = self.table_html()
        with self.output:
            self.output.clear_output(wait=True)
            ax = draw_graph(self.graph, highlight=self.current and self.current.name, labels="value")
            ax.set_title(f"{self.quantity}s, step {self.step} of {len(self.order)}")
            display(ax.figure)
            plt.close(ax.figure)

    def _ipython_display_(self):
        # display() rather than _repr_mimebundle_, which ipywidgets 7 (Colab's) lacks
        display(self.widget)
