"""The functions raise SystemExit and KeyboardInterrupt, exceptions a test may not catch."""
WHERE = "last"
CODE = """
def store_all_schedule(n):
    raise SystemExit(0)

def recompute_all_schedule(n):
    raise KeyboardInterrupt

sqrt_schedule = store_all_schedule
revolve_schedule = lambda n, s: recompute_all_schedule(n)
"""
