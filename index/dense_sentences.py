"""The passages' sentences embedded by the dense encoder, once, at index time.

The sentence ranker's ``dense_similarity`` (answer/ranker.py) is the cosine of the question's
vector, the one retrieval already encoded for the dense channel, and each candidate
sentence's. The passages' sentences are fixed, so the build embeds them with the chunk
vectors, through the embedding cache (index/build/dense_sentence_step.py), and saves them
with the generation; a question pays only for its own vector. Whatever the configured dense
encoder is (use-m3, a sentence-transformers model), its sentence vectors are made with its
document prefix and read against its query vector, as its passages are.

Shared by both halves: the build writes the file, the query path reads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.sentence_file import (
    SentenceFileError,
    check_vectors,
    mismatch,
    read_arrays,
    text_arrays,
    texts_of,
)
from ingest.model import Chunk
from ingest.sudachi import split_sentences

DENSE_SENTENCES = "dense_sentences.npz"
# 1: a format version and the encoder's name and revision beside its cache key; another
# version is rebuilt by the next `planqa index`.
DENSE_FORMAT = 1
_KEYS = ("text", "ends", "vectors", "encoder", "encoder_name", "encoder_revision")


def passage_sentences(chunks: Iterable[Chunk]) -> list[str]:
    """Every sentence of every passage as the reader splits them (one character or less is
    a stray mark, not a statement), each once, in document order."""
    return list(
        dict.fromkeys(s for chunk in chunks for s in split_sentences(chunk.text) if len(s) > 1)
    )


@dataclass
class DenseSentences:
    """One generation's sentence vectors (unit rows, float16), looked up by sentence text."""

    texts: list[str]
    vectors: np.ndarray
    encoder: str = ""  # the cache key of the encoder that made them (name, prefix, revision)
    encoder_name: str = ""
    encoder_revision: str = ""
    _at: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._at = {text: row for row, text in enumerate(self.texts)}

    def __len__(self) -> int:
        return len(self.texts)

    def __contains__(self, sentence: str) -> bool:
        return sentence in self._at

    def similarities(self, query: np.ndarray, sentences: Sequence[str]) -> list[float]:
        """Cosine of ``query`` (a unit vector) with each sentence's stored vector; 0 for a
        sentence the generation does not hold (nothing is encoded here)."""
        rows = [self._at.get(s, -1) for s in sentences]
        known = [r for r in rows if r >= 0]
        if not known:
            return [0.0] * len(sentences)
        values = (self.vectors[known].astype(np.float32) @ query).tolist()
        found = iter(values)
        return [next(found) if r >= 0 else 0.0 for r in rows]

    def save(self, generation: Path) -> None:
        np.savez(
            generation / DENSE_SENTENCES,
            format=np.asarray(DENSE_FORMAT),
            **text_arrays(self.texts),
            vectors=self.vectors.astype(np.float16),
            encoder=np.asarray(self.encoder),
            encoder_name=np.asarray(self.encoder_name),
            encoder_revision=np.asarray(self.encoder_revision),
        )

    @classmethod
    def read(
        cls,
        generation: Path,
        name: str | None = None,
        revision: str | None = None,
        dim: int | None = None,
    ) -> DenseSentences:
        """The generation's sentence vectors, checked against the encoder the generation
        was built with (``name``, ``revision``, ``dim`` when given); ``SentenceFileError``
        says why they cannot be used (missing, damaged, another version or encoder)."""
        data = read_arrays(generation / DENSE_SENTENCES, _KEYS, DENSE_FORMAT)
        texts = texts_of(data["text"], data["ends"])
        vectors = data["vectors"]
        check_vectors(vectors, len(texts), dim)
        stored = cls(
            texts,
            vectors,
            str(data["encoder"]),
            str(data["encoder_name"]),
            str(data["encoder_revision"]),
        )
        if name is not None and stored.encoder_name != name:
            raise mismatch("encoder", stored.encoder_name, name)
        if revision is not None and stored.encoder_revision != revision:
            raise mismatch("encoder revision", stored.encoder_revision, revision)
        return stored

    @classmethod
    def load(cls, generation: Path) -> DenseSentences | None:
        """The generation's sentence vectors; None when it has none or they are damaged."""
        try:
            return cls.read(generation)
        except SentenceFileError:
            return None
