"""Lexical search: Sudachi terms, BM25, and query expansion (glossary, chiVe neighbours).

The words a caller types count fully; glossary equivalents and word-vector neighbours are
added with lower weights, so a paraphrase (電話がつながる割合) can reach the plan's words
(応答率) without drowning an exact match.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from index.analyzer import Analyzer
from index.bm25 import Bm25Index
from index.csc import stored_positions
from index.glossary import Glossary, squashed
from index.sentence_vectors import LazySentenceVectors
from index.wordvectors import NeighbourTable
from question.stoplist import QUESTION_WORDS

_KANJI = re.compile(r"[\u4e00-\u9fff]")
_NATIVE = re.compile(r"[\u4e00-\u9fff]+[\u3041-\u309f]+")  # kanji, then okurigana
_COMPOUND = re.compile(r"[\u4e00-\u9fff]{2,}")
_KATAKANA = re.compile(r"[\u30a1-\u30faー]+")
_CLIPPED_LEAST = 3  # kana a clipped loanword keeps (テレワ); two are often a word of their own


@dataclass(frozen=True, slots=True)
class ExpansionConfig:
    neighbour_weight: float = 0.5  # × similarity, for each chiVe neighbour
    min_similarity: float = 0.7
    glossary_weight: float = 0.5
    drop_question_words: bool = True
    # A neighbour below ``min_similarity`` still counts from this similarity on when the
    # word is native and the neighbour the Sino-Japanese compound written with its kanji
    # (確かめる → 確認, 難しい → 困難; ``native_and_compound``), while chiVe's neighbours
    # at that distance are otherwise loose (合う, 物). 1.0 = never; the service's is
    # RetrievalSettings.kanji_similarity (0.5, bench/results/kanji_neighbours.md).
    kanji_similarity: float = 1.0
    # A katakana word the index does not hold reaches the indexed loanwords it clips, at
    # the glossary weight (アセス → アセスメント; ``clipped_loanwords``).
    clipped_loanwords: bool = False


class LexicalSearcher:
    def __init__(
        self,
        analyzer: Analyzer,
        bm25: Bm25Index,
        *,
        neighbours: NeighbourTable | None = None,
        glossary: Glossary | None = None,
        expansion: ExpansionConfig | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.bm25 = bm25
        self.neighbours = neighbours
        self.glossary = glossary or Glossary()
        self.expansion = expansion or ExpansionConfig()
        # The generation's chiVe sentence vectors (index/sentence_vectors.py), set by the
        # snapshot; the reader's paraphrase similarity.
        self.sentence_vectors: LazySentenceVectors | None = None
        # Sentences, headings and recent questions repeat (a process-wide cache).
        self.cached_terms = analyzer.cached_terms
        # The glossary's phrases are the same for every question: analysed once, here, so
        # a new question costs Sudachi over the question alone (~100 phrases otherwise).
        self._phrases: dict[str, tuple[str, ...]] = {
            term: self.cached_terms(term) for group in self.glossary.all_groups for term in group
        }
        self._loanwords: tuple[str, ...] | None = None  # the index's katakana terms, when asked
        self._groups = lru_cache(maxsize=1024)(self._term_groups)
        self._weighted = lru_cache(maxsize=1024)(self._weighted_groups)
        self._glossary_words = lru_cache(maxsize=4096)(self._words_of_phrase)
        # A phrase's equivalents depend on this generation alone (its glossary, neighbours
        # and analyzer): the decline signals ask them of each question's words and compounds,
        # several times per question and again for the next question using them.
        self._equivalents = lru_cache(maxsize=4096)(self._equivalents_of)
        # Each word of a dictionary group's terms → the groups holding it: a term occurs
        # only when all its words are the question's, so one of them must be.
        self._word_index: dict[str, list[int]] = {}
        for index, group in enumerate(self.glossary.word_groups):
            for term in group:
                for word in self._glossary_terms(term):
                    self._word_index.setdefault(word, []).append(index)
        # Each staff group under the first character of its terms as compared (squashed)
        # and under their words: a term occurs in a question as written or by its words, so
        # a question tests only the groups its characters or words can reach.
        self._staff_by_key: dict[str, set[int]] = {}
        for index, group in enumerate(self.glossary.groups):
            for term in group:
                keys = {squashed(term)[:1], *self._glossary_terms(term)}
                for key in keys:
                    self._staff_by_key.setdefault(key, set()).add(index)

    def term_groups(self, question: str) -> dict[str, dict[str, float]]:
        """A copy of the cached term groups of ``question`` (see ``_term_groups``)."""
        return {term: dict(group) for term, group in self._groups(question).items()}

    def _term_groups(self, question: str) -> dict[str, dict[str, float]]:
        """Each typed term with the terms that may stand for it, and their weights.

        The typed term itself weighs 1; its chiVe neighbours 0.5 × similarity; glossary
        equivalents of a phrase containing it the glossary weight.
        """
        config = self.expansion
        typed = [
            t
            for t in self.cached_terms(question)
            if not (config.drop_question_words and t in QUESTION_WORDS)
        ]
        groups: dict[str, dict[str, float]] = {t: {t: 1.0} for t in typed}
        typed_set = set(typed)
        for phrase, present in self.glossary.matches(
            question, typed_set, self._glossary_terms, self._word_groups_of, self._staff_groups_of
        ):
            owners = [t for t in typed if t in self._glossary_terms(present)] or typed[:1]
            for term in self._phrase_terms(phrase):
                if term in QUESTION_WORDS:
                    continue
                for owner in owners:
                    group = groups[owner]
                    group[term] = max(group.get(term, 0.0), config.glossary_weight)
        if self.neighbours is not None and config.neighbour_weight > 0:
            for term in groups:
                for neighbour, similarity in self.neighbours.neighbours(term):
                    if similarity >= config.min_similarity or (
                        similarity >= config.kanji_similarity
                        and native_and_compound(term, neighbour)
                    ):
                        extra = config.neighbour_weight * similarity
                        groups[term][neighbour] = max(groups[term].get(neighbour, 0.0), extra)
        if config.clipped_loanwords:
            for term in groups:
                for longer in self._clipped_from(term):
                    groups[term][longer] = max(
                        groups[term].get(longer, 0.0), config.glossary_weight
                    )
        counts = Counter(typed)
        for term, count in counts.items():
            groups[term][term] = float(count)
        return groups

    def _clipped_from(self, term: str) -> list[str]:
        """The indexed loanwords ``term`` is the clipped front of (アセス of
        アセスメント, テレワ of テレワーク), when ``term`` is katakana the index does not
        hold: a caller shortens a long loanword by keeping its front (see
        ``clipped_loanwords``)."""
        if not _KATAKANA.fullmatch(term) or term in self.bm25.vocabulary:
            return []
        if self._loanwords is None:
            self._loanwords = tuple(t for t in self.bm25.vocabulary if _KATAKANA.fullmatch(t))
        return [word for word in self._loanwords if clipped_front(term, word)]

    def query_weights(self, question: str) -> dict[str, float]:
        weights: dict[str, float] = {}
        for group in self._groups(question).values():
            for term, weight in group.items():
                weights[term] = max(weights.get(term, 0.0), weight)
        return weights

    def coverage(self, question: str, text: str) -> float:
        """IDF-weighted share of the question's typed terms that ``text`` contains, counting
        an equivalent (glossary, chiVe) at its weight. Used to decline unanswerable questions
        and to rescale retrieval candidates.
        """
        return self.coverage_of(question, set(self.cached_terms(text)))

    def coverage_of(
        self,
        question: str,
        present: Collection[str],
        *,
        nearby: Collection[str] = (),
        nearby_weight: float = 0.0,
    ) -> float:
        """``coverage`` for a text already analysed into the set of its terms; a term found
        only ``nearby`` (the headings above a sentence) counts ``nearby_weight`` of itself."""
        return self.coverage_and_own(question, present, nearby, nearby_weight)[0]

    def coverage_and_own(
        self,
        question: str,
        present: Collection[str],
        nearby: Collection[str] = (),
        nearby_weight: float = 0.0,
    ) -> tuple[float, float]:
        """``coverage_of`` with ``nearby``, and without it (the text's own terms alone), in
        one pass over the question's terms: a candidate sentence is scored both ways
        (answer/coverage.py). Each is summed in the order ``coverage_of`` sums it alone."""
        weighted, total = self._weighted(question)
        if not weighted:
            return 0.0, 0.0
        found = own = 0.0
        for idf, group in weighted:
            best = best_own = 0.0
            for t, w in group:
                if t in present:
                    best = max(best, w)
                    best_own = max(best_own, w)
                elif t in nearby:
                    best = max(best, w * nearby_weight)
            found += idf * best
            own += idf * best_own
        return (found / total, own / total) if total else (0.0, 0.0)

    def _weighted_groups(
        self, question: str
    ) -> tuple[tuple[tuple[float, tuple[tuple[str, float], ...]], ...], float]:
        """The question's term groups as ``coverage_and_own`` reads them: each typed term's
        idf with its members' weights capped at 1, and the idfs' sum, in the groups' order.
        Read once per question, not once per candidate sentence (a dozen a question)."""
        weighted = tuple(
            (self.bm25.idf(term), tuple((t, min(1.0, w)) for t, w in group.items()))
            for term, group in self._groups(question).items()
        )
        total = 0.0
        for idf, _ in weighted:
            total += idf
        return weighted, total

    def coverages(
        self,
        question: str,
        present: sparse.csc_matrix,
        rows: Sequence[int],
        *,
        nearby: sparse.csc_matrix | None = None,
        nearby_weight: float = 0.0,
    ) -> np.ndarray:
        """``coverage_of`` for many documents at once.

        ``present`` and ``nearby`` are documents × this index's vocabulary (any value > 0
        means the term is there: a presence matrix, the BM25 weights); ``rows`` picks the
        documents. Only the columns of the question's terms and their equivalents are read.
        """
        groups = self._groups(question)
        vocabulary = self.bm25.vocabulary
        columns = sorted({vocabulary[t] for g in groups.values() for t in g if t in vocabulary})
        total = sum(self.bm25.idf(term) for term in groups)
        if not columns or total <= 0:
            return np.zeros(len(rows), dtype=np.float32)
        picked = np.asarray(rows, dtype=np.int64)

        def read(matrix: sparse.csc_matrix) -> np.ndarray:
            return _present(matrix, columns, picked)

        # A term counts fully where present, ``nearby_weight`` where only nearby.
        strength = read(present)
        if nearby is not None and nearby_weight > 0:
            strength = np.maximum(strength, nearby_weight * read(nearby))
        position = {column: i for i, column in enumerate(columns)}
        found = np.zeros(len(rows), dtype=np.float32)
        for term, group in groups.items():
            members = [
                (position[vocabulary[t]], min(1.0, w)) for t, w in group.items() if t in vocabulary
            ]
            if not members:
                continue
            index = [i for i, _ in members]
            weight = np.asarray([w for _, w in members], dtype=np.float32)
            found += self.bm25.idf(term) * (strength[:, index] * weight).max(axis=1)
        return found / total

    def equivalents(self, phrase: str, *, min_similarity: float = 1.1) -> list[str]:
        """Other wordings of ``phrase``: glossary and synonym terms of a group it belongs
        to, and the chiVe neighbours of its single word at least ``min_similarity`` close
        (as surface-comparable plan words)."""
        return list(self._equivalents(phrase, min_similarity))

    def _equivalents_of(self, phrase: str, min_similarity: float) -> tuple[str, ...]:
        terms = set(self.cached_terms(phrase))
        found = [
            t
            for t, _ in self.glossary.matches(
                phrase, terms, self._glossary_terms, self._word_groups_of, self._staff_groups_of
            )
        ]
        words = self.cached_terms(phrase)
        if self.neighbours is not None and len(words) == 1:
            # Measured: neighbours of a whole compound (保険料率 → 管掌, 一時金 → 受給) made
            # unanswerable questions look known; a single word's neighbours do not.
            for word in words:
                found += [
                    neighbour
                    for neighbour, similarity in self.neighbours.neighbours(word)
                    if min_similarity <= similarity < 0.999  # 1.0: a row shared by many keys
                ]
        return tuple(dict.fromkeys(found))

    def _staff_groups_of(self, text: str, words: set[str]) -> set[int]:
        """The staff groups a question (``text`` squashed, its ``words``) may hold a term of;
        a term squashed to nothing (key '') is in every text."""
        by_key = self._staff_by_key
        found = set(by_key.get("", ()))
        for key in {*text, *words}:
            found.update(by_key.get(key, ()))
        return found

    def _word_groups_of(self, words: set[str]) -> set[int]:
        return {index for word in words for index in self._word_index.get(word, ())}

    def _phrase_terms(self, phrase: str) -> tuple[str, ...]:
        known = self._phrases.get(phrase)
        return known if known is not None else self.cached_terms(phrase)

    def _glossary_terms(self, phrase: str) -> frozenset[str]:
        """A glossary phrase's words, question words aside; asked for every phrase of every
        candidate group of every question, so kept."""
        return self._glossary_words(phrase)

    def _words_of_phrase(self, phrase: str) -> frozenset[str]:
        return frozenset(t for t in self._phrase_terms(phrase) if t not in QUESTION_WORDS)

    def scores(self, question: str) -> np.ndarray:
        return self.bm25.scores(self.query_weights(question))


def native_and_compound(word: str, other: str) -> bool:
    """Whether ``word`` is a native word written with kanji and okurigana (確かめる, 難しい,
    休み) and ``other`` a Sino-Japanese compound, all kanji, sharing one of its kanji
    (確認, 困難, 休暇): the reading changes, the written meaning stays. Two compounds sharing
    a kanji are often unrelated (国民 and 国家, 親族 and 遺族), so they do not count."""
    if not _NATIVE.fullmatch(word) or not _COMPOUND.fullmatch(other):
        return False
    return any(ch in other for ch in word if _KANJI.fullmatch(ch))


def clipped_front(short: str, word: str) -> bool:
    """Whether ``short`` is ``word`` clipped: its front, of three kana or more and keeping
    at least half of it (アセス of アセスメント, テレワ of テレワーク). A shorter front
    is another word as often as a clipping (プロ is the professional, not プロセス)."""
    return (
        word != short
        and word.startswith(short)
        and len(short) >= _CLIPPED_LEAST
        and 2 * len(short) >= len(word)
    )


def _present(matrix: sparse.csc_matrix, columns: Sequence[int], rows: np.ndarray) -> np.ndarray:
    """1.0 where a picked document (``rows``, in that order) has a value > 0 in a column:
    read from the CSC arrays in one gather (index/csc.py); retrieval calls this twice per
    search."""
    if not len(rows) or not len(columns):
        return np.zeros((len(rows), len(columns)), dtype=np.float32)
    unique, inverse = np.unique(rows, return_inverse=True)  # picked rows may repeat
    position = np.full(matrix.shape[0], -1, dtype=np.int64)
    position[unique] = np.arange(len(unique))
    stored, lengths = stored_positions(matrix.indptr, columns)
    found = position[matrix.indices[stored]]
    keep = (found >= 0) & (matrix.data[stored] > 0)
    marks = np.zeros((len(unique), len(columns)), dtype=np.float32)
    marks[found[keep], np.repeat(np.arange(len(columns)), lengths)[keep]] = 1.0
    return marks[inverse]
