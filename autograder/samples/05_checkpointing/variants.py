"""Assignment 5 (checkpointing): typical wrong schedules.

The format of VARIANTS is described in tests/assignment_harness.py, which adds the reference.
"""
VARIANTS = {
    "store_all_after_the_step": {
        "about": "stores x_{k+1} after step k instead of x_k before it: x_0 is missing at backward 0",
        "edits": {"store_all": [("        b.store(k)\n        b.advance(k, k + 1)",
                                 "        b.advance(k, k + 1)\n        b.store(k + 1)")]},
        "expected": {"store_all_exact": 0, "store_all_any_length": 0},
    },
    "recompute_all_keeps_x_k": {
        "about": "stores the recomputed x_k 'to be safe': two states at once, no longer recompute-all",
        "edits": {"recompute_all": [("        b.advance(0, k)  # x_0 -> x_k again\n",
                                     "        b.advance(0, k)  # x_0 -> x_k again\n        b.store(k)\n")]},
        "expected": {"recompute_all_exact": 0, "recompute_all_any_length": 0},
    },
    "sqrt_schedule_stores_everything": {
        "about": "a 'checkpoint every step' schedule: exact and free of recomputation, but n states",
        "edits": {"sqrt_schedule": [("        if k % m == 0:\n            b.store(k)", "        b.store(k)")]},
        # it still recomputes the segments (now from stored states), so only the memory bound fails
        "expected": {"sqrt_bounds_100": 0, "sqrt_bounds_other_lengths": 0},
    },
    "sqrt_segments_recomputed_per_step": {
        "about": "inside each segment, every backward step recomputes from the segment start: O(n sqrt n) work",
        "edits": {"sqrt_schedule": [(
            """        for k in range(a, end - 1):  # recompute the segment once, keeping its states
            b.advance(k, k + 1)
            b.store(k + 1)
        for k in reversed(range(a, end)):
            b.backward(k)""",
            """        for k in reversed(range(a, end)):
            b.advance(a, k)
            b.backward(k)""")]},
        "expected": {"sqrt_bounds_100": 0, "sqrt_bounds_other_lengths": 0},
    },
    "sqrt_fixed_segment_length": {
        "about": "segments of 10 steps whatever n: right for n = 100, too many states for n = 400",
        "edits": {"sqrt_schedule": [("m = math.isqrt(n - 1) + 1  # ceil(sqrt(n))", "m = 10")]},
        "expected": {"sqrt_bounds_other_lengths": 0},
    },
    "revolve_snapshot_not_counted": {
        "about": "after storing x_j the right part still gets s snapshots: more states than allowed",
        "edits": {"revolve": [("            reverse(j, e, s - 1)", "            reverse(j, e, s)")]},
        "expected": {"revolve_meets_binomial_bound": 0, "revolve_other_sizes": 0},
    },
    "revolve_forgets_the_loss_step": {
        "about": "reverse(0, n, s): the loss is not a step, x_n is never reached and the runner refuses",
        "edits": {"revolve": [("reverse(0, n + 1, s)", "reverse(0, n, s)")]},
        "expected": {"revolve_gradient_exact": 0, "revolve_meets_binomial_bound": 0, "revolve_other_sizes": 0},
    },
}
