"""CPU time of one full garbage collection in a process serving the loaded index, with the
generation frozen (as ``LiveIndex.load`` leaves it: index/frozen_heap.py) and unfrozen.

CPython runs a full collection inside whichever request allocates when the long-lived
objects have grown by a quarter since the last one; its cost is the number of objects it
walks, so this prints what such a request pays. CPU time (``time.process_time``) of the
median of ``--repeats`` collections each way.

    .venv/bin/python bench/gc_pause.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from answer.schemas import AskRequest  # noqa: E402
from api.app import build_service  # noqa: E402
from planqa.settings import Settings  # noqa: E402


def full_collection_ms(repeats: int) -> float:
    """The median CPU time of ``repeats`` full collections, in ms."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        gc.collect()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(
        f"Machine: {platform.processor() or platform.machine()}, nproc {os.cpu_count()}, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.2f}."
    )
    service = build_service(Settings())
    service._assess_leased(AskRequest(question="テスト"))  # the encoder's weights too
    frozen = gc.get_freeze_count()
    print(f"frozen ({frozen} objects): {full_collection_ms(args.repeats):.1f} ms CPU")
    gc.unfreeze()
    tracked = len(gc.get_objects())
    print(f"unfrozen ({tracked} objects): {full_collection_ms(args.repeats):.1f} ms CPU")


if __name__ == "__main__":
    main()
