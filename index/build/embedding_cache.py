"""Every text embedded once per encoder: a vector cache that outlives index generations.

The dense encoder is most of an index build's time, and most texts it sees were embedded
before (an unchanged file re-indexed from scratch, a document indexed again under another
folder, an index deleted and rebuilt). Vectors are kept in one SQLite file next to the
index (``var/cache/embeddings.sqlite``), keyed by the encoder's name, its document prefix,
its revision (what else decides its vectors: use-m3's tokenizer) and the SHA-256 of the
text, so a change of model, prefix or tokenizer never reuses a wrong vector.
SQLite commits are atomic: a build killed while it writes leaves the cache as it was
before that transaction, never a torn vector.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from index.encoders import Encoder

CACHE_FILE = "embeddings.sqlite"
_LOOKUP_BATCH = 500  # SQLite's default limit on bound parameters is 999 (older builds)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL,
    text_hash BLOB NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID
"""


def cache_path(var_dir: Path) -> Path:
    return var_dir / "cache" / CACHE_FILE


def model_key(encoder_name: str, document_prefix: str = "", revision: str = "") -> str:
    """The cache's name for what produced a vector: the encoder, the prefix it was given and
    its revision (none for most encoders, so their keys stay as they were)."""
    key = f"{encoder_name}\x1f{document_prefix}"
    return f"{key}\x1f{revision}" if revision else key


def revision_of(encoder: object) -> str:
    return str(getattr(encoder, "revision", ""))


def encoder_key(encoder: Encoder) -> str:
    """``model_key`` of an encoder object."""
    return model_key(encoder.name, getattr(encoder, "document_prefix", ""), revision_of(encoder))


def text_hash(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class EmbeddingCache:
    """Vectors by (model, text). Open it for one build; ``close`` (or ``with``) at the end."""

    def __init__(self, path: Path, model: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.model = model
        # One build at a time holds the index lock; the timeout covers a reader elsewhere.
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def get_many(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vector of each text that has one (texts without one are left out)."""
        by_hash: dict[bytes, list[str]] = {}
        for text in texts:
            by_hash.setdefault(text_hash(text), []).append(text)
        found: dict[str, np.ndarray] = {}
        hashes = list(by_hash)
        for start in range(0, len(hashes), _LOOKUP_BATCH):
            part = hashes[start : start + _LOOKUP_BATCH]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                f"SELECT text_hash, dim, vector FROM vectors "
                f"WHERE model = ? AND text_hash IN ({marks})",
                [self.model, *part],
            )
            for digest, dim, blob in rows:
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape != (dim,):
                    continue  # a damaged row: embed that text again
                for text in by_hash[digest]:
                    found[text] = vector
        return found

    def put_many(self, pairs: Iterable[tuple[str, np.ndarray]]) -> int:
        """Store vectors in one transaction: all of them or, if killed, none."""
        rows = [
            (self.model, text_hash(text), int(v.shape[0]), np.asarray(v, np.float32).tobytes())
            for text, v in pairs
        ]
        if not rows:
            return 0
        with self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)
        return len(rows)

    def __len__(self) -> int:
        (count,) = self._db.execute(
            "SELECT count(*) FROM vectors WHERE model = ?", [self.model]
        ).fetchone()
        return int(count)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
