"""nbgrader settings for JupyterLab started at the repository root (`make lab`).

The course itself is configured in assignments/nbgrader_config.py; this file points the
formgrader and the assignment list at it and keeps the exchange inside the repository, so a
single-user laptop or Binder works without /usr/local/share/nbgrader. On a JupyterHub, set
c.Exchange.root to the hub's shared exchange instead (see autograder/README.md).
"""
import pathlib

c = get_config()  # noqa: F821 (injected by nbgrader)
_here = pathlib.Path(__file__).resolve().parent
load_subconfig(str(_here / "assignments" / "nbgrader_config.py"))  # noqa: F821
c.CourseDirectory.root = str(_here / "assignments")
c.Exchange.root = str(_here / ".nbgrader-exchange")
