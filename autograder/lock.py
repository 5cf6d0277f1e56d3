"""One writer at a time on the gradebook, across the grader's processes.

nbgrader keeps grades in SQLite, which fails rather than waits when two processes upgrade a
read into a write at the same moment. Each grading worker therefore holds an exclusive
`flock` on the course's lock file while nbgrader touches the gradebook, and lets go only
while a student's kernel runs (the slow part), so kernels run in parallel and gradebook
writes do not. The kernel releases a lock when its holder dies, even by SIGKILL.
"""
import contextlib
import fcntl
import os


class Lock:
    def __init__(self):
        self.fd = None

    def acquire(self, path, wait=True):
        """Hold the lock on `path`; with wait=False, return False at once if someone else does."""
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(self.fd)
            self.fd = None
            return False
        return True

    def release(self):
        if self.fd is not None:
            os.close(self.fd)  # closing the only descriptor drops the flock
            self.fd = None

    @contextlib.contextmanager
    def held(self, path):
        self.acquire(path)
        try:
            yield
        finally:
            self.release()

    @contextlib.contextmanager
    def released(self):
        """Let go for the duration of the block (if held at all), then take the lock again."""
        if self.fd is None:
            yield
            return
        fd = self.fd
        fcntl.flock(fd, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_EX)


GRADEBOOK = Lock()  # the one a worker process holds around nbgrader's gradebook work
