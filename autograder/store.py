"""Crash-safe files: a record is either there in full or not at all.

The grader may be killed at any instant (SIGKILL, a power cut). Every record is written to a
temporary file next to its final name, flushed to disk and renamed over the final name in one
step (rename is atomic on POSIX file systems), so a reader never sees half a record.
"""
import json
import os
import pathlib


def write_json(path, data):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w") as file:
        json.dump(data, file, indent=1, sort_keys=True)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)  # make the rename itself durable
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def read_json(path):
    """The record at `path`, or None if there is none."""
    try:
        with open(path) as file:
            return json.load(file)
    except FileNotFoundError:
        return None
