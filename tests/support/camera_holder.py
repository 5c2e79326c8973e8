"""`HOLDER`: a small program that names itself like an app and keeps files open, as a video-call app holds the camera."""

from __future__ import annotations

import textwrap

HOLDER = textwrap.dedent("""
    import ctypes, sys, time
    ctypes.CDLL(None).prctl(15, sys.argv[1].encode(), 0, 0, 0)  # PR_SET_NAME: the app's name in /proc/<pid>/comm
    held = [open(p, "rb") for p in sys.argv[2:]]
    print("ready", flush=True)
    time.sleep(120)
""")
