"""The nbgrader course directory: its configuration, its converters and its gradebook.

Everything the grader does to a course goes through nbgrader's own Python API: the
configuration is read the way the `nbgrader` command reads it (nbgrader_config.py in the
course directory, after the Jupyter config paths such as /etc/jupyter), and releasing,
autograding and feedback are nbgrader's converters run with that configuration.
"""
import contextlib
import copy
import os
import pathlib
import sys

from nbgrader.api import Gradebook
from nbgrader.apps.baseapp import NbGrader
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import capture_log


class NbgraderFailed(RuntimeError):
    """An nbgrader converter reported failure; the message ends with its log."""


class Course:
    def __init__(self, root):
        # nbgrader creates a gradebook by running `alembic` by name: use the one next to this Python
        scripts = str(pathlib.Path(sys.executable).parent)
        if scripts not in os.environ.get("PATH", "").split(os.pathsep):
            os.environ["PATH"] = os.pathsep.join(filter(None, [scripts, os.environ.get("PATH")]))
        start = pathlib.Path(root).resolve()
        if not (start / "nbgrader_config.py").exists():
            raise FileNotFoundError(f"{start} is not an nbgrader course: no nbgrader_config.py")
        app = NbGrader()
        with contextlib.chdir(start):  # nbgrader reads the course's config from the working directory
            app.initialize([])
        self.config = app.config
        self.coursedir = app.coursedir
        self.root = pathlib.Path(self.coursedir.root).resolve()  # the config may name it (CourseDirectory.root)
        self.state = self.root / ".autograder"  # the grader's own records (run records, locks, logs)

    def directory(self, kind):
        """One of nbgrader's directories: source, release, submitted, autograded, feedback."""
        return self.root / getattr(self.coursedir, f"{kind}_directory")

    def assignments(self):
        return sorted(p.name for p in self.directory("source").iterdir() if p.is_dir())

    def notebooks(self, assignment):
        """Names (without .ipynb) of the assignment's notebooks."""
        folder = self.directory("source") / assignment
        if not folder.is_dir():
            raise FileNotFoundError(f"no assignment {assignment!r} in {self.directory('source')}")
        return sorted(p.stem for p in folder.glob("*.ipynb"))

    def submissions(self, assignment):
        """{student id: folder} of every submission of the assignment in submitted/."""
        return {p.parent.name: p for p in sorted(self.directory("submitted").glob(f"*/{assignment}")) if p.is_dir()}

    def gradebook(self):
        return Gradebook(self.coursedir.db_url, self.coursedir.course_id)

    def run(self, converter_class, assignment, student="*", config=None, **traits):
        """Run an nbgrader converter (e.g. Autograde) on an assignment; its log, or NbgraderFailed."""
        merged = copy.deepcopy(self.config)
        if config is not None:
            merged.merge(config)
        coursedir = CourseDirectory(config=merged, root=str(self.root))
        coursedir.assignment_id, coursedir.student_id = assignment, student
        converter = converter_class(coursedir=coursedir, config=merged)
        for name, value in traits.items():
            setattr(converter, name, value)
        result = capture_log(converter)
        if not result["success"]:
            raise NbgraderFailed(f"nbgrader {converter_class.__name__} failed on {assignment}/{student}:\n"
                                 f"{result.get('log', '')}{result.get('error', '')}")
        return result.get("log", "")
