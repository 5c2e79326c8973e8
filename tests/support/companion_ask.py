"""`ASK`: a few lines of Python that ask the companion's local channel for its status, run as another account."""

from __future__ import annotations

ASK = ("import json, socket, sys\ns = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])\n"
       "s.sendall(b'{\"id\": 1, \"op\": \"status\"}\\n')\nbuf = b''\n"
       "while b'\\n' not in buf:\n    d = s.recv(65536)\n    if not d: break\n    buf += d\n"
       "sys.stdout.write(buf.decode())\n")
