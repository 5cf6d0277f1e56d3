"""Command line of the instructor's grading pipeline: release, collect, grade, feedback, export.

    python -m autograder [--course DIR] release [ASSIGNMENT ...]
    python -m autograder collect EXPORT.zip --assignment A
    python -m autograder grade --assignment A [--jobs 2] [limits]
    python -m autograder feedback --assignment A
    python -m autograder export [--output grades.csv]

--course is the nbgrader course directory (default: $AUTOGRADER_COURSE, else this repository's
assignments/ if there is one, else the working directory). See autograder/README.md.
"""
import argparse
import functools
import os
import pathlib
import sys

from nbgrader.converters import GenerateAssignment

from . import collect, export, feedback, pipeline, worker
from .execute import JailedExecute
from .nbcourse import Course

say = functools.partial(print, flush=True)
REPOSITORY_COURSE = pathlib.Path(__file__).resolve().parents[1] / "assignments"
LIMITS = {  # option: (JailedExecute setting, help); unset ones keep nbgrader_config.py's or the default
    "--wall-seconds": ("wall_seconds", "wall-clock limit per notebook"),
    "--cell-timeout": ("timeout", "per-cell limit, nbgrader's Execute.timeout"),
    "--cpu-seconds": ("cpu_seconds", "CPU-time limit of the kernel"),
    "--memory-mb": ("memory_mb", "address-space limit per process"),
    "--max-processes": ("max_processes", "processes and threads of the kernel's uid"),
    "--output-mb": ("output_mb", "total output per notebook"),
    "--max-notebook-mb": ("max_notebook_mb", "larger submitted notebooks get status too-large"),
}


def default_of(setting):
    if setting == "max_notebook_mb":
        return worker.MAX_NOTEBOOK_MB
    if setting == "timeout":
        return "the course config"
    return JailedExecute.class_traits()[setting].default_value


def default_course():
    if os.environ.get("AUTOGRADER_COURSE"):
        return os.environ["AUTOGRADER_COURSE"]
    return str(REPOSITORY_COURSE) if (REPOSITORY_COURSE / "nbgrader_config.py").exists() else "."


def release(course, args):
    for assignment in args.assignments or course.assignments():
        course.run(GenerateAssignment, assignment, force=True, create_assignment=True)
        say(f"released {assignment} -> {course.directory('release') / assignment}")


def collect_command(course, args):
    say(collect.format_rows(collect.collect(course, args.source, args.assignment)))


def grade(course, args):
    if args.uid_base < 1000:
        raise SystemExit(f"--uid-base {args.uid_base}: that is a system uid; choose an unused range such as 64000")
    settings = {setting: getattr(args, setting) for setting, _ in LIMITS.values() if getattr(args, setting) is not None}
    rows = pipeline.grade(course, args.assignment, args.jobs, settings, args.force, out=say, uid_base=args.uid_base)
    say("\n" + pipeline.format_table(rows))
    return 1 if any(r["status"] == "error" for r in rows) else 0


def feedback_command(course, args):
    pages = feedback.generate(course, args.assignment, args.student)
    say(f"{len(pages)} feedback pages in {course.directory('feedback')}, no hidden test in any")


def export_command(course, args):
    header, rows = export.write_csv(course, args.output, args.assignment)
    say(f"{len(rows) - 1} students x {len(header)} columns -> {args.output}")


def parser():
    top = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.splitlines()[0])
    top.add_argument("--course", default=default_course(), help="the nbgrader course directory")
    commands = top.add_subparsers(dest="command", required=True)

    sub = commands.add_parser("release", help="generate the student versions (nbgrader generate_assignment)")
    sub.add_argument("assignments", nargs="*", help="default: all")
    sub.set_defaults(run=release)

    sub = commands.add_parser("collect", help="import an LMS export (folder or zip) into submitted/")
    sub.add_argument("source")
    sub.add_argument("--assignment", required=True)
    sub.set_defaults(run=collect_command)

    sub = commands.add_parser("grade", help="autograde the submissions, kernels jailed, in parallel")
    sub.add_argument("--assignment", required=True)
    sub.add_argument("--jobs", type=int, default=2)
    sub.add_argument("--force", action="store_true", help="regrade everything, even submissions graded before")
    sub.add_argument("--uid-base", type=int, default=pipeline.sandbox.UID_BASE,
                     help="kernels run as uids UID_BASE, UID_BASE+1, ... (one per job; used by nothing else: "
                          "graders side by side need ranges of their own; default %(default)s)")
    for option, (setting, help_text) in LIMITS.items():
        sub.add_argument(option, dest=setting, type=float if setting == "max_notebook_mb" else int,
                         help=f"{help_text} (default: {default_of(setting)})")
    sub.set_defaults(run=grade)

    sub = commands.add_parser("feedback", help="HTML feedback per student, hidden tests removed")
    sub.add_argument("--assignment", required=True)
    sub.add_argument("--student", default="*")
    sub.set_defaults(run=feedback_command)

    sub = commands.add_parser("export", help="the grades CSV")
    sub.add_argument("--output", default="grades.csv")
    sub.add_argument("--assignment", action="append", help="default: all (repeat to choose several)")
    sub.set_defaults(run=export_command)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    sys.exit(args.run(Course(args.course), args) or 0)
