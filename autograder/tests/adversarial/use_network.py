"""Send the notebook to a server, and fetch answers from one."""
CODE = """
import socket
for host, port in [("1.1.1.1", 53), ("pypi.org", 443), ("127.0.0.1", 22)]:
    try:
        socket.create_connection((host, port), timeout=2).close()
        print("reached", host)
    except OSError as error:
        print("no", host, error)
"""
JAIL_ONLY = True  # unjailed, nothing would contain it
