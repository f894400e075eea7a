"""Processes a build forks end with it.

A build killed outright (SIGKILL, the OOM killer) runs no clean-up, and the processes it
forked (the encoder's workers, the Chroma writer) would go on: holding copies of the index
lock (a later build would wait for them) and of each other's pipes (so none of them ever sees
its input end). Linux kills them when their parent dies if they ask.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a forked process: be killed when ``parent`` (the process that forked this one)
    ends, and end now if it already has."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)
