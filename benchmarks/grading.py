"""Time to grade a batch: this grader (jails, judge, 2 jobs) beside plain `nbgrader autograde`.

The batch is COPIES copies of the reference solution of ASSIGNMENT, each a student of its own,
in two fresh copies of the course: one graded by `python -m autograder grade --jobs 2`, the
other by nbgrader 0.9.6's own `nbgrader autograde` (its Execute step, one notebook at a time,
no jail, verdicts in the kernel). Both must give every copy full marks.
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
import assignment_harness as harness  # noqa: E402
import nbformat  # noqa: E402

from autograder import pipeline  # noqa: E402
from autograder.nbcourse import Course  # noqa: E402

ASSIGNMENT = "05_checkpointing"


def batch(directory, copies, judged):
    """A released course with `copies` submissions of the reference solution."""
    course = Course(harness.copy_course(directory, judged=judged))
    _, reference = harness.released(course, ASSIGNMENT)
    for number in range(copies):
        folder = course.directory("submitted") / f"s{number:03d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(reference, folder / f"{ASSIGNMENT}.ipynb")
    return course


def full_marks(course, copies):
    scores, maximum = harness.scores(course.root, ASSIGNMENT)
    return len(scores) == copies and all(s == maximum for s in scores.values())


def grading_times(copies=100):
    """{"this grader": seconds, "nbgrader autograde": seconds} for the whole batch."""
    times = {}
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as directory:
        ours = batch(pathlib.Path(directory) / "judged", copies, judged=True)
        start = time.perf_counter()
        pipeline.grade(ours, ASSIGNMENT, jobs=2, out=lambda line: None)
        times["this grader (2 jobs)"] = time.perf_counter() - start
        assert full_marks(ours, copies), "the grader must give every copy full marks"

        plain = batch(pathlib.Path(directory) / "plain", copies, judged=False)
        env = dict(os.environ, PATH=f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        start = time.perf_counter()
        subprocess.run(["nbgrader", "autograde", ASSIGNMENT], cwd=plain.root, env=env, check=True,
                       capture_output=True)
        times["plain nbgrader autograde"] = time.perf_counter() - start
        assert full_marks(plain, copies), "nbgrader must give every copy full marks"
    return times
