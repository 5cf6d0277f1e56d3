"""Enter the jail a student's kernel runs in, then become the kernel.

Run as root, as PID 1 of fresh network, PID and mount namespaces (sandbox.py starts it
under `unshare`):

    python -I jail.py --root DIR --uid U --cwd DIR --ro /usr ... --rw DIR ... --env K=V ...
                      --limit cpu=60 ... --chown FILE -- python -m ipykernel_launcher ...

It builds a new filesystem root from an allow-list (an empty tmpfs; the listed paths bound
read-only or read-write at their own paths; a private /tmp, /dev and /proc), so the kernel sees
no gradebook, no source notebooks, no other student's files and no home directories. Then it
sets resource limits, drops to the unprivileged `uid` (which also drops every capability)
and execs the command with exactly the given environment. The network namespace has no
interface up, so the kernel has no network; it talks to the grader over Unix sockets in a
read-write directory. Without --root and --uid (no root here) it only sets the limits and
the environment. Standard library only: this runs before anything else is trusted.
"""
import argparse
import ctypes
import os
import resource
import signal

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
DEVICES = ("null", "zero", "full", "random", "urandom")
LIMITS = {"cpu": resource.RLIMIT_CPU, "memory": resource.RLIMIT_AS, "processes": resource.RLIMIT_NPROC,
          "file_size": resource.RLIMIT_FSIZE, "open_files": resource.RLIMIT_NOFILE, "core": resource.RLIMIT_CORE}

libc = ctypes.CDLL(None, use_errno=True)


def mount(source, target, fstype=None, flags=0, data=None):
    encode = lambda s: None if s is None else os.fsencode(s)  # noqa: E731
    if libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {source} on {target}: {os.strerror(errno)}")


def bind(path, root, writable):
    """Show the host's `path` at the same place under `root`; read-only unless writable."""
    target = root + path
    if os.path.islink(path):  # e.g. /bin -> usr/bin on merged-/usr systems
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.symlink(os.readlink(path), target)
        return
    if os.path.isdir(path):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        open(target, "a").close()
    mount(path, target, flags=MS_BIND | MS_REC)
    read_only = 0 if writable else MS_RDONLY
    mount(None, target, flags=MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | read_only)


def build_root(root, read_only, read_write):
    mount(None, "/", flags=MS_REC | MS_PRIVATE)  # nothing we mount leaks back to the host
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=755")
    # private /tmp and /dev/shm first: the read-write paths may lie below /tmp on the host
    for path, size in (("/tmp", "256m"), ("/dev/shm", "64m")):
        os.makedirs(root + path, exist_ok=True)
        mount("tmpfs", root + path, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode=1777")
    for path in read_only:
        bind(path, root, writable=False)
    for path in read_write:
        bind(path, root, writable=True)
    for name in DEVICES:
        bind(f"/dev/{name}", root, writable=True)
    os.symlink("/proc/self/fd", root + "/dev/fd")
    os.makedirs(root + "/proc", exist_ok=True)
    mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)  # shows this PID namespace only


def drop_privileges(uid):
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)  # from root to another uid: the kernel clears every capability
    # Changing uid cleared the parent-death signal: set it again, so the kernel dies with
    # unshare (and unshare with the grader), and forbid setuid programs.
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", help="an empty directory to build the new root in")
    parser.add_argument("--uid", type=int, help="unprivileged uid (and gid) to run as")
    parser.add_argument("--cwd", required=True)
    parser.add_argument("--ro", action="append", default=[], help="path to show read-only")
    parser.add_argument("--rw", action="append", default=[], help="path to show read-write")
    parser.add_argument("--chown", action="append", default=[], help="file the uid must be able to read")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE of the command's environment")
    parser.add_argument("--limit", action="append", default=[], help=f"NAME=VALUE, NAME in {sorted(LIMITS)}")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    return args


def main(argv=None):
    args = parse(argv)
    if args.root:
        for path in args.chown:
            os.chown(path, args.uid, args.uid)
        build_root(args.root, args.ro, args.rw)
        os.chroot(args.root)
    os.chdir(args.cwd)
    for item in args.limit:
        name, value = item.split("=")
        # the CPU limit first sends SIGXCPU, so a kernel killed by it says why; SIGKILL 5 s later
        hard = int(value) + 5 if name == "cpu" else int(value)
        resource.setrlimit(LIMITS[name], (int(value), hard))
    if args.uid is not None:
        drop_privileges(args.uid)
    env = dict(item.split("=", 1) for item in args.env)
    if args.root is None:
        os.execve(args.command[0], args.command, env)
    # We are PID 1 of the namespace. Stay, as its init: a PID 1 ignores signals it has no
    # handler for (even SIGXCPU from its CPU limit), and it inherits every orphan, which only
    # an init reaps. Run the command as PID 2 and leave with its status.
    command = os.fork()
    if command == 0:
        os.execve(args.command[0], args.command, env)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # interrupts are for the kernel
    while True:
        pid, status = os.wait()
        if pid == command:
            code = os.waitstatus_to_exitcode(status)
            os._exit(128 - code if code < 0 else code)  # killed by signal n: 128 + n, as shells say


if __name__ == "__main__":
    main()
