"""A plan measure's BM25 document carries the headings of the results sections it continues
(index/build/continued_field.py): real Sudachi, real trace, real index over both plans."""

from __future__ import annotations

import shutil
from pathlib import Path

from index.analyzer import analyzer_config
from index.build import chunk_terms
from index.build.builder import build_index
from index.build.continued_field import continued_texts
from index.loader import load_searcher
from index.records import index_text
from planqa.settings import PathSettings, RetrievalSettings, Settings
from plantrace.store import load_trace


def _new_terms(snapshot, trace) -> list[tuple[int, str]]:
    """(measure row, term) for each term of a continued results heading that the measure's
    own indexed text (context, title, passage) does not hold."""
    analyzer = snapshot.lexical.analyzer
    texts = continued_texts(trace, snapshot.chunks)
    found = []
    for measure_id, headings in texts.items():
        row = snapshot.position[measure_id]
        own = set(analyzer.terms(index_text(snapshot.chunks[row])))
        found += [
            (row, term)
            for heading in headings
            for term in analyzer.terms(heading)
            if term not in own
        ]
    return found


def _scored_rows(snapshot, term: str) -> set[int]:
    column = snapshot.lexical.bm25.column(term)
    return set() if column is None else {int(row) for row in column[0]}


def test_a_measure_is_scored_for_the_words_of_the_results_it_continues(
    indexed_settings, use_encoder
):
    snapshot = load_searcher(indexed_settings, use_encoder).snapshot
    new = _new_terms(snapshot, load_trace(snapshot.generation))
    # The results report names some linked work in words its plan measure never uses.
    assert len(new) >= 10
    missing = [(row, term) for row, term in new if row not in _scored_rows(snapshot, term)]
    assert missing == []


def test_the_field_weight_is_an_index_setting_that_rebuilds(
    indexed_settings, use_encoder, tmp_path: Path
):
    data, var = tmp_path / "plans", tmp_path / "var"
    shutil.copytree(indexed_settings.paths.data_dir, data)
    shutil.copytree(indexed_settings.paths.var_dir, var)
    paths = PathSettings(data_dir=data, var_dir=var)
    build_index([data], Settings(paths=paths), use_encoder)  # the copy's own paths
    assert build_index([data], Settings(paths=paths), use_encoder).unchanged
    off = Settings(paths=paths, retrieval=RetrievalSettings(continued_weight=0.0))
    report = build_index([data], off, use_encoder)
    assert not report.unchanged and report.embedded == 0  # the vectors are reused
    snapshot = load_searcher(off, use_encoder).snapshot
    new = _new_terms(snapshot, load_trace(snapshot.generation))
    assert new and all(row not in _scored_rows(snapshot, term) for row, term in new)


def test_an_edit_to_the_analysis_code_rebuilds_an_unchanged_document_set(
    indexed_settings, use_encoder, tmp_path: Path, monkeypatch
):
    # The same chunks analysed by other code (a new release of the analyzer) hold other
    # terms: the build must not call the index unchanged and keep the old terms.
    data, var = tmp_path / "plans", tmp_path / "var"
    shutil.copytree(indexed_settings.paths.data_dir, data)
    shutil.copytree(indexed_settings.paths.var_dir, var)
    settings = Settings(paths=PathSettings(data_dir=data, var_dir=var))
    build_index([data], settings, use_encoder)
    assert build_index([data], settings, use_encoder).unchanged
    before = chunk_terms.analysis_key(analyzer_config(settings))
    edited_code = tmp_path / "analyzer_edit.py"  # an absolute path joins the key's sources
    edited_code.write_text("# an edit\n", encoding="utf-8")
    monkeypatch.setattr(chunk_terms, "_SOURCES", (*chunk_terms._SOURCES, str(edited_code)))
    edited = chunk_terms.analysis_key(analyzer_config(settings))
    assert edited != before
    report = build_index([data], settings, use_encoder)
    assert not report.unchanged and report.embedded == 0  # the vectors are reused
    generation = load_searcher(settings, use_encoder).snapshot.generation
    assert chunk_terms.analysed_with(generation, edited)
