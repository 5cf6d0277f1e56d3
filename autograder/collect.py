"""Import submissions downloaded from an LMS into nbgrader's submitted/ folder.

Recognised layouts (a folder, or a zip of one):

- Moodle "Download all submissions": a folder per student, named
  "Full Name_12345_assignsubmission_file_", holding what the student uploaded;
- Canvas "Download submissions": flat files "lastnamefirstname_12345_67890_name.ipynb"
  (or "..._LATE_12345_67890_..."), the first number the student's Canvas id;
- plain nbgrader layout: "<student id>/<assignment>/<name>.ipynb".

The LMS number is the nbgrader student id; names from the LMS go into the gradebook. A notebook
lands in submitted/<student>/<assignment>/<notebook>.ipynb: under its own name if that is one of
the assignment's notebooks, otherwise under the assignment's only notebook (students rename
files). Every file gets a row saying where it went or why it could not go anywhere; nothing
stops the batch. Files are read straight from the zip: no member is extracted to disk, so
"../" names cannot escape.
"""
import collections
import dataclasses
import os
import pathlib
import re
import stat
import zipfile
import zlib

MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_?$")
CANVAS_FILE = re.compile(r"^(?P<name>[a-z0-9-]+?)(?:_LATE)?_(?P<id>\d+)_\d+_(?P<file>.+)$")
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")
COPY_SUFFIX = re.compile(r"(-\d+| ?\(\d+\))$")  # "hw-1.ipynb" (Canvas resubmission), "hw (1).ipynb"
IGNORED = ("__MACOSX", ".ipynb_checkpoints")
MAX_BYTES = 100 * 2**20  # far above any notebook; the grader refuses much less (see worker.py)


@dataclasses.dataclass
class Row:
    file: str
    result: str  # placed, updated, unchanged, skipped or error
    student: str = ""
    notebook: str = ""
    reason: str = ""


@dataclasses.dataclass
class Found:
    file: str
    read: object  # () -> bytes
    student: str = ""
    names: dict = dataclasses.field(default_factory=dict)  # first_name/last_name for the gradebook


def files_in(source):
    """(path inside the export, read function, size, refusal reason or "") for every file."""
    source = pathlib.Path(source)
    if source.is_dir():
        for path in sorted(p for p in source.rglob("*") if p.is_file() or p.is_symlink()):
            refused = "a symbolic link" if path.is_symlink() else ""
            yield str(path.relative_to(source)), path.read_bytes, path.lstat().st_size, refused
    elif zipfile.is_zipfile(source):
        archive = zipfile.ZipFile(source)
        for member in archive.infolist():
            if member.is_dir():
                continue
            parts = pathlib.PurePosixPath(member.filename).parts
            refused = ("an unsafe path" if member.filename.startswith("/") or ".." in parts else
                       "a symbolic link" if stat.S_ISLNK(member.external_attr >> 16) else "")
            yield member.filename, lambda m=member: archive.read(m), member.file_size, refused
    else:
        raise FileNotFoundError(f"{source} is neither a folder nor a zip file")


def identify(found, assignment):
    """Fill in whose file `found` is; the reason if that cannot be told, else ""."""
    parts = pathlib.PurePosixPath(found.file).parts
    for folder in parts[:-1]:
        moodle = MOODLE_FOLDER.match(folder)
        if moodle:
            *first, last = moodle["name"].split(" ")
            found.student, found.names = moodle["id"], {"first_name": " ".join(first), "last_name": last}
            return ""
    canvas = CANVAS_FILE.match(parts[-1])
    if canvas:
        found.student, found.names = canvas["id"], {"last_name": canvas["name"]}
        return ""
    if len(parts) >= 3 and parts[-2] == assignment:
        if not STUDENT_ID.match(parts[-3]):
            return f"{parts[-3]!r} is not a usable student id"
        found.student = parts[-3]
        return ""
    return (f"cannot tell whose file this is: expected a Moodle folder 'Name_<id>_assignsubmission_file_', "
            f"a Canvas name 'name_<id>_<id>_file', or '<student>/{assignment}/file'")


