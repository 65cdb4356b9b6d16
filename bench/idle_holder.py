"""Holds N idle connections to 127.0.0.1:PORT for bench/idle-memory.sh.

Each connection sends one 64-byte message and reads its echo (so every server has really served
it), then stays idle. Prints "held N" once all are open, then waits for standard input to close
before closing them. Usage: python3 idle_holder.py PORT N
"""
import socket
import sys

port, n = int(sys.argv[1]), int(sys.argv[2])
msg = b"m" * 63 + b"\n"
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(msg)
    got = b""
    while len(got) < len(msg):
        chunk = s.recv(len(msg) - len(got))
        if not chunk:
            sys.exit(f"connection {i} closed by the server after {len(got)} bytes")
        got += chunk
    if got != msg:
        sys.exit(f"connection {i}: wrong echo")
    socks.append(s)
print("held", len(socks), flush=True)
sys.stdin.read()
