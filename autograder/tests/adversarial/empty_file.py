"""An empty file."""
STATUS = "invalid-notebook"
DATA = b""
