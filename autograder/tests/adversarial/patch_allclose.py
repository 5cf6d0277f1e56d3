"""Make numpy's comparisons always agree: np.allclose, np.isclose, np.array_equal return True."""
CODE = """
import numpy as np
np.allclose = np.array_equal = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(a, b).shape, dtype=bool)
"""
