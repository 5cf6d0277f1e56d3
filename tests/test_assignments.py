"""The graded assignments, tested with nbgrader autograde (judged as the grader does).

For each assignment: `nbgrader validate` passes on the source notebook; `nbgrader
generate_assignment` releases it; the released notebook handed in untouched runs top to
bottom and scores 0; the reference solution scores full marks; and every typical wrong
variant of autograder/samples/<assignment>/variants.py earns exactly the points it should,
cell by cell. One test per assignment, so pytest-xdist spreads them over workers.
"""
import sys
import pathlib

import nbformat
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import assignment_harness as harness  # noqa: E402
from autograder import judge  # noqa: E402

ASSIGNMENTS = harness.assignments()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_is_well_formed(assignment):
    """Stored without outputs; setup cell first; every test cell has points and says what it checks."""
    nb = nbformat.read(harness.source_notebook(assignment), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not [i for i, c in enumerate(code) if c.outputs or c.execution_count], "clear the outputs"
    setup = harness.nbgrader_meta(code[0])
    assert setup.get("grade_id") == "setup" and setup.get("locked"), "the first code cell is the locked setup"
    for needed in ('warnings.filterwarnings("ignore")', "np.seterr(all=\"ignore\")", "from course.observe import"):
        assert needed in code[0].source, f"the setup cell must contain {needed}"
    tests = harness.cells_by_grade_id(nb, "grade")
    for grade_id, cell in tests.items():
        meta = harness.nbgrader_meta(cell)
        assert meta.get("locked") and meta.get("points", 0) > 0, grade_id
        assert cell.source.startswith('"""'), f"{grade_id}: start with a docstring saying what is checked"
        hidden = "### BEGIN HIDDEN TESTS" in cell.source
        assert hidden == cell.source.startswith('"""Hidden:'), f"{grade_id}: say 'Hidden:' iff hidden"
        parts = judge.split(cell.source)
        assert parts is not None, f"{grade_id}: mark the observe and verdict parts (course/observe.py)"
        assert "observe(" in parts[1] and "assert" in parts[2] and "assert" not in parts[0] + parts[1], \
            f"{grade_id}: the kernel observes, the verdict asserts"
    for grade_id, cell in harness.cells_by_grade_id(nb, "solution").items():
        assert "### BEGIN SOLUTION" in cell.source, grade_id
    variants = harness.load_variants(assignment)
    assert len(variants) - 1 >= 5, "at least five wrong variants beside the reference"
    for name, variant in variants.items():
        assert set(variant["expected"]) <= set(tests), f"{name}: unknown test cells"
        if name != "reference":
            assert variant["edits"] and variant["expected"], f"{name}: a wrong variant must lose points"


@pytest.mark.notebook
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_autograde_samples(assignment, tmp_path):
    course = harness.copy_course(tmp_path / "course")
    output = harness.nbgrader("validate", f"source/{assignment}/{assignment}.ipynb", cwd=course)
    assert "Success! Your notebook passes all the tests." in output, output[-3000:]

    harness.nbgrader("generate_assignment", assignment, "--force", cwd=course)
    release_path = course / "release" / assignment / f"{assignment}.ipynb"
    release = nbformat.read(release_path, as_version=4)
    text = "\n".join(c.source for c in release.cells)
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text

    reference = nbformat.read(harness.source_notebook(assignment), as_version=4)
    variants = harness.load_variants(assignment)
    students = {harness.EMPTY: release}
    for name, variant in variants.items():
        students[name] = harness.submission(release, reference, variant["edits"], f"{assignment}/{name}")
    for student, nb in students.items():
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")

    harness.nbgrader("autograde", assignment, "--force", cwd=course)  # all students in one call
    table, maximum = harness.scores(course, assignment)

    for student in students:
        errors = harness.errors_outside_tests(course / "autograded" / student / assignment / f"{assignment}.ipynb")
        assert not errors, f"{student}: cells outside the tests failed: {errors}"
    assert table[harness.EMPTY] == dict.fromkeys(maximum, 0.0), "the released notebook must score 0"
    mismatches = []
    for name, variant in variants.items():
        expected = {**maximum, **variant["expected"]}
        got = table[name]
        mismatches += [f"{name}/{cell}: got {got[cell]:g}, expected {expected[cell]:g}"
                       for cell in maximum if got[cell] != expected[cell]]
    assert not mismatches, "\n".join(mismatches)
