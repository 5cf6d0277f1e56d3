"""Assignment 1 (finite differences, zero-order): typical wrong solutions.

The format of VARIANTS is described in tests/assignment_harness.py, which adds the reference.
"""
VARIANTS = {
    "central_divides_by_eps": {
        "about": "the central quotient divided by eps instead of 2 eps: every entry twice too large",
        "edits": {"differences": [("(f(x + step) - f(x - step)) / (2 * eps)", "(f(x + step) - f(x - step)) / eps")]},
        "expected": {"central_difference_accuracy": 0, "differences_random_functions": 0},
    },
    "forward_recomputes_fx": {
        "about": "f(x) evaluated again for every coordinate: 2d evaluations where d + 1 suffice",
        "edits": {"differences": [
            ("    fx = f(x)\n    grad = np.zeros(x.size)", "    grad = np.zeros(x.size)"),
            ("grad[i] = (f(x + step) - fx) / eps", "grad[i] = (f(x + step) - f(x)) / eps"),
        ]},
        "expected": {"differences_evaluation_counts": 0},
    },
    "complex_step_real_part": {
        "about": "the real part of f(x + i eps e_i) taken instead of the imaginary part",
        "edits": {"differences": [("grad[i] = np.imag(f(x + step)) / eps", "grad[i] = np.real(f(x + step)) / eps")]},
        "expected": {"complex_step_accuracy": 0, "differences_random_functions": 0},
    },
    "step_is_machine_epsilon": {
        "about": "'as small as possible': eps = MACHINE_EPS for both formulas, all round-off",
        "edits": {"optimal_step": [("return np.sqrt(MACHINE_EPS)", "return MACHINE_EPS"),
                                   ("return np.cbrt(MACHINE_EPS)", "return MACHINE_EPS")]},
        "expected": {"optimal_steps_near_theory": 0, "optimal_steps_give_accurate_derivatives": 0},
    },
    "steps_swapped": {
        "about": "cbrt for the forward formula and sqrt for the central one",
        "edits": {"optimal_step": [("return np.sqrt(MACHINE_EPS)", "return np.cbrt(MACHINE_EPS)"),
                                   ("return np.cbrt(MACHINE_EPS)   # eps^2", "return np.sqrt(MACHINE_EPS)   # eps^2")]},
        "expected": {"optimal_steps_near_theory": 0, "optimal_steps_give_accurate_derivatives": 0},
    },
    "two_point_without_dimension_factor": {
        "about": "G = slope * v without the factor d: biased, E[G] = grad f / d",
        "edits": {"two_point": [("total += x.size * (f(x + eps * v)", "total += (f(x + eps * v)")]},
        # descent with a gradient shrunk by d = 2 still converges on the visible test
        "expected": {"two_point_unbiased": 0, "two_point_variance_measured": 0},
    },
    "two_point_gaussian_directions": {
        "about": "Gaussian directions kept unnormalised but still scaled by d: biased, E[G] = d grad f",
        "edits": {"two_point": [("        v /= np.linalg.norm(v)  # uniform on the sphere\n", "")]},
        # descent with E[G] = 2 grad f (d = 2) still converges at lr = 0.05 on the visible test
        "expected": {"two_point_unbiased": 0, "two_point_variance_measured": 0},
    },
    "two_point_one_direction_for_all_samples": {
        "about": "the direction drawn once, before the loop: averaging samples then removes no noise",
        "edits": {"two_point": [(
            """    for _ in range(num_samples):
        v = rng.standard_normal(x.size)
        v /= np.linalg.norm(v)  # uniform on the sphere
""",
            """    v = rng.standard_normal(x.size)
    v /= np.linalg.norm(v)  # uniform on the sphere
    for _ in range(num_samples):
""")]},
        "expected": {"two_point_unbiased": 0},
    },
    "variance_of_the_norm": {
        "about": "E||G||^2 = d ||g||^2 given as the variance, forgetting to subtract ||E G||^2",
        "edits": {"two_point": [("return (d - 1) * grad_norm ** 2", "return d * grad_norm ** 2")]},
        "expected": {"two_point_variance_formula": 0},
    },
    "gradient_ascent": {
        "about": "x + lr G: the sign of the step flipped",
        "edits": {"zero_order_gd": [("iterates[-1] - lr * two_point_estimate", "iterates[-1] + lr * two_point_estimate")]},
        "expected": {"zero_order_gd_converges": 0, "zero_order_gd_update_rule": 0},
    },
    "gd_prints_the_loss": {
        "about": "f evaluated once more per step to report the loss: 3 evaluations per step",
        "edits": {"zero_order_gd": [(
            "        iterates.append(iterates[-1] - lr * two_point_estimate(f, iterates[-1], eps, rng))",
            "        loss = f(iterates[-1])  # for monitoring\n"
            "        iterates.append(iterates[-1] - lr * two_point_estimate(f, iterates[-1], eps, rng))")]},
        "expected": {"zero_order_gd_evaluations": 0},
    },
}
