"""One pin set serves Binder, CI and laptops."""
import pathlib
import re
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _pins(requirements):
    return dict(re.match(r"([A-Za-z0-9_.\[\]-]+)==(\S+)", r).groups() for r in requirements)


def test_binder_pins_match_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    binder = [line.strip() for line in (ROOT / "binder/requirements.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    assert _pins(binder) == _pins(project["dependencies"])


def test_every_dependency_is_pinned_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    loose = [r for r in requirements if "==" not in r]
    assert not loose, f"unpinned: {loose}"
