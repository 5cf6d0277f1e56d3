"""Functions return an object equal to, less than and truthy against everything, with any attribute."""
WHERE = "last"
CODE = """
class Anything:
    __eq__ = __le__ = __lt__ = __ge__ = __gt__ = lambda self, other: True
    __bool__ = lambda self: True
    __int__ = __index__ = lambda self: 0
    __len__ = lambda self: 0
    __iter__ = lambda self: iter([])
    def __getattr__(self, name):
        return Anything()

store_all_schedule = recompute_all_schedule = sqrt_schedule = lambda n: Anything()
revolve_schedule = lambda n, s: Anything()
"""
