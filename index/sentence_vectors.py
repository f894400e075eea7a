"""A paraphrase similarity over chiVe: one vector per sentence, compared by cosine.

A caller says a thing in other words than the plans; the sentence ranker's features are all
surface matches. chiVe places a word near its paraphrases, so a sentence's vector is the
SIF mean (Arora et al., 2017) of the chiVe vectors of its content words (Sudachi normalized
forms; a compound chiVe lacks is read by its mode-A units), each weighted a / (a + p(w))
with p(w) the word's share of the corpus's words, so common words weigh little; optionally
minus the corpus vectors' first principal component (what every sentence shares). ``a`` and
the removal are fitted on JSTS train by Spearman correlation (bench/fit_chive_similarity.py,
bench/results/chive-similarity.md), see ``PARAMETERS``.

The passages' sentences are embedded once, at index time (index/build/sentence_step.py),
and saved with the generation with the word shares and component they were made with; a
query embeds only its own text, with the same shares (so the chiVe table itself is loaded
once per process, ~30 MB).
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from sudachipy import SplitMode

from index.chive import ChiveVectors, chive_dir, edition_of
from index.sentence_file import (
    SentenceFileError,
    check_vectors,
    mismatch,
    read_arrays,
    text_arrays,
    texts_of,
)
from ingest.sudachi import content_morphemes

SENTENCE_VECTORS = "sentence_vectors.npz"
# 1: a format version, the texts without pickles, the chiVe and Sudachi editions; another
# version is rebuilt by the next `planqa index`.
SENTENCE_FORMAT = 1
_KEYS = (
    "text",
    "ends",
    "vectors",
    "share_rows",
    "share_values",
    "component",
    "a",
    "remove_component",
    "edition",
    "chive",
)
# Texts whose chiVe rows an encoder keeps: the bundled plans have ~2,000 sentences.
ROW_CACHE = 16384


@dataclass(frozen=True, slots=True)
class SifParameters:
    a: float  # the SIF smoothing: a word of share p weighs a / (a + p)
    remove_component: bool  # subtract the projection on the corpus's first component


# Fitted on JSTS train (12,451 pairs), Spearman; bench/results/chive-similarity.md.
PARAMETERS = SifParameters(a=0.03, remove_component=True)


def content_rows(text: str, chive: ChiveVectors, edition: str = "core") -> tuple[int, ...]:
    """chiVe rows of the content words of ``text`` in order (words chiVe lacks are left out;
    a compound it lacks is read by its mode-A units). The mode-A split is asked only for
    such a compound: asked for every word it was a third of the build's analysis time."""
    found: list[int] = []
    for morpheme in content_morphemes(unicodedata.normalize("NFKC", text), edition):
        row = _row(chive, morpheme.normalized_form())
        if row is not None:
            found.append(row)
            continue
        for unit in morpheme.split(SplitMode.A):
            row = _row(chive, unit.normalized_form())
            if row is not None:
                found.append(row)
    return tuple(found)


def _row(chive: ChiveVectors, word: str) -> int | None:
    # Words repeat from sentence to sentence; hashing one is pure Python (~10 µs).
    rows = chive.word_rows
    if word not in rows:
        row = chive.row(word)
        if row is None and word.lower() != word:
            row = chive.row(word.lower())
        rows[word] = row
    return rows[word]


class SentenceEncoder:
    """Texts → SIF vectors under fixed word shares and component."""

    def __init__(
        self,
        chive: ChiveVectors,
        shares: Mapping[int, float],
        parameters: SifParameters = PARAMETERS,
        component: np.ndarray | None = None,
        edition: str = "core",
    ) -> None:
        self.chive = chive
        self.shares = shares
        self.parameters = parameters
        self.component = component
        self.edition = edition
        # A process reads the same sentences again and again (a question's candidates).
        self.rows = lru_cache(maxsize=ROW_CACHE)(self._rows)

    def _rows(self, text: str) -> tuple[int, ...]:
        return content_rows(text, self.chive, self.edition)

    @staticmethod
    def shares_of(texts: Iterable[str], chive: ChiveVectors, edition: str = "core") -> dict:
        """Each chiVe row's share of the words of ``texts`` (p(w) of the weights)."""
        return shares(content_rows(text, chive, edition) for text in texts)

    def weight(self, row: int) -> float:
        """a / (a + p(w)); 1 for every word when ``a`` is infinite (the plain mean)."""
        a = self.parameters.a
        return 1.0 if math.isinf(a) else a / (a + self.shares.get(row, 0.0))

    def raw(self, text: str) -> np.ndarray:
        """The weighted mean, before the component is removed (zeros: no known word)."""
        rows = self.rows(text)
        if not rows:
            return np.zeros(self.chive.vectors.shape[1], dtype=np.float32)
        weights = np.asarray([self.weight(r) for r in rows], dtype=np.float32)
        return (weights @ self.chive.vectors[list(rows)]) / len(rows)

    def embed(self, text: str) -> np.ndarray:
        return self._finish(self.raw(text)[None, :])[0]

    def embed_many(self, texts: Iterable[str]) -> np.ndarray:
        raw = np.vstack([self.raw(t) for t in texts]) if texts else np.zeros((0, 300))
        return self._finish(raw)

    def _finish(self, raw: np.ndarray) -> np.ndarray:
        vectors = raw.astype(np.float32, copy=True)
        if self.component is not None and self.parameters.remove_component:
            vectors -= np.outer(vectors @ self.component, self.component)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return vectors / norms


