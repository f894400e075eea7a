"""What the trace fitters read: the bundled plans ingested and analysed as the index build
does (bench/fit_trace.py, bench/fit_trace_model.py), and the labelled links."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from eval.trace import TraceGold, load_trace_gold
from index.analyzer import Analyzer, analyzer_config
from index.build.analysis_step import analyse_chunks
from ingest.model import Chunk
from ingest.pipeline import ingest_paths
from planqa.settings import Settings


@dataclass(frozen=True)
class TraceInputs:
    settings: Settings
    gold: list[TraceGold]
    chunks: list[Chunk]
    analyzer: Analyzer
    counts: list[Counter[str]]
    own_terms: list[list[str]]


def trace_inputs(gold: Path) -> TraceInputs:
    settings = Settings()
    chunks = ingest_paths([settings.paths.data_dir]).chunks
    analyzer = Analyzer(analyzer_config(settings))
    counts, own_terms = analyse_chunks(chunks, analyzer)
    return TraceInputs(settings, load_trace_gold(gold), chunks, analyzer, counts, own_terms)
