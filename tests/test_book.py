"""The static book: `make book` turns every lecture into an HTML page with its executed figures.

The book is Jupyter Book 1.x (Sphinx + MyST-NB) configured by book/_config.yml and book/_toc.yml.
The build executes every notebook, one after the other, so it is one slow test that checks
every page, rather than one test per page that would each build the book on their own worker.
"""
import fnmatch
import html.parser
import os
import pathlib
import re
import subprocess
import sys

import nbformat
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
LECTURES = sorted((ROOT / "lectures").glob("*.ipynb"))
BUILD_TIMEOUT = 900  # seconds for the whole book; each cell has its own limit in _config.yml
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # Sphinx and tracebacks colour their text even into a file


def test_toc_takes_every_lecture_and_the_front_page():
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text())
    assert (ROOT / "lectures" / f"{toc['root']}.md").exists()
    globs = [entry["glob"] for entry in toc["chapters"]]
    left_out = [p.name for p in LECTURES if not any(fnmatch.fnmatch(p.stem, g) for g in globs)]
    assert not left_out, f"not in book/_toc.yml: {left_out}"


def _build(out):
    """Run `jupyter-book build` as `make book` does, into `out`: its log, without colours."""
    jupyter_book = pathlib.Path(sys.executable).parent / "jupyter-book"
    # -W --keep-going: a failed notebook, output on stderr or a broken link fails the build,
    # after every page is written.
    cmd = [str(jupyter_book), "build", str(ROOT / "lectures"), "--config", str(BOOK / "_config.yml"),
           "--toc", str(BOOK / "_toc.yml"), "--path-output", str(out), "-W", "--keep-going"]
    # The kernels inherit these, as in tests/test_notebooks.py.
    env = dict(os.environ, JAX_PLATFORMS="cpu", MPLBACKEND="Agg", OMP_NUM_THREADS="1")
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    log = ANSI_COLOUR.sub("", result.stdout + result.stderr)
    # Sphinx says "<file>: WARNING: <what>" or "ERROR:"; kernels log "[IPKernelApp] WARNING | ...".
    complaints = [line for line in log.splitlines() if re.search(r"\b(WARNING|ERROR):", line)]
    # A notebook that failed to execute leaves its traceback in reports/<name>.err.log.
    tracebacks = [ANSI_COLOUR.sub("", report.read_text())[-1500:]
                  for report in sorted((out / "_build/html/reports").glob("*.err.log"))]
    assert not complaints, "jupyter-book build:\n" + "\n".join(complaints + tracebacks)
    assert result.returncode == 0, f"jupyter-book build failed:\n{log[-3000:]}"


class _Images(html.parser.HTMLParser):
    """The src of every <img> of a page."""

    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs).get("src", ""))


def _figure_problems(build, lecture):
    """What is wrong with the page of `lecture` (a list of sentences, empty if nothing)."""
    page = build / "html" / f"{lecture.stem}.html"
    if not page.exists():
        return [f"no page for {lecture.name}"]
    images = _Images()
    images.feed(page.read_text())
    pngs = [src for src in images.sources if src.endswith(".png") or src.startswith("data:image/png")]
    missing = [src for src in pngs if not src.startswith("data:") and not (page.parent / src).exists()]
    # The executed notebook the page was made from: every code cell ran, and each of its PNG
    # outputs is one figure on the page.
    executed = nbformat.read(build / "jupyter_execute" / lecture.name, as_version=4)
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    figures = sum("image/png" in out.get("data", {}) for cell in code for out in cell.outputs)
    problems = [f"{page.name} links to missing images {missing}"] if missing else []
    if any(cell.execution_count is None for cell in code):
        problems.append(f"{lecture.name} was not executed for the book")
    if len(pngs) != figures:
        problems.append(f"{page.name}: {len(pngs)} PNG images for {figures} figures")
    return problems


@pytest.mark.notebook
def test_book_has_every_lecture_executed_with_all_its_figures(tmp_path):
    pytest.importorskip("jupyter_book", reason="jupyter-book is not installed")
    _build(tmp_path)
    problems = [p for lecture in LECTURES for p in _figure_problems(tmp_path / "_build", lecture)]
    assert not problems, "\n".join(problems)
