"""nbgrader configuration of the course's graded assignments (nbgrader 0.9).

Run nbgrader from this directory, with the virtual environment's bin first on PATH
(nbgrader runs `alembic` by name):

    PATH=../.venv/bin:$PATH nbgrader generate_assignment 03_reverse_mode
    PATH=../.venv/bin:$PATH nbgrader autograde 03_reverse_mode

The instructor's notebooks live in source/<assignment>/<assignment>.ipynb; nbgrader writes
release/, submitted/, autograded/, feedback/ and gradebook.db next to them (all ignored by git).
tests/test_assignments.py grades a reference solution and typical wrong variants
(autograder/samples/) with the real nbgrader and checks every cell's score.
"""
c = get_config()  # noqa: F821 (injected by nbgrader)

c.CourseDirectory.course_id = "ad-course"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"

# Hidden tests build graphs of 10^4 nodes and count work; none needs more than a few seconds,
# so a cell that runs for 2 minutes is stuck (e.g. an exponential walk of a shared graph).
c.Execute.timeout = 120

# Stubs raise only when called: each solution region sits inside a function body, so the
# released notebook runs from top to bottom and every test cell fails on the stub.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
