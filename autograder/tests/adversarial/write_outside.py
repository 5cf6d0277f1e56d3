"""Write into the course (gradebook, source notebooks) and anywhere else it can reach."""
CODE = """
import os
for path in ["/work", "/root", "/srv", "/tmp/../etc/passwd", "../../gradebook.db", "../../source", "/usr/lib/evil"]:
    try:
        os.makedirs(path, exist_ok=True)
        open(os.path.join(path, "pwned"), "w").write("x")
        print("wrote", path)
    except OSError as error:
        print("no", path, type(error).__name__)
"""
JAIL_ONLY = True  # unjailed, nothing would contain it