def shares(rows_of_texts: Iterable[tuple[int, ...]]) -> dict[int, float]:
    counts = Counter(row for rows in rows_of_texts for row in rows)
    total = sum(counts.values()) or 1
    return {row: n / total for row, n in counts.items()}


def first_component(raw: np.ndarray) -> np.ndarray | None:
    """The first right singular vector of the raw sentence vectors (SIF's common
    component); None with fewer than two sentences. Taken as the top eigenvector of the
    300 × 300 Gram matrix: an SVD of the sentences × 300 matrix took 2.7 s in a build on
    this busy 2-core machine, this takes milliseconds."""
    if raw.shape[0] < 2:
        return None
    matrix = raw.astype(np.float64)
    _, vectors = np.linalg.eigh(matrix.T @ matrix)
    return vectors[:, -1].astype(np.float32)


@dataclass
class SentenceVectors:
    """The passages' sentence vectors of one generation, and the encoder for a question."""

    texts: list[str]
    vectors: np.ndarray  # float16, unit rows
    encoder: SentenceEncoder
    _at: dict[str, int] | None = None
    _questions: dict[str, np.ndarray] = field(default_factory=dict)

    def vector(self, sentence: str) -> np.ndarray:
        """The stored vector of a passage sentence; embedded now when it is not stored."""
        if self._at is None:
            self._at = {t: i for i, t in enumerate(self.texts)}
        at = self._at.get(sentence)
        if at is not None:
            return self.vectors[at].astype(np.float32)
        return self.encoder.embed(sentence)

    def similarity(self, question: str, sentence: str) -> float:
        asked = self._questions.get(question)
        if asked is None:
            if len(self._questions) > 1024:
                self._questions.clear()
            asked = self._questions[question] = self.encoder.embed(question)
        return float(asked @ self.vector(sentence))

    def alignment(self, question: str, sentence: str) -> float:
        """A soft coverage of the question: each of its words' best cosine with a word of
        the sentence, averaged with the SIF weights (1 where the word itself is there)."""
        encoder = self.encoder
        asked, said = encoder.rows(question), encoder.rows(sentence)
        if not asked or not said:
            return 0.0
        vectors = encoder.chive.vectors
        best = (vectors[list(asked)] @ vectors[list(said)].T).max(axis=1)
        weights = np.asarray([encoder.weight(r) for r in asked], dtype=np.float32)
        return float(weights @ best / weights.sum())

    def save(self, generation: Path) -> None:
        shares = self.encoder.shares
        component = self.encoder.component
        np.savez(
            generation / SENTENCE_VECTORS,
            format=np.asarray(SENTENCE_FORMAT),
            **text_arrays(self.texts),
            vectors=self.vectors.astype(np.float16),
            share_rows=np.fromiter(shares.keys(), dtype=np.int32, count=len(shares)),
            share_values=np.fromiter(shares.values(), dtype=np.float64, count=len(shares)),
            component=component if component is not None else np.zeros(0, dtype=np.float32),
            a=self.encoder.parameters.a,
            remove_component=self.encoder.parameters.remove_component,
            edition=np.asarray(self.encoder.edition),
            chive=np.asarray(self.encoder.chive.edition),
        )

    @classmethod
    def load(cls, generation: Path, chive: ChiveVectors, edition: str = "core") -> SentenceVectors:
        """The generation's sentence vectors; ``SentenceFileError`` when they cannot be used."""
        texts, data = read_sentence_file(generation, edition, chive=chive.edition)
        if data["share_rows"].size and int(data["share_rows"].max()) >= len(chive.vectors):
            raise mismatch("chiVe rows", int(data["share_rows"].max()), len(chive.vectors))
        component = data["component"] if data["component"].size else None
        encoder = SentenceEncoder(
            chive,
            dict(zip(data["share_rows"].tolist(), data["share_values"].tolist(), strict=True)),
            SifParameters(float(data["a"]), bool(data["remove_component"])),
            component,
            edition,
        )
        return cls(texts, data["vectors"], encoder)


