"""Test verdicts decided outside the student's kernel (see course/observe.py for the cell format).

A test cell marked with `# -- observe` and `# -- verdict` lines is graded in two places:

- the student's kernel runs its setup and observe parts (`kernel_source`) and sends the
  observed values out as display outputs; the verdict part never enters the kernel;
- `decide` then runs, in a fresh Python process of the grader's (verdicts.py),
  the notebook's given cells (locked code cells that are neither tests nor solutions, taken from
  the copy nbgrader restored from the gradebook), and for each test cell its setup and verdict,
  with `seen` bound to the decoded observations. nbgrader then scores the cell from the outputs
  `decide` leaves: the kernel's printed text, plus an error if the kernel failed before
  observing or the verdict failed.

A test cell without the markers keeps the kernel's verdict (nbgrader's usual rule: no error,
full points); tests/test_assignments.py checks that every test cell of the course is marked.
"""
import json
import os
import re
import subprocess
import sys

import nbformat

from course.observe import JUDGED, MIME

from . import lifeline, verdicts

MARKER = re.compile(r"^# -- (observe|verdict)\b.*$", re.MULTILINE)


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def split(source):
    """(setup, observe, verdict) of a marked test cell's source, or None if it is not marked."""
    markers = list(MARKER.finditer(source))
    if [m.group(1) for m in markers] != ["observe", "verdict"]:
        return None
    observe, verdict = markers
    return source[:observe.start()], source[observe.end():verdict.start()], source[verdict.end():]


def kernel_source(source):
    """What the student's kernel runs of a test cell: all of it, unless marked (then no verdict)."""
    parts = split(source)
    return source if parts is None else parts[0] + parts[1]


def is_test(cell):
    return cell.cell_type == "code" and nbgrader_meta(cell).get("grade", False)


def is_given(cell):
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and meta.get("locked") and not meta.get("grade") and not meta.get("solution")


def error_output(ename, evalue):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def take_observations(cell):
    """Remove the cell's observation outputs; their encoded values merged, or None if there are none."""
    found, kept = None, []
    for output in cell.outputs:
        if output.output_type in ("display_data", "execute_result") and MIME in output.get("data", {}):
            data = output["data"][MIME]
            found = {**(found or {}), **(data if isinstance(data, dict) else {"": data})}
        else:
            kept.append(output)
    cell.outputs = kept
    return found


def decide(nb, timeout=300):
    """Judge every marked test cell of the executed notebook `nb` in place."""
    jobs = []
    for index, cell in enumerate(nb.cells):
        if is_given(cell):
            jobs.append({"index": index, "setup": cell.source})
        elif is_test(cell) and (parts := split(cell.source)) is not None:
            setup, _, verdict = parts
            seen = take_observations(cell)
            kernel_errors = [o for o in cell.outputs if o.output_type == "error"]
            if seen is None or kernel_errors:  # the kernel never got to observe: its error stands
                cell.outputs = [o for o in cell.outputs if o.output_type == "stream"] + (
                    kernel_errors or [error_output("NothingObserved", "the test cell sent no observation")])
                jobs.append({"index": index, "setup": setup})  # later cells may use what it defines
            else:
                jobs.append({"index": index, "setup": setup, "verdict": verdict, "seen": seen})
    for index, error in run_judge(jobs, timeout).items():  # one entry per job with a verdict
        if error is not None:
            nb.cells[index].outputs.append(error_output(*error))


def run_judge(jobs, timeout):
    """{cell index: None (passed) or (ename, evalue)} from a judge process."""
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONWARNINGS="ignore")
    env.pop(JUDGED, None)
    done = subprocess.run([sys.executable, "-m", "autograder.verdicts"], input=json.dumps(jobs), env=env,
                          capture_output=True, text=True, timeout=timeout,
                          preexec_fn=lifeline.dying_with(os.getpid()))
    results = [line for line in done.stdout.splitlines() if line.startswith(verdicts.RESULT_PREFIX)]
    if done.returncode != 0 or not results:
        raise RuntimeError(f"the judge failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return {int(k): v for k, v in json.loads(results[-1][len(verdicts.RESULT_PREFIX):]).items()}
