"""Checks on what users pass to the transformations, with messages that say what to do."""
import numpy as np

from .tracer import Tracer, concrete


def as_float_input(x, transform, position):
    """float64 array (or a lower-level tracer) for argument `position` of `transform`."""
    dtype = np.asarray(concrete(x)).dtype
    if not np.issubdtype(dtype, np.floating):
        raise TypeError(
            f"{transform}: argument {position} has dtype {dtype}; derivatives need real floating-point "
            f"inputs. Convert it first, e.g. np.asarray(x, dtype=float) (or write 3.0 instead of 3).")
    if isinstance(x, Tracer):
        return x
    return np.asarray(x, dtype=np.float64)


def check_output(out, transform):
    """f must return one array: the transformations here do not take tuples or dicts apart."""
    if isinstance(out, (tuple, list, dict)):
        raise TypeError(f"{transform}: f returned a {type(out).__name__}; course.ad differentiates "
                        "functions that return a single array. Return one array (e.g. anp.stack or "
                        "anp.concatenate the parts), or differentiate each output separately.")
    return out
