"""The grading pipeline end to end on assignment 05 with the real nbgrader: collect, grade, feedback, export.

Submissions (autograder/demo.py builds them): the reference, two wrong variants from
autograder/samples/05_checkpointing/variants.py, binary junk, broken JSON, a notebook over
the size limit, a kernel deaf to interrupts and one calling os._exit, packed as a Moodle zip
with a stray file. Checked: every submission gets its status and exactly the points its cells
earn; the batch survives all of them; feedback shows no hidden test while nbgrader's own does;
the CSV holds every cell's score; and a grader killed with SIGKILL after its first finished
submission, then run again, leaves exactly the gradebook of an uninterrupted run without
executing any finished submission twice, and leaves no process behind.
"""
import csv
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest
from nbgrader.converters import GenerateFeedback

sys.path[:0] = [str(pathlib.Path(__file__).resolve().parents[i]) for i in (0, 1)]  # the harness, the package
import assignment_harness as harness  # noqa: E402
from autograder import collect, demo, export, feedback, lifeline, pipeline, sandbox, worker  # noqa: E402
from autograder.nbcourse import Course  # noqa: E402
from processes import all_gone, commands_mentioning  # noqa: E402

ASSIGNMENT = "05_checkpointing"
VARIANTS = ["reference", "revolve_forgets_the_loss_step", "store_all_after_the_step"]
SETTINGS = {"wall_seconds": 15, "timeout": 60, "memory_mb": 2048, "max_processes": 128, "max_notebook_mb": 0.5}
EXPECTED_STATUS = {"binary_junk": "invalid-notebook", "not_json": "invalid-notebook", "huge": "too-large",
                   "hang_deaf": "timeout", "os_exit": "kernel-died", **dict.fromkeys(VARIANTS, "ok")}
WRONG = "revolve_forgets_the_loss_step"
EXPECTED_POINTS = {name: harness.load_variants(ASSIGNMENT)[name]["expected"] for name in VARIANTS}


def grade_cli(course, *extra, **popen):
    """The grade command as an instructor runs it, in a process of its own."""
    limits = [f"--wall-seconds={SETTINGS['wall_seconds']}", f"--cell-timeout={SETTINGS['timeout']}",
              f"--memory-mb={SETTINGS['memory_mb']}", f"--max-processes={SETTINGS['max_processes']}",
              f"--max-notebook-mb={SETTINGS['max_notebook_mb']}"]
    command = [sys.executable, "-m", "autograder", f"--course={course.root}", "grade", f"--assignment={ASSIGNMENT}",
               "--jobs=2", *limits, *extra]
    return subprocess.Popen(command, cwd=harness.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            **popen)


def export_zip(base):
    """A released course (template) and the Moodle zip of the submissions; {student id: name}."""
    course = Course(harness.copy_course(base / "template"))
    release_nb, _ = harness.released(course, ASSIGNMENT)
    files = demo.submissions(ASSIGNMENT, release_nb, ["binary_junk", "not_json", "hang_deaf", "os_exit", *VARIANTS])
    huge = nbformat.reads(files["reference"].decode(), as_version=4)
    huge.cells.append(nbformat.v4.new_markdown_cell("x" * 2**20))
    files["huge"] = nbformat.writes(huge).encode()
    path = base / "moodle.zip"
    path.write_bytes(demo.moodle_zip(files, ASSIGNMENT))
    ids = {str(number): name for number, name in enumerate(sorted(files), start=1001)}
    return course.root, path, ids


def fresh_course(export_zip, name):
    template, zip_path, _ = export_zip
    course = Course(shutil.copytree(template, template.parent / name))
    rows = collect.collect(course, zip_path, ASSIGNMENT)
    return course, rows


def snapshot(course):
    """The gradebook's content (nbgrader's row ids are random uuids, so not those) and autograded files."""
    with course.gradebook() as gradebook:
        students = sorted((s.id, s.first_name, s.last_name) for s in gradebook.students)
        grades, comments = [], []
        for submission in gradebook.find_assignment(ASSIGNMENT).submissions:
            for notebook in submission.notebooks:
                key = (submission.student.id, notebook.name)
                grades += [(*key, g.name, g.auto_score, g.manual_score, g.needs_manual_grade) for g in notebook.grades]
                comments += [(*key, c.name, c.auto_comment) for c in notebook.comments]
    autograded = sorted(str(p.relative_to(course.root)) for p in course.directory("autograded").rglob("*") if p.is_file())
    return students, sorted(grades), sorted(comments), autograded


def graded(export_zip):
    """The baseline: collected and graded in one uninterrupted run; (course, collect rows, grade rows)."""
    course, collected = fresh_course(export_zip, "uninterrupted")
    process = grade_cli(course)
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    rows = {student: pipeline.row(course, ASSIGNMENT, student) for student in course.submissions(ASSIGNMENT)}
    return course, collected, rows, output


