"""nbgrader's Execute step with the kernel in a jail, a verdict per notebook and a record per run.

`JailedExecute` replaces `Execute` in nbgrader's autograde preprocessors (`configure`, which the
worker calls; an instructor can do it in nbgrader_config.py too). For each notebook it

1. executes a copy of the sanitized notebook (student cells + restored test cells) with the
   kernel in a fresh sandbox.Jail, under the wall-clock, CPU, memory, process and output limits;
2. takes back only the outputs: cell sources and metadata stay those nbgrader checked;
3. when the run stopped early (wall-clock limit, kernel death, too much output), appends an
   error to the cell that was running and to every later test cell, so cells that never ran
   score 0 instead of counting as passed (nbgrader passes a test cell that has no error);
4. keeps the result as a run record (store.py), keyed by the notebook and the limits: a
   grader killed and restarted reuses finished runs instead of executing them again;
5. decides the marked test cells outside the kernel (judge.py): the kernel never sees their
   verdict parts, and a judge process reads what they observed.

The status of a run is one of: ok; timeout (a cell reached nbgrader's per-cell limit,
Execute.timeout, and failed with CellTimeoutError while the notebook went on, or the kernel
ignored the interrupt, or the notebook reached the wall-clock limit); kernel-died (crash,
os._exit, the CPU limit); output-limit; unresponsive (the kernel stopped answering otherwise).

To use it from nbgrader's own `autograde` command or formgrader, in nbgrader_config.py:
`from autograder.execute import configure; configure(c)`.
"""
import copy
import hashlib
import json
import pathlib
import signal
import subprocess
import tempfile
import threading
import time

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, List, Unicode

from course import observe

from . import judge, sandbox, store
from .judge import error_output, is_test
from .repair import DropForeignMetadata
from .lock import GRADEBOOK

MB = 2**20
SIGNALS = {signal.SIGXCPU: "the CPU time limit", signal.SIGKILL: "SIGKILL (out of memory?)",
           signal.SIGSEGV: "a segmentation fault", signal.SIGABRT: "an abort", signal.SIGXFSZ: "the file size limit"}


def run_record(runs_directory, assignment, student, notebook):
    return pathlib.Path(runs_directory) / assignment / student / f"{notebook}.json"


