"""The jail a student's kernel runs in, and a Jupyter kernel manager that starts kernels in it.

Only the kernel, the process that runs student code, is jailed. The grader process that drives
it (nbclient, inside nbgrader's autograde) stays outside and records every output itself, so
what the student's code can touch is exactly what jail.py lets it see:

- no network: a fresh network namespace with no interface up; kernel and grader talk over
  Unix sockets (Jupyter's "ipc" transport) in the jail's run/ directory;
- a filesystem built from an allow-list: the system directories and the Python installation
  read-only, the packages the notebooks import (e.g. `course`), and read-write only home/ (the
  working directory: the assignment's data files and nothing else) and run/;
- its own PID namespace, so the whole process tree dies with the kernel;
- an unprivileged uid, one per job slot, so the process limit counts only that slot and
  `kill(-1)` run as that uid ends every process a student's code left behind;
- resource limits: CPU seconds, address space, processes, file size.

All of this needs root and util-linux's `unshare`. Without them `probe` says what
is missing, and kernels run unjailed with resource limits only (the CLI prints a warning).
"""
import dataclasses
import importlib.util
import os
import pathlib
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import warnings

from jupyter_client.manager import AsyncKernelManager
from traitlets import Instance

from . import jail, lifeline

UID_BASE = 64000  # slot i runs as uid UID_BASE + i: pick a range no real user has
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
KERNEL_ENV = {
    "PATH": f"{pathlib.Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8",
    # the same environment tests/assignment_harness.py grades the samples in
    "JAX_PLATFORMS": "cpu", "MPLBACKEND": "Agg", "PYTHONWARNINGS": "ignore",
    # one thread per BLAS: the grader runs --jobs kernels side by side
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "NBGRADER_EXECUTION": "autograde",
    "JPY_PARENT_PID": "1",  # as if started by a launcher: no parent poller, no console banner
}


def exposed_paths(packages=()):
    """Read-only paths a kernel needs: system directories, Python, and the given packages."""
    paths = {p for p in SYSTEM_PATHS if os.path.lexists(p)}
    paths |= {sys.prefix, sys.base_prefix, os.path.realpath(sys.base_prefix)}
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec is None:
            raise ModuleNotFoundError(f"package {name!r} (to show to the kernels) is not installed")
        paths |= set(spec.submodule_search_locations or [os.path.dirname(spec.origin)])
    # a path below another one is already there
    return sorted(p for p in paths if not any(p.startswith(q.rstrip("/") + "/") for q in paths if q != p))


def slot_directory(uid):
    """/tmp/autograder-<uid>: where the slot's jail lives. A grader killed mid-run leaves its jail
    there, and the slot's next jail replaces it. Root works in /tmp: refuse a directory that is
    not our own private one (someone may have planted it, or a symbolic link)."""
    path = pathlib.Path(tempfile.gettempdir()) / f"autograder-{uid}"
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        info = path.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
            raise RuntimeError(f"{path} is not a private directory of this user: remove it") from None
    return path


def reap(uid):
    """Kill every process running as `uid` (a slot's uid is used by nothing else)."""
    with warnings.catch_warnings():
        # JAX (when loaded, as in the test suite) warns about fork in a threaded process; the
        # child below makes only system calls, which is safe whatever threads the parent has.
        warnings.filterwarnings("ignore", message="os.fork", category=RuntimeWarning)
        pid = os.fork()
    if pid == 0:  # the child becomes uid and signals all processes it may signal: exactly those of uid
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


@dataclasses.dataclass
class Jail:
    """One slot's jail: directory/home (working directory), directory/run (sockets), directory/root."""

    directory: pathlib.Path
    uid: int
    limits: dict  # jail.LIMITS name -> value
    exposed: list
    isolated: bool = True
    environment: dict = dataclasses.field(default_factory=dict)  # added to KERNEL_ENV

    @property
    def home(self):
        return self.directory / "home"

    @property
    def run(self):
        return self.directory / "run"

    def prepare(self, files):
        """A fresh, empty jail whose home holds copies of `files` (paths)."""
        self.remove()
        for sub in ("home", "run", "root"):
            (self.directory / sub).mkdir(parents=True)
        for path in files:
            shutil.copy(path, self.home / pathlib.Path(path).name)
        if self.isolated:
            self.directory.chmod(0o700)  # only root looks inside; the jail sees its own parts
            for path in (self.home, self.run, *self.home.iterdir()):
                os.chown(path, self.uid, self.uid)

    @property
    def log(self):
        """The kernel's stdout and stderr: outside the jail, for the instructor."""
        return self.directory / "kernel.log"

    def log_tail(self, lines=20):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""

    def wrap(self, command, connection_file):
        """The command that starts `command` (a kernel's argv) inside this jail."""
        enter = [sys.executable, "-I", jail.__file__, f"--cwd={self.home}",
                 *(f"--env={k}={v}" for k, v in {**KERNEL_ENV, **self.environment}.items())]
        if not self.isolated:  # limits and a clean environment only; no process limit, as it
            limits = {k: v for k, v in self.limits.items() if k != "processes"}  # would count all of ours
            return [*enter, *(f"--limit={k}={v}" for k, v in limits.items()), "--", *command]
        return [
            # unshare dies with the grader (preexec_fn of the launch), the jail with unshare
            "unshare", "--net", "--pid", "--mount", "--fork", "--kill-child", "--",
            *enter, f"--root={self.directory / 'root'}", f"--uid={self.uid}", f"--chown={connection_file}",
            *(f"--ro={p}" for p in self.exposed), f"--rw={self.home}", f"--rw={self.run}",
            *(f"--limit={k}={v}" for k, v in self.limits.items()), "--", *command,
        ]

    def kill(self, process=None):
        """Kill the kernel and everything it started (`process`: the kernel's Popen, when unjailed)."""
        if self.isolated:
            reap(self.uid)
        elif process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # jupyter_client starts kernels in their own session

    def remove(self):
        if self.directory.exists():
            self.kill()
            shutil.rmtree(self.directory)


class JailedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels start inside a Jail and listen on Unix sockets in its run/."""

    jail = Instance(Jail)

    def __init__(self, jail, **kwargs):
        super().__init__(jail=jail, transport="ipc", connection_file=str(jail.run / "kernel.json"), **kwargs)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        with open(self.jail.log, "ab") as log:
            await super()._async_launch_kernel(kernel_cmd, **kw, stdout=log, stderr=log,
                                               preexec_fn=lifeline.dying_with(os.getpid()))
        self.process = self.provisioner.process  # kept: the provisioner forgets it at shutdown

    def format_kernel_cmd(self, extra_arguments=None):
        return self.jail.wrap(super().format_kernel_cmd(extra_arguments), self.connection_file)


def probe(uid=UID_BASE):
    """Why kernels cannot be jailed here ("" when they can): try a jail that runs Python."""
    if os.geteuid() != 0:
        return "the grader does not run as root"
    if shutil.which("unshare") is None:
        return "unshare (util-linux) not found"
    with tempfile.TemporaryDirectory(prefix="autograder-probe-") as directory:
        trial = Jail(pathlib.Path(directory) / "jail", uid, {}, exposed_paths())
        trial.prepare([])
        (trial.run / "probe").touch()
        code = "import socket; socket.create_connection(('1.1.1.1', 53), timeout=1)"
        done = subprocess.run(trial.wrap([sys.executable, "-c", code], trial.run / "probe"),
                              capture_output=True, text=True, timeout=60)
        trial.remove()
    if "Network is unreachable" not in done.stderr:
        return f"a trial jail failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}"
    return ""
