"""chiVe word vectors read straight from the installed ``ja-ginza`` wheel.

Loading them through spaCy takes seconds and ~700 MB; reading the wheel's files takes
~30 MB (20,000 × 300 float32 rows and a 480,000-key table). The build keeps a neighbour
table over the corpus vocabulary (index/build/neighbour_build.py) and the sentence vectors
of the passages (index/build/sentence_step.py); a query reads the table itself only to
embed its own words (index/sentence_vectors.py). Shared by both halves, so the query path
never imports the build.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.wordvectors import _lookup


def chive_dir(configured: Path | None = None) -> Path | None:
    """The configured vocab folder (``PLANQA_RETRIEVAL__CHIVE_DIR``, checked by the settings),
    else the installed ja-ginza wheel's, else None.

    Found without importing the package: importing it imports spaCy (3 s).
    """
    if configured is not None:
        return configured
    spec = importlib.util.find_spec("ja_ginza")
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(base.glob("ja_ginza-*/vocab"))
    return found[-1] if found else None


def edition_of(directory: Path | None) -> str:
    """The name a sentence-vector file records for these vectors: the wheel's folder
    (``ja_ginza-5.3.0``) or a configured vocab folder's parent; empty without chiVe."""
    return directory.parent.name if directory is not None else ""


@dataclass
class ChiveVectors:
    keys: np.ndarray  # sorted uint64 word hashes
    rows: np.ndarray  # int32 row of each key
    vectors: np.ndarray  # float32 rows × 300, L2-normalised
    word_rows: dict[str, int | None] = field(default_factory=dict)  # words looked up so far
    edition: str = ""  # what the vectors are (edition_of): a file made with others is stale

    @classmethod
    def load(cls, directory: Path, cache_dir: Path | None = None) -> ChiveVectors:
        """Read the wheel's files; the key table (a 480,000-entry msgpack map that takes
        seconds to parse) is kept as a numpy cache in ``cache_dir`` after the first time."""
        # One copy, normalised in place: a second full copy (vectors / norms) was the build's
        # largest transient (+0.4 GB for a moment, whatever the corpus).
        vectors = np.array(np.load(directory / "vectors", mmap_mode="r"), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        vectors /= norms
        keys, rows = _key_table(directory, cache_dir)
        return cls(keys, rows, vectors, edition=edition_of(directory))

    def row(self, word: str) -> int | None:
        return _lookup(self.keys, self.rows, word)


def _key_table(directory: Path, cache_dir: Path | None) -> tuple[np.ndarray, np.ndarray]:
    source = directory / "key2row"
    stamp = f"{source.stat().st_size}-{int(source.stat().st_mtime)}"
    cache = cache_dir / f"chive-keys-{stamp}.npz" if cache_dir else None
    if cache is not None and cache.exists():
        with np.load(cache) as data:
            return data["keys"], data["rows"]
    import srsly

    key2row = srsly.msgpack_loads(source.read_bytes())
    keys = np.fromiter(key2row.keys(), dtype=np.uint64, count=len(key2row))
    rows = np.fromiter(key2row.values(), dtype=np.int32, count=len(key2row))
    order = np.argsort(keys)
    keys, rows = keys[order], rows[order]
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".tmp.npz")
        np.savez(partial, keys=keys, rows=rows)
        partial.replace(cache)
    return keys, rows