def check_statuses_and_points(export_zip, graded):
    course, collected, rows, _ = graded
    ids = export_zip[2]
    assert [r.reason for r in collected if r.result == "error"] == [
        collect.identify(collect.Found(f"{ASSIGNMENT}.ipynb", None), ASSIGNMENT)], "the stray file only"
    assert {ids[s]: r["status"] for s, r in rows.items()} == EXPECTED_STATUS
    scores, maximum = harness.scores(course.root, ASSIGNMENT)
    for student, name in ids.items():  # every cell's score, as tests/test_assignments.py pins them
        expected = {**maximum, **EXPECTED_POINTS[name]} if name in VARIANTS else \
            dict.fromkeys(maximum, 0.0)
        assert scores[student] == expected, name
    hangs = rows[next(s for s, name in ids.items() if name == "hang_deaf")]
    assert hangs["seconds"] < SETTINGS["wall_seconds"] + 10 and "wall-clock limit" in hangs["detail"]
    assert "exit status 3" in rows[next(s for s, name in ids.items() if name == "os_exit")]["detail"]
    again, _ = grade_cli(course).communicate(timeout=120)
    assert f"0 of {len(EXPECTED_STATUS)} submissions to grade" in again, "a second run grades nothing again"


def check_csv(export_zip, graded, tmp_path):
    course, _, _, _ = graded
    ids = {name: number for number, name in export_zip[2].items()}
    export.write_csv(course, tmp_path / "grades.csv", [ASSIGNMENT])
    with open(tmp_path / "grades.csv") as file:
        table = {row["student_id"]: row for row in csv.DictReader(file)}
    cells = [cell for _, cell in export.test_cells(course, ASSIGNMENT)]
    assert table["max"][ASSIGNMENT] == "12" and table["max"]["total"] == "12"
    wrong = table[ids[WRONG]]
    expected = {cell: table["max"][f"{ASSIGNMENT}/{cell}"] for cell in cells}
    expected.update({cell: f"{points:g}" for cell, points in EXPECTED_POINTS[WRONG].items()})
    assert {cell: wrong[f"{ASSIGNMENT}/{cell}"] for cell in cells} == expected
    assert wrong[f"{ASSIGNMENT} status"] == "ok" and wrong["last_name"] == "Step"
    assert table[ids["binary_junk"]][ASSIGNMENT] == "0" and table[ids["binary_junk"]][f"{ASSIGNMENT} status"] == "invalid-notebook"


def check_feedback(export_zip, graded):
    course, _, _, _ = graded
    student = {name: number for number, name in export_zip[2].items()}[WRONG]
    needles = feedback.hidden_lines(course, ASSIGNMENT)
    page = course.directory("feedback") / student / ASSIGNMENT / f"{ASSIGNMENT}.html"

    course.run(GenerateFeedback, ASSIGNMENT, student, force=True)  # nbgrader 0.9.6 as it is
    assert len(feedback.leaks(page.read_text(), needles)) > 10, "nbgrader's feedback shows the hidden tests"

    pages = feedback.generate(course, ASSIGNMENT)
    assert page in pages and len(pages) == 5, "every submission that ran has a page"
    text = feedback.page_text(page.read_text())
    assert feedback.leaks(page.read_text(), needles) == [] and "BEGIN HIDDEN" not in text
    assert "Hidden: exact and at the binomial bound" in text, "the docstring stays as the hint"
    assert "a hidden test failed" in text and "revolve_other_sizes" in text


def check_kill_and_rerun(export_zip, graded):
    baseline = graded[0]
    course, _ = fresh_course(export_zip, "killed")
    results = course.state / "results" / ASSIGNMENT
    process = grade_cli(course, start_new_session=True)
    deadline = time.monotonic() + 120
    while not any(worker.run_record_path(course, ASSIGNMENT, p.stem, ASSIGNMENT).exists()
                  for p in results.glob("*.json")):  # until a submission that ran a kernel is finished
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()[0]
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert all_gone(sandbox.UID_BASE, sandbox.UID_BASE + 1), "the kernels died with the grader"
    assert commands_mentioning(str(course.root)) == [], "and so did the workers"
    finished = {p.stem: p.stat() for p in results.glob("*.json")}
    runs = {s: worker.run_record_path(course, ASSIGNMENT, s, ASSIGNMENT) for s in finished}
    runs = {s: p.stat() for s, p in runs.items() if p.exists()}

    output, _ = grade_cli(course).communicate(timeout=300)
    total = len(EXPECTED_STATUS)
    assert f"{total - len(finished)} of {total} submissions to grade" in output, output
    assert not any((sandbox.slot_directory(uid) / "jail").exists() for uid in (sandbox.UID_BASE, sandbox.UID_BASE + 1)), \
        "the jails the killed run left behind are gone"
    assert snapshot(course) == snapshot(baseline)
    for student, before in finished.items():
        after = (results / f"{student}.json").stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), f"{student} graded twice"
    for student, before in runs.items():
        after = worker.run_record_path(course, ASSIGNMENT, student, ASSIGNMENT).stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), f"{student} executed twice"


@pytest.mark.notebook
def test_pipeline_end_to_end(tmp_path):
    """One test, so that one process runs every grading here: they share the job slots' uids."""
    exported = export_zip(tmp_path)
    baseline = graded(exported)
    check_statuses_and_points(exported, baseline)
    check_csv(exported, baseline, tmp_path)
    check_feedback(exported, baseline)
    check_kill_and_rerun(exported, baseline)


def test_a_child_orphaned_before_it_asks_for_the_death_signal_exits():
    """Workers, judges and kernels ask for the parent-death signal after fork (lifeline.py); if the
    parent died in between, none comes."""
    def start(parent, command):
        return subprocess.Popen(command, preexec_fn=lifeline.dying_with(parent))
    assert start(os.getpid(), [shutil.which("true")]).wait(timeout=30) == 0
    orphan = start(os.getpid() + 1, [shutil.which("sleep"), "60"])  # stands for a parent that already died
    assert orphan.wait(timeout=30) == 1
