"""Shared test settings: hypothesis runs the same examples on every machine (no flaky CI)."""
from hypothesis import settings

settings.register_profile("course", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("course")
