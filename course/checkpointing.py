"""Checkpointing: reverse mode through a long chain with bounded memory.

A chain x_{k+1} = F_k(x_k), k = 0..n-1, ends in a scalar loss l(x_n). The
backward pass pulls the adjoint x̄_{k+1} back through step k, and for that it
needs the step's input x_k. A *checkpoint schedule* is the list of events that
says which states are kept and which are recomputed:

- ``forward k``   the forward pass evaluates F_k for the first time; after
                  step n-1 the loss and its gradient x̄_n = l'(x_n) are computed;
- ``store k``     keep x_k in memory (a snapshot);
- ``recompute k`` evaluate F_k again, starting from a snapshot or the current state;
- ``backward k``  pull the adjoint back through step k (needs x_k); afterwards
                  the snapshots x_j, j >= k, are freed: nothing needs them again.

Counting conventions (those of Griewank & Walther's Revolve): memory is the
peak number of stored states; the single working state (the "cursor") is not
counted. A backward step re-evaluates its own step with a local tape inside
its VJP, the same in every strategy, so it is not counted as a recomputation.

Strategies: ``store_all`` (n states, no recomputation), ``recompute_all``
(x_0 only, n(n-1)/2 recomputed steps), ``sqrt`` (a snapshot every ~sqrt(n)
steps, each segment recomputed once) and ``revolve`` (the optimal binomial
schedule for a given number of snapshots).
"""
import math
from dataclasses import dataclass

import numpy as np

STRATEGIES = ("store_all", "recompute_all", "sqrt", "revolve")


@dataclass(frozen=True)
class Event:
    kind: str   # "forward", "store", "recompute" or "backward"
    k: int      # the step k (x_k -> x_{k+1}), or the state x_k for "store"

    def __str__(self):
        return f"{self.kind} {self.k}"


# ---------------------------------------------------------------------------
# The binomial (Revolve) optimum, in Griewank's convention: a chain of l steps
# whose last step is reversed straight from the forward pass.

def max_chain_length(s, r):
    """Longest chain that s snapshots reverse if no step is evaluated more than r times: C(s+r, s)."""
    return math.comb(s + r, s)


def repetitions(l, s):
    """The smallest r with C(s+r, s) >= l: how often the busiest step must be evaluated."""
    r = 0
    while max_chain_length(s, r) < l:
        r += 1
    return r


def binomial_forward_steps(l, s):
    """t(l, s) = r l - C(s+r, s+1): fewest forward steps that reverse l steps with s snapshots.

    Counts every evaluation of a step that advances the state, the first
    forward pass included (Griewank & Walther 2000, Algorithm 799: Revolve).
    """
    if s < 1:
        raise ValueError("at least one snapshot (the one holding x_0) is needed")
    r = repetitions(l, s)
    return r * l - math.comb(s + r, s + 1)


def min_recomputations(n, s):
    """Fewest recomputed steps for our n-step chain with s stored states.

    Our loss l(x_n) is taken right where the forward pass ends, exactly like the
    last step of a Griewank chain, so the chain is one of l = n + 1 steps; its
    forward pass is n steps and the rest of t(n+1, s) is recomputation.
    """
    return binomial_forward_steps(n + 1, s) - n


# ---------------------------------------------------------------------------
# Schedules

def _forward_pass(n, keep):
    """The first forward pass, storing the states whose index is in `keep`."""
    events = []
    for k in range(n):
        if k in keep:
            events.append(Event("store", k))
        events.append(Event("forward", k))
    return events


def _store_all(n):
    return _forward_pass(n, keep=range(n)) + [Event("backward", k) for k in reversed(range(n))]


def _recompute_all(n):
    events = _forward_pass(n, keep={0})
    for k in reversed(range(n)):
        events += [Event("recompute", j) for j in range(k)] + [Event("backward", k)]
    return events


def _sqrt(n):
    """A snapshot every m = ceil(sqrt(n)) steps; each segment is recomputed once, storing its states."""
    m = math.isqrt(n - 1) + 1   # ceil(sqrt(n)) in exact integer arithmetic
    starts = range(0, n, m)
    events = _forward_pass(n, keep=set(starts))
    for a in reversed(starts):
        b = min(a + m, n)
        for k in range(a, b - 1):
            events += [Event("recompute", k), Event("store", k + 1)]
        events += [Event("backward", k) for k in reversed(range(a, b))]
    return events


def _best_split(l, s):
    """The first snapshot position j that attains t(l, s) = j + t(l-j, s-1) + t(j, s)."""
    if s == 1:
        return l - 1   # no free snapshot: walk to the last step and reverse it
    return min(range(1, l), key=lambda j: j + binomial_forward_steps(l - j, s - 1)
               + binomial_forward_steps(j, s))


