"""Wall-clock timing that a noisy shared machine cannot fool easily.

Three habits make a timing worth printing:

* warm up first: the first call of a jitted JAX function compiles it, and
  compile time is not run time (the Fig. 25 erratum of the slides);
* wait for the result: JAX returns before the work is done, so each call is
  followed by ``block_until_ready`` on its outputs;
* repeat and take the median: one slow repeat (another process got the core)
  moves the median little and the mean a lot.

`compare` interleaves the functions it times, so a load spike hits all of them
alike instead of the one that happened to run during it. `crossover` reads off
where two timing curves cross.
"""
import time
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Timing:
    """Seconds per call, one entry per repeat."""

    times: np.ndarray

    @property
    def median(self):
        return float(np.median(self.times))

    @property
    def min(self):
        return float(np.min(self.times))

    def __str__(self):
        return f"{_seconds(self.median)} (median of {self.times.size}, min {_seconds(self.min)})"


def _seconds(t):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t / 1e-9:.3g} ns"


def _wait(out):
    """Block until asynchronous (JAX) outputs are computed; other values pass through."""
    if isinstance(out, (tuple, list)):
        for item in out:
            _wait(item)
    elif hasattr(out, "block_until_ready"):
        out.block_until_ready()


def compare(fns, *args, repeats=7, warmup=1, number=1):
    """Time each function of the dict `fns` on `args`, round-robin.

    Every function is first called `warmup` times (compilation, caches).
    Then for each of `repeats` rounds every function runs `number` times in a
    row and the round's time divided by `number` is one sample.
    Returns a dict name -> Timing with `repeats` samples each.
    """
    if repeats < 1 or number < 1 or warmup < 0:
        raise ValueError("need repeats >= 1, number >= 1, warmup >= 0")
    for fn in fns.values():
        for _ in range(warmup):
            _wait(fn(*args))
    samples = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(number):
                _wait(fn(*args))
            samples[name].append((time.perf_counter() - start) / number)
    return {name: Timing(np.array(ts)) for name, ts in samples.items()}


def measure(fn, *args, repeats=7, warmup=1, number=1):
    """Timing of one function: `compare` with a single entry."""
    return compare({"fn": fn}, *args, repeats=repeats, warmup=warmup, number=number)["fn"]


def crossover(x, t_a, t_b):
    """Where curve `t_b` rises above curve `t_a` for good, interpolated on log-log axes.

    `x` is increasing; `t_b / t_a` is expected to grow with `x`. Noise at small
    `x` (where both times are mostly overhead and their ratio is close to 1)
    may make the ratio cross 1 several times, so the last crossing counts:
    the last `x` where `t_b <= t_a` and the next one bracket it. For power laws
    the log-log interpolation is exact.
    """
    x, log_ratio = np.asarray(x, float), np.log(np.asarray(t_b) / np.asarray(t_a))
    below = np.flatnonzero(log_ratio <= 0)
    if below.size == 0 or below[-1] == x.size - 1:
        raise ValueError("the curves do not cross inside the range of x")
    i = below[-1]
    lx = np.log(x[i:i + 2])
    r = log_ratio[i:i + 2]
    return float(np.exp(lx[0] - r[0] * (lx[1] - lx[0]) / (r[1] - r[0])))
