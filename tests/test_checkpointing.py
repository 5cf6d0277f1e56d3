"""Checkpoint schedules: the same exact gradient for every strategy, and the costs they promise.

The Revolve counts are checked three ways: the closed binomial formula, the
Bellman recursion over the first snapshot position, and (for short chains)
an exhaustive search over every possible schedule.
"""
import collections
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import course.ad as ad
import course.ad.numpy as anp
from course.checkpointing import (Event, TanhChain, binomial_forward_steps, checkpoint_schedule,
                                  execute, max_chain_length, min_recomputations, repetitions)

jax.config.update("jax_enable_x64", True)

N, WIDTH = 30, 5
CHAIN = TanhChain(N, WIDTH, seed=0)
X0 = np.random.default_rng(1).normal(size=WIDTH)
SCHEDULES = [("store_all", None), ("recompute_all", None), ("sqrt", None)] + [
    ("revolve", s) for s in (1, 2, 3, 5, 8)]


def run(strategy, snapshots=None, chain=CHAIN, x0=X0):
    return execute(chain, x0, checkpoint_schedule(chain.n, strategy, snapshots))


def chain_loss(xp, tanh, weights, x):
    """The TanhChain loss written once for both engines (xp.sum: course.ad.numpy or jax.numpy)."""
    for k in range(weights.shape[0]):
        x = tanh(weights[k] @ x)
    return 0.5 * xp.sum(x * x)


def assert_grads_close(a, b, rtol):
    """Relative to the largest entry: deep chains make some entries tiny."""
    for u, v in zip(a, b):
        np.testing.assert_allclose(u, v, rtol=0, atol=rtol * np.max(np.abs(v)))


# --- gradients ---------------------------------------------------------------

@pytest.mark.parametrize("strategy,snapshots", SCHEDULES)
def test_every_schedule_gives_the_same_gradient(strategy, snapshots):
    reference = run("store_all")
    result = run(strategy, snapshots)
    # the same floating-point operations in the same order: equal up to 1e-12 (in fact bitwise)
    assert_grads_close((result.grad_x0, result.grad_weights),
                       (reference.grad_x0, reference.grad_weights), rtol=1e-12)
    assert result.loss == pytest.approx(reference.loss, rel=1e-12)


def test_gradient_matches_course_engine_and_jax():
    result = run("sqrt")
    engine = ad.grad(lambda w, x: chain_loss(anp, anp.tanh, w, x), argnums=(0, 1))(CHAIN.weights, X0)
    reference = jax.grad(lambda w, x: chain_loss(jnp, jnp.tanh, w, x), argnums=(0, 1))(CHAIN.weights, X0)
    ours = (result.grad_weights, result.grad_x0)
    # float64, a 30-layer product of Jacobians: agreement to 1e-12 of the largest entry
    assert_grads_close(ours, engine, rtol=1e-12)
    assert_grads_close(ours, [np.asarray(g) for g in reference], rtol=1e-12)


# --- counts of the three simple strategies -------------------------------------

def test_store_all_stores_every_state_and_recomputes_nothing():
    result = run("store_all")
    assert (result.peak_stored, result.recomputed_steps, result.forward_steps) == (N, 0, N)


def test_recompute_all_stores_one_state_and_recomputes_quadratically():
    result = run("recompute_all")
    assert result.peak_stored == 1
    assert result.recomputed_steps == N * (N - 1) // 2
    assert result.forward_steps == N + N * (N - 1) // 2


