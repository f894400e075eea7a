"""Building, updating and querying a real index: Chroma on disk, USE-m3, Sudachi BM25."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from index.build.builder import IndexBuildError, build_index
from index.generations import IndexDirectory
from index.loader import load_searcher
from index.retriever import Filters
from index.snapshot import EncoderMismatchError, IndexNotFoundError, open_snapshot
from planqa.settings import PathSettings, Settings

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"
OVERVIEW = PLANS / "jps-4th-midterm-plan-overview.txt"
RESULTS = PLANS / "jps-3rd-midterm-fy2023-results.txt"


def _settings(data_dir: Path, var_dir: Path) -> Settings:
    return Settings(paths=PathSettings(data_dir=data_dir, var_dir=var_dir))


@pytest.fixture()
def built(corpus: Path, tmp_path: Path, use_encoder):
    settings = _settings(corpus, tmp_path / "var")
    report = build_index([corpus], settings, use_encoder)
    return settings, report


def test_search_finds_a_known_measure_first(built, use_encoder):
    settings, report = built
    assert report.embedded == report.chunks > 90
    searcher = load_searcher(settings, use_encoder)
    hits = searcher.search("電話窓口の応答率の目標", 5)
    assert "応答率は70%以上を確保する" in hits[0].chunk.text
    assert hits[0].chunk.refs == ("中期P46", "年度P47", "年度P48")


def test_the_index_saves_the_terms_of_each_passage_for_coverage(built, use_encoder):
    settings, report = built
    searcher = load_searcher(settings, use_encoder)
    snapshot = searcher.snapshot
    saved = snapshot.own_terms
    assert saved is not None and (report.generation / "text_terms.npz").exists()
    assert saved.shape == (len(snapshot.chunks), len(snapshot.lexical.bm25.vocabulary))
    # What the index saved is what analysing the passages now gives.
    snapshot.own_terms = None
    assert (snapshot.text_terms() != saved).nnz == 0


def test_a_question_naming_a_page_gets_the_labelled_chunk_first(built, use_encoder):
    settings, _ = built
    searcher = load_searcher(settings, use_encoder)
    hits = searcher.search("中期P62には何が書いてある？", 5)
    assert hits[0].label_match and "中期P62" in hits[0].chunk.refs
    assert hits[0].chunk.text.startswith("●番号法の改正項目")
    year = searcher.search("年度 p62 の内容", 3)
    assert year[0].chunk.refs == ("年度P62",)


def test_filters_restrict_kind_and_label(built, use_encoder):
    settings, _ = built
    searcher = load_searcher(settings, use_encoder)
    reviews = searcher.search("納付率", 5, Filters.from_mapping({"kind": "review"}))
    assert reviews and {h.chunk.kind for h in reviews} == {"review"}
    labelled = searcher.search("事業所", 5, Filters.from_mapping({"label": "中期p18"}))
    assert labelled and all("中期P18" in h.chunk.refs for h in labelled)
    with pytest.raises(ValueError, match="unknown filter"):
        Filters.from_mapping({"colour": "red"})


def test_reindexing_unchanged_files_embeds_nothing(built, corpus, use_encoder):
    settings, first = built
    second = build_index([corpus], settings, use_encoder)
    assert second.unchanged and second.embedded == 0 and second.reused == first.chunks
    assert second.generation == first.generation
    assert IndexDirectory(settings.paths.index_dir).current() == first.generation
    # A change of analysis settings rebuilds, reusing every embedding.
    other = settings.model_copy(
        update={"sudachi": settings.sudachi.model_copy(update={"split_mode": "C"})}
    )
    rebuilt = build_index([corpus], other, use_encoder)
    assert not rebuilt.unchanged and rebuilt.embedded == 0 and rebuilt.reused == first.chunks
    assert rebuilt.generation != first.generation


def test_a_new_file_is_embedded_and_a_deleted_file_is_removed(built, corpus, use_encoder):
    settings, first = built
    extra = corpus / "追加計画.md"
    extra.write_text(
        "# 追加の計画\n\n窓口の待ち時間を15分未満にする。[中期P200]\n", encoding="utf-8"
    )
    added = build_index([corpus], settings, use_encoder)
    assert added.embedded == 1 and added.chunks == first.chunks + 1
    searcher = load_searcher(settings, use_encoder)
    assert searcher.search("中期P200", 1)[0].chunk.source == "追加計画.md"
    extra.unlink()
    removed = build_index([corpus], settings, use_encoder)
    assert removed.removed == 1 and removed.embedded == 0
    chunks = open_snapshot(settings, use_encoder.name).chunks
    assert all(c.source != "追加計画.md" for c in chunks)
    generations = sorted(p.name for p in settings.paths.index_dir.glob("gen-*"))
    assert len(generations) == 2  # the live one and the one before it


def test_nothing_to_index_keeps_the_previous_index(built, tmp_path: Path, use_encoder):
    settings, first = built
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IndexBuildError, match="previous index is kept"):
        build_index([empty], settings, use_encoder)
    assert IndexDirectory(settings.paths.index_dir).current() == first.generation


def test_querying_with_another_encoder_is_refused(built):
    settings, _ = built
    with pytest.raises(EncoderMismatchError, match="re-index"):
        open_snapshot(settings, "sentence-transformers:/models/ruri-v3")


def test_no_index_yet_says_what_to_run(tmp_path: Path):
    with pytest.raises(IndexNotFoundError, match="planqa index"):
        open_snapshot(_settings(tmp_path, tmp_path / "var"), "use-m3")


def test_an_index_killed_mid_run_leaves_the_previous_one_answering(
    built, corpus: Path, tmp_path: Path, use_encoder
):
    settings, first = built
    for copy in range(6):  # enough new text that embedding takes a while
        target = corpus / f"results-copy-{copy}.txt"
        text = RESULTS.read_text(encoding="utf-8").replace("令和５年度", f"令和５年度（写{copy}）")
        target.write_text(text, encoding="utf-8")
    env = {
        **os.environ,
        "PLANQA_PATHS__DATA_DIR": str(corpus),
        "PLANQA_PATHS__VAR_DIR": str(settings.paths.var_dir),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "index"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    index_dir = settings.paths.index_dir
    deadline = time.monotonic() + 120
    try:
        # Kill while it is writing the new generation (after embedding), else mid-embedding.
        while time.monotonic() < deadline and process.poll() is None:
            if len(list(index_dir.glob("gen-*"))) > 1:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the build finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert IndexDirectory(index_dir).current() == first.generation
    searcher = load_searcher(settings, use_encoder)
    assert len(searcher.snapshot.chunks) == first.chunks
    assert "応答率" in searcher.search("応答率の目標", 1)[0].chunk.text
    manifest = json.loads((first.generation / "manifest.json").read_text())
    assert manifest["encoder"] == "use-m3"
    # The next build cleans the dead folder up and publishes normally.
    for copy in corpus.glob("results-copy-*.txt"):
        copy.unlink()
    after = build_index([corpus], settings, use_encoder)
    assert after.embedded == 0 and after.generation == first.generation
    assert sorted(index_dir.glob("gen-*")) == [first.generation]


def test_the_langchain_retriever_returns_documents_with_labels(built, use_encoder):
    from langchain_core.documents import Document

    from index.langchain_retriever import PlanRetriever

    settings, _ = built
    retriever = PlanRetriever(searcher=load_searcher(settings, use_encoder), k=3)
    documents = retriever.invoke("電話窓口の応答率の目標")
    assert len(documents) == 3 and all(isinstance(d, Document) for d in documents)
    top = documents[0]
    assert "応答率は70%以上を確保する" in top.page_content
    assert top.metadata["labels"] == ["中期P46", "年度P47", "年度P48"]
    assert top.metadata["chunk_id"] == top.id and top.metadata["score"] > 0
    labelled = PlanRetriever(searcher=retriever.searcher, k=5, filters={"kind": "review"}).invoke(
        "納付率"
    )
    assert labelled and {d.metadata["kind"] for d in labelled} == {"review"}


def test_a_question_on_a_period_weighs_up_the_passages_that_state_one(built, use_encoder):
    # The plan's period is written only in a heading, beside none of the question's words.
    settings, _ = built
    searcher = load_searcher(settings, use_encoder)
    snapshot = searcher.snapshot
    assert snapshot.states_period.sum() == 2  # the 3rd and the 4th plan's periods

    def rank_of_period(question: str) -> int:
        hits = searcher.search(question, 20)
        return next(i for i, h in enumerate(hits) if "令和6年4月～令和11年3月" in h.chunk.text)

    questions = ("今度の計画の期間は？", "第4期の計画期間は？")
    assert [rank_of_period(q) for q in questions] == [0, 0]
    snapshot.states_period = np.zeros(len(snapshot.chunks), dtype=bool)  # no period stated
    assert all(rank_of_period(q) > 0 for q in questions)


def test_a_dense_weight_of_zero_never_encodes_the_question(built, use_encoder):
    settings, _ = built
    asked: list[str] = []

    class Counting:
        """The real encoder, recording the questions it is asked to encode."""

        name = use_encoder.name
        dim = use_encoder.dim

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return use_encoder.embed_documents(texts)

        def embed_query(self, text: str) -> list[float]:
            asked.append(text)
            return use_encoder.embed_query(text)

    off = settings.model_copy(
        update={"retrieval": settings.retrieval.model_copy(update={"dense_weight": 0.0})}
    )
    hits = load_searcher(off, Counting()).search("電話窓口の応答率の目標", 5)
    assert hits and "応答率は70%以上を確保する" in hits[0].chunk.text and asked == []
    load_searcher(settings, Counting()).search("電話窓口の応答率の目標", 5)
    assert asked  # at the default weight the dense channel runs
