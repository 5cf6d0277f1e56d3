"""Observations (course/observe.py) and the judge (autograder/judge.py) without nbgrader.

Values survive the trip out of the kernel bit for bit, with their types and shapes; decode
refuses anything encode would not have made (the kernel is the student's); and the judge
passes a test cell only when its observation arrived and its verdict holds, whatever the
kernel printed or claimed.
"""
import json
import math

import nbformat
import numpy as np
import pytest

from assignment_harness import cell_errors as errors
from autograder import judge
from course import observe as obs

VALUES = [
    None, True, "text", 3, -(2**70), 0.1, -0.0, math.inf, 1 + 2j,
    np.float64(np.pi), np.int32(-5), np.bool_(True), np.array(2.5), np.arange(6.0).reshape(2, 3) / 7,
    np.array([[1 + 1j]]), np.zeros((0, 3)), np.array([True, False]), np.arange(5, dtype=np.uint8),
    [1, (2.0, "x")], (np.ones(2),), {"a": [1, 2], 3: None, (1, 2): np.float64(1.5)},
]


def same(a, b):
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape and \
            a.tobytes() == b.tobytes()
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and (a == b or (a != a and b != b)) and str(a) == str(b)  # -0.0 keeps its sign


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_values_round_trip_exactly(value):
    data = json.loads(json.dumps(obs.encode(value)))  # as it travels: JSON
    assert same(value, obs.decode(data))


def test_nan_and_unencodable_objects():
    assert math.isnan(obs.decode(obs.encode(math.nan)))
    opaque = obs.decode(obs.encode(object()))
    assert isinstance(opaque, obs.Opaque) and opaque.type_name == "object"
    assert obs.decode(obs.encode(np.array([object()], dtype=object))).type_name == "ndarray"


def test_observe_returns_what_the_grader_sees(monkeypatch, capsys):
    """A student running the test cell gets the round trip, so a value the grader cannot read fails there too."""
    monkeypatch.delenv(obs.JUDGED, raising=False)
    seen = obs.observe(x=np.float64(2.0), rows=[np.ones(2)], f=len)
    assert seen["x"].shape == () and seen["rows"][0].dtype == np.float64
    assert isinstance(seen["f"], obs.Opaque) and seen["f"].type_name == "builtin_function_or_method"
    assert capsys.readouterr() == ("", ""), "not judged: nothing is sent"


def test_raised_names_the_exception_classes():
    assert obs.raised(lambda: 1) is None
    assert obs.raised(int, "x")[:2] == ["ValueError", "Exception"]


@pytest.mark.parametrize("data", [
    {"array": {"dtype": "|O", "shape": [1], "data": "AAAAAAAAAAA="}},    # object arrays: code on unpickling
    {"array": {"dtype": "<f8", "shape": [10**6], "data": ""}},           # shape and data disagree
    {"array": {"dtype": "<f8", "shape": [-1], "data": ""}},
    {"pickle": "gASVAAAAAAAAAA=="}, [1, 2], 3.5, {"int": "9" * 10_000}, {"list": [1, 2], "tuple": []},
])
def test_decode_refuses_what_encode_never_makes(data):
    with pytest.raises(ValueError):
        obs.decode(data)


def test_split_needs_both_markers_in_order():
    cell = "x = 1\n# -- observe --\nseen = observe(y=f(x))\n# -- verdict --\nassert seen['y'] == 2\n"
    setup, observed, verdict = judge.split(cell)
    assert "x = 1" in setup and "observe(" in observed and "assert" in verdict
    assert judge.kernel_source(cell).count("assert") == 0
    assert judge.split("assert f(1) == 2") is None and judge.kernel_source("assert f(1)") == "assert f(1)"
    assert judge.split("# -- verdict --\n# -- observe --\n") is None


def graded_cell(source, outputs):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "locked": True, "points": 1}
    cell.outputs = outputs
    return cell


def observation(**values):
    data = {obs.MIME: {k: obs.encode(v) for k, v in values.items()}}
    return nbformat.v4.new_output("display_data", data=data)


def stdout(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


TEST = "x = 3.0\n# -- observe --\nseen = observe(y=f(x))\n# -- verdict --\nassert abs(seen['y'] - 9.0) < 1e-12, 'f(3)'\n"


def judged(*cells):
    nb = nbformat.v4.new_notebook(cells=list(cells))
    judge.decide(nb, timeout=120)
    return nb.cells


def test_the_judge_decides_from_observations_only():
    right, wrong, silent, boasting, failed = judged(
        graded_cell(TEST, [stdout("hello\n"), observation(y=9.0)]),
        graded_cell(TEST, [observation(y=9.5)]),
        graded_cell(TEST, []),
        graded_cell(TEST, [stdout("all tests passed\n")]),
        graded_cell(TEST, [nbformat.v4.new_output("error", ename="NotImplementedError", evalue="", traceback=[])]),
    )
    assert errors(right) == [] and right.outputs == [stdout("hello\n")], "passes; the observation is removed"
    assert errors(wrong) == [("AssertionError", "f(3)")]
    assert errors(silent) == errors(boasting) == [("NothingObserved", "the test cell sent no observation")]
    assert errors(failed) == [("NotImplementedError", "")], "the kernel's own error stands"


def test_the_judge_runs_given_cells_and_survives_junk():
    given = nbformat.v4.new_code_cell("import numpy as np\nEXPECTED = np.arange(3.0)")
    given.metadata["nbgrader"] = {"grade": False, "solution": False, "locked": True, "grade_id": "given"}
    source = "# -- observe --\nseen = observe(v=f())\n# -- verdict --\nassert np.array_equal(seen['v'], EXPECTED)\n"
    junk = nbformat.v4.new_output("display_data", data={obs.MIME: {"v": {"array": {"dtype": "|O"}}}})
    _, good, bad = judged(given, graded_cell(source, [observation(v=np.arange(3.0))]), graded_cell(source, [junk]))
    assert errors(good) == []
    assert [e[0] for e in errors(bad)] == ["MalformedObservation"]
