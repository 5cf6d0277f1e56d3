"""Assignment 3 (reverse mode): wrong solutions students really write.

The format of VARIANTS is described in tests/assignment_harness.py, which adds the reference.
"""
VARIANTS = {
    "slide_erratum_w2": {
        "about": "dL/dw2 = dL/dv2 * w1, as one frame of the slide has it (v2 = w2 v1, so the factor is v1)",
        "edits": {"slide_adjoints": [("w2_bar = v2_bar * v1", "w2_bar = v2_bar * w1")]},
        "expected": {"adjoint_table_at_2_3": 0, "adjoint_table_random_points": 0},
    },
    "unbroadcast_leading_axes_only": {
        "about": "sums the axes broadcasting added in front, forgets the stretched length-1 axes",
        "edits": {"unbroadcast": [(
            """    for axis, n in enumerate(shape):  # axes of length 1 that broadcasting stretched
        if n == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
""", "")]},
        # vjp_mul_broadcasting is visible and runs the student's own unbroadcast
        "expected": {"unbroadcast_stretched_axes": 0, "unbroadcast_edge_cases": 0, "vjp_mul_broadcasting": 0},
    },
    "rules_without_unbroadcast": {
        "about": "binary rules return the output-shaped adjoint, never reducing to the argument's shape",
        "edits": {"vjp_rules": [
            ("return unbroadcast(g, x.shape), unbroadcast(-g, y.shape)", "return g, -g"),
            ("return unbroadcast(g * y, x.shape), unbroadcast(g * x, y.shape)", "return g * y, g * x"),
            ("return unbroadcast(g / y, x.shape), unbroadcast(-g * ans / y, y.shape)", "return g / y, -g * ans / y"),
        ]},
        # add (given) still reduces; sub, mul and div do not
        "expected": {"vjp_mul_broadcasting": 0, "vjp_binary_broadcasting": 0},
    },
    "div_rule_wrong_sign": {
        "about": "d(x/y)/dy taken as +x/y^2",
        "edits": {"vjp_rules": [("unbroadcast(-g * ans / y, y.shape)", "unbroadcast(g * ans / y, y.shape)")]},
        "expected": {"vjp_sub_div_against_engine": 0, "vjp_binary_broadcasting": 0},
    },
    "matmul_rule_without_transpose": {
        "about": "matmul adjoints g @ B and A @ g: right for nothing but square matrices",
        "edits": {"vjp_rules": [("return g @ y.T, x.T @ g", "return g @ y, x @ g")]},
        "expected": {"vjp_matmul_shapes": 0, "vjp_matmul_against_engine": 0},
    },
    "recursive_topological_order": {
        "about": "the textbook recursive depth-first search: RecursionError on a 10 000-node chain",
        "edits": {"topological_order": [(
            """    order, visited = [], set()
    stack = [(output, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))  # comes back after all its parents
            stack.extend((p, False) for p in node.parents if p not in visited)
    return order""",
            """    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(output)
    return order""")]},
        "expected": {"topo_order_deep_chain": 0},
    },
    "topological_order_without_visited_set": {
        "about": "no visited set: a node reached along two paths is listed (and later processed) twice",
        "edits": {"topological_order": [
            ("        elif node not in visited:\n            visited.add(node)\n            stack.append",
             "        else:\n            stack.append"),
            ("for p in node.parents if p not in visited)", "for p in node.parents)"),
        ]},
        # the visible backward and grad tests run the student's own order on the slide's graph,
        # where v2 has two children; the hidden ones use the reference order
        "expected": {"topo_order_diamond": 0, "topo_order_shared_subgraphs": 0,
                     "backward_slide_graph": 0, "grad_slide_function": 0},
    },
    "no_fan_out_accumulation": {
        "about": "a parent's adjoint is overwritten by its last child instead of summed over children",
        "edits": {"backward": [(
            "adjoints[parent] = adjoints[parent] + contribution if parent in adjoints else contribution",
            "adjoints[parent] = contribution")]},
        "expected": {"backward_slide_graph": 0, "backward_fan_out": 0, "grad_slide_function": 0},
    },
    "grad_runs_forward_twice": {
        "about": "grad checks the output's shape with a second call of f: two forward passes",
        "edits": {"grad": [(
            "        if out.shape != ():",
            "        if np.shape(f(*args).value) != ():")]},
        # f(*args) on plain arrays: `lambda x: x * 2.0` then returns an ndarray, which has no .value
        "expected": {"grad_one_forward_one_backward": 0, "grad_rejects_non_scalar": 0},
    },
    "grad_by_finite_differences": {
        "about": "grad secretly takes central differences: many evaluations of f, a 1e-10 error",
        "edits": {"grad": [(
            """    def gradient(*args):
        inputs = [Var(a) for a in args]
        out = f(*inputs)
        if out.shape != ():
            raise ValueError(f"grad needs a scalar output, got shape {out.shape}")
        adjoints = backward(out, VJP_RULES)
        grads = tuple(np.asarray(adjoints.get(inputs[i], np.zeros(inputs[i].shape))) for i in positions)""",
            """    def gradient(*args):
        args = [np.asarray(a, dtype=float) for a in args]

        def partial(i):
            g = np.zeros_like(args[i])
            for k in np.ndindex(args[i].shape):
                step = np.zeros_like(args[i])
                step[k] = 1e-6
                up, down = list(args), list(args)
                up[i], down[i] = args[i] + step, args[i] - step
                g[k] = (f(*up).value - f(*down).value) / 2e-6
            return g

        grads = tuple(partial(i) for i in positions)""")]},
        # f evaluated on plain arrays, as in grad_runs_forward_twice
        "expected": {"grad_slide_function": 0, "grad_one_forward_one_backward": 0,
                     "grad_argnums_and_unused_input": 0, "grad_rejects_non_scalar": 0},
    },
    "mlp_bias_gradient_not_summed": {
        "about": "dL/dc_k = z_bar (one row per example) instead of its sum over the batch",
        "edits": {"mlp_backprop": [("z_bar.sum(axis=0)", "z_bar")]},
        "expected": {"mlp_backprop_shapes": 0, "mlp_backprop_against_engine": 0, "mlp_backprop_deeper_network": 0},
    },
    "mlp_recomputes_tanh": {
        "about": "the backward pass recomputes tanh(z_k) for tanh' instead of reusing the stored v_k",
        "edits": {"mlp_backprop": [
            ("z_bar = (z_bar @ W.T) * (1.0 - vs[k] ** 2)",
             "z_bar = (z_bar @ W.T) * (1.0 - np.tanh(vs[k - 1] @ params[k - 1][0] + params[k - 1][1]) ** 2)")]},
        "expected": {"mlp_backprop_one_forward_pass": 0},
    },
}
