"""Keep a loaded index generation out of the garbage collector's full passes.

A generation is some 180,000 tracked Python objects (chunks, term tuples, the lexical
index's dictionaries, the analyses ``Analyzer.warm`` keeps) that live until the next
re-index. CPython's full collection walks every one of them, and it runs inside whichever
request allocates when the long-lived objects have grown by a quarter (the per-text caches
of a server's first questions): 114 ms of CPU on the bundled plans, frozen 0.1 ms
(bench/results/answer_cpu.md, s33-speed).
``gc.freeze`` moves everything alive into a permanent generation the collector skips;
requests' own garbage is still collected as before (by reference counts, and cycles in
the young generations).

A frozen object is never collected, so a retired generation would stay in memory for the
life of the process (its lexical index sits in reference cycles): ``refreeze`` first
unfreezes, collects in full (freeing what was retired), then freezes what is left.
Called where the live index collected in full before (a generation replaced or closed),
and after the first load: start-up pays one full pass (about 0.1 s), once.
Objects that become long-lived after it (the per-text caches questions fill) are not
frozen and are collected as before.
"""

from __future__ import annotations

import gc


def freeze_loaded() -> None:
    """Freeze what is alive now: called once a generation is loaded and warm. Garbage
    already pending is collected first, so it is not frozen with the generation."""
    gc.collect()
    gc.freeze()


def refreeze() -> None:
    """Unfreeze, collect in full (a retired generation's cycles included), freeze again.

    Process-wide: another thread's request objects alive at that moment are frozen too;
    an acyclic one is still freed by its reference count, and a cyclic one at the next
    ``refreeze``."""
    gc.unfreeze()
    freeze_loaded()


__all__ = ["freeze_loaded", "refreeze"]
