"""A notebook padded with megabytes of markdown, over the submission size limit."""
import nbformat

STATUS = "too-large"


def build(nb):
    nb.cells.append(nbformat.v4.new_markdown_cell("x" * 4 * 2**20))
    return nb
