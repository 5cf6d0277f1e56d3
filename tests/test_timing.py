"""course.timing: warm-up calls, sample shapes, waiting for results, interleaving.

A fake clock replaces time.perf_counter, so every duration is known exactly
and nothing sleeps.
"""
import numpy as np
import pytest

from course import timing


class FakeClock:
    """perf_counter stand-in: time moves only when a timed function says so."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(timing.time, "perf_counter", fake)
    return fake


def make_fn(clock, durations, log, name):
    """A function whose k-th call takes durations[k] fake seconds and logs its name."""
    calls = iter(durations)

    def fn(*args):
        log.append(name)
        clock.now += next(calls)
        return args

    return fn


def test_warmup_calls_are_not_timed(clock):
    log = []
    # two warm-up calls take 100 s each (compilation); timed calls take 1, 2, 3 s
    fn = make_fn(clock, [100.0, 100.0, 1.0, 2.0, 3.0], log, "f")
    t = timing.measure(fn, repeats=3, warmup=2)
    assert len(log) == 5
    assert t.times.shape == (3,)
    np.testing.assert_allclose(t.times, [1.0, 2.0, 3.0])
    assert t.median == pytest.approx(2.0) and t.min == pytest.approx(1.0)


def test_number_averages_calls_within_a_sample(clock):
    log = []
    fn = make_fn(clock, [0.0] + [1.0, 3.0] * 4, log, "f")
    t = timing.measure(fn, repeats=4, warmup=1, number=2)
    assert len(log) == 1 + 4 * 2
    np.testing.assert_allclose(t.times, [2.0] * 4)


def test_median_ignores_one_slow_repeat(clock):
    fn = make_fn(clock, [0.0, 1.0, 1.0, 50.0, 1.0, 1.0], [], "f")
    assert timing.measure(fn, repeats=5).median == pytest.approx(1.0)


def test_compare_interleaves_and_returns_one_timing_per_function(clock):
    log = []
    fns = {"a": make_fn(clock, [0.0, 1.0, 1.0], log, "a"),
           "b": make_fn(clock, [0.0, 5.0, 5.0], log, "b")}
    result = timing.compare(fns, repeats=2, warmup=1)
    assert log == ["a", "b", "a", "b", "a", "b"]
    assert set(result) == {"a", "b"}
    assert result["b"].median == pytest.approx(5.0)


def test_waits_for_asynchronous_outputs(clock):
    class Pending:
        """Stands in for a JAX array: the work happens in block_until_ready."""

        waited = 0

        def block_until_ready(self):
            Pending.waited += 1
            clock.now += 2.0
            return self

    t = timing.measure(lambda: (Pending(), [Pending(), 1.0]), repeats=3, warmup=1)
    assert Pending.waited == 4 * 2  # every output of every call, nested ones too
    np.testing.assert_allclose(t.times, [4.0] * 3)


def test_rejects_empty_sampling():
    with pytest.raises(ValueError):
        timing.measure(lambda: None, repeats=0)


def test_str_names_the_statistic():
    assert str(timing.Timing(np.array([2e-3, 1e-3, 3e-3]))) == "2 ms (median of 3, min 1 ms)"


def test_crossover_of_power_laws_is_exact():
    # forward ~ m n^2, reverse ~ m^2 n: they cross at m = n whatever the grid
    n, m = 100, np.array([3.0, 17.0, 60.0, 150.0, 900.0])
    assert timing.crossover(m, m * n**2, m**2 * n) == pytest.approx(n)


def test_crossover_takes_the_last_crossing():
    x = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    t_a = np.ones(5)
    t_b = np.array([0.9, 1.1, 0.95, 0.5, 2.0])  # noisy ratio near 1 at small x
    # ratio 0.5 at x = 8 and 2 at x = 16: on log axes the crossing is midway, at sqrt(8 * 16)
    assert timing.crossover(x, t_a, t_b) == pytest.approx(np.sqrt(8 * 16))


def test_crossover_outside_the_range_is_an_error():
    with pytest.raises(ValueError):
        timing.crossover([1.0, 2.0], [1.0, 1.0], [2.0, 3.0])
    with pytest.raises(ValueError):
        timing.crossover([1.0, 2.0], [1.0, 1.0], [0.5, 0.6])
