"""Visible checks for lecture notebooks.

A lecture cell that shows a number also checks it: each function here prints
what was verified and raises `AssertionError` when the claim does not hold,
so a notebook that runs to the end has verified every number it shows.
"""
import numpy as np


def _fmt(x):
    x = np.asarray(x)
    if x.size == 1:
        return f"{x.item():.6g}"
    return f"array{x.shape}"


def close(what, actual, expected, rtol=1e-7, atol=0.0):
    """Check |actual - expected| <= atol + rtol |expected| elementwise."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    if actual.shape != expected.shape and actual.size != expected.size:
        raise AssertionError(f"{what}: shape {actual.shape} != expected {expected.shape}")
    err = np.max(np.abs(actual - expected)) if actual.size else 0.0
    ok = np.allclose(actual, expected, rtol=rtol, atol=atol)
    line = f"{what}: {_fmt(actual)} vs {_fmt(expected)} (max abs error {err:.2e}, rtol={rtol:g}, atol={atol:g})"
    if not ok:
        raise AssertionError("FAILED " + line)
    print("✓ " + line)


def between(what, value, low, high):
    """Check low <= value <= high."""
    value = float(value)
    line = f"{what}: {value:.6g} in [{low:.6g}, {high:.6g}]"
    if not low <= value <= high:
        raise AssertionError("FAILED " + line)
    print("✓ " + line)


def less(what, value, bound):
    """Check value < bound."""
    value = float(value)
    line = f"{what}: {value:.6g} < {bound:.6g}"
    if not value < bound:
        raise AssertionError("FAILED " + line)
    print("✓ " + line)


def equal(what, actual, expected):
    """Check an exact equality of counts, shapes or names (never of computed floats)."""
    line = f"{what}: {actual!r} == {expected!r}"
    if actual != expected:
        raise AssertionError("FAILED " + line)
    print("✓ " + line)
