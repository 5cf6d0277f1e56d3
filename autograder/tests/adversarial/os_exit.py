"""os._exit at the top of the notebook: the kernel dies before any test."""
CODE = """
import os
os._exit(3)
"""
STATUS = "kernel-died"
