"""`make bench`: speed of the course.ad engine and of the grader, written to benchmarks/results.md.

Three measurements (wall-clock belongs here, not in unit tests); the engine's are medians after
a warm-up, grading is one run of each grader:
1. Reverse-mode overhead on an MLP (batch 256, 784-256-10, tanh, float64):
   time(value_and_grad) / time(forward). Theory bounds it by ~6; the goal is <= 4.
2. Per-node cost of a scalar expression with ~10^5 nodes (forward + backward),
   beside HIPS autograd and micrograd when they are installed.
3. Grading 100 copies of a real submission (grading.py), beside plain nbgrader autograde
   (BENCH_GRADING_COPIES sets the number; 0 leaves this out).
"""
import datetime
import os
import pathlib
import platform
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import course.ad as ad  # noqa: E402
import course.ad.numpy as anp  # noqa: E402
from course.timing import compare  # noqa: E402

RESULTS = pathlib.Path(__file__).with_name("results.md")
TERMS = 25_000  # four nodes a term (mul, add, relu, and the sum): 10^5 nodes
# relu, because it is the one nonlinearity all three engines have.


def mlp_ratio():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 784))
    y = np.eye(10)[rng.integers(0, 10, size=256)]
    params = (rng.normal(size=(784, 256)) / 28, np.zeros(256), rng.normal(size=(256, 10)) / 16, np.zeros(10))

    def loss(w1, b1, w2, b2):
        hidden = anp.tanh(x @ w1 + b1)
        return anp.mean(anp.sum((hidden @ w2 + b2 - y) ** 2, axis=1))

    value_and_grad = ad.value_and_grad(loss, argnums=(0, 1, 2, 3))
    # Interleaved, so a load spike on a shared machine hits both sides of the ratio alike.
    timings = compare({"forward": loss, "value_and_grad": value_and_grad}, *params, repeats=30, warmup=2)
    return timings["forward"].median, timings["value_and_grad"].median


def pairwise_sum(terms):
    """Sum as a balanced tree, so engines with recursive sorts (micrograd) can walk it."""
    while len(terms) > 1:
        terms = [terms[i] + terms[i + 1] if i + 1 < len(terms) else terms[i] for i in range(0, len(terms), 2)]
    return terms[0]


def scalar_expression(x, relu, a, b):
    return pairwise_sum([relu(x * a_i + b_i) for a_i, b_i in zip(a, b)])


def per_node_times():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=TERMS).tolist(), rng.normal(size=TERMS).tolist()
    with ad.counting() as counts:
        ad.grad(lambda x: scalar_expression(x, anp.relu, a, b))(0.3)
    nodes = counts.nodes_stored
    engines = {"course.ad": lambda x: ad.grad(lambda x: scalar_expression(x, anp.relu, a, b))(x)}
    try:
        import autograd
        import autograd.numpy as agnp
        engines["HIPS autograd"] = lambda x: autograd.grad(lambda x: scalar_expression(x, lambda v: agnp.maximum(v, 0.0), a, b))(x)
    except ImportError:
        pass
    try:
        from micrograd.engine import Value

        def micrograd_grad(x):
            x = Value(x)
            scalar_expression(x, Value.relu, a, b).backward()
            return x.grad
        engines["micrograd"] = micrograd_grad
    except ImportError:
        pass
    timings = compare(engines, 0.3, repeats=5, warmup=1)
    return nodes, {name: timing.median / nodes for name, timing in timings.items()}


def main():
    forward, backward = mlp_ratio()
    nodes, per_node = per_node_times()
    lines = [
        "# Benchmarks of course.ad and the grader",
        "",
        f"Written by `make bench` on {datetime.date.today()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, {platform.machine()}; engine times are medians after warm-up, "
        "grading times one run.",
        "",
        "## Reverse-mode overhead: MLP 784-256-10, batch 256, tanh, float64",
        "",
        "| forward (ms) | value_and_grad (ms) | ratio | goal |",
        "|---|---|---|---|",
        f"| {forward * 1e3:.2f} | {backward * 1e3:.2f} | {backward / forward:.2f} | <= 4 |",
        "",
        f"## Per-node cost: scalar expression with {nodes} nodes, forward + backward",
        "",
        "| engine | µs per node |",
        "|---|---|",
    ] + [f"| {name} | {t * 1e6:.2f} |" for name, t in per_node.items()]
    copies = int(os.environ.get("BENCH_GRADING_COPIES", 100))
    if copies:
        from grading import ASSIGNMENT, grading_times  # nbgrader and the course harness: only when used

        times = grading_times(copies)
        lines += [
            "",
            f"## Grading {copies} copies of the reference solution of {ASSIGNMENT} ({os.cpu_count()} cores)",
            "",
            "| grader | total (s) | per submission (s) |",
            "|---|---|---|",
        ] + [f"| {name} | {t:.0f} | {t / copies:.2f} |" for name, t in times.items()]
    RESULTS.write_text("\n".join(lines) + "\n")
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
