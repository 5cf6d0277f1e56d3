"""A correct solution that also raises every test cell's points to 100: it must earn the real maximum."""
BASE = "reference"
POINTS = "all"


def build(nb):
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta["points"] = 100
    return nb
