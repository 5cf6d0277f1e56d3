"""Kill every process it can (other students' kernels, the grader) with kill(-1, SIGKILL).

In the jail's own PID namespace there is nothing else to kill: the call fails (ProcessLookupError)."""
CODE = """
import os, signal
os.kill(-1, signal.SIGKILL)
"""
JAIL_ONLY = True  # unjailed, nothing would contain it
