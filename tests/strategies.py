"""Hypothesis strategies shared by the tests of the AD engine `course.ad`.

Every operator is tested the same way (as in minitorch's tests/strategies.py):
small float64 arrays of 0-3 dimensions with sides 1-4, drawn from ranges where
the operator is smooth, so a derivative rule can be compared with JAX's to
float64 precision. Kinks (abs, relu, maximum/minimum ties) and singularities
(log, sqrt, division at 0) are kept at a distance instead of being hit by chance.
"""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

MAX_SIDE = 4
MAX_DIMS = 3

shapes = hnp.array_shapes(min_dims=0, max_dims=MAX_DIMS, min_side=1, max_side=MAX_SIDE)
"""Array shapes with 0-3 dimensions and sides 1-4 (0 dimensions is a scalar array)."""

nonscalar_shapes = hnp.array_shapes(min_dims=1, max_dims=MAX_DIMS, min_side=1, max_side=MAX_SIDE)
"""Shapes with at least one axis (for indexing, concatenation, swapaxes)."""

broadcastable_pairs = hnp.mutually_broadcastable_shapes(
    num_shapes=2, min_dims=0, max_dims=MAX_DIMS, min_side=1, max_side=MAX_SIDE)
"""Two shapes that broadcast together: `.input_shapes` is the pair, `.result_shape` their broadcast."""

broadcastable_triples = hnp.mutually_broadcastable_shapes(
    num_shapes=3, min_dims=0, max_dims=MAX_DIMS, min_side=1, max_side=MAX_SIDE)
"""Three shapes that broadcast together (condition, x and y of `where`)."""

matmul_shapes = hnp.mutually_broadcastable_shapes(
    signature=np.matmul.signature, max_dims=1, max_side=MAX_SIDE)
"""Operand shapes valid for `matmul`: vector or matrix operands, at most one batch axis."""


def _floats(low, high):
    # Subnormals are excluded: they only add noise (and flush-to-zero differences) to comparisons.
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def arrays(shape, low=-3.0, high=3.0):
    """Float64 arrays of `shape` (a tuple or a strategy of tuples) with entries in [low, high]."""
    return hnp.arrays(np.float64, shape, elements=_floats(low, high))


def positive_arrays(shape, low=0.1, high=3.0):
    """Entries in [0.1, 3]: inside the domain of log, sqrt and a real power, away from 0."""
    return arrays(shape, low, high)


_away_from_zero = st.builds(lambda sign, size: sign * size, st.sampled_from([-1.0, 1.0]), _floats(0.1, 3.0))


def nonzero_arrays(shape):
    """Entries with 0.1 <= |x| <= 3: away from the kinks of abs and relu and the pole of 1/x."""
    return hnp.arrays(np.float64, shape, elements=_away_from_zero)


# maximum/minimum are tested on pairs that can never tie: x lives in the cells
# [2k + 0.1, 2k + 0.9] and y in [2k + 1.1, 2k + 1.9], so |x - y| >= 0.2 elementwise after
# any broadcasting, while which one is larger still varies from entry to entry.
_even_cells = st.builds(lambda k, u: 2.0 * k + u, st.integers(-2, 1), _floats(0.1, 0.9))
_odd_cells = st.builds(lambda k, u: 2.0 * k + 1.0 + u, st.integers(-2, 1), _floats(0.1, 0.9))


@st.composite
def separated_pairs(draw, shape_x, shape_y):
    """Two arrays of the given shapes whose broadcast entries differ by at least 0.2."""
    x = draw(hnp.arrays(np.float64, shape_x, elements=_even_cells))
    y = draw(hnp.arrays(np.float64, shape_y, elements=_odd_cells))
    return x, y


@st.composite
def axes(draw, ndim):
    """An `axis` argument for a reduction over `ndim` axes: None, one int (maybe negative) or a tuple."""
    if ndim == 0:
        return None
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-ndim, ndim - 1))
    return draw(hnp.valid_tuple_axes(ndim, min_size=1))


keepdims = st.booleans()


@st.composite
def indices(draw, shape):
    """An index into an array of `shape` (ndim >= 1), of one of the kinds numpy supports:
    an int; a tuple of ints, slices (negative steps too), `...` and `None`; an int array along
    axis 0 (repeats allowed); one int array per axis; or a bool mask of the whole shape."""
    kind = draw(st.sampled_from(["int", "basic", "int_array", "int_arrays", "bool_mask"]))
    if kind == "int":
        return draw(st.integers(-shape[0], shape[0] - 1))
    if kind == "basic":
        return draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    if kind == "int_array":
        picks = st.integers(-shape[0], shape[0] - 1)
        return np.array(draw(st.lists(picks, min_size=1, max_size=5)), dtype=np.int64)
    if kind == "int_arrays":
        picked_shape = hnp.array_shapes(min_dims=1, max_dims=2, max_side=3)
        return draw(hnp.integer_array_indices(shape, result_shape=picked_shape))
    return draw(hnp.arrays(np.bool_, shape))


@st.composite
def same_size_shape(draw, shape):
    """Another shape with the same number of entries, as a `reshape` target (may contain -1)."""
    size = int(np.prod(shape, dtype=int))
    return draw(st.sampled_from([(size,), (-1,), (1, size), (size, 1), tuple(shape[::-1]), (-1, 1)]))
