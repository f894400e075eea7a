"""Hybrid retrieval: label lookup, Sudachi BM25 with expansion, dense vectors, fused.

A question that names a plan page (中期P62, 資料1-3 6ページ) gets the chunks carrying that
label first, through the metadata. The rest is ranked by weighted fusion of the lexical and
dense lists; the dense weight depends on the encoder (measured on the gold set).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from index import phrase
from index.encoders import Encoder
from index.filters import Filters
from index.fusion import weighted_rrf, weighted_scores
from index.ngrams import normalized_bigrams
from index.proximity import best_sentence_coverage
from index.snapshot import Snapshot
from ingest.model import Chunk
from planqa.settings import RetrievalSettings
from question.analysis import QuestionAnalysis, analyse

# For a question that only names a page, the headline content of that page comes first.
KIND_PRIORITY = {
    "measure": 0,
    "fy_result": 1,
    "result": 2,
    "sub_measure": 3,
    "heading": 4,
    "fy_plan": 5,
    "plan_summary": 6,
    "table": 7,
    "review": 8,
    "concept": 8,
    "text": 9,
}
_MATERIAL_LABEL_RE = re.compile(r"(資料\d+-\d+) P(\d+)")

# Dense weight per encoder family when none is configured (score fusion), measured on the
# gold set by bench/retrieval_tuning.py; e5-small-q4's chosen by cross-validation with
# USE-m3 off (bench/results/e5_levers.md).
DEFAULT_DENSE_WEIGHTS = {"use-m3": 0.1, "e5-small-q4": 0.1, "sentence-transformers": 1.0}


def default_dense_weight(encoder_name: str) -> float:
    family = encoder_name.split(":", 1)[0]
    return DEFAULT_DENSE_WEIGHTS.get(family, 0.5)


@dataclass
class Hit:
    chunk: Chunk
    score: float
    label_match: bool = False
    lexical_rank: int | None = None
    dense_rank: int | None = None
    matched: dict[str, float] = field(default_factory=dict)


# Query vectors a searcher keeps: a question's is read by its search and then its answer.
QUERY_VECTORS = 256

# A period question is answered by one of the few passages that state a period (4 of 634
# in the bundled plans), while its word 期間 is rare enough to pull every 保存期間 and
# 受給資格期間 up. The intent weight (1.3) let 第4期の計画期間は？ rank the 保存期間 measure
# above the 4th plan's heading in the plan overview alone; 2.0 does not. Gold set unchanged.
STATED_PERIOD_FACTOR = 2.0


class HybridSearcher:
    def __init__(
        self, snapshot: Snapshot, encoder: Encoder | None, settings: RetrievalSettings
    ) -> None:
        self.snapshot = snapshot
        self.encoder = encoder
        self.settings = settings
        name = snapshot.encoder_name
        self.dense_weight = (
            settings.dense_weight
            if settings.dense_weight is not None
            else default_dense_weight(name)
        )
        # Each section with the code and name a question may call it by, folded once.
        self._sections = [
            (section, _section_code(section), _section_name(section))
            for section in sorted({c.section for c in snapshot.chunks if c.section}, key=len)
        ]
        self._volumes = _sections_per_volume(snapshot.by_label)
        self._query_vectors: dict[str, np.ndarray] = {}

    def query_vector(self, text: str) -> np.ndarray | None:
        """The dense encoder's unit vector of a search text, encoded once per text: the dense
        channel and the sentence ranker's ``dense_similarity`` (answer/rank.py) read the same
        vector. None without an encoder (a dense weight of 0)."""
        if self.encoder is None:
            return None
        vector = self._query_vectors.get(text)
        if vector is None:
            if len(self._query_vectors) >= QUERY_VECTORS:  # the oldest goes
                self._query_vectors.pop(next(iter(self._query_vectors), ""), None)
            vector = np.asarray(self.encoder.embed_query(text), dtype=np.float32)
            self._query_vectors[text] = vector
        return vector

    def search(
        self,
        question: str | QuestionAnalysis,
        k: int | None = None,
        filters: Filters | None = None,
        *,
        dense: bool = True,
    ) -> list[Hit]:
        """The ``k`` best chunks for a question (analysed here when given as text);
        ``dense=False`` leaves the dense channel out (a part of a question already searched
        whole: encoding each part would double the query's cost for a channel of weight 0.1)."""
        analysis = analyse(question) if isinstance(question, str) else question
        query = analysis.search_text
        k = k or self.settings.top_k
        filters = filters or Filters()
        chunks = self.snapshot.chunks
        allowed = (
            np.fromiter((filters.accepts(c) for c in chunks), dtype=bool, count=len(chunks))
            if filters
            else None
        )
        candidates = max(self.settings.candidates, k)
        rankings, scored = self._lexical_channels(analysis, query, allowed, candidates)
        lexical_scores = scored["lexical"]
        if dense and self.encoder is not None and self.dense_weight > 0:
            vector = self.query_vector(query)
            assert vector is not None  # an encoder is there
            dense_hits = self._dense(vector, candidates, filters, allowed)
            rankings["dense"] = [chunk_id for chunk_id, _ in dense_hits]
            scored["dense"] = dict(dense_hits)
        weights = {
            "lexical": self.settings.lexical_weight,
            "ngram": self.settings.ngram_weight,
            "dense": self.dense_weight,
        }
        if self.settings.fusion == "rrf":
            fused = weighted_rrf(rankings, weights)
        else:
            fused = weighted_scores(scored, weights)
        fused = self._boost_named_section(analysis.searched, fused)
        fused = self._rescale_by_coverage(query, fused)
        hits = self._label_hits(analysis, filters, lexical_scores)
        seen = {h.chunk.id for h in hits}
        for chunk_id, score in fused:
            if chunk_id in seen:
                continue
            chunk = self.snapshot.by_id.get(chunk_id)
            if chunk is None or (filters and not filters.accepts(chunk)):
                continue
            hits.append(Hit(chunk, score))
            seen.add(chunk_id)
            if len(hits) >= k:
                break
        ranks = {name: {cid: r for r, cid in enumerate(rk, 1)} for name, rk in rankings.items()}
        for hit in hits:
            hit.lexical_rank = ranks["lexical"].get(hit.chunk.id)
            hit.dense_rank = ranks.get("dense", {}).get(hit.chunk.id)
        return hits[:k]

    def _lexical_channels(
        self,
        analysis: QuestionAnalysis,
        query: str,
        allowed: np.ndarray | None,
        candidates: int,
    ) -> tuple[dict[str, list[str]], dict[str, dict[str, float]]]:
        """Rankings and scores of the BM25 channel and, when weighted, the n-gram one."""
        factors = self._intent_factors(analysis)
        lexical_ranking, lexical_scores = self._rank(
            self.snapshot.lexical.scores(query), factors, allowed, candidates
        )
        rankings: dict[str, list[str]] = {"lexical": lexical_ranking}
        scored: dict[str, dict[str, float]] = {"lexical": lexical_scores}
        if self.snapshot.ngram is not None and self.settings.ngram_weight > 0:
            ngram_scores = self.snapshot.ngram.scores(dict(normalized_bigrams(analysis.searched)))
            rankings["ngram"], scored["ngram"] = self._rank(
                ngram_scores, factors, allowed, candidates
            )
        return rankings, scored

    def _intent_factors(self, analysis: QuestionAnalysis) -> np.ndarray | None:
        """Per-chunk multipliers on the lexical scores: the kind prior, the kind the question
        asks for (results or plans), and for a question on a period (いつからいつまで) the
        passages that state one. The 4th plan's period is written only in a heading,
        (令和6年4月～令和11年3月), beside no word of 今度の5年間の計画.
        """
        weight = self.settings.intent_weight
        boosts = dict(self.settings.kind_prior)
        for kind, factor in analysis.kind_weights(weight).items():
            boosts[kind] = boosts.get(kind, 1.0) * factor
        factors = self.snapshot.kind_factors(boosts) if boosts else None
        if weight > 1.0 and analysis.asks_for_period:
            period = np.where(
                self.snapshot.states_period, np.float32(STATED_PERIOD_FACTOR), np.float32(1.0)
            )
            factors = period if factors is None else factors * period
        return factors

    def _rescale_by_coverage(
        self, query: str, fused: list[tuple[str, float]]
    ) -> list[tuple[str, float]]:
        """Multiply the top candidates' scores by the share of the question they cover.

        BM25 sums term scores, so a passage repeating two of the question's words can
        outrank the one that holds all of its concepts; coverage (idf-weighted, equivalents
        at their weight) restores the coordination. A term found only in the passage's
        headings, which carry the topic of a short ● item, counts part of itself. Measured
        on the gold set: MRR@10 0.725 → 0.753, recall@5 0.883 → 0.899 (with the bigram
        channel and glossary weight, 0.910 / 0.764; bench/results/retrieval_tuning_use-m3.md).
        """
        power = self.settings.coverage_weight
        if power <= 0 or not fused:
            return fused
        snapshot = self.snapshot
        head = [
            pair
            for pair in fused[: self.settings.coverage_candidates]
            if pair[0] in snapshot.position
        ]
        cover = snapshot.lexical.coverages(
            query,
            snapshot.text_terms(),
            [snapshot.position[chunk_id] for chunk_id, _ in head],
            nearby=snapshot.lexical.bm25.weights,  # the passage with its headings
            nearby_weight=self.settings.coverage_heading_weight,
        )
        rescaled = [
            (chunk_id, score * float(c) ** power)
            for (chunk_id, score), c in zip(head, cover, strict=True)
        ]
        if self.settings.phrase_weight > 0:
            rescaled = self._rescale_by_phrase(query, rescaled)
        if self.settings.sentence_weight > 0:
            rescaled = self._rescale_by_sentence(query, rescaled)
        rescaled.sort(key=lambda pair: (-pair[1], pair[0]))
        return rescaled + fused[len(head) :]

    def _rescale_by_phrase(
        self, query: str, head: list[tuple[str, float]]
    ) -> list[tuple[str, float]]:
        """Multiply each candidate's score by 1 + phrase_weight × the share of the question's
        character 4-grams its text holds (index/phrase.py): of two passages naming the same
        words, the one stating them as the question's phrase leads."""
        asked = phrase.grams(query)
        weight = self.settings.phrase_weight
        by_id = self.snapshot.by_id
        return [
            (chunk_id, score * (1.0 + weight * phrase.shared_share(asked, by_id[chunk_id].text)))
            for chunk_id, score in head
        ]

    def _rescale_by_sentence(
        self, query: str, head: list[tuple[str, float]]
    ) -> list[tuple[str, float]]:
        """Multiply each candidate's score by 1 + sentence_weight × the question coverage of
        its best sentence (index/proximity.py): of two passages holding the question's terms,
        the one stating them together in one sentence leads."""
        weight = self.settings.sentence_weight
        heading_weight = self.settings.coverage_heading_weight
        lexical = self.snapshot.lexical
        by_id = self.snapshot.by_id
        return [
            (
                chunk_id,
                score
                * (
                    1.0
                    + weight
                    * best_sentence_coverage(lexical, query, by_id[chunk_id], heading_weight)
                ),
            )
            for chunk_id, score in head
        ]

    def _dense(
        self, vector: np.ndarray, candidates: int, filters: Filters, allowed: np.ndarray | None
    ) -> list[tuple[str, float]]:
        """Nearest chunks by cosine: exact, in memory, when the snapshot holds the vectors
        (read from Chroma at load; 0.1 ms instead of 3 ms for the bundled plans); else a
        Chroma query with the filters as its ``where``."""
        matrix = self.snapshot.vectors
        if matrix is None:
            return self.snapshot.store.query(vector.tolist(), candidates, filters.chroma_where())
        scores = matrix @ vector
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        top = min(candidates, len(scores))
        order = np.argpartition(-scores, top - 1)[:top]
        order = order[np.argsort(-scores[order], kind="stable")]
        chunks = self.snapshot.chunks
        return [(chunks[i].id, float(scores[i])) for i in order if np.isfinite(scores[i])]

    def _rank(
        self,
        scores: np.ndarray,
        factors: np.ndarray | None,
        allowed: np.ndarray | None,
        candidates: int,
    ) -> tuple[list[str], dict[str, float]]:
        """Top chunk ids of a score vector, after intent factors and filters."""
        if factors is not None:
            scores = scores * factors
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        positive = int((scores > 0).sum())
        if positive == 0:
            return [], {}
        top = min(candidates, positive)
        order = np.argpartition(-scores, top - 1)[:top]
        order = order[np.argsort(-scores[order], kind="stable")]
        chunks = self.snapshot.chunks
        return [chunks[i].id for i in order], {chunks[i].id: float(scores[i]) for i in order}

    def _label_hits(
        self, analysis: QuestionAnalysis, filters: Filters, lexical_scores: dict[str, float]
    ) -> list[Hit]:
        """Chunks carrying a label the question names, best matching the rest first.

        A 資料 page inside a section (資料1-3 P40 where the section starts at P39) finds the
        section that page belongs to: the nearest lower page of the same 資料.
        """
        hits: list[Hit] = []
        for found in self.named_chunks(analysis, filters).values():
            found.sort(key=lambda c: (-lexical_scores.get(c.id, 0.0), KIND_PRIORITY.get(c.kind, 9)))
            hits.extend(Hit(chunk, 1.0, label_match=True) for chunk in found)
        return hits

    def named_chunks(
        self, question: str | QuestionAnalysis, filters: Filters | None = None
    ) -> dict[str, list[Chunk]]:
        """For each label the question names, its chunks the filters accept, in document
        order; a chunk carrying several named labels is listed under the first."""
        analysis = analyse(question) if isinstance(question, str) else question
        named: dict[str, list[Chunk]] = {}
        seen: set[str] = set()
        for label in analysis.labels:
            found = [
                chunk
                for chunk in self.label_chunks(label)
                if chunk.id not in seen and (not filters or filters.accepts(chunk))
            ]
            seen.update(chunk.id for chunk in found)
            named[label] = found
        return named

    def label_chunks(self, label: str) -> list[Chunk]:
        """Chunks carrying ``label`` in document order; for a 資料 page inside a section, the
        chunks of the section that page belongs to."""
        found = self.resolve_label(label)
        return [self.snapshot.chunks[p] for p in self.snapshot.by_label[found]] if found else []

    def resolve_label(self, label: str) -> str | None:
        """The label whose chunks answer for ``label``: itself when chunks carry it, else,
        for a 資料 page, the start of the section it falls in (the nearest lower start).

        A page at or past the volume's end (a mistyped 資料1-4 P1300) is in no section.
        """
        if label in self.snapshot.by_label:
            return label
        match = _MATERIAL_LABEL_RE.fullmatch(label)
        if not match or match.group(1) not in self._volumes:
            return None
        volume, page = self._volumes[match.group(1)], int(match.group(2))
        lower = [known for start, known in volume.starts if start <= page]
        return lower[-1] if lower and page < volume.end else None

    def _boost_named_section(
        self, searched: str, fused: list[tuple[str, float]]
    ) -> list[tuple[str, float]]:
        """A question that names a section (Ⅰ-２, 年金相談 …) ranks that section's chunks first
        (``searched``: the analysis' NFKC search text)."""
        text = searched.replace(" ", "")
        named = {s for s, code, name in self._sections if code in text or name in text}
        if not named or not fused:
            return fused
        bonus = fused[0][1]
        boosted = [
            (cid, score + (bonus if self.snapshot.by_id[cid].section in named else 0.0))
            for cid, score in fused
        ]
        return sorted(boosted, key=lambda pair: -pair[1])


@dataclass(frozen=True)
class _Volume:
    """The sections of one 資料: the pages they start at, with their labels, ascending, and
    the first page past the last section."""

    starts: list[tuple[int, str]]
    end: int


def _sections_per_volume(labels: Iterable[str]) -> dict[str, _Volume]:
    """Per 資料 volume, its sections. The footers say only where a section starts
    (``6ページ～``), so the last section is taken to run no longer than the longest one."""
    starts: dict[str, list[tuple[int, str]]] = {}
    for label in labels:
        if match := _MATERIAL_LABEL_RE.fullmatch(label):
            starts.setdefault(match.group(1), []).append((int(match.group(2)), label))
    volumes: dict[str, _Volume] = {}
    for name, found in starts.items():
        found.sort()
        pages = [page for page, _ in found]
        longest = max((b - a for a, b in itertools.pairwise(pages)), default=1)
        volumes[name] = _Volume(found, pages[-1] + longest)
    return volumes


def _section_code(section: str) -> str:
    code = unicodedata.normalize("NFKC", section).split(".", 1)[0]
    return code if len(code) >= 2 else "\0"


def _section_name(section: str) -> str:
    name = unicodedata.normalize("NFKC", section).split(".", 1)[-1]
    return name if len(name) >= 4 else "\0"
