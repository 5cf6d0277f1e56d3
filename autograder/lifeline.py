"""Child processes that end when the process that started them ends, however it ends.

Linux sends a child its parent-death signal only if the child asked for it before the parent
died; a child forked just before its parent was killed must notice for itself. The signal
survives exec (of a program that is not setuid), so it ties the program the child becomes.
"""
import os
import signal

from .jail import PR_SET_PDEATHSIG, libc

prctl = libc.prctl  # looked up now: between fork and exec, a threaded parent's child must not dlopen or dlsym


def dying_with(parent):
    """A `preexec_fn` for subprocess.Popen: the child gets SIGKILL when `parent` (a pid) dies.

    The signal comes when the *thread* that started the child ends, so start it from a thread
    that lives as long as the child should (the main thread here)."""
    def die_with_parent():
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # orphaned between fork and prctl: no signal will come
            os._exit(1)
    return die_with_parent