class JailedExecute(Execute):
    """nbgrader's Execute, kernel jailed and limited; settable in nbgrader_config.py as c.JailedExecute.*."""

    wall_seconds = Integer(600, help="Wall-clock limit per notebook, kernel start included.").tag(config=True)
    cpu_seconds = Integer(600, help="CPU-time limit of the kernel process.").tag(config=True)
    memory_mb = Integer(4096, help="Address-space limit of each process in the jail.").tag(config=True)
    max_processes = Integer(256, help="Processes and threads the jail's uid may have.").tag(config=True)
    file_size_mb = Integer(64, help="Largest file the kernel may write.").tag(config=True)
    output_mb = Integer(16, help="Largest total output a notebook may produce.").tag(config=True)
    uid = Integer(sandbox.UID_BASE, help="Unprivileged uid of the kernel, unused by anything else.").tag(config=True)
    isolated = Bool(True, help="Jail the kernel (needs root); if False, resource limits only.").tag(config=True)
    packages = List(["course"], help="Packages outside the Python installation the kernel may import.").tag(config=True)
    runs_directory = Unicode("", help="Where run records are kept; empty: none kept.").tag(config=True)
    judge = Bool(True, help="Decide marked test cells outside the kernel (judge.py).").tag(config=True)
    judge_seconds = Integer(600, help="Time limit of the judge process per notebook.").tag(config=True)

    def settings(self):
        """Everything besides the notebook that can change a run's outcome."""
        return {name: getattr(self, name) for name in (
            "wall_seconds", "cpu_seconds", "memory_mb", "max_processes", "file_size_mb", "output_mb",
            "isolated", "packages", "timeout", "judge")}

    def preprocess(self, nb, resources):
        ids = resources["nbgrader"]
        key = hashlib.sha256(json.dumps([nb, self.settings()], sort_keys=True).encode()).hexdigest()
        path = self.runs_directory and run_record(self.runs_directory, ids["assignment"], ids["student"],
                                                  ids["notebook"])
        record = store.read_json(path) if path else None
        if record is None or record["key"] != key:
            with GRADEBOOK.released():  # other workers may record grades meanwhile
                record = self.run(nb, resources)
            record["key"] = key
            if path:
                store.write_json(path, record)
        for cell, ran in zip(nb.cells, record["cells"]):
            if cell.cell_type == "code":
                cell.outputs = [nbformat.from_dict(output) for output in ran["outputs"]]
                cell.execution_count = ran["execution_count"]
        if self.judge:
            judge.decide(nb, self.judge_seconds)
        summary = {k: record[k] for k in ("status", "detail", "seconds")}
        resources.setdefault("autograder", {})[ids["notebook"]] = summary
        return nb, resources

    def run(self, nb, resources):
        """Execute a copy of `nb` in a jail; the record of outputs, status, detail and seconds."""
        # unjailed runs may share a uid (e.g. graders side by side in a test suite): a directory each
        directory = sandbox.slot_directory(self.uid) / "jail" if self.isolated else \
            pathlib.Path(tempfile.mkdtemp(prefix="autograder-unjailed-"))
        self.jail = sandbox.Jail(directory, self.uid, self.limits(),
                                 sandbox.exposed_paths(self.packages), self.isolated,
                                 {observe.JUDGED: "1"} if self.judge else {})
        self.jail.prepare(self.support_files(resources))
        executed = copy.deepcopy(nb)
        if self.judge:  # verdicts stay out of the kernel
            for cell in executed.cells:
                if is_test(cell):
                    cell.source = judge.kernel_source(cell.source)
        self.stopped, self.running, self.output_bytes, self.jailed_km = None, None, 0, None
        watchdog = threading.Timer(self.wall_seconds, self.stop,
                                   ["timeout", f"stopped at the wall-clock limit of {self.wall_seconds} s"])
        start = time.monotonic()
        watchdog.start()
        try:
            super().preprocess(executed, {**resources, "metadata": {"path": str(self.jail.home)}})
            status, detail = self.outcome(executed)
        except Exception as error:
            if self.stopped is None and self.running is None:  # no cell ran: the grader's problem
                raise RuntimeError(f"the kernel did not start ({error}); its log ends:\n{self.jail.log_tail()}")
            status, detail = self.stopped or self.failure(error)
            self.mark_not_run(executed, detail)
            self.log.warning("%s: %s; the kernel's log ends:\n%s", status, detail, self.jail.log_tail())
        finally:
            watchdog.cancel()
            self.jail.remove()
        cells = [{"outputs": c.outputs, "execution_count": c.execution_count} if c.cell_type == "code" else None
                 for c in executed.cells]
        return {"status": status, "detail": detail, "seconds": round(time.monotonic() - start, 1), "cells": cells}

    def limits(self):
        return {"cpu": self.cpu_seconds, "memory": self.memory_mb * MB, "processes": self.max_processes,
                "file_size": self.file_size_mb * MB, "open_files": 1024, "core": 0}

    def support_files(self, resources):
        """What the kernel's working directory holds: the assignment's files and the student's notebook.

        Files come from the source directory (the student's other uploads are not copied: a
        numpy.py next to the notebook would shadow numpy in the tests); never notebooks from
        there, which hold the solutions and hidden tests.
        """
        ids = resources["nbgrader"]
        source = pathlib.Path(self.config.CourseDirectory.get("source_directory", "source")) / ids["assignment"]
        shipped = [p for p in source.glob("*") if p.is_file() and p.suffix != ".ipynb"] if source.is_dir() else []
        submitted = pathlib.Path(self.config.CourseDirectory.get("submitted_directory", "submitted"))
        notebook = submitted / ids["student"] / ids["assignment"] / f"{ids['notebook']}.ipynb"
        return [*shipped, *([notebook] if notebook.is_file() else [])]

    def create_kernel_manager(self):
        name = self.kernel_name or self.nb.metadata.get("kernelspec", {}).get("name", "python3")
        self.km = self.jailed_km = sandbox.JailedKernelManager(self.jail, kernel_name=name, config=self.config)
        return self.km

    def preprocess_cell(self, cell, resources, index):
        self.running = index
        return super().preprocess_cell(cell, resources, index)

    def output(self, outs, msg, display_id, cell_index):
        self.output_bytes += len(json.dumps(msg["content"]))
        if self.output_bytes > self.output_mb * MB:
            if self.stopped is None:
                self.stop("output-limit", f"stopped after more than {self.output_mb} MB of output")
            return None
        return super().output(outs, msg, display_id, cell_index)

    def stop(self, status, detail):
        """Kill the kernel from outside; nbclient then notices a dead kernel."""
        self.stopped = (status, detail)
        self.jail.kill(self.kernel_process())

    def kernel_process(self):
        return getattr(self.jailed_km, "process", None)  # nbclient drops self.km

    def failure(self, error):
        """Status and detail of a run that ended in `error` while a cell was running."""
        if isinstance(error, DeadKernelError):
            return "kernel-died", f"the kernel died ({self.death_cause()})"
        if isinstance(error, CellTimeoutError):  # still busy after the per-cell limit and an interrupt
            return "timeout", f"a cell ran past the per-cell limit of {self.timeout} s and ignored the interrupt"
        return "unresponsive", f"the kernel stopped answering ({type(error).__name__})"

    def death_cause(self):
        process = self.kernel_process()
        try:  # nbclient may notice the silence before the process is gone
            code = process.wait(timeout=5)
        except (AttributeError, subprocess.TimeoutExpired):
            return "cause unknown"
        number = -code if code < 0 else code - 128  # unjailed: -n; the jail's init: 128 + n
        if 0 < number < signal.NSIG:
            return f"killed by {SIGNALS.get(number, signal.Signals(number).name)}"
        return f"exit status {code}"

    def outcome(self, nb):
        """Status and detail of a run that went to the end: per-cell timeouts, errors outside tests."""
        errors = [(is_test(c), o.ename) for c in nb.cells if c.cell_type == "code"
                  for o in c.outputs if o.output_type == "error"]
        timed_out = sum(ename == "CellTimeoutError" for _, ename in errors)
        if timed_out:
            return "timeout", f"{timed_out} cell(s) stopped at the per-cell limit of {self.timeout} s"
        elsewhere = sorted({ename for test, ename in errors if not test})
        return "ok", f"errors outside the tests: {', '.join(elsewhere)}" if elsewhere else ""

    def mark_not_run(self, nb, detail):
        """Errors where the run stopped and in each later test cell, so none of them passes."""
        later = 0
        if self.running is not None:
            later = self.running + 1
            if nb.cells[self.running].cell_type == "code":
                nb.cells[self.running].outputs.append(error_output("Stopped", detail))
        not_run = error_output("NotRun", f"not run, the notebook stopped earlier: {detail}")
        for cell in nb.cells[later:]:
            if cell.cell_type == "code":
                cell.outputs = [copy.deepcopy(not_run)] if is_test(cell) else []


def configured(config, converter, trait):
    """The preprocessor list `trait` of nbgrader's `converter` class as `config` sets it, else its default."""
    return getattr(config, converter.__name__).get(trait, converter.class_traits()[trait].default())


def configure(config):
    """Make nbgrader's autograde grade as this grader does: JailedExecute in place of Execute, and
    submissions with edited cell metadata graded anyway (repair.py). Returns `config`."""
    steps = configured(config, Autograde, "autograde_preprocessors")
    config.Autograde.autograde_preprocessors = [JailedExecute if step is Execute else step for step in steps]
    sanitize = configured(config, Autograde, "sanitize_preprocessors")
    config.Autograde.sanitize_preprocessors = [DropForeignMetadata, *(s for s in sanitize if s is not DropForeignMetadata)]
    config.OverwriteCells.add_missing_cells = True
    return config
