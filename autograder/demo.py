"""The whole chain on generated submissions, in a temporary copy of the course (`make grade-demo`).

    python -m autograder.demo [--assignment 05_checkpointing] [--keep]

1. copy the course (config and sources) to a temporary directory and release the assignment;
2. write submissions: the reference solution and every wrong variant of
   autograder/samples/<assignment>/variants.py (built by tests/assignment_harness.py), and the
   attacks named in MALFORMED (autograder/tests/adversarial/) on the reference solution: binary
   junk, broken JSON, a kernel that hangs ignoring interrupts, os._exit, a fork bomb, a memory
   bomb (the bombs only where kernels are jailed);
3. pack them as a Moodle "Download all submissions" zip, plus a file at its top that no LMS
   would put there (collect must refuse it);
4. collect, grade (2 jobs), feedback, export, printing each step's table.
"""
import argparse
import io
import pathlib
import shutil
import sys
import tempfile
import zipfile

import nbformat

from . import adversarial, collect, export, feedback, pipeline, sandbox
from .cli import release, say
from .nbcourse import Course

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import assignment_harness as harness  # noqa: E402  (builds the variants; shared with the tests)

MALFORMED = ("binary_junk", "not_json", "hang_deaf", "os_exit", "fork_bomb", "memory_bomb")  # of adversarial.py's


def submissions(assignment, release_nb, names=None):
    """{name: notebook file bytes}: reference, wrong variants and MALFORMED (or just `names`)."""
    reference = nbformat.read(harness.source_notebook(assignment), as_version=4)
    made = {}
    for name, variant in harness.load_variants(assignment).items():
        nb = harness.submission(release_nb, reference, variant["edits"], f"{assignment}/{name}")
        made[name] = nbformat.writes(nb).encode()
    attacks = adversarial.attacks()
    for name in MALFORMED:
        made[name] = attacks[name].make(nbformat.reads(made["reference"].decode(), as_version=4))
    return {name: made[name] for name in (names or made)}


def moodle_zip(files, assignment, stray=True):
    """A Moodle 'Download all submissions' zip of {name: bytes}; student ids 1001, 1002, ..."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (name, data) in enumerate(sorted(files.items()), start=1001):
            full_name = name.replace("_", " ").title()
            archive.writestr(f"{full_name}_{number}_assignsubmission_file_/{assignment}.ipynb", data)
        if stray:
            archive.writestr(f"{assignment}.ipynb", next(iter(files.values())))  # whose? collect cannot say
    return buffer.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="05_checkpointing")
    parser.add_argument("--keep", action="store_true", help="keep the temporary course and print where it is")
    args = parser.parse_args(argv)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="grade-demo-"))
    try:
        course = Course(harness.copy_course(workdir / "course"))
        release(course, argparse.Namespace(assignments=[args.assignment]))
        release_nb = nbformat.read(course.directory("release") / args.assignment / f"{args.assignment}.ipynb", 4)
        made = submissions(args.assignment, release_nb)
        why_not = sandbox.probe()
        if why_not:  # unjailed, a fork bomb is not contained: leave the bombs out
            say(f"kernels cannot be jailed here ({why_not}): no fork bomb or memory bomb in this demo")
            attacks = adversarial.attacks()
            made = {name: data for name, data in made.items() if name not in attacks or not attacks[name].jail_only}
        export_zip = workdir / "moodle_export.zip"
        export_zip.write_bytes(moodle_zip(made, args.assignment))
        rows = collect.collect(course, export_zip, args.assignment)
        say(f"\n== collect {export_zip.name}\n{collect.format_rows(rows)}")
        say("\n== grade")
        limits = {"wall_seconds": 30, "timeout": 15, "memory_mb": 2048, "max_processes": 128}
        rows = pipeline.grade(course, args.assignment, jobs=2, settings=limits, out=say)
        say("\n" + pipeline.format_table(rows))
        pages = feedback.generate(course, args.assignment)
        say(f"\n== feedback: {len(pages)} pages, no hidden test in any")
        header, table = export.write_csv(course, workdir / "grades.csv", [args.assignment])
        say(f"== export: {workdir / 'grades.csv'} ({len(table) - 1} students, {len(header)} columns)")
    finally:
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
