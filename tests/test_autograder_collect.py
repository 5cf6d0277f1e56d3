"""`python -m autograder collect` on the sample LMS exports of autograder/samples/lms.

Each export mixes good submissions with files no grader can place; every file must get a row
saying where it went or why not, the good ones must land in submitted/, and the batch must go
on past the bad ones. No notebook is executed here.
"""
import io
import pathlib
import shutil
import sys
import zipfile

import pytest

sys.path[:0] = [str(pathlib.Path(__file__).resolve().parents[i]) for i in (0, 1)]  # the harness, the package
import assignment_harness as harness  # noqa: E402
from autograder import collect  # noqa: E402
from autograder.nbcourse import Course  # noqa: E402

LMS = harness.ROOT / "autograder" / "samples" / "lms"
ASSIGNMENT = "05_checkpointing"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A course with an empty gradebook (creating one takes seconds: nbgrader runs alembic)."""
    course = Course(harness.copy_course(tmp_path_factory.mktemp("template") / "course"))
    course.gradebook().close()
    return course.root


@pytest.fixture
def course(template, tmp_path):
    return Course(shutil.copytree(template, tmp_path / "course"))


def by_file(rows):
    return {row.file: row for row in rows}


def submitted(course):
    return sorted(str(p.relative_to(course.directory("submitted")))
                  for p in course.directory("submitted").rglob("*") if p.is_file())


def test_moodle_zip(course):
    rows = by_file(collect.collect(course, LMS / "moodle_05_checkpointing.zip", ASSIGNMENT))
    mine = "05_checkpointing.ipynb"
    assert rows["Ada Lovelace_1001_assignsubmission_file_/05_checkpointing.ipynb"].result == "placed"
    turing = rows["Alan Turing_1002_assignsubmission_file_/my homework (1).ipynb"]
    assert (turing.result, turing.student, turing.notebook) == ("placed", "1002", mine)
    assert "renamed from my homework (1).ipynb" in turing.reason
    assert rows["Grace Hopper_1003_assignsubmission_onlinetext_/onlinetext.html"].result == "skipped"
    for name in ("first try.ipynb", "final.ipynb"):  # two notebooks, one slot: neither is guessed
        row = rows[f"Edsger Dijkstra_1004_assignsubmission_file_/{name}"]
        assert row.result == "error" and "keep one" in row.reason
    misplaced = rows["05_checkpointing.ipynb"]
    assert misplaced.result == "error" and "cannot tell whose file this is" in misplaced.reason
    assert rows["../escape.ipynb"].result == "error" and "unsafe path" in rows["../escape.ipynb"].reason
    assert not any(file.startswith("__MACOSX") for file in rows), "archive litter gets no row"
    assert submitted(course) == [f"{s}/{ASSIGNMENT}/{mine}" for s in ("1001", "1002", "1003")]
    assert not (course.root.parent / "escape.ipynb").exists()
    with course.gradebook() as gradebook:
        names = {s.id: (s.first_name, s.last_name) for s in gradebook.students}
    assert names == {"1001": ("Ada", "Lovelace"), "1002": ("Alan", "Turing"), "1003": ("Grace", "Hopper"),
                     "1004": ("Edsger", "Dijkstra")}

    again = by_file(collect.collect(course, LMS / "moodle_05_checkpointing.zip", ASSIGNMENT))
    assert again["Ada Lovelace_1001_assignsubmission_file_/05_checkpointing.ipynb"].result == "unchanged"


def test_canvas_folder(course):
    rows = by_file(collect.collect(course, LMS / "canvas_05_checkpointing", ASSIGNMENT))
    assert rows["lovelaceada_1001_555001_05_checkpointing.ipynb"].result == "placed"
    late = rows["turingalan_LATE_1002_555002_05_checkpointing-1.ipynb"]  # a resubmission: Canvas adds "-1"
    assert (late.result, late.student, late.notebook) == ("placed", "1002", "05_checkpointing.ipynb")
    assert rows["hoppergrace_1003_555003_notes.txt"].result == "skipped"
    assert rows["homework.ipynb"].result == "error"
    assert submitted(course) == [f"{s}/{ASSIGNMENT}/05_checkpointing.ipynb" for s in ("1001", "1002")]


def test_plain_folder(course):
    rows = by_file(collect.collect(course, LMS / "plain_05_checkpointing", ASSIGNMENT))
    assert [rows[f"{s}/{ASSIGNMENT}/05_checkpointing.ipynb"].result for s in ("s001", "s002")] == ["placed"] * 2
    assert "not a usable student id" in rows[f"bad id/{ASSIGNMENT}/05_checkpointing.ipynb"].reason
    assert "cannot tell whose" in rows["s003/04_hvp_hutchinson/05_checkpointing.ipynb"].reason
    assert submitted(course) == [f"{s}/{ASSIGNMENT}/05_checkpointing.ipynb" for s in ("s001", "s002")]


def test_updated_submission_and_damaged_member(course, tmp_path):
    """A new upload replaces the old file; a member the zip cannot inflate is one error row, not a crash."""
    good = (LMS / "canvas_05_checkpointing" / "lovelaceada_1001_555001_05_checkpointing.ipynb").read_bytes()
    collect.collect(course, LMS / "canvas_05_checkpointing", ASSIGNMENT)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("lovelaceada_1001_555001_05_checkpointing.ipynb", good.replace(b"sample", b"second"))
        archive.writestr("turingalan_1002_555002_05_checkpointing.ipynb", good * 20)
    data = bytearray(buffer.getvalue())
    second = data.find(b"turingalan_1002") + len("turingalan_1002_555002_05_checkpointing.ipynb")
    data[second + 10: second + 30] = bytes(20)  # damage the second member's compressed data
    export = tmp_path / "canvas.zip"
    export.write_bytes(bytes(data))
    rows = by_file(collect.collect(course, export, ASSIGNMENT))
    assert rows["lovelaceada_1001_555001_05_checkpointing.ipynb"].result == "updated"
    damaged = rows["turingalan_1002_555002_05_checkpointing.ipynb"]
    assert damaged.result == "error" and "could not be read" in damaged.reason
