"""Counters that tests and lectures use instead of wall-clock time.

    with counting() as c:
        grad(f)(x)
    c.evaluations, c.nodes_stored, c.recomputations, c.forward_passes, c.backward_passes

Counts are exact integers, so a test can decide "forward mode needs d passes"
or "checkpointing stores fewer nodes" without timing anything.
"""
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

_active = []  # the Counts of every enclosing `counting()` block


@dataclass
class Counts:
    by_primitive: Counter = field(default_factory=Counter)
    nodes_stored: int = 0      # nodes recorded on reverse-mode tapes (memory held until the backward pass)
    recomputations: int = 0    # primitive evaluations redone by checkpoint() during backward passes
    forward_passes: int = 0    # jvp() calls
    backward_passes: int = 0   # pullback calls

    @property
    def evaluations(self):
        """Primitive evaluations on concrete arrays: primal, tangent and adjoint work alike.

        Only calls that go through the engine count: numpy's own operators on
        plain arrays (outside any transformation) never reach it."""
        return sum(self.by_primitive.values())

    def __repr__(self):
        return (f"Counts(evaluations={self.evaluations}, nodes_stored={self.nodes_stored}, "
                f"recomputations={self.recomputations}, forward_passes={self.forward_passes}, "
                f"backward_passes={self.backward_passes})")


@contextmanager
def counting(isolated=False):
    """Count inside the block. `isolated=True` hides the block from enclosing counters."""
    global _active
    counts = Counts()
    outer = _active
    _active = [counts] if isolated else outer + [counts]
    try:
        yield counts
    finally:
        _active = outer


def count_evaluation(name):
    for counts in _active:
        counts.by_primitive[name] += 1


def count(field_name, n=1):
    for counts in _active:
        setattr(counts, field_name, getattr(counts, field_name) + n)


def add_evaluations(by_primitive):
    for counts in _active:
        counts.by_primitive.update(by_primitive)
