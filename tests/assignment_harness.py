"""Grade sample submissions of the nbgrader assignments with nbgrader autograde, judged as the grader does.

The samples of assignment A live in autograder/samples/A/variants.py as a dict VARIANTS of
typical wrong solutions: name -> {"about": what the student got wrong,
                                  "edits": {grade_id of a solution cell: [(old, new), ...]},
                                  "expected": {grade_id of a test cell: points it earns}}.
A submission is the released notebook with every solution cell filled in from the source
notebook, then edited: the replacements are applied in order, and each `old` must occur
exactly once when its turn comes.
Test cells not listed in "expected" must earn full points, so every cell's score is pinned.
load_variants adds REFERENCE, the source notebook's solution unedited: full marks.
"""
import importlib.util
import os
import pathlib
import shutil
import subprocess

import nbformat

from autograder.judge import nbgrader_meta  # noqa: F401 (the tests use it as harness.nbgrader_meta)

ROOT = pathlib.Path(__file__).resolve().parents[1]
COURSE = ROOT / "assignments"
SAMPLES = ROOT / "autograder" / "samples"
EMPTY = "release_as_submitted"  # the released notebook handed in untouched: must score 0
REFERENCE = {"about": "the source notebook's solution: full marks", "edits": {}, "expected": {}}
NBGRADER_OUTPUTS = ("release", "submitted", "autograded", "feedback", "gradebook.db")


def assignments():
    return sorted(p.name for p in (COURSE / "source").iterdir() if p.is_dir())


def source_notebook(assignment):
    return COURSE / "source" / assignment / f"{assignment}.ipynb"


def cell_errors(cell):
    """(ename, evalue) of each error output of `cell`."""
    return [(o.ename, o.evalue) for o in cell.outputs if o.output_type == "error"]


def cells_by_grade_id(nb, kind):
    """{grade_id: cell} of the solution cells (kind="solution") or test cells (kind="grade")."""
    return {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if nbgrader_meta(c).get(kind)}


def load_variants(assignment):
    path = SAMPLES / assignment / "variants.py"
    spec = importlib.util.spec_from_file_location(f"variants_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if "reference" in module.VARIANTS:
        raise ValueError(f"{path}: 'reference' is added by load_variants; VARIANTS holds wrong solutions only")
    return {"reference": REFERENCE, **module.VARIANTS}


def edited(source, replacements, where):
    for old, new in replacements:
        count = source.count(old)
        if count != 1:
            raise ValueError(f"{where}: {old!r} occurs {count} times in the reference solution, not once")
        source = source.replace(old, new)
    return source


def submission(release_nb, reference_nb, edits, where):
    """The released notebook with solution cells filled in from the reference and then edited."""
    nb = nbformat.from_dict(release_nb)  # a deep copy
    solutions = cells_by_grade_id(reference_nb, "solution")
    unknown = set(edits) - set(solutions)
    if unknown:
        raise ValueError(f"{where}: no solution cells {sorted(unknown)}")
    for grade_id, cell in cells_by_grade_id(nb, "solution").items():
        cell.source = edited(solutions[grade_id].source, edits.get(grade_id, ()), f"{where}/{grade_id}")
    return nb


def nbgrader(*args, cwd):
    """Run the nbgrader command line in the course directory `cwd`; return its combined output."""
    env = dict(os.environ, PATH=f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
               JAX_PLATFORMS="cpu", MPLBACKEND="Agg", OMP_NUM_THREADS="1", PYTHONWARNINGS="ignore")
    done = subprocess.run(["nbgrader", *args], cwd=cwd, env=env, capture_output=True, text=True)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({done.returncode}):\n{output[-4000:]}")
    return output


# nbgrader's autograde with the grader's execute step: verdicts outside the kernel (autograder/judge.py)
JUDGED_AUTOGRADE = """
from autograder.execute import configure
configure(c)
c.JailedExecute.isolated = False  # the jail is tested in test_autograder_*; here, graders run side by side
"""


def released(course, assignment):
    """Release `assignment` in `course` (an autograder.nbcourse.Course): the released notebook, and
    the reference solution handed in on it."""
    from nbgrader.converters import GenerateAssignment

    course.run(GenerateAssignment, assignment, force=True, create_assignment=True)
    release = nbformat.read(course.directory("release") / assignment / f"{assignment}.ipynb", as_version=4)
    reference = nbformat.read(source_notebook(assignment), as_version=4)
    return release, submission(release, reference, {}, f"{assignment}/reference")


def copy_course(destination, judged=True):
    """The course directory (config and sources) without anything nbgrader generated; autograde
    judged as the grader does, or (judged=False) as nbgrader ships it, verdicts in the kernel."""
    shutil.copytree(COURSE, destination, ignore=shutil.ignore_patterns(*NBGRADER_OUTPUTS, ".ipynb_checkpoints"))
    if judged:
        with open(destination / "nbgrader_config.py", "a") as config:
            config.write(JUDGED_AUTOGRADE)
    return destination


def scores(course, assignment):
    """{student: {grade_id: score}} and {grade_id: max score} from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_notebook(assignment, assignment)
        maximum = {cell.name: cell.max_score for cell in notebook.grade_cells}
        table = {}
        for student in gradebook.students:
            try:
                submitted = gradebook.find_submission_notebook(assignment, assignment, student.id)
            except Exception:  # the student has no submission of this assignment
                continue
            table[student.id] = {grade.name: grade.score for grade in submitted.grades}
    return table, maximum


def errors_outside_tests(notebook_path):
    """Errors of code cells that are not test cells: the notebook itself must run top to bottom."""
    nb = nbformat.read(notebook_path, as_version=4)
    found = []
    for cell in nb.cells:
        if cell.cell_type == "code" and not nbgrader_meta(cell).get("grade"):
            found += [f"{nbgrader_meta(cell).get('grade_id', cell.source[:40])!r}: {out.ename}: {out.evalue}"
                      for out in cell.outputs if out.output_type == "error"]
    return found
