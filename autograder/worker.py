"""Grade one submission, in a process of its own (pipeline.py starts one per submission).

    python -m autograder.worker --course DIR --assignment A --student S --settings JSON --uid UID

1. Check the submitted notebooks are notebooks at all (size, JSON, nbformat). A submission
   that is not gets 0 on every test cell and a status saying why; nbgrader never sees it.
2. Otherwise run nbgrader's Autograde with JailedExecute in place of Execute: nbgrader
   restores the test cells, JailedExecute runs the kernel in a jail, nbgrader records grades.
3. Write the submission's result record (status, detail, fingerprint) last, atomically: its
   presence means "graded", so a grader killed before this point grades the submission again
   (its finished kernel runs are reused from their run records, never executed twice).

The process holds the gradebook lock except while a kernel runs (see lock.py).
"""
import argparse
import copy
import hashlib
import json
import shutil
import time

import nbformat
from nbgrader.converters import Autograde

from . import repair, store
from .execute import MB, configure, run_record
from .lock import GRADEBOOK
from .nbcourse import Course, NbgraderFailed

MAX_NOTEBOOK_MB = 20  # larger submitted notebooks are not graded (status too-large)


def results_directory(course, assignment):
    return course.state / "results" / assignment


def result_path(course, assignment, student):
    return results_directory(course, assignment) / f"{student}.json"


def log_path(course, assignment, student):
    """nbgrader's log of the worker that grades the submission."""
    return course.state / "logs" / assignment / f"{student}.log"


def runs_directory(course):
    return course.state / "runs"


def run_record_path(course, assignment, student, notebook):
    return run_record(runs_directory(course), assignment, student, notebook)


def fingerprint(submission, source, settings):
    """Changes when a file of the submission's folder or the assignment's source folder, or the limits change."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for folder in (submission, source):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def check_submission(folder, notebooks, max_bytes):
    """(status, detail) of a submission nbgrader must not see, or None if it may."""
    present = [name for name in notebooks if (folder / f"{name}.ipynb").is_file()]
    if not present:
        return "no-notebook", f"none of {', '.join(n + '.ipynb' for n in notebooks)} was submitted"
    for name in present:
        path = folder / f"{name}.ipynb"
        size = path.stat().st_size
        if size > max_bytes:
            return "too-large", f"{path.name} has {size / MB:.1f} MB, more than the {max_bytes / MB:g} MB allowed"
        try:
            nbformat.reads(path.read_bytes().decode("utf-8"), as_version=4)
        except UnicodeDecodeError:
            return "invalid-notebook", f"{path.name} is not text (binary file?)"
        except Exception as error:  # nbformat raises a variety: JSON, schema, version
            return "invalid-notebook", f"{path.name} is not a Jupyter notebook: {str(error).splitlines()[0][:200]}"
    return None


def record_zero(course, assignment, student):
    """0 on every test cell, as nbgrader does for a missing notebook; no stale autograded copy."""
    with course.gradebook() as gradebook:
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
        gradebook.db.commit()
    shutil.rmtree(course.directory("autograded") / student / assignment, ignore_errors=True)


def autograde_config(course, settings):
    """nbgrader's autograde as configured, made the grader's (execute.configure), with the limits in `settings`."""
    config = configure(copy.deepcopy(course.config))
    config.JailedExecute.update(settings)
    config.JailedExecute.runs_directory = str(runs_directory(course))
    return config


def repairs(submission, source, notebooks):
    """What grading changed in the submitted notebooks' cells (repair.py), a line per notebook."""
    notes = []
    for name in notebooks:
        path = submission / f"{name}.ipynb"
        if path.is_file():
            original = nbformat.read(source / f"{name}.ipynb", as_version=4)
            notes.append(repair.changes(nbformat.read(path, as_version=4), original))
    return notes


def grade(course, assignment, student, settings, uid):
    """Grade one submission with `settings` (see main); its result record."""
    start = time.monotonic()
    submission, source = course.submissions(assignment)[student], course.directory("source") / assignment
    notebooks = course.notebooks(assignment)
    submitted = fingerprint(submission, source, settings)  # before: a re-collect may come meanwhile
    execute = {k: v for k, v in settings.items() if k != "max_notebook_mb"}
    max_bytes = settings.get("max_notebook_mb", MAX_NOTEBOOK_MB) * MB
    problem = check_submission(submission, notebooks, max_bytes)
    if problem:
        record_zero(course, assignment, student)
        status, detail = problem
    else:
        config = autograde_config(course, execute)
        config.JailedExecute.uid = uid
        course.run(Autograde, assignment, student, config, force=True, create_student=True)
        runs = [store.read_json(run_record_path(course, assignment, student, name)) for name in notebooks]
        runs = [run for run in runs if run is not None]  # a notebook not submitted has no run
        failed = [run for run in runs if run["status"] != "ok"]
        status = failed[0]["status"] if failed else "ok"
        details = [run["detail"] for run in (failed or runs)] + repairs(submission, source, notebooks)
        detail = "; ".join(filter(None, details))
    return {"status": status, "detail": detail, "seconds": round(time.monotonic() - start, 1),
            "fingerprint": submitted}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", required=True)
    parser.add_argument("--assignment", required=True)
    parser.add_argument("--student", required=True)
    parser.add_argument("--settings", default="{}",
                        help="JSON: max_notebook_mb and JailedExecute's settings (limits, isolated, ...)")
    parser.add_argument("--uid", type=int, required=True, help="the job slot's uid for the kernel")
    args = parser.parse_args(argv)
    course = Course(args.course)
    course.state.mkdir(exist_ok=True)
    GRADEBOOK.acquire(course.state / "gradebook.lock")
    settings = json.loads(args.settings)
    result = result_path(course, args.assignment, args.student)
    result.unlink(missing_ok=True)  # a stale record must not outlive a failed attempt
    try:
        record = grade(course, args.assignment, args.student, settings, args.uid)
    except NbgraderFailed as error:  # not recorded: the next run tries again
        print(error)
        raise SystemExit(1)
    store.write_json(result, record)


if __name__ == "__main__":
    main()
