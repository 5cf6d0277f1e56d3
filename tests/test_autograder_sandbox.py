"""JailedExecute (autograder/execute.py, sandbox.py, jail.py) on tiny notebooks, without nbgrader's gradebook.

What a student's kernel sees (its own files, no network, no course directory, an unprivileged
uid) and what happens to kernels that misbehave: a loop deaf to interrupts stops at the
wall-clock limit, an interruptible one costs only its cell, os._exit and the CPU limit kill the
kernel and the later tests score 0, a fork bomb is capped and leaves nothing behind, a memory
bomb gets MemoryError, an output flood is cut. Tests of the jail itself are skipped where
the grader cannot jail kernels (not root, no util-linux): sandbox.probe says why.
"""
import json
import os
import pathlib
import sys
import time

import nbformat
import pytest
from traitlets.config import Config

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from assignment_harness import cell_errors as errors  # noqa: E402
from autograder import sandbox  # noqa: E402
from autograder.execute import JailedExecute  # noqa: E402
from processes import all_gone  # noqa: E402

# A uid of its own per pytest-xdist worker: a jail starts by killing every process of its uid,
# and the pipeline test's grader uses the first slots.
UID = sandbox.UID_BASE + 10 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:])
WHY_NOT_JAILED = sandbox.probe(UID)
jailed_only = pytest.mark.skipif(bool(WHY_NOT_JAILED), reason=f"kernels cannot be jailed here: {WHY_NOT_JAILED}")
TEST = "print('the test ran')"


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course-like directory: an assignment with a data file, a student's notebook, a gradebook."""
    (tmp_path / "source" / "a").mkdir(parents=True)
    (tmp_path / "source" / "a" / "data.csv").write_text("x,y\n1,2\n")
    (tmp_path / "source" / "a" / "n.ipynb").write_text("the instructor's notebook: solutions, hidden tests")
    (tmp_path / "submitted" / "s" / "a").mkdir(parents=True)
    (tmp_path / "submitted" / "s" / "a" / "n.ipynb").write_text("the student's notebook")
    (tmp_path / "gradebook.db").write_text("grades")
    monkeypatch.chdir(tmp_path)  # where nbgrader's converters run
    return tmp_path


def run(cells, **settings):
    """Execute code cells ((source, is_test) pairs) in a jail; the notebook and the run's record."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"grade": True, "grade_id": f"t{i}", "points": 1}}
                                  if test else {}) for i, (source, test) in enumerate(cells)])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    config = Config()
    config.JailedExecute.update({"uid": UID, "isolated": not WHY_NOT_JAILED, **settings})
    resources = {"nbgrader": {"assignment": "a", "student": "s", "notebook": "n"}, "metadata": {"path": "."}}
    nb, resources = JailedExecute(config=config).preprocess(nb, resources)
    return nb, resources["autograder"]["n"]


def text(cell):
    return "".join(o.get("text", "") for o in cell.outputs)


@jailed_only
def test_the_kernel_sees_its_files_only_and_no_network(course):
    probe = """import json, os, socket, course
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    network = "open"
except OSError as error:
    network = error.strerror
print(json.dumps({"uid": os.getuid(), "cwd": sorted(os.listdir(".")), "network": network,
                  "visible": [p for p in %r if os.path.exists(p)], "pids": len([p for p in os.listdir("/proc") if p.isdigit()])}))
""" % [str(course), str(ROOT / "assignments"), str(ROOT / ".git"), str(ROOT / "autograder"), "/root/.ssh"]
    nb, record = run([(probe, False), ("x = bytearray(4 * 10**9)", False), ("print('alive')", True)], memory_mb=1024)
    seen = json.loads(text(nb.cells[0]))
    assert seen["uid"] == UID
    assert seen["cwd"] == ["data.csv", "n.ipynb"], "the assignment's data and the student's own notebook only"
    assert seen["network"] == "Network is unreachable"
    assert seen["visible"] == [], "course directory, repository, grader and home directories are hidden"
    assert seen["pids"] <= 3, "a PID namespace of its own: init, kernel, maybe a child"
    assert errors(nb.cells[1]) == [("MemoryError", "")], "the address-space limit"
    assert text(nb.cells[2]) == "alive\n" and record["status"] == "ok"
    assert record["detail"] == "errors outside the tests: MemoryError"


def test_a_loop_deaf_to_interrupts_stops_at_the_wall_clock_limit(course):
    deaf = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    start = time.monotonic()
    nb, record = run([(TEST, True), (deaf, False), (TEST, True)], wall_seconds=6, timeout=60)
    assert time.monotonic() - start < 6 + 15, "long before the per-cell limit of 60 s"
    assert record["status"] == "timeout" and "wall-clock limit of 6 s" in record["detail"]
    assert text(nb.cells[0]) == "the test ran\n" and not errors(nb.cells[0]), "cells before the limit count"
    assert errors(nb.cells[1])[0][0] == "Stopped"
    assert errors(nb.cells[2])[0][0] == "NotRun", "a test that never ran must not pass"


def test_an_interruptible_loop_costs_its_own_cell_only(course):
    nb, record = run([("while True:\n    pass", True), (TEST, True)], timeout=3)
    assert record["status"] == "timeout" and "per-cell limit of 3 s" in record["detail"]
    assert "CellTimeoutError" in [ename for ename, _ in errors(nb.cells[0])]
    assert text(nb.cells[1]) == "the test ran\n"


def test_a_dying_kernel_fails_the_tests_after_it(course):
    nb, record = run([(TEST, True), ("import os\nos._exit(3)", False), (TEST, True), ("x = 1", False)])
    assert record["status"] == "kernel-died" and record["detail"] == "the kernel died (exit status 3)"
    assert not errors(nb.cells[0]) and errors(nb.cells[1])[0][0] == "Stopped"
    assert errors(nb.cells[2])[0][0] == "NotRun" and nb.cells[3].outputs == []


def test_the_cpu_limit_kills_the_kernel(course):
    _, record = run([("while True:\n    pass", False), (TEST, True)], cpu_seconds=2, timeout=60)
    assert record["status"] == "kernel-died" and "CPU time limit" in record["detail"]


@jailed_only
def test_a_fork_bomb_is_capped_and_leaves_nothing(course):
    counted = """import os, time
children = 0
while True:
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(600)
        os._exit(0)
    children += 1
print(children)"""
    bomb = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    start = time.monotonic()
    nb, record = run([(counted, False), (bomb, False), (TEST, True)], max_processes=64, timeout=3, wall_seconds=20)
    assert 0 < int(text(nb.cells[0]).split()[-1]) < 64, "threads and processes of the uid are capped"
    assert record["status"] == "timeout" and time.monotonic() - start < 20 + 15
    assert all_gone(UID), "every process of the slot's uid is gone"


def test_an_output_flood_is_cut(course):
    nb, record = run([("while True:\n    print('x' * 10000)", False), (TEST, True)], output_mb=1)
    assert record["status"] == "output-limit"
    assert sum(len(o.get("text", "")) for o in nb.cells[0].outputs) <= 2**20
    assert errors(nb.cells[1])[0][0] == "NotRun"


def test_without_a_jail_limits_still_apply(course):
    probe = "import os, resource\nprint(os.getuid(), resource.getrlimit(resource.RLIMIT_AS)[0])"
    nb, record = run([(probe, False), (TEST, True)], isolated=False, memory_mb=2048)
    assert text(nb.cells[0]).split() == [str(os.getuid()), str(2048 * 2**20)]
    assert record["status"] == "ok" and text(nb.cells[1]) == "the test ran\n"
