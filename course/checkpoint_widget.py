"""Drawings of checkpoint schedules and a widget that steps through them event by event.

`draw_frame` paints the chain x_0 .. x_n after one event of a run of
`course.checkpointing.execute`: which states are stored, where the working
state is, how far the adjoint has come back. `plot_timeline` shows a whole
run at once (time to the right, step index up). `CheckpointStepper` moves
through the frames with buttons and a slider; its state is plain Python.
"""
import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display

COLORS = {"forward": "#555555", "recompute": "#e69138", "backward": "#cc0000",
          "store": "#3d85c6", "cursor": "#6aa84f", "idle": "#dddddd"}
DESCRIPTIONS = {"forward": "forward pass: x_{k1} = F_{k}(x_{k})",
                "recompute": "recompute x_{k1} = F_{k}(x_{k})",
                "store": "store x_{k}",
                "backward": "backward: x̄_{k} from x̄_{k1} and x_{k}"}


def describe(event):
    """The event in words, e.g. 'recompute x_4 = F_3(x_3)'."""
    return DESCRIPTIONS[event.kind].format(k=event.k, k1=event.k + 1)


def draw_frame(frame, n, ax, title=None):
    """The chain after `frame.event`: stored states filled blue, the working state ringed
    green, steps already reversed red, the step of this event in the event's colour."""
    step = frame.event.k if frame.event.kind != "store" else None
    for j in range(n):  # arrows for the steps x_j -> x_{j+1}
        done = frame.adjoint is not None and j >= frame.adjoint
        color = COLORS["backward"] if done else COLORS["idle"]
        if j == step:
            color = COLORS[frame.event.kind]
        ax.annotate("", xy=(j + 0.78, 0), xytext=(j + 0.22, 0),
                    arrowprops=dict(arrowstyle="-|>", color=color, lw=3 if j == step else 1.5))
    for j in range(n + 1):
        stored = j in frame.stored
        ax.scatter(j, 0, s=330, zorder=3, color=COLORS["store"] if stored else "white",
                   edgecolors=COLORS["cursor"] if j == frame.cursor else "black",
                   linewidths=3 if j == frame.cursor else 1)
        ax.text(j, -0.32, f"$x_{{{j}}}$", ha="center", va="top", fontsize=9)
    if frame.adjoint is not None:
        ax.text(frame.adjoint, 0.3, r"$\bar x$", ha="center", color=COLORS["backward"], fontsize=12)
    ax.set_xlim(-0.6, n + 0.6)
    ax.set_ylim(-0.75, 0.65)
    ax.axis("off")
    ax.set_title(title or describe(frame.event), fontsize=10)


def stored_intervals(frames):
    """(k, first frame, last frame + 1) for every time a state x_k was held in memory."""
    start, intervals = {}, []
    previous = frozenset()
    for t, frame in enumerate(frames + [None]):
        now = frame.stored if frame else frozenset()
        for k in now - previous:
            start[k] = t
        for k in previous - now:
            intervals.append((k, start.pop(k), t))
        previous = now
    return intervals


def plot_timeline(run, ax, title=""):
    """Every evaluation of a step as a dot (x: event number, y: step k), stored states as blue bars."""
    frames = run.frames
    for kind in ("forward", "recompute", "backward"):
        points = [(t, f.event.k) for t, f in enumerate(frames) if f.event.kind == kind]
        if points:
            ts, ks = zip(*points)
            ax.scatter(ts, ks, s=6, color=COLORS[kind], label=kind, zorder=3)
    for i, (k, t0, t1) in enumerate(stored_intervals(frames)):
        ax.hlines(k, t0, t1, color=COLORS["store"], lw=2, alpha=0.5,
                  label="stored state x_k" if i == 0 else None)
    ax.set_xlabel("event number (time)")
    ax.set_ylabel("step k")
    ax.set_title(f"{title}\npeak stored {run.peak_stored}, recomputed steps {run.recomputed_steps}",
                 fontsize=10)
    ax.legend(fontsize=7, loc="upper left")


class CheckpointStepper:
    """Buttons, a slider and a strategy choice over the frames of several runs.

    runs: {name: Run} for the same chain; step t shows the memory after event t.
    """

    def __init__(self, runs, n):
        self.runs, self.n = runs, n
        self.name, self.step = next(iter(runs)), 0
        self.choice = widgets.ToggleButtons(options=list(runs), description="strategy")
        self.prev_button = widgets.Button(description="◀ Prev")
        self.next_button = widgets.Button(description="Next ▶")
        self.slider = widgets.IntSlider(value=0, min=0, max=self.last, description="event")
        self.play = widgets.Play(interval=400, min=0, max=self.last)
        widgets.jslink((self.play, "value"), (self.slider, "value"))
        self.prev_button.on_click(lambda _: self.go(self.step - 1))
        self.next_button.on_click(lambda _: self.go(self.step + 1))
        self.choice.observe(lambda change: self.select(change["new"]), names="value")
        # go() sets self.step before moving the slider, so its own moves are ignored here.
        self.slider.observe(lambda change: change["new"] != self.step and self.go(change["new"]),
                            names="value")
        self.output, self.log = widgets.Output(), widgets.HTML()
        self.widget = widgets.VBox([
            self.choice,
            widgets.HBox([self.play, self.prev_button, self.slider, self.next_button]),
            self.output, self.log])
        self.go(0)

    @property
    def last(self):
        return len(self.runs[self.name].frames) - 1

    @property
    def frame(self):
        return self.runs[self.name].frames[self.step]

    def counts(self):
        """Counts up to the current event: stored now, peak so far, recomputed so far."""
        frames = self.runs[self.name].frames[:self.step + 1]
        return (len(self.frame.stored), max(len(f.stored) for f in frames),
                sum(f.event.kind == "recompute" for f in frames))

    def select(self, name):
        """Switch to the run `name` and start from its first event."""
        self.name, self.step = name, 0
        self.slider.max = self.play.max = self.last
        self.go(0)

    def go(self, step):
        """Move to event `step`, clipped to the run, and redraw."""
        self.step = min(max(int(step), 0), self.last)
        self.slider.value = self.step
        self.prev_button.disabled = self.step == 0
        self.next_button.disabled = self.step == self.last
        self._render()

    def _render(self):
        stored, peak, recomputed = self.counts()
        title = (f"{self.name}, event {self.step + 1}/{self.last + 1}: {describe(self.frame.event)}"
                 f"\nstored now {stored}, peak {peak}, recomputed steps {recomputed}")
        with self.output:
            self.output.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(min(12, 1 + 0.6 * self.n), 1.9))
            draw_frame(self.frame, self.n, ax, title)
            display(fig)
            plt.close(fig)
        recent = self.runs[self.name].frames[max(0, self.step - 5):self.step + 1]
        self.log.value = "<br>".join(html.escape(describe(f.event)) for f in recent)

    def _ipython_display_(self):
        # display() rather than _repr_mimebundle_, which ipywidgets 7 (Colab's) lacks
        display(self.widget)
