"""The judge's process: verdicts of test cells, run on what the student's kernel observed.

    python -m autograder.verdicts < jobs.json

Reads the jobs judge.py prepared (in notebook order: given cells, and test cells' setup,
verdict and encoded observations), runs them in one namespace, and prints one line,
RESULT_PREFIX + {cell index: null (passed) or [ename, evalue]}. Only the standard library,
numpy and course.observe here: the process starts once per graded notebook.
"""
import contextlib
import io
import json
import signal
import sys
import traceback

from course.observe import decode

RESULT_PREFIX = "JUDGE-RESULT "


class CellTimeout(Exception):
    pass


def on_alarm(signum, frame):
    raise CellTimeout("the verdict took too long")


def run_cell(namespace, source, name, seconds=120):
    """Run `source` in `namespace`; None, or (ename, evalue) of what it raised."""
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # verdicts may print expected values
            exec(compile(source, name, "exec"), namespace)
    except Exception as error:
        return type(error).__name__, str(error)[:2000] or "a test failed"
    finally:
        signal.alarm(0)
    return None


def main():
    """Read the jobs from stdin, run them in order in one namespace, print the verdicts."""
    jobs = json.load(sys.stdin)
    namespace, verdicts = {"__name__": "__judge__"}, {}
    for job in jobs:
        name = f"<cell {job['index']}>"
        failed = run_cell(namespace, job["setup"], name)
        if "verdict" not in job:
            if failed:
                print(f"{name} (setup): {failed[0]}: {failed[1]}", file=sys.stderr)
            continue
        if failed is None:
            try:
                namespace["seen"] = {key: decode(value) for key, value in job["seen"].items()}
            except Exception as error:  # anything malformed from the kernel
                failed = "MalformedObservation", f"the observed values cannot be read ({error})"[:500]
        if failed is None:
            failed = run_cell(namespace, job["verdict"], name)
        verdicts[job["index"]] = failed
    print(RESULT_PREFIX + json.dumps(verdicts), flush=True)


if __name__ == "__main__":
    try:
        main()
    except Exception:
        traceback.print_exc()
        sys.exit(1)
