"""Assignment 2 (forward mode): wrong solutions students really write.

The format of VARIANTS is described in tests/assignment_harness.py, which adds the reference.
"""
VARIANTS = {
    "slide_product_rule_half": {
        "about": "v2 = w2 v1 differentiated as w2 dv1 only: the tangent of w2 is lost",
        "edits": {"slide_tangents": [("dv2 = dw2 * v1 + w2 * dv1", "dv2 = w2 * dv1")]},
        "expected": {"tangent_table_at_2_3": 0, "tangent_table_random": 0},
    },
    "div_rule_forgets_numerator": {
        "about": "d(x/y)/dy taken as -1/y^2",
        "edits": {"jvp_rules": [("return -t * ans / y", "return -t / y ** 2")]},
        "expected": {"jvp_rules_mul_div": 0, "jvp_rules_against_engine": 0},
    },
    "log_rule_divides_by_output": {
        "about": "d log(x) = dx / log(x): `ans` used where the argument x belongs",
        "edits": {"jvp_rules": [("return t / x", "return t / ans")]},
        # the visible jvp test runs the student's rules on the slide's L, which takes a log
        "expected": {"jvp_rules_unary": 0, "jvp_rules_against_engine": 0, "jvp_slide_function": 0},
    },
    "matmul_rule_from_reverse_mode": {
        "about": "the VJP formula g Y^T used as the JVP of X Y (a shape error for rectangular matrices)",
        "edits": {"jvp_rules": [("return t @ y", "return t @ y.T")]},
        "expected": {"jvp_rules_matmul_shapes": 0, "jvp_rules_against_engine": 0},
    },
    "apply_keeps_last_contribution": {
        "about": "the tangent is overwritten by each Dual argument instead of summed over them",
        "edits": {"apply": [("tangent = tangent + JVP_RULES[name][i](a.tangent, ans, *values)",
                             "tangent = JVP_RULES[name][i](a.tangent, ans, *values)")]},
        # the visible jvp and jacfwd tests run the student's apply on x * y with two Duals
        "expected": {"apply_product_rule": 0, "apply_constants_and_broadcasting": 0, "apply_against_engine": 0,
                     "jvp_slide_function": 0, "jacfwd_elementwise": 0},
    },
    "apply_without_broadcasting": {
        "about": "the tangent starts from the first contribution, so it keeps a Dual argument's smaller shape",
        "edits": {"apply": [(
            """    tangent = np.zeros(np.shape(ans))  # broadcasting each contribution to the output's shape
    for i, a in enumerate(args):
        if isinstance(a, Dual):
            tangent = tangent + JVP_RULES[name][i](a.tangent, ans, *values)""",
            """    tangent = None
    for i, a in enumerate(args):
        if isinstance(a, Dual):
            contribution = JVP_RULES[name][i](a.tangent, ans, *values)
            tangent = contribution if tangent is None else tangent + contribution""")]},
        "expected": {"apply_constants_and_broadcasting": 0},
    },
    "jvp_one_pass_per_argument": {
        "about": "one forward pass per argument, summing the tangents: right values, too many passes",
        "edits": {"jvp": [(
            """    out = f(*(Dual(p, t) for p, t in zip(primals, tangents)))
    return out.value, out.tangent""",
            """    tangent = 0.0
    for i in range(len(primals)):
        duals = [Dual(p, t if j == i else np.zeros(np.shape(p))) for j, (p, t) in enumerate(zip(primals, tangents))]
        out = f(*duals)
        tangent = tangent + out.tangent
    return out.value, tangent""")]},
        "expected": {"jvp_one_forward_pass": 0},
    },
    "jacfwd_rows_instead_of_columns": {
        "about": "the tangents J e_k stacked as rows: the transpose, unnoticed on a diagonal Jacobian",
        "edits": {"jacfwd": [(
            """        J = np.stack(columns, axis=-1)  # column k is J e_k
        return J.reshape(J.shape[:-1] + x.shape)""",
            """        return np.array(columns)""")]},
        "expected": {"jacfwd_rectangular": 0},
    },
    "jacfwd_by_finite_differences": {
        "about": "the Jacobian by central differences of the values: no jvp, a 1e-10 error",
        "edits": {"jacfwd": [(
            "columns = [jvp(f, (x,), (e.reshape(x.shape),))[1] for e in np.eye(x.size)]",
            "columns = [(f(x + 1e-6 * e.reshape(x.shape)).value - f(x - 1e-6 * e.reshape(x.shape)).value) / 2e-6\n"
            "                   for e in np.eye(x.size)]")]},
        "expected": {"jacfwd_elementwise": 0, "jacfwd_rectangular": 0, "jacfwd_one_pass_per_input": 0},
    },
}
