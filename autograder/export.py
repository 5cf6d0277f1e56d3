"""The grades CSV: a row per student, a column per assignment and per test cell.

Columns: student_id, last_name, first_name, email, total, then for each assignment A its score
(`A`, late penalty subtracted, never below 0, as `nbgrader export` computes it), `A status`
(the grader's status, "missing" without a submission) and `A/<test cell>` for each test cell
(`A/<notebook>/<test cell>` if A has several notebooks) in notebook order. The first row,
student_id "max", holds the maximum of every score column. A student who submitted nothing
scores 0 for the assignment and has empty cells. Scores include manual grades from formgrader.
"""
import csv

import nbformat
from nbgrader.api import MissingEntry

from . import store, worker


def test_cells(course, assignment):
    """[(notebook, grade_id)] of the assignment's test cells in notebook order."""
    cells = []
    for notebook in course.notebooks(assignment):
        nb = nbformat.read(course.directory("source") / assignment / f"{notebook}.ipynb", as_version=4)
        cells += [(notebook, c.metadata["nbgrader"]["grade_id"]) for c in nb.cells
                  if c.metadata.get("nbgrader", {}).get("grade")]
    return cells


def table(course, assignments=None):
    """(header, rows) of the grades table; rows are lists, the first one the maxima."""
    with course.gradebook() as gradebook:
        assignments = assignments or [a.name for a in gradebook.assignments]
        header = ["student_id", "last_name", "first_name", "email", "total"]
        maximum = {"student_id": "max", "total": 0.0}
        columns = {}
        for name in assignments:
            assignment = gradebook.find_assignment(name)
            cells = test_cells(course, name)
            several = len({notebook for notebook, _ in cells}) > 1
            columns[name] = [(nb, cell, f"{name}/{nb}/{cell}" if several else f"{name}/{cell}") for nb, cell in cells]
            header += [name, f"{name} status", *(column for *_, column in columns[name])]
            maximum[name] = assignment.max_score
            maximum["total"] += assignment.max_score
            for notebook, cell, column in columns[name]:
                maximum[column] = gradebook.find_grade_cell(cell, notebook, name).max_score
        rows = [[maximum.get(column, "") for column in header]]
        for student in sorted(gradebook.students, key=lambda s: s.id):
            values = {"student_id": student.id, "last_name": student.last_name or "",
                      "first_name": student.first_name or "", "email": student.email or "", "total": 0.0}
            for name in assignments:
                try:
                    submission = gradebook.find_submission(name, student.id)
                except MissingEntry:  # nothing submitted
                    values[name], values[f"{name} status"] = 0.0, "missing"
                    continue
                values[name] = max(0.0, submission.score - (submission.late_submission_penalty or 0))
                values["total"] += values[name]
                result = store.read_json(worker.result_path(course, name, student.id)) or {}
                values[f"{name} status"] = result.get("status", "")
                for notebook, cell, column in columns[name]:
                    values[column] = gradebook.find_grade(cell, notebook, name, student.id).score
            rows.append([values.get(column, "") for column in header])
    return header, rows


def write_csv(course, path, assignments=None):
    header, rows = table(course, assignments)
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows([[f"{v:g}" if isinstance(v, float) else v for v in row] for row in rows])
    return header, rows
