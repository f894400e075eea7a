"""Making a rename or a new file survive a crash: the directory entry must reach the disk too.

``os.replace``/``os.link`` change a directory; until the directory itself is fsynced, a power
loss can bring back the old entry. Index generations and uploads both publish that way.
"""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Flush ``path``'s directory entries (the renames and links made in it) to the disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
