"""Checks on what users pass to the transformations, with messages that say what to do."""
import numpy as np

from .tracer import Tracer, concrete


def as_float_input(x, transform, position):
    """float64 array (or a lower-level tracer) for argument `position` of `transform`."""
    dtype = np.result_type(concrete(x)) if not isinstance(x, (list, tuple)) else np.asarray(x).dtype
    if not np.issubdtype(dtype, np.floating):
        raise TypeError(
            f"{transform}: argument {position} has dtype {dtype}; derivatives need real floating-point "
            f"inputs. Convert it first, e.g. np.asarray(x, dtype=float) (or write 3.0 instead of 3).")
    if isinstance(x, Tracer):
        return x
    return np.asarray(x, dtype=np.float64)