def _revolve(n, s):
    """Griewank's recursion on the l = n + 1 steps "F_0, ..., F_{n-1}, loss"."""
    events = [Event("store", 0)]
    computed = 0   # x_0 .. x_computed have been evaluated at least once

    def advance(a, b):
        nonlocal computed
        for k in range(a, b):
            events.append(Event("forward" if k + 1 > computed else "recompute", k))
        computed = max(computed, b)

    def reverse(a, b, s):   # reverse steps a..b-1; x_a is stored, s snapshots include it
        if b - a == 1:
            if a < n:      # step n is the loss: its gradient is taken by the forward pass
                events.append(Event("backward", a))
            return
        j = a + _best_split(b - a, s)
        advance(a, j)
        if b - j > 1:
            events.append(Event("store", j))
            reverse(j, b, s - 1)
        else:
            reverse(j, b, s)
        reverse(a, j, s)

    reverse(0, n + 1, s)
    return events


def checkpoint_schedule(n, strategy="sqrt", snapshots=None):
    """The events that reverse an n-step chain; `snapshots` (s >= 1) only for "revolve"."""
    if n < 1:
        raise ValueError("the chain needs at least one step")
    if strategy == "revolve":
        if snapshots is None or snapshots < 1:
            raise ValueError("revolve needs snapshots >= 1")
        return _revolve(n, snapshots)
    if snapshots is not None:
        raise ValueError(f"snapshots is only used by 'revolve', not by {strategy!r}")
    builders = {"store_all": _store_all, "recompute_all": _recompute_all, "sqrt": _sqrt}
    if strategy not in builders:
        raise ValueError(f"strategy must be one of {STRATEGIES}, not {strategy!r}")
    return builders[strategy](n)


# ---------------------------------------------------------------------------
# A real chain and the executor

class TanhChain:
    """n layers x_{k+1} = tanh(W_k x_k) of width d, loss l(x_n) = ½‖x_n‖².

    `step_vjp` is written by hand and needs only the step's input x_k: it
    re-evaluates tanh(W_k x_k) itself (the local tape of a backward step).
    """

    def __init__(self, n, width, seed=0):
        rng = np.random.default_rng(seed)
        # Random orthogonal W_k: no layer stretches a vector, so over hundreds of layers the
        # gradient neither explodes nor is swamped by amplified rounding errors.
        self.weights, _ = np.linalg.qr(rng.normal(size=(n, width, width)))

    @property
    def n(self):
        return len(self.weights)

    def step(self, k, x):
        return np.tanh(self.weights[k] @ x)

    def step_vjp(self, k, x, y_bar):
        """(x̄_k, W̄_k) from x_k and the adjoint y_bar = x̄_{k+1}."""
        y = np.tanh(self.weights[k] @ x)
        z_bar = (1.0 - y**2) * y_bar
        return self.weights[k].T @ z_bar, np.outer(z_bar, x)

    def loss(self, x):
        return 0.5 * x @ x

    def loss_grad(self, x):
        return x


@dataclass(frozen=True)
class Frame:
    """What memory holds right after an event (for drawings and the widget)."""
    event: Event
    stored: frozenset    # indices k of the stored states x_k
    cursor: int          # index of the working state
    adjoint: int | None  # the adjoint is known down to x_adjoint (None before the loss)


@dataclass
class Run:
    loss: float
    grad_x0: np.ndarray
    grad_weights: np.ndarray
    peak_stored: int        # most states stored at once
    forward_steps: int      # step evaluations that advance a state, first pass included
    recomputed_steps: int   # the part of forward_steps beyond the first pass (= forward_steps - n)
    frames: list


def execute(chain, x0, events):
    """Run `events` on `chain` from x0: the gradient of the loss and what it cost.

    Raises ValueError when the schedule asks for a state that is neither stored
    nor current, or goes backward out of order.
    """
    n = chain.n
    stored, cursor, x = {}, 0, np.asarray(x0, dtype=np.float64)
    adjoint, x_bar, loss = None, None, None
    grad_weights = np.zeros_like(chain.weights)
    peak = forward = recomputed = 0
    frames = []

    def state(k):
        if k == cursor:
            return x
        if k in stored:
            return stored[k]
        raise ValueError(f"x_{k} is needed but neither stored nor current (current: x_{cursor})")

    for event in events:
        k = event.k
        if event.kind == "store":
            stored[k] = state(k)
            peak = max(peak, len(stored))
        elif event.kind in ("forward", "recompute"):
            x, cursor = chain.step(k, state(k)), k + 1
            forward += 1
            recomputed += event.kind == "recompute"
            if event.kind == "forward" and cursor == n:
                loss, x_bar, adjoint = chain.loss(x), chain.loss_grad(x), n
        elif event.kind == "backward":
            if adjoint != k + 1:
                raise ValueError(f"backward {k} out of order: the adjoint is at x_{adjoint}")
            x_bar, grad_weights[k] = chain.step_vjp(k, state(k), x_bar)
            adjoint = k
            stored = {j: v for j, v in stored.items() if j < k}
        else:
            raise ValueError(f"unknown event kind {event.kind!r}")
        frames.append(Frame(event, frozenset(stored), cursor, adjoint))
    if adjoint != 0:
        raise ValueError("the schedule did not reach x_0")
    return Run(loss, x_bar, grad_weights, peak, forward, recomputed, frames)
