"""The functions call os._exit(0), so the kernel vanishes in the middle of the first test."""
WHERE = "last"
CODE = """
import os
store_all_schedule = recompute_all_schedule = sqrt_schedule = lambda n: os._exit(0)
revolve_schedule = lambda n, s: os._exit(0)
"""
STATUS = "kernel-died"
