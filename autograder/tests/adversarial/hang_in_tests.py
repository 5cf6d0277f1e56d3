"""The functions loop forever (interruptibly): every test cell reaches the per-cell limit."""
WHERE = "last"
CODE = """
def store_all_schedule(n):
    while True:
        pass

recompute_all_schedule = sqrt_schedule = store_all_schedule
revolve_schedule = lambda n, s: store_all_schedule(n)
"""
STATUS = "timeout"
