"""Binary junk in place of the notebook."""
STATUS = "invalid-notebook"
DATA = bytes(range(256)) * 64
