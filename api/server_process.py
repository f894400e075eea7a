"""Process-wide settings of a serving process, applied once by ``create_app``.

Both answer the same measurement (bench/fault_load.py, 2 cores): a server answering in a
worker thread and re-indexing in another.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys

# Answers run in a worker thread that holds the GIL; a 1 ms switch interval (Python's
# default is 5 ms) gives the event loop its turn sooner, so /health and request I/O do not
# wait behind answer work (issue 15 row 8).
GIL_SWITCH_INTERVAL = 0.001
# glibc gives each thread that contends for malloc its own arena and keeps their freed
# pages. Server RSS after re-index 1 → 50 under 16 askers: 601 → 727 MB with the default
# (8 arenas per core), 601 → 675 MB with this call (arenas made before it, while the
# encoder loads, remain); MALLOC_ARENA_MAX=2 in the environment, set before the process
# starts, gave 574 → 605 MB over 20 re-indexes.
MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt parameter number, from glibc's malloc.h


def tune_server_process() -> None:
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").mallopt(_M_ARENA_MAX, MALLOC_ARENAS)