def chive_edition(configured: Path | None = None) -> str:
    """The edition of the chiVe in use: a configured vocab folder's (its parent's name) or
    the installed wheel's (``ja_ginza-5.3.0``); empty without."""
    return edition_of(chive_dir(configured))


def read_sentence_file(
    generation: Path,
    edition: str = "core",
    parameters: SifParameters = PARAMETERS,
    chive: str | None = None,
) -> tuple[list[str], dict[str, np.ndarray]]:
    """The file's sentences and arrays, checked without the chiVe table: format version,
    shapes, and what they were computed with (chiVe and Sudachi editions, SIF parameters);
    ``chive`` is the edition in use (default: the wheel's). ``SentenceFileError`` says why
    they cannot be used."""
    chive = chive_edition() if chive is None else chive
    data = read_arrays(generation / SENTENCE_VECTORS, _KEYS, SENTENCE_FORMAT)
    texts = texts_of(data["text"], data["ends"])
    check_vectors(data["vectors"], len(texts))
    width = data["vectors"].shape[1]
    if data["share_rows"].shape != data["share_values"].shape or data["component"].size not in (
        0,
        width,
    ):
        raise SentenceFileError("ファイルが壊れています", "the file is damaged (word shares)")
    stored = SifParameters(float(data["a"]), bool(data["remove_component"]))
    if stored != parameters:
        raise mismatch("SIF parameters", stored, parameters)
    if str(data["edition"]) != edition:
        raise mismatch("Sudachi edition", str(data["edition"]), edition)
    if str(data["chive"]) != chive:
        raise mismatch("chiVe edition", str(data["chive"]), chive)
    return texts, data


def build_sentence_vectors(
    sentences: Iterable[str],
    chive: ChiveVectors,
    parameters: SifParameters = PARAMETERS,
    edition: str = "core",
) -> SentenceVectors:
    """Embed the corpus's sentences: word shares and component from the corpus itself."""
    texts = list(dict.fromkeys(sentences))
    encoder = SentenceEncoder(chive, {}, parameters, None, edition)
    encoder.shares = shares(encoder.rows(t) for t in texts)
    raw = np.vstack([encoder.raw(t) for t in texts]) if texts else np.zeros((0, 300))
    encoder.component = first_component(raw) if parameters.remove_component else None
    return SentenceVectors(texts, encoder._finish(raw).astype(np.float16), encoder)


@lru_cache(maxsize=1)
def shared_chive(
    cache_dir: Path | None = None, configured: Path | None = None
) -> ChiveVectors | None:
    """The chiVe table, loaded once per process (None without chiVe)."""
    directory = chive_dir(configured)
    return ChiveVectors.load(directory, cache_dir=cache_dir) if directory is not None else None


class LazySentenceVectors:
    """A generation's sentence vectors, read (with the chiVe table) at the first similarity
    asked: a server whose ranker gives the similarity no weight never loads them."""

    def __init__(
        self,
        generation: Path,
        cache_dir: Path | None,
        edition: str = "core",
        chive_folder: Path | None = None,
    ) -> None:
        self.generation = generation
        self.cache_dir = cache_dir
        self.edition = edition
        self.chive_folder = chive_folder  # PLANQA_RETRIEVAL__CHIVE_DIR; None = the wheel
        self._loaded: SentenceVectors | None = None
        self._tried = False

    @property
    def vectors(self) -> SentenceVectors | None:
        """The vectors; None without chiVe or when the file cannot be used (the snapshot
        checked it when it opened and reported why: index/snapshot.py)."""
        if not self._tried:
            self._tried = True
            chive = shared_chive(self.cache_dir, self.chive_folder)
            if chive is not None:
                try:
                    self._loaded = SentenceVectors.load(self.generation, chive, self.edition)
                except SentenceFileError:
                    self._loaded = None
        return self._loaded

    def similarity(self, question: str, sentence: str) -> float:
        """Cosine of the question's and the sentence's vectors; 0 without vectors."""
        vectors = self.vectors
        return vectors.similarity(question, sentence) if vectors is not None else 0.0

    def alignment(self, question: str, sentence: str) -> float:
        """``SentenceVectors.alignment``; 0 without vectors."""
        vectors = self.vectors
        return vectors.alignment(question, sentence) if vectors is not None else 0.0
