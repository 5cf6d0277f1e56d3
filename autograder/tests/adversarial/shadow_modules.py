"""Put fake `numpy` and `course.checkpointing` modules in sys.modules and a numpy.py in the working directory."""
CODE = """
import sys, types
open("numpy.py", "w").write("allclose = lambda *a, **k: True\\n")
fake = types.ModuleType("numpy")
fake.allclose = lambda *a, **k: True
fake.__getattr__ = lambda name: (lambda *a, **k: True)
sys.modules["numpy.fake"] = fake
checkpointing = types.ModuleType("course.checkpointing")
checkpointing.__getattr__ = lambda name: (lambda *a, **k: 0)
sys.modules["course.checkpointing"] = checkpointing
"""
