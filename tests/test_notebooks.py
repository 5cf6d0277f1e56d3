"""Every lecture notebook: stored without outputs, and runs headless without errors or stderr."""
import os
import pathlib

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]
LECTURES = sorted((ROOT / "lectures").glob("*.ipynb"))
# The kernel inherits these: CPU JAX, no display, one thread as on Binder.
os.environ.update(JAX_PLATFORMS="cpu", MPLBACKEND="Agg", OMP_NUM_THREADS="1")
CELL_TIMEOUT = 300  # seconds; a whole lecture must stay within a few minutes on one core
PEAK_MEMORY_MB = 800  # Binder gives 1-2 GB; leave room for the server and the browser tab
# Appended to the executed copy only: the kernel reports its own peak resident memory.
# (VmHWM, not getrusage: ru_maxrss survives exec and would report the pytest worker's peak.)
MEMORY_PROBE = ("print('peak MB', next(int(line.split()[1]) for line in open('/proc/self/status')"
                " if line.startswith('VmHWM')) / 1024)")


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", LECTURES, ids=[p.name for p in LECTURES])
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(_code_cells(nb)) if c.outputs or c.execution_count]
    assert not dirty, f"{path.name}: code cells {dirty} have outputs; clear them before committing"


@pytest.mark.notebook
@pytest.mark.parametrize("path", LECTURES, ids=[p.name for p in LECTURES])
def test_executes_cleanly(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(MEMORY_PROBE))
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for i, cell in enumerate(_code_cells(nb)):
        for out in cell.outputs:
            assert out.output_type != "error", f"{path.name} cell {i}: {out.ename}: {out.evalue}"
            if out.output_type == "stream" and out.name == "stderr":
                pytest.fail(f"{path.name} cell {i} wrote to stderr:\n{out.text[:2000]}")
    nbformat.write(nb, tmp_path / path.name)  # executed copy, for inspection
    peak_mb = float(nb.cells[-1].outputs[0].text.split()[-1])
    assert peak_mb < PEAK_MEMORY_MB, f"{path.name} peaked at {peak_mb:.0f} MB of memory"
