"""The index the server answers from, swappable while requests are running.

Requests read ``searcher`` once and keep that object, so a re-index (which builds a new
generation and then replaces the reference) never shows a request a half-built state.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from index.builder import BuildReport, build_index
from index.encoders import Encoder
from index.loader import load_searcher
from index.retriever import HybridSearcher
from planqa.settings import Settings


class LiveIndex:
    def __init__(self, settings: Settings, encoder: Encoder) -> None:
        self.settings = settings
        self.encoder = encoder
        self._lock = threading.Lock()
        self._searcher: HybridSearcher | None = None

    @property
    def searcher(self) -> HybridSearcher | None:
        return self._searcher

    def load(self) -> HybridSearcher:
        searcher = load_searcher(self.settings, self.encoder)
        self._searcher = searcher
        return searcher

    def rebuild(self, paths: Sequence[str | Path] | None = None) -> BuildReport:
        """Re-index (default: the data folder) and swap the new generation in."""
        with self._lock:
            report = build_index(
                list(paths or [self.settings.paths.data_dir]), self.settings, self.encoder
            )
            self.load()
            return report