def original_name(found):
    name = pathlib.PurePosixPath(found.file).name
    canvas = CANVAS_FILE.match(name)
    return canvas["file"] if canvas else name


def target(found, notebooks):
    """(notebook it is, reason it is not a notebook of the assignment or "")."""
    name = pathlib.PurePosixPath(original_name(found))
    if name.suffix.lower() != ".ipynb":
        return "", "skipped"
    stem = COPY_SUFFIX.sub("", name.stem)
    if stem in notebooks:
        return stem, ""
    if len(notebooks) == 1:
        return notebooks[0], ""
    return "", f"{name.name} is none of the assignment's notebooks ({', '.join(n + '.ipynb' for n in notebooks)})"


def place(found, destination):
    """Write the file to `destination` (atomically); placed, updated or unchanged."""
    data = found.read()
    if destination.exists():
        if destination.read_bytes() == data:
            return "unchanged"
        result = "updated"
    else:
        result = "placed"
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(f".{destination.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, destination)
    return result


def collect(course, source, assignment):
    """Import the export at `source` for `assignment`; a Row for every file in it."""
    notebooks = course.notebooks(assignment)
    rows, wanted = [], collections.defaultdict(list)  # (student, notebook) -> [Found]
    students = {}  # id -> names, for everyone identified, placed or not
    for file, read, size, refused in files_in(source):
        parts = pathlib.PurePosixPath(file).parts
        if any(p in IGNORED for p in parts) or parts[-1].startswith("."):
            continue  # archive and editor litter, not submissions
        if refused:
            rows.append(Row(file, "error", reason=f"refused: {refused}"))
            continue
        found = Found(file, read)
        whose = identify(found, assignment)
        if found.student:
            students.setdefault(found.student, {}).update({k: v for k, v in found.names.items() if v})
        notebook, why_not = target(found, notebooks)
        if why_not == "skipped":
            rows.append(Row(file, "skipped", found.student, reason="not a notebook"))
        elif whose or why_not:
            rows.append(Row(file, "error", found.student, reason=whose or why_not))
        elif size > MAX_BYTES:
            rows.append(Row(file, "error", found.student, reason=f"{size / 2**20:.0f} MB: too large to import"))
        else:
            wanted[found.student, notebook].append(found)
    with course.gradebook() as gradebook:
        for student, names in sorted(students.items()):
            gradebook.update_or_create_student(student, **names)
    for (student, notebook), candidates in sorted(wanted.items()):
        if len(candidates) > 1:
            names = ", ".join(pathlib.PurePosixPath(c.file).name for c in candidates)
            rows += [Row(c.file, "error", student, notebook + ".ipynb",
                         f"{len(candidates)} files for one notebook ({names}): keep one") for c in candidates]
            continue
        found = candidates[0]
        destination = course.directory("submitted") / student / assignment / f"{notebook}.ipynb"
        renamed = "" if original_name(found) == destination.name else f"renamed from {original_name(found)}"
        try:
            rows.append(Row(found.file, place(found, destination), student, destination.name, renamed))
        except (OSError, zipfile.BadZipFile, zlib.error) as error:  # a damaged member: this file only
            rows.append(Row(found.file, "error", student, reason=f"could not be read: {error}"))
    return sorted(rows, key=lambda r: (r.result != "error", r.student, r.file))


def format_rows(rows):
    width = max([len(r.file) for r in rows] + [4])
    lines = [f"{'file':<{width}}  {'result':<9} {'student':<12} {'notebook':<24} reason"]
    lines += [f"{r.file:<{width}}  {r.result:<9} {r.student:<12} {r.notebook:<24} {r.reason}" for r in rows]
    counts = collections.Counter(r.result for r in rows)
    lines.append(", ".join(f"{n} {result}" for result, n in sorted(counts.items())))
    return "\n".join(lines)
