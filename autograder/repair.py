"""Submissions whose nbgrader cell metadata was edited: graded anyway, never in the student's favour.

nbgrader 0.9.6 stops on a notebook whose cells claim grade ids the assignment does not have, or
whose roles changed (a solution cell marked as a test worth 50 points): "the nbgrader metadata
may be corrupted", and the student is not graded at all. With `DropForeignMetadata` first in
the sanitize steps, such a cell loses its nbgrader metadata and is graded as the student's own
cell (its code still runs); with OverwriteCells.add_missing_cells, a test cell that is missing
(deleted, renamed) is put back from the gradebook and runs like any other. `changes` says what
was done, for the grade table.
"""
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

from .judge import nbgrader_meta

ROLES = ("grade", "solution")


def roles(cell):
    meta = nbgrader_meta(cell)
    return cell.cell_type, tuple(bool(meta.get(role)) for role in ROLES)


def foreign(cell, known):
    """Whether `cell` carries nbgrader metadata that does not match a cell of the source (`known`)."""
    meta = nbgrader_meta(cell)
    if not any(meta.get(k) for k in ("grade", "solution", "locked", "task")):
        return False
    return meta.get("grade_id") not in known or roles(cell) != known[meta.get("grade_id")]


def changes(submitted, source):
    """A line on the cells of notebook `submitted` that grading changed, compared with `source`, or ""."""
    known = {nbgrader_meta(c)["grade_id"]: roles(c) for c in source.cells if nbgrader_meta(c).get("grade_id")}
    is_foreign = [foreign(c, known) for c in submitted.cells]
    present = {nbgrader_meta(c).get("grade_id") for c, out in zip(submitted.cells, is_foreign) if not out}
    dropped = [nbgrader_meta(c).get("grade_id") or "?" for c, out in zip(submitted.cells, is_foreign) if out]
    missing = [grade_id for grade_id, (_, (grade, _)) in known.items() if grade and grade_id not in present]
    notes = []
    if dropped:
        notes.append(f"cells with unknown or altered nbgrader metadata graded as the student's own: {', '.join(dropped)}")
    if missing:
        notes.append(f"test cells missing, put back: {', '.join(missing)}")
    return "; ".join(notes)


class DropForeignMetadata(NbGraderPreprocessor):
    """Remove the nbgrader metadata of cells that do not match the source notebook's cells."""

    def preprocess(self, nb, resources):
        ids = resources["nbgrader"]
        with Gradebook(ids["db_url"]) as gradebook:
            source = gradebook.find_notebook(ids["notebook"], ids["assignment"])
            graded = {cell.name for cell in source.grade_cells}
            solutions = {cell.name for cell in source.solution_cells}
            known = {cell.name: (cell.cell_type, (cell.name in graded, cell.name in solutions))
                     for cell in source.source_cells}
        for cell in nb.cells:
            if foreign(cell, known):
                self.log.warning("cell %r: nbgrader metadata unknown or altered; graded as a student cell",
                                 nbgrader_meta(cell).get("grade_id"))
                del cell.metadata["nbgrader"]
        return nb, resources
