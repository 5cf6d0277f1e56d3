"""Send observations of its own (empty schedules) before each test's, then silence the real ones."""
CODE = """
import course.observe
from IPython.display import display

def forged(**values):
    display({course.observe.MIME: {name: course.observe.encode([]) for name in values}}, raw=True)
    return values

course.observe.observe = forged
observe = forged
"""
