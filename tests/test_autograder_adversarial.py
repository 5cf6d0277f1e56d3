"""Attack submissions (autograder/tests/adversarial/) graded in one batch beside honest ones.

Checked: every attack gets its expected status and no point it did not earn, cell by cell;
the reference solution in the same batch still earns full marks and the untouched release 0
(no attack reaches another student's kernel or the gradebook); no student cell's output
shows a hidden test line; feedback is generated for all and shows none; nothing of the
attacks' uids is left running.
"""
import pathlib
import sys

import nbformat
import pytest

sys.path[:0] = [str(pathlib.Path(__file__).resolve().parents[i]) for i in (0, 1)]  # the harness, the package
import assignment_harness as harness  # noqa: E402
from autograder import adversarial, collect, feedback, judge, pipeline, sandbox  # noqa: E402
from autograder.nbcourse import Course  # noqa: E402
from processes import all_gone  # noqa: E402

ASSIGNMENT = adversarial.ASSIGNMENT
UID_BASE = sandbox.UID_BASE + 100  # apart from the pipeline and sandbox tests, which may run meanwhile
SETTINGS = {"wall_seconds": 40, "timeout": 8, "memory_mb": 2048, "max_processes": 128, "output_mb": 4,
            "max_notebook_mb": 1}
HONEST = {"reference": "all", harness.EMPTY: 0}


def test_there_are_enough_attacks():
    attacks = adversarial.attacks()
    assert len(attacks) >= 25
    assert all(attack.about for attack in attacks.values()), "each attack says what it tries"


def grade_attacks(base):
    course = Course(harness.copy_course(base / "course"))
    release, reference = harness.released(course, ASSIGNMENT)
    jailed = not sandbox.probe(UID_BASE)  # here, not at import: every xdist worker imports this module
    attacks = {name: a for name, a in adversarial.attacks().items() if jailed or not a.jail_only}
    files = {name: attack.submission(release, reference) for name, attack in attacks.items()}
    files.update({"reference": nbformat.writes(reference).encode(), harness.EMPTY: nbformat.writes(release).encode()})
    for name, data in files.items():
        folder = base / "export" / name / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / f"{ASSIGNMENT}.ipynb").write_bytes(data)
    rows = collect.collect(course, base / "export", ASSIGNMENT)
    assert [r for r in rows if r.result == "error"] == []
    table = {row["student"]: row for row in
             pipeline.grade(course, ASSIGNMENT, jobs=2, settings=SETTINGS, uid_base=UID_BASE, out=lambda line: None)}
    return course, attacks, table


def check_no_attack_earns_a_point(batch):
    course, attacks, table = batch
    scores, maximum = harness.scores(course.root, ASSIGNMENT)
    earns = {**{name: attack.points for name, attack in attacks.items()}, **HONEST}
    wrong = {}
    for name, points in earns.items():
        expected = maximum if points == "all" else dict.fromkeys(maximum, 0.0)
        if scores.get(name, dict.fromkeys(maximum, 0.0)) != expected:
            wrong[name] = {cell: s for cell, s in scores[name].items() if s != expected[cell]}
    assert wrong == {}, f"points not earned (or lost by honest work): {wrong}"
    statuses = {name: table[name]["status"] for name in attacks}
    assert {n: s for n, s in statuses.items() if s not in attacks[n].statuses} == {}, \
        {n: (s, table[n]["detail"]) for n, s in statuses.items() if s not in attacks[n].statuses}
    assert table["reference"]["status"] == "ok"


def check_no_hidden_test_reaches_a_student(batch):
    course, attacks, table = batch
    needles = feedback.hidden_lines(course, ASSIGNMENT)
    for path in course.directory("autograded").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"):
        nb = nbformat.read(path, as_version=4)
        shown = "\n".join(str(output) for cell in nb.cells if cell.cell_type == "code" and not judge.is_test(cell)
                          for output in cell.outputs)
        assert feedback.leaks(shown, needles) == [], f"{path.parts[-3]} printed hidden tests"
    pages = feedback.generate(course, ASSIGNMENT)  # fails if a page shows a hidden line
    assert len(pages) == sum(row["status"] not in ("invalid-notebook", "too-large") for row in table.values())


@pytest.mark.notebook
def test_attacks_gain_nothing(tmp_path):
    """One test, so that one process grades the batch: a second would share the slots' uids."""
    batch = grade_attacks(tmp_path)
    check_no_attack_earns_a_point(batch)
    check_no_hidden_test_reaches_a_student(batch)
    assert all_gone(UID_BASE, UID_BASE + 1), "nothing of the attacks' uids is left running"
