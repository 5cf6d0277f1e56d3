"""A fork bomb: the process limit of the slot's uid caps it, and it dies with the kernel."""
CODE = """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
"""
STATUS = ("timeout", "kernel-died")
JAIL_ONLY = True
