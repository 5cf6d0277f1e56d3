"""Attack submissions: autograder/tests/adversarial/<name>.py, each built into a notebook file.

Every attack targets ASSIGNMENT (some name its functions). A module's docstring says what it
tries; it defines one of

- CODE: Python placed at the top of the first solution cell (WHERE = "first", the default) or at
  the end of the last one (WHERE = "last", to replace the functions the student should write);
- build(nb): the notebook edited (nb is a copy of the base notebook; may return bytes);
- DATA: the file's raw bytes;

and what grading must make of it:

- STATUS: the grader's status (default "ok"; a tuple if either is right);
- POINTS: what it may earn: 0 (the default) or "all" (exactly the maximum, for attacks on a
  correct solution);
- BASE: "release" (the default: the student version, whose stubs earn nothing) or "reference";
- JAIL_ONLY: True if only a jailed kernel contains it (a fork bomb).

tests/test_autograder_adversarial.py grades them all, beside an honest submission.
"""
import dataclasses
import pathlib
import runpy

import nbformat

ASSIGNMENT = "05_checkpointing"
DIRECTORY = pathlib.Path(__file__).resolve().parent / "tests" / "adversarial"
STATUSES = ("ok", "timeout", "kernel-died", "unresponsive", "output-limit", "invalid-notebook", "too-large")


@dataclasses.dataclass
class Attack:
    name: str
    about: str
    statuses: tuple
    points: object  # 0 or "all"
    base: str
    jail_only: bool
    make: object  # base notebook -> bytes

    def submission(self, release, reference):
        """The submitted file's bytes, from the released and the reference notebooks."""
        base = {"release": release, "reference": reference}[self.base]
        return self.make(nbformat.from_dict(base))


def with_code(code, where):
    def make(nb):
        solutions = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        cell = solutions[0] if where == "first" else solutions[-1]
        cell.source = code.strip("\n") + "\n" + cell.source if where == "first" else \
            cell.source + "\n" + code.strip("\n")
        return nb
    return make


def as_bytes(build):
    def make(nb):
        built = build(nb)
        return built if isinstance(built, bytes) else nbformat.writes(built).encode()
    return make


def load(path):
    module = runpy.run_path(str(path))
    kinds = [k for k in ("CODE", "build", "DATA") if k in module]
    if len(kinds) != 1:
        raise ValueError(f"{path.name}: define exactly one of CODE, build, DATA (found {kinds or 'none'})")
    if "CODE" in module:
        make = with_code(module["CODE"], module.get("WHERE", "first"))
    elif "build" in module:
        make = module["build"]
    else:
        make = lambda nb, data=module["DATA"]: data  # noqa: E731
    statuses = module.get("STATUS", "ok")
    statuses = (statuses,) if isinstance(statuses, str) else tuple(statuses)
    unknown = set(statuses) - set(STATUSES)
    if unknown or module.get("POINTS", 0) not in (0, "all") or module.get("BASE", "release") not in ("release", "reference"):
        raise ValueError(f"{path.name}: STATUS in {STATUSES}, POINTS 0 or 'all', BASE 'release' or 'reference'")
    return Attack(path.stem, (module.get("__doc__") or "").strip(), statuses, module.get("POINTS", 0),
                  module.get("BASE", "release"), module.get("JAIL_ONLY", False), as_bytes(make))


def attacks():
    """{name: Attack} of every attack module."""
    return {path.stem: load(path) for path in sorted(DIRECTORY.glob("*.py"))}
