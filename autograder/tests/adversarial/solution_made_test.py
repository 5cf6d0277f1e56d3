"""Turn a solution cell into a graded cell worth 50 points, and add a new graded cell of its own."""
import nbformat


def build(nb):
    first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    first.metadata["nbgrader"].update(grade=True, points=50)
    extra = nbformat.v4.new_code_cell('print("bonus")')
    extra.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 50,
                                  "grade_id": "bonus", "schema_version": 3}
    nb.cells.append(extra)
    return nb
