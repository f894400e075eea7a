"""Ingest: plan files → pages → clean text → chunks with plan-page labels."""

from ingest.errors import IngestError
from ingest.loaders import SUPPORTED_SUFFIXES, load_document
from ingest.model import Chunk, LoadedDocument, Page
from ingest.pipeline import FileResult, IngestReport, ingest_file, ingest_paths
from ingest.refs import extract_refs, labels_in_query, parse_bracket_content
from ingest.sudachi import analyze, split_sentences, tokenize

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Chunk",
    "FileResult",
    "IngestError",
    "IngestReport",
    "LoadedDocument",
    "Page",
    "analyze",
    "extract_refs",
    "ingest_file",
    "ingest_paths",
    "labels_in_query",
    "load_document",
    "parse_bracket_content",
    "split_sentences",
    "tokenize",
]
