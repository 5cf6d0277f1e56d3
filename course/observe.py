"""Test cells observe, the grader judges: values leave the student's kernel as plain data.

A graded test cell has three parts, separated by two marker lines:

    rng = np.random.default_rng(7)               # setup: inputs; no student code
    x = rng.standard_normal(5)
    # -- observe ----------------------------------------------------------------
    seen = observe(out=student_function(x))      # calls the student's code
    # -- verdict ----------------------------------------------------------------
    assert np.allclose(seen["out"], np.sin(x))   # decides, from setup names and `seen`

Run as an ordinary cell (a student working on the notebook), all three parts run in the
kernel and `observe` just returns its values, encoded and decoded, as the grader would see
them. When the course's grader runs the notebook, the kernel gets the setup and observe parts
only; `observe` also sends the values out as a display output, and the grader runs setup and
verdict in a process of its own (autograder/judge.py). Whatever the student's code does to its
interpreter (numpy, builtins, `assert`, `__eq__`, IPython) cannot reach the verdict: to score,
the observed values must be right.

`encode` turns values into JSON (arrays as raw bytes, so floats arrive bit for bit);
`decode` accepts nothing else and builds no objects but numbers, strings, containers and
numeric arrays: observations come from untrusted code.
"""
import base64
import os

import numpy as np

MIME = "application/vnd.ad-course.observation+json"
JUDGED = "AD_COURSE_JUDGED"  # set in the kernel's environment when a judge reads observations
MAX_DEPTH = 32
ARRAY_KINDS = "biufc"  # bool, int, uint, float, complex


class Opaque:
    """An observed value the encoding cannot carry (a function, a student's class, ...)."""

    def __init__(self, type_name, text):
        self.type_name, self.text = type_name, text

    def __repr__(self):
        return f"<{self.type_name}: {self.text}>"

    def __eq__(self, other):
        return isinstance(other, Opaque) and (self.type_name, self.text) == (other.type_name, other.text)

    __hash__ = None


def observe(**values):
    """The values as the grader sees them (encoded, then decoded); sent out when judged."""
    encoded = {name: encode(value) for name, value in values.items()}
    if os.environ.get(JUDGED):
        from IPython.display import display

        display({MIME: encoded}, raw=True)
    return {name: decode(data) for name, data in encoded.items()}


def raised(call, *args, **kwargs):
    """The names of the exception classes (most specific first) `call(*args)` raised, or None."""
    try:
        call(*args, **kwargs)
    except Exception as error:  # the test decides which ones count
        return [cls.__name__ for cls in type(error).__mro__]
    return None


def encode(value, depth=0):
    """JSON-ready data for `value`."""
    if depth > MAX_DEPTH:
        return {"opaque": ["nested", f"more than {MAX_DEPTH} levels"]}
    if value is None or type(value) in (bool, str):
        return value
    if type(value) is int:
        return {"int": str(value)}
    if type(value) is float:
        return {"float": value.hex()}
    if type(value) is complex:
        return {"complex": [value.real.hex(), value.imag.hex()]}
    if isinstance(value, (np.ndarray, np.generic)) and np.asarray(value).dtype.kind in ARRAY_KINDS:
        array = np.array(value, order="C")  # keeps 0-d shapes, unlike ascontiguousarray
        return {"scalar" if isinstance(value, np.generic) else "array": {
            "dtype": array.dtype.str, "shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode()}}
    if type(value) in (list, tuple):
        return {type(value).__name__: [encode(item, depth + 1) for item in value]}
    if type(value) is dict:
        return {"dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    return {"opaque": [type(value).__qualname__, safe_repr(value)]}


def safe_repr(value, limit=200):
    try:
        text = repr(value)
    except Exception as error:  # a student's __repr__ may fail
        text = f"repr failed: {type(error).__name__}"
    return text if len(text) <= limit else text[:limit] + "..."


def decode(data, depth=0):
    """The value `data` (from encode) stands for; ValueError if it is not such data."""
    if depth > MAX_DEPTH + 1:
        raise ValueError("observation nested too deeply")
    if data is None or type(data) in (bool, str):
        return data
    if type(data) is not dict or len(data) != 1:
        raise ValueError(f"not an observation: {type(data).__name__}")
    (tag, body), = data.items()
    if tag == "int" and type(body) is str and len(body) < 5000:
        return int(body)
    if tag == "float" and type(body) is str:
        return float.fromhex(body)
    if tag == "complex" and type(body) is list and len(body) == 2:
        return complex(float.fromhex(body[0]), float.fromhex(body[1]))
    if tag in ("array", "scalar") and type(body) is dict:
        array = decode_array(body)
        return array[()] if tag == "scalar" else array
    if tag in ("list", "tuple") and type(body) is list:
        items = [decode(item, depth + 1) for item in body]
        return items if tag == "list" else tuple(items)
    if tag == "dict" and type(body) is list and all(type(p) is list and len(p) == 2 for p in body):
        return {decode(k, depth + 1): decode(v, depth + 1) for k, v in body}
    if tag == "opaque" and type(body) is list and len(body) == 2 and all(type(s) is str for s in body):
        return Opaque(*body)
    raise ValueError(f"not an observation: tag {tag!r}")


def decode_array(body):
    dtype = np.dtype(str(body.get("dtype")))
    shape = body.get("shape")
    if dtype.kind not in ARRAY_KINDS or type(shape) is not list or not all(type(n) is int and n >= 0 for n in shape):
        raise ValueError("not an observed array")
    raw = base64.b64decode(str(body.get("data")), validate=True)
    if len(raw) != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
        raise ValueError("observed array: data and shape disagree")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
