"""Print without end: the output limit stops the notebook."""
CODE = """
while True:
    print("x" * 10**6)
"""
STATUS = "output-limit"
