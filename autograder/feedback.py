"""HTML feedback for students: nbgrader's generate_feedback, without the hidden tests.

What nbgrader 0.9.6 does on its own (converters/generate_feedback.py): it renders the
*autograded* notebook with the preprocessors GetGrades and CSSHTMLHeaderPreprocessor only.
In that notebook every test cell is the gradebook's copy (autograde's OverwriteCells puts it
back), hidden region included, and a failed test keeps its traceback and message, which show
the hidden inputs and expected values. So the feedback HTML shows the hidden tests in full.

Here a preprocessor, HideHiddenTests, runs after GetGrades: in each test cell with a hidden
region the region becomes one comment line, and the outputs shrink to at most one line
naming the error the cell raised (AssertionError, NotImplementedError, ...) without message or
traceback. The docstring opening the cell stays: it is the hint of what was checked. Then every
page is searched for any line of the hidden tests, and feedback that leaks one is an error.
"""
import html
import os
import re

import nbformat
from nbgrader import utils
from nbgrader.converters import GenerateFeedback
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from traitlets import List
from traitlets.config import Config

from .execute import configured
from .judge import error_output

OUR_ERRORS = ("Stopped", "NotRun")  # written by execute.py: they say why a cell did not run, nothing hidden


class HideHiddenTests(ClearHiddenTests):
    """Hidden test regions and their outputs out of the test cells; the delimiters are ClearHiddenTests'."""

    # HTMLExporter configures this for every preprocessor; declared (as GetGrades does) to be accepted
    display_data_priority = List(config=True, help="unused here")

    def preprocess_cell(self, cell, resources, index):
        if utils.is_grade(cell) and self._remove_hidden_test_region(cell):
            cell.source = cell.source.rstrip("\n") + "\n# (hidden tests)"
            errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
            cell.outputs = [o if o.ename in OUR_ERRORS else error_output(o.ename, "a hidden test failed")
                            for o in errors[:1]]
        return cell, resources


def hidden_lines(course, assignment, shortest=25):
    """Lines of the assignment's hidden tests that appear nowhere else (the leak detector's needles).

    Short lines ("return names") are left out: a student may well write them too.
    """
    delimiters = ClearHiddenTests(config=course.config)
    hidden, visible = set(), set()
    for path in sorted((course.directory("source") / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                if delimiters.begin_test_delimeter in line or delimiters.end_test_delimeter in line:
                    inside = delimiters.begin_test_delimeter in line
                    continue
                (hidden if inside else visible).add(line.strip())
    return sorted(line for line in hidden - visible if len(line) >= shortest)


def page_text(page):
    """The text a browser shows (tags dropped, entities decoded): code is split into spans."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def leaks(page, needles):
    text = page_text(page)
    return [needle for needle in needles if needle in text]


def generate(course, assignment, student="*"):
    """Feedback pages of the assignment's autograded submissions; raises if one shows a hidden test."""
    steps = configured(course.config, GenerateFeedback, "preprocessors")
    config = Config()
    config.GenerateFeedback.preprocessors = [step for s in steps
                                             for step in ((s, HideHiddenTests) if s is GetGrades else (s,))]
    course.run(GenerateFeedback, assignment, student, config, force=True)
    pages = sorted(course.directory("feedback").glob(f"{student}/{assignment}/*.html"))
    needles = hidden_lines(course, assignment)
    leaking = {str(page): found for page in pages if (found := leaks(page.read_text(), needles))}
    if leaking:
        for page in leaking:
            os.remove(page)  # so that no one releases them by mistake
        raise RuntimeError(f"feedback showed hidden tests, pages removed: {leaking}")
    return pages

