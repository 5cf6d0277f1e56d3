"""Patch the modules the observations are encoded with (base64, float.hex's users) to send junk."""
CODE = """
import base64
import course.observe
base64.b64encode = lambda data: b"!!not base64!!"
course.observe.encode = lambda value, depth=0: {"array": {"dtype": "|O", "shape": [10**9], "data": ""}}
"""
