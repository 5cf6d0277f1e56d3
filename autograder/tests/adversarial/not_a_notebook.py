"""Valid JSON, but not a notebook."""
STATUS = "invalid-notebook"
DATA = b'{"grades": {"everything": 100}}'
