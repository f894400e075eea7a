"""The terminal bars start no thread, so a build on a terminal forks its helpers too."""

from __future__ import annotations

import io
import threading

from rich.console import Console

from index.build.progress import RichProgress


def test_the_terminal_bars_draw_without_a_thread():
    screen = io.StringIO()
    before = threading.active_count()
    progress = RichProgress(Console(file=screen, force_terminal=True, width=100))
    progress.phase("analyse", 100)
    for _ in range(100):
        progress.advance(1)
    assert threading.active_count() == before
    progress.phase("embed", 10, "texts")
    progress.advance(10)
    progress.close()
    drawn = screen.getvalue()
    assert "analyse" in drawn and "100/100" in drawn and "10/10" in drawn
