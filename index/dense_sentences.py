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

from ingest.model import Chunk
from ingest.sudachi import split_sentences

DENSE_SENTENCES = "dense_sentences.npz"


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
        """The texts as one UTF-8 run and where each ends (a fixed-width string array
        would give every sentence the longest one's width)."""
        np.savez(
            generation / DENSE_SENTENCES,
            text="".join(self.texts).encode("utf-8"),
            ends=np.cumsum([len(t) for t in self.texts], dtype=np.int64),
            vectors=self.vectors.astype(np.float16),
            encoder=np.asarray(self.encoder),
        )

    @classmethod
    def load(cls, generation: Path) -> DenseSentences | None:
        """The generation's sentence vectors; None when it has none or they are damaged."""
        path = generation / DENSE_SENTENCES
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                text = bytes(data["text"]).decode("utf-8")
                ends = data["ends"].tolist()
                texts = [text[start:end] for start, end in zip([0, *ends], ends, strict=False)]
                return cls(texts, data["vectors"], str(data["encoder"]))
        except (OSError, ValueError, KeyError):
            return None
