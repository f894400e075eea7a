"""Index: chunks → Chroma + BM25 → ranked chunks."""

from index.builder import BuildReport, IndexBuildError, build_index
from index.encoders import Encoder, EncoderError, build_encoder
from index.retriever import Filters, Hit, HybridSearcher, PlanRetriever
from index.snapshot import EncoderMismatchError, IndexNotFoundError, Snapshot, open_snapshot

__all__ = [
    "BuildReport",
    "Encoder",
    "EncoderError",
    "EncoderMismatchError",
    "Filters",
    "Hit",
    "HybridSearcher",
    "IndexBuildError",
    "IndexNotFoundError",
    "PlanRetriever",
    "Snapshot",
    "build_encoder",
    "build_index",
    "open_snapshot",
]
