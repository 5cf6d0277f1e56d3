"""A loop that ignores interrupts: only the wall-clock limit stops it."""
CODE = """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
"""
STATUS = "timeout"
