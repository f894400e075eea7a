"""One parser per document format, chosen per file by ``detect``.

A parser is a module with ``NAME``, ``detect(doc) -> bool`` and
``parse(doc, *, max_chars) -> list[Chunk]``. Specific formats come first; ``generic``
accepts anything and comes last.
"""

from __future__ import annotations

from types import ModuleType

from ingest.model import LoadedDocument
from ingest.parsers import generic, overview, results

PARSERS: tuple[ModuleType, ...] = (overview, results, generic)


def choose_parser(doc: LoadedDocument) -> ModuleType:
    for parser in PARSERS:
        if parser.detect(doc):
            return parser
    return generic


__all__ = ["PARSERS", "choose_parser", "generic", "overview", "results"]
