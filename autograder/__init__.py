"""The instructor's grading pipeline for the course's nbgrader assignments.

    python -m autograder release | collect | grade | feedback | export   (see README.md)

One idea per module (cli and __main__: the command line):
    nbcourse  the nbgrader course directory: config, converters, gradebook
    collect   LMS exports (Moodle, Canvas, plain folders, zips) -> submitted/
    pipeline  grade an assignment: a worker process per submission, in parallel, crash-safe
    worker    grade one submission with nbgrader's Autograde, kernel jailed
    execute   JailedExecute: nbgrader's Execute step with the kernel in a jail and limits
    judge     test verdicts decided in a process of the grader's, from what the kernel observed
    verdicts  that process
    repair    submissions with edited cell metadata or deleted test cells, graded anyway
    sandbox   the jail and a Jupyter kernel manager that starts kernels inside it
    jail      runs first inside the new namespaces: filesystem allow-list, limits, uid
    lock      one writer at a time on the gradebook
    store     records written atomically
    lifeline  child processes (workers, judges, kernels) that die with their parent
    feedback  nbgrader's feedback without the hidden tests
    export    the grades CSV
    demo      the whole chain on generated sample submissions (`make grade-demo`)
    adversarial  the attack submissions of tests/adversarial/ and their format
"""
