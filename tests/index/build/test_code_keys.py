"""The build's cache keys hash the code that decides what they cache: a file moved within
the repository must still find that code, or an edit to it would reuse stale results."""

from __future__ import annotations

from index.build import chunk_terms, parsed_files


def test_the_analysis_key_reads_the_sources_it_names():
    missing = [s for s in chunk_terms._SOURCES if not (chunk_terms._ROOT / s).is_file()]
    assert missing == []


def test_the_parsed_files_key_reads_the_ingest_code():
    assert sorted((parsed_files._ROOT / "ingest").rglob("*.py"))