def test_sqrt_on_400_steps_stores_8x_less_for_at_most_one_extra_forward_pass():
    n = 400
    result = run("sqrt", chain=TanhChain(n, 2, seed=0), x0=np.ones(2))
    store_all = n  # test_store_all_stores_every_state_and_recomputes_nothing
    assert 8 * result.peak_stored <= store_all
    assert result.recomputed_steps <= n
    m = math.isqrt(n - 1) + 1   # 20 segments of 20 steps: 20 snapshots + 19 states of one segment
    assert result.peak_stored == n // m + m - 1
    assert result.recomputed_steps == (n // m) * (m - 1)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 16, 17, 30])
def test_sqrt_counts_for_any_length(n):
    result = run("sqrt", chain=TanhChain(n, 2, seed=0), x0=np.ones(2))
    m = math.ceil(math.sqrt(n))
    segments = math.ceil(n / m)
    assert result.recomputed_steps == n - segments   # each segment but its first state, once
    assert result.peak_stored <= 2 * m


# --- Revolve ---------------------------------------------------------------

def test_binomial_formula_on_its_closed_cases():
    for l in range(1, 40):
        assert binomial_forward_steps(l, 1) == l * (l - 1) // 2   # = recompute all
        assert binomial_forward_steps(l, l) == l - 1              # = store all: the first pass only
    for s in range(1, 6):
        for r in range(1, 6):
            l = max_chain_length(s, r)
            assert repetitions(l, s) == r and repetitions(l + 1, s) == r + 1


def bellman_forward_steps(l_max, s_max):
    """Fewest forward steps by the recursion over the first snapshot position j:
    advance to x_j, store it, reverse the tail with one snapshot less, then the head."""
    t = {}
    for s in range(1, s_max + 1):
        t[1, s] = 0
        for l in range(2, l_max + 1):
            if s == 1:
                t[l, s] = (l - 1) + t[l - 1, s]
            else:
                t[l, s] = min(j + t[l - j, s - 1] + t[j, s] for j in range(1, l))
    return t


def test_binomial_formula_is_the_optimum_of_the_recursion_up_to_30_steps():
    t = bellman_forward_steps(31, 7)
    for (l, s), steps in t.items():
        assert binomial_forward_steps(l, s) == steps, (l, s)


def exhaustive_forward_steps(l, s):
    """Fewest forward steps over all schedules, by 0-1 breadth-first search.

    A configuration is (m, c, snapshots): steps m..l-1 are reversed, the working
    state is x_c (c = -1: none), the snapshots hold x_i for i in the set (at most s).
    Advancing costs 1; storing, dropping, restoring a snapshot and reversing
    step m-1 from x_{m-1} cost 0. No assumption about the shape of a schedule.
    """
    start = (l, 0, frozenset())
    dist, queue = {start: 0}, collections.deque([start])
    while queue:
        state = queue.popleft()
        m, c, snaps = state
        d = dist[state]
        if m == 0:
            return d
        moves = [((m, j, snaps), 0) for j in snaps]                       # restore
        moves += [((m, c, snaps - {j}), 0) for j in snaps]                # drop
        if c >= 0 and c not in snaps and len(snaps) < s:
            moves.append(((m, c, snaps | {c}), 0))                        # store
        if c == m - 1:
            moves.append(((m - 1, -1, frozenset(i for i in snaps if i < m - 1)), 0))   # reverse
        if 0 <= c < m - 1:
            moves.append(((m, c + 1, snaps), 1))                          # advance
        for new, cost in moves:
            if d + cost < dist.get(new, math.inf):
                dist[new] = d + cost
                queue.appendleft(new) if cost == 0 else queue.append(new)
    raise AssertionError("no schedule found")


@pytest.mark.parametrize("l", range(1, 10))
@pytest.mark.parametrize("s", [1, 2, 3])
def test_binomial_formula_is_optimal_over_all_schedules(l, s):
    assert exhaustive_forward_steps(l, s) == binomial_forward_steps(l, s)


def test_revolve_executes_with_the_binomial_count_up_to_30_steps():
    for n in range(1, 31):
        chain = TanhChain(n, 2, seed=n)
        for s in range(1, 7):
            result = execute(chain, np.ones(2), checkpoint_schedule(n, "revolve", s))
            assert result.peak_stored <= s
            assert result.forward_steps == binomial_forward_steps(n + 1, s)
            assert result.recomputed_steps == min_recomputations(n, s)


def test_revolve_extremes_are_the_simple_strategies():
    assert checkpoint_schedule(N, "revolve", 1) == checkpoint_schedule(N, "recompute_all")
    extreme = run("revolve", N)
    assert (extreme.peak_stored, extreme.recomputed_steps) == (N, 0)


def test_revolve_never_worse_than_sqrt_with_as_many_snapshots():
    sqrt = run("sqrt")
    revolve = run("revolve", sqrt.peak_stored)
    assert revolve.recomputed_steps <= sqrt.recomputed_steps


# --- the executor ------------------------------------------------------------

def test_frames_follow_the_events():
    result = run("sqrt")
    events = checkpoint_schedule(N, "sqrt")
    assert [f.event for f in result.frames] == events
    assert result.frames[-1].adjoint == 0 and not result.frames[-1].stored
    end_of_forward_pass = events.index(Event("forward", N - 1))
    assert result.frames[end_of_forward_pass - 1].adjoint is None
    assert result.frames[end_of_forward_pass].adjoint == N   # the loss gradient seeds x̄_n


def test_executor_rejects_impossible_schedules():
    with pytest.raises(ValueError, match="neither stored nor current"):
        execute(CHAIN, X0, [Event("forward", k) for k in range(N)] + [Event("backward", N - 1)])
    store_all = checkpoint_schedule(N, "store_all")   # N stores, N forwards, N backwards
    with pytest.raises(ValueError, match="out of order"):
        execute(CHAIN, X0, store_all[:2 * N] + [Event("backward", 0)])
    with pytest.raises(ValueError, match="did not reach"):
        execute(CHAIN, X0, store_all[:-1])


def test_bad_arguments():
    with pytest.raises(ValueError):
        checkpoint_schedule(10, "revolve")
    with pytest.raises(ValueError):
        checkpoint_schedule(10, "sqrt", snapshots=3)
    with pytest.raises(ValueError):
        checkpoint_schedule(10, "everything")


# --- the drawings and the widget (course.checkpoint_widget) ------------------------

def test_stored_intervals_are_the_lifetimes_of_the_snapshots():
    from course.checkpoint_widget import stored_intervals
    frames = run("store_all", chain=TanhChain(3, 2), x0=np.ones(2)).frames
    # events: store 0, fwd 0, store 1, fwd 1, store 2, fwd 2, bwd 2, bwd 1, bwd 0
    assert sorted(stored_intervals(frames)) == [(0, 0, 8), (1, 2, 7), (2, 4, 6)]


def test_stepper_moves_through_the_frames_and_counts():
    from course.checkpoint_widget import CheckpointStepper
    n = 6
    chain = TanhChain(n, 2)
    runs = {name: execute(chain, np.ones(2), checkpoint_schedule(n, name)) for name in ("sqrt", "recompute_all")}
    stepper = CheckpointStepper(runs, n)
    stepper.go(10**6)                           # clipped to the last event
    assert stepper.step == len(runs["sqrt"].frames) - 1 and stepper.next_button.disabled
    assert stepper.counts() == (0, runs["sqrt"].peak_stored, runs["sqrt"].recomputed_steps)
    stepper.select("recompute_all")
    assert stepper.step == 0 and stepper.slider.max == len(runs["recompute_all"].frames) - 1
    stepper.slider.value = 3                    # moving the slider moves the stepper
    assert stepper.frame == runs["recompute_all"].frames[3]
