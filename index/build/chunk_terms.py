"""Each chunk's analysed terms, saved with its generation so the next build runs Sudachi
only on the chunks it has not seen.

Sudachi over every chunk was most of a one-file re-index that was not embedding (0.5 s of
the bundled plans, 11 s of 10,000 chunks). A chunk's terms depend on its text and context
(its id does not cover the context: the id is compared with both), the analysis settings,
the dictionary and the analysing code, so ``analysis_key`` names all of these; a previous
generation analysed any other way is not reused.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import numpy as np

from index.analyzer import AnalyzerConfig
from index.records import index_parts

NAME = "chunk_terms.npz"
_SEPARATOR = b"\x00"  # never inside a term or an id
# The code whose output is saved: an edit to any of them changes the key.
_SOURCES = (
    "index/analyzer.py",
    "index/records.py",
    "ingest/sudachi.py",
    "ingest/refs.py",
    "question/numerals.py",
)
_ROOT = Path(__file__).resolve().parents[2]


def analysis_key(config: AnalyzerConfig) -> str:
    """What decides a text's terms: settings, dictionary edition and versions, and code."""
    digest = hashlib.sha1(config.key.encode())
    digest.update(config.dictionary.encode())
    for package in ("sudachipy", f"sudachidict-{config.dictionary}"):
        try:
            digest.update(metadata.version(package).encode())
        except metadata.PackageNotFoundError:
            digest.update(b"-")
    for source in _SOURCES:
        path = _ROOT / source
        digest.update(path.read_bytes() if path.exists() else source.encode())
    return digest.hexdigest()[:16]


def chunk_key(chunk_id: str, parts: Sequence[str]) -> str:
    """A chunk as analysed: its id and every part of its indexed text."""
    digest = hashlib.sha1(chunk_id.encode())
    for part in parts:
        digest.update(b"\x1f" + part.encode())
    return digest.hexdigest()[:20]


def chunk_keys(chunks: Sequence) -> list[str]:
    return [chunk_key(c.id, index_parts(c)) for c in chunks]


def _pack(strings: Sequence[str]) -> np.ndarray:
    return np.frombuffer(_SEPARATOR.join(s.encode() for s in strings), dtype=np.uint8)


def _unpack(packed: np.ndarray) -> list[str]:
    if not len(packed):
        return []
    return [s.decode() for s in packed.tobytes().split(_SEPARATOR)]


def save_terms(
    generation: Path,
    key: str,
    chunk_ids: Sequence[str],
    counts: Sequence[Counter[str]],
    own_terms: Sequence[Sequence[str]],
) -> None:
    """Counts of the indexed text's terms and the set of the own text's terms, per chunk
    (``chunk_ids``: ``chunk_keys`` of the chunks), over one vocabulary."""
    vocabulary: dict[str, int] = {}
    count_columns: list[int] = []
    count_values: list[int] = []
    count_ends = [0]
    own_columns: list[int] = []
    own_ends = [0]
    for count, own in zip(counts, own_terms, strict=True):
        for term, n in count.items():
            count_columns.append(vocabulary.setdefault(term, len(vocabulary)))
            count_values.append(n)
        count_ends.append(len(count_columns))
        own_columns.extend(sorted({vocabulary.setdefault(t, len(vocabulary)) for t in own}))
        own_ends.append(len(own_columns))
    np.savez(
        generation / NAME,
        key=_pack([key]),
        ids=_pack(chunk_ids),
        terms=_pack(list(vocabulary)),
        count_columns=np.asarray(count_columns, dtype=np.int32),
        count_values=np.asarray(count_values, dtype=np.int32),
        count_ends=np.asarray(count_ends, dtype=np.int64),
        own_columns=np.asarray(own_columns, dtype=np.int32),
        own_ends=np.asarray(own_ends, dtype=np.int64),
    )


def analysed_with(generation: Path | None, key: str) -> bool:
    """Whether ``generation``'s chunk terms were analysed with ``key`` (this code, these
    settings and dictionary): an edit to the analysis code leaves the chunks as they were
    but not their terms."""
    if generation is None or not (generation / NAME).exists():
        return False
    try:
        with np.load(generation / NAME) as saved:
            return _unpack(saved["key"]) == [key]
    except (OSError, ValueError, KeyError, UnicodeDecodeError):
        return False


def load_terms(
    generation: Path | None, key: str, wanted: set[str]
) -> dict[str, tuple[Counter[str], tuple[str, ...]]]:
    """The saved (counts, own terms) of the chunks in ``wanted`` (``chunk_keys``), if the
    generation was analysed with ``key``; nothing from a generation without the file."""
    if generation is None or not (generation / NAME).exists():
        return {}
    try:
        with np.load(generation / NAME) as saved:
            if _unpack(saved["key"]) != [key]:
                return {}
            ids = _unpack(saved["ids"])
            terms = _unpack(saved["terms"])
            count_columns = saved["count_columns"].tolist()
            count_values = saved["count_values"].tolist()
            count_ends = saved["count_ends"].tolist()
            own_columns = saved["own_columns"].tolist()
            own_ends = saved["own_ends"].tolist()
    except (OSError, ValueError, KeyError, UnicodeDecodeError):
        return {}  # a damaged file: analyse again
    found: dict[str, tuple[Counter[str], tuple[str, ...]]] = {}
    for row, chunk in enumerate(ids):
        if chunk not in wanted:
            continue
        start, end = count_ends[row], count_ends[row + 1]
        count = Counter(
            dict(
                zip(
                    [terms[c] for c in count_columns[start:end]],
                    count_values[start:end],
                    strict=True,
                )
            )
        )
        own = tuple(terms[c] for c in own_columns[own_ends[row] : own_ends[row + 1]])
        found[chunk] = (count, own)
    return found
