"""Allocate memory until something breaks: the address-space limit stops it with MemoryError."""
CODE = """
blocks = []
while True:
    blocks.append(bytearray(10**8))
"""
JAIL_ONLY = True
