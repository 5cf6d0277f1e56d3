"""Search every readable file for the hidden tests, solutions and gradebook, and print what it finds."""
CODE = """
import os
found = []
for top in ("/", os.path.expanduser("~"), os.getcwd()):
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev", "usr")]
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith((".ipynb", ".db", ".json", ".py")) and "site-packages" not in path:
                try:
                    text = open(path, errors="replace").read(10**6)
                except OSError:
                    continue
                if "BEGIN HIDDEN" in text or "gradebook" in name or "# -- verdict" in text:
                    found.append(path)
                    print(text)
print("found:", found)
"""
JAIL_ONLY = True  # unjailed, nothing would contain it
