"""Grade every submission of an assignment: a worker process per submission, `jobs` at a time.

The batch is safe to kill at any moment and run again:
- each submission's outcome is recorded only when it is complete (worker.py), so a new run
  grades exactly the submissions without a current result record, and nbgrader's recording is
  idempotent, so regrading a half-recorded submission leaves the gradebook as one pass would;
- workers die with this process (PR_SET_PDEATHSIG), their kernels with them (sandbox.py), and a
  new run first kills whatever still runs under the slots' uids.
A submission that breaks its kernel in any way gets a status and its grades; the batch goes on.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

from nbgrader.api import MissingEntry

from . import lifeline, sandbox, store, worker
from .lock import GRADEBOOK, Lock

PACKAGE_PARENT = str(pathlib.Path(__file__).resolve().parents[1])  # so workers import this package
STATUSES = {
    "ok": "graded",
    "timeout": "a cell reached the per-cell limit (it scores 0, the rest runs on) or the notebook the "
               "wall-clock limit (cells run before it count)",
    "kernel-died": "the kernel died (os._exit, crash, CPU limit); cells run before it count",
    "unresponsive": "the kernel stopped answering; cells run before it count",
    "output-limit": "stopped after too much output; cells run before it count",
    "no-notebook": "none of the assignment's notebooks was submitted: 0",
    "invalid-notebook": "not a Jupyter notebook (binary, broken JSON, ...): 0",
    "too-large": "the notebook file is over the size limit: 0",
    "error": "nbgrader could not grade it: see the log; not recorded, retried on the next run",
}


def pending(course, assignment, settings):
    """Students whose submission has no result record for its current content and settings."""
    todo, source = [], course.directory("source") / assignment
    for student, submission in course.submissions(assignment).items():
        result = store.read_json(worker.result_path(course, assignment, student))
        if result is None or result["fingerprint"] != worker.fingerprint(submission, source, settings):
            todo.append(student)
    return todo


def start_worker(course, assignment, student, settings, uid):
    log = worker.log_path(course, assignment, student)
    log.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [PACKAGE_PARENT, os.environ.get("PYTHONPATH")])))
    command = [sys.executable, "-m", "autograder.worker", f"--course={course.root}", f"--assignment={assignment}",
               f"--student={student}", f"--settings={json.dumps(settings)}", f"--uid={uid}"]
    with open(log, "w") as output:
        return subprocess.Popen(command, cwd=course.root, env=env, stdout=output, stderr=subprocess.STDOUT,
                                preexec_fn=lifeline.dying_with(os.getpid()))


def row(course, assignment, student):
    """One line of the grade table: status, score, maximum, seconds, detail."""
    result = store.read_json(worker.result_path(course, assignment, student))
    if result is None:
        result = {"status": "error", "detail": f"see {worker.log_path(course, assignment, student)}", "seconds": None}
    name, score, maximum = "", None, None
    with GRADEBOOK.held(course.state / "gradebook.lock"), course.gradebook() as gradebook:
        try:
            person = gradebook.find_student(student)
            name = " ".join(filter(None, [person.first_name, person.last_name]))
            submission = gradebook.find_submission(assignment, student)
            score, maximum = submission.score, submission.max_score
        except MissingEntry:  # nothing recorded (status "error")
            pass
    return {"student": student, "name": name, "status": result["status"], "score": score, "max": maximum,
            "seconds": result["seconds"], "detail": result["detail"]}


def format_row(r):
    score = "-" if r["score"] is None else f"{r['score']:g}/{r['max']:g}"
    seconds = "" if r["seconds"] is None else f"{r['seconds']:.1f} s"
    return f"{r['student']:<12} {r['name'][:30]:<30} {r['status']:<16} {score:>7} {seconds:>7}  {r['detail']}"


def grade(course, assignment, jobs=2, settings=None, force=False, out=print, uid_base=sandbox.UID_BASE):
    """Grade the assignment's submissions that need it; the grade table (a row per submission).

    Kernels run as uids uid_base .. uid_base + jobs - 1, which nothing else may use: a run
    starts by killing every process of those uids (leftovers of a killed run).
    """
    course.state.mkdir(exist_ok=True)
    batch = Lock()
    if not batch.acquire(course.state / "grade.lock", wait=False):
        raise RuntimeError(f"another grader is running on {course.root}")
    try:
        why_not = sandbox.probe(uid_base)
        if why_not:
            out(f"WARNING: kernels run WITHOUT a jail ({why_not}): student code can read the course "
                f"directory and use the network, and only CPU, memory and file limits apply. "
                f"Run the grader as root on Linux with util-linux for isolation.")
        settings = {**(settings or {}), "isolated": not why_not}
        if force:
            for records in (worker.results_directory(course, assignment), worker.runs_directory(course) / assignment):
                shutil.rmtree(records, ignore_errors=True)
        slots = [uid_base + i for i in range(jobs)]
        if settings["isolated"]:
            for uid in slots:
                sandbox.reap(uid)  # kernels a killed run may have left
        students = list(course.submissions(assignment))
        todo = pending(course, assignment, settings)
        total = len(todo)
        out(f"{assignment}: {total} of {len(students)} submissions to grade, {jobs} at a time")
        running, finished = {}, 0
        while todo or running:
            for uid in [u for u in slots if u not in running][:len(todo)]:
                student = todo.pop(0)
                running[uid] = (student, start_worker(course, assignment, student, settings, uid))
            time.sleep(0.2)
            for uid, (student, process) in list(running.items()):
                if process.poll() is not None:
                    del running[uid]
                    finished += 1
                    out(f"[{finished}/{total}] {format_row(row(course, assignment, student))}")
        return [row(course, assignment, student) for student in students]
    finally:
        batch.release()


def format_table(rows):
    """The grade table, then what each status in it means."""
    header = f"{'student':<12} {'name':<30} {'status':<16} {'score':>7} {'time':>7}  detail"
    legend = [f"{status:<16} {STATUSES[status]}" for status in STATUSES if any(r["status"] == status for r in rows)]
    return "\n".join([header, "-" * len(header), *map(format_row, rows), "", *legend])
