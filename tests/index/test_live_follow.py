"""How the live index follows generations published elsewhere, against the background poll.

A request that finds its generation deleted while the poll is already loading the published
one waits for that load instead of being refused. Before, the request's own load gave up at once when the lock was held (by the poll loading
the very generation that replaces the deleted one), and the request got 503 although a
loaded index was a moment away: the CI failure of stop 32, a race between the poll and the
first request after ``planqa index`` ran elsewhere. And once closed, it loads nothing
more. Real builds, real Chroma on disk.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from index.build.builder import build_index
from index.live import LiveIndex
from planqa.settings import PathSettings, Settings

LATER = "\n\n●北港支所では、案内札の文字を大きくする。\n"  # own wording: makes a new generation
POLL_LOADING = 1.0  # s the stand-in poll holds the lock before it loads


def test_a_request_for_a_deleted_generation_waits_for_the_load_under_way(
    corpus: Path, tmp_path: Path, use_encoder
):
    settings = Settings(paths=PathSettings(data_dir=corpus, var_dir=tmp_path / "var"))
    first = build_index([corpus], settings, use_encoder).generation
    live = LiveIndex(settings, use_encoder)
    live.load()
    try:
        plan = next(corpus.glob("*.txt"))
        plan.write_text(plan.read_text(encoding="utf-8") + LATER, encoding="utf-8")
        second = build_index([corpus], settings, use_encoder).generation
        shutil.rmtree(first)
        assert live.deleted() == first

        holding = threading.Event()

        def poll_loading() -> None:  # what follow_published's thread does, slowed down
            with live._lock:
                holding.set()
                time.sleep(POLL_LOADING)
                live.load()

        poll = threading.Thread(target=poll_loading)
        poll.start()
        assert holding.wait(10)
        live.follow_deleted()  # the request's path (lease)
        assert live.deleted() is None
        assert live.searcher.snapshot.generation.name == second.name
        poll.join()
    finally:
        live.close()


def test_a_closed_live_index_loads_nothing_published_after(
    corpus: Path, tmp_path: Path, use_encoder
):
    """``close`` ends serving; the background poll, which may have passed its stop check
    just before, must not then load a generation nothing would ever close."""
    settings = Settings(paths=PathSettings(data_dir=corpus, var_dir=tmp_path / "var"))
    build_index([corpus], settings, use_encoder)
    live = LiveIndex(settings, use_encoder)
    live.load()
    live.close()
    plan = next(corpus.glob("*.txt"))
    plan.write_text(plan.read_text(encoding="utf-8") + LATER, encoding="utf-8")
    build_index([corpus], settings, use_encoder)

    assert live.load_published() is False  # what the poll's late call does
    assert live.searcher is None and live.open_generations() == 0
