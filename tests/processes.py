"""What still runs: the tests' view of /proc, waiting a moment for signals to land."""
import pathlib
import time


def _pids(matches):
    found = []
    for process in pathlib.Path("/proc").glob("[0-9]*"):
        try:
            if matches(process):
                found.append(process.name)
        except OSError:  # the process ended meanwhile
            pass
    return found


def _of_uid(uid, process):
    fields = dict(line.split(":", 1) for line in (process / "status").read_text().splitlines() if ":" in line)
    # zombies hold nothing: they wait for a reaper
    return fields["Uid"].split()[0] == str(uid) and not fields["State"].strip().startswith("Z")


def _waited(find, within):
    """find() until it finds nothing or `within` seconds have passed (SIGKILL takes a moment); its last result."""
    deadline = time.monotonic() + within
    while (found := find()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def all_gone(*uids, within=10):
    """Whether every process of `uids` has ended within `within` seconds."""
    return not _waited(lambda: _pids(lambda p: any(_of_uid(uid, p) for uid in uids)), within)


def commands_mentioning(text, within=10):
    """Processes whose command line mentions `text` and still run after `within` seconds."""
    return _waited(lambda: _pids(lambda p: text.encode() in (p / "cmdline").read_bytes()), within)
