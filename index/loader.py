"""One call from settings to a ready searcher (used by the CLI, the app and the eval)."""

from __future__ import annotations

from index.encoders import Encoder
from index.retriever import HybridSearcher, default_dense_weight
from index.snapshot import open_snapshot
from planqa.settings import Settings


def load_searcher(settings: Settings, encoder: Encoder) -> HybridSearcher:
    snapshot = open_snapshot(settings, encoder.name)
    weight = settings.retrieval.dense_weight
    if weight is None:
        weight = default_dense_weight(encoder.name)
    return HybridSearcher(snapshot, encoder if weight > 0 else None, settings.retrieval)
