"""Extractive selection: which sentences of the retrieved passages the answer quotes.

Pure functions over chunks and a sentence scorer: no I/O, deterministic. Every statement
of the top contexts that covers some of the question is a candidate (``candidates``). With
the fitted sentence ranker (answer/ranker.py) its best candidate is the first statement;
the others are ordered by the hand-set score (``hand_set_score``: the share of the question
a sentence covers, idf-weighted, each question term once, an equivalent at its weight, a
term found only in the headings above it at part weight, with a bonus for the asked figure
and a decay with the context's rank) and admitted against the best (``_admits``), then by
the fitted admission (answer/admission.py). A sentence that would cite new pages must also
say something the answer does not yet say. Sentences and their kinds are in
answer/sentences.py, figure patterns in answer/figures.py, the answer's lines in
answer/compose.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from answer.admission import Admission
from answer.figures import AskedFigure
from answer.further import Asked, Asking, Further, further, ranker_shares
from answer.other_source import other_documents
from answer.ranker import Candidate
from answer.sentences import display, is_statement, sentences_of
from ingest.model import Chunk

_TOTAL_ROW = re.compile(r"^(?:合計|総計|計)\s")

# The hand-set admission of further statements. Each constant below is read on the shipped
# path (the fitted ranker, data/answer/ranker.json, chooses only the first statement; every
# further statement passes ``_admits`` first, then the fitted admission,
# data/answer/admission.json), and with no ranker (PLANQA_ANSWER__RANKER_MODEL=) for the
# first statement too. Values unchanged since they were set by hand.
#
# A further sentence from pages already cited must score this share of the best one.
# Chosen over all labelled questions (own gold and the outside set, bench/results/answers.md):
# 0.3 → 0.5 keeps fact coverage and shortens the median answer by a fifth.
# Read: ``_admits``, statements from cited pages. Fitted figure: none (that 0.3 → 0.5 run is
# no longer in bench/results/answers.md); the fitted ranker margin after it (admission
# ``margin`` 4, bench/results/admission.md) gates the same statements again.
MIN_SHARE_OF_BEST = 0.5
# A further sentence citing pages the answer does not cite yet must score this share of the
# best one. Measured: +0.10 citation precision for -0.03 fact coverage.
# Read: ``_admits``, the floor for a statement citing new pages. Fitted figure: none; the
# fitted admission ``margin`` 4 (bench/results/admission.md) gates the same statements again.
NEW_PASSAGE_SHARE = 0.5
# A sentence citing pages the answer does not cite yet must add this much of the question
# to what the picked sentences cover together, unless it nearly ties the best sentence
# (then nothing tells which passage is right, and both are shown). Measured on the gold
# set's dev split: citation precision 0.795 → 0.837, fact coverage 0.836 → 0.844; any gain
# from 0.02 to 0.03 gives the same, 0.05 and more lose facts.
# Read: ``_admits``, a new-page statement below ``TIE_SHARE``. Fitted figure: the admission's
# ``new_pages_gain`` 0.05 (bench/fit_new_pages.py, bench/results/new_pages.md) is applied
# after it, but lets a statement adding less through when it adds a compound, a figure, a
# kind of answer or another part; this floor still drops those adding under 0.03.
MIN_NEW_COVERAGE = 0.03
# Read: ``_admits``, a near tie with the best passes with no gain asked. Fitted figure: none.
TIE_SHARE = 0.9
# A sentence of the 2nd context counts 1/1.35, of the 3rd 1/1.7.
# Read: ``hand_set_score``, which orders the further statements and sets their share of the
# best. Fitted figure: for the first statement only, the ranker's ``inverse_rank`` weight
# (bench/results/ranker.md, bench/results/held-inverse_rank.md); none for this decay.
RANK_DECAY = 0.35


@dataclass(frozen=True)
class Picked:
    quote: str  # verbatim from the chunk text
    shown: str  # the quote without its bullet and bracket refs
    chunk: Chunk
    score: float
    # The sentence ranker's score of the first statement it chose, as selection read it
    # (the decline model's ``first_statement_score``); None for every other statement.
    ranked: float | None = None
    # What the service says about the quote, on its own line after it and citing nothing:
    # not the plans' words but a note on them (that they give a year only as a change).
    remark: str = ""
    # The lead is shown alone (answer/admission.py, ``sure_lead``); the statements after it
    # were admitted and stay what the decline reads.
    alone: bool = False
    # Which part of a question in several parts the statement answers (0: the first, or a
    # question in one part): the leads of the parts may be said together (answer/compose.py).
    part: int = 0


class Coverage(Protocol):
    """How much of one question sentences cover."""

    def of_sentence(self, sentence: str, chunk: Chunk) -> float:
        """Share of the question the sentence covers, read under the headings of its chunk."""

    def of_sentence_alone(self, sentence: str) -> float:
        """Share of the question the sentence covers by its own words."""

    def together(self, sentences: Sequence[str]) -> float:
        """Share of the question the sentences cover between them, headings aside."""


def candidates(
    contexts: Sequence[Chunk],
    coverage: Coverage,
    figure: AskedFigure | None,
    keep: Callable[[str], bool] | None = None,
) -> list[Candidate]:
    """Every statement of ``contexts`` that covers some of the question, once each, in
    reading order (context rank, then position in the passage); with ``keep``, only the
    statements it keeps (a follow-up asking how: those stating a means)."""
    found: list[Candidate] = []
    seen: set[str] = set()
    similar = getattr(coverage, "wants_similarity", False)
    wants_dense = getattr(coverage, "wants_dense", False)
    for rank, chunk in enumerate(contexts):
        sentences = sentences_of(chunk)
        similarities = [coverage.similarity(s) for s in sentences] if similar else []
        best_similarity = max(similarities, default=0.0)
        dense = coverage.dense_similarities(sentences) if wants_dense else []
        best_dense = max(dense, default=0.0)
        for position, sentence in enumerate(sentences):
            shown = display(sentence)
            if shown in seen or not is_statement(sentence):
                continue
            if keep is not None and not keep(sentence):
                continue
            seen.add(shown)
            score = coverage.of_sentence(sentence, chunk)
            if score <= 0:
                continue
            found.append(
                Candidate(
                    quote=sentence,
                    shown=shown,
                    chunk=chunk,
                    rank=rank,
                    position=position,
                    coverage=score,
                    own_coverage=coverage.of_sentence_alone(sentence),
                    asked_figure=figure is not None and bool(figure.search(sentence)),
                    figure_bonus=figure.bonus if figure is not None else 0.0,
                    similarity=similarities[position] if similar else 0.0,
                    passage_similarity=best_similarity,
                    alignment=coverage.alignment(sentence) if similar else 0.0,
                    dense=dense[position] if wants_dense else 0.0,
                    dense_passage=best_dense,
                )
            )
    if wants_dense and found:
        # How much of the question even the best-covering sentence leaves unsaid.
        uncovered = max(0.0, 1.0 - max(c.own_coverage for c in found))
        found = [replace(c, uncovered=uncovered) for c in found]
    return found


def hand_set_score(candidate: Candidate) -> float:
    """The score selection used before the fitted ranker: coverage, a bonus for the asked
    figure, a decay with the context's rank."""
    score = candidate.coverage + (candidate.figure_bonus if candidate.asked_figure else 0.0)
    return score / (1.0 + RANK_DECAY * candidate.rank)


class Ranker(Protocol):
    def scores(self, candidates: Sequence[Candidate], question: str) -> list[float]:
        """A score per candidate, higher first; only differences between scores count."""


def select(
    contexts: Sequence[Chunk],
    coverage: Coverage,
    *,
    figure: AskedFigure | None,
    limit: int,
    tie_only_kinds: Collection[str] = frozenset(),
    ranker: Ranker | None = None,
    question: str = "",
    admission: Admission | None = None,
    asking: Asking | None = None,
    keep: Callable[[str], bool] | None = None,
) -> list[Picked]:
    """The best ``limit`` sentences of ``contexts`` (of those ``keep`` keeps, if given).

    Each further sentence must come close to the best one. One that brings pages the answer
    does not cite yet must come closer, and add to what the answer covers: a passage that
    only repeats what is said is another page to check for nothing. One of a kind the
    question does not ask for (``tie_only_kinds``) brings new pages only as a near tie.

    With a ``ranker`` (answer/ranker.py) its best candidate is the first statement; the
    others are admitted by their hand-set scores, as without one. (Admitting them by the
    ranker's probabilities against the hand-set shares shortened answers but lost facts on
    every set.) With a fitted ``admission`` too (answer/admission.py), a further sentence the
    hand-set score admits must also be one the admission's model says likely adds a fact the
    answer does not state yet, read from what it adds at that point (``asking``: what the
    code reads of the whole question): the hand-set score finds candidates, the model drops
    those that only repeat or wander.
    """
    found = candidates(contexts, coverage, figure, keep)
    if not found:
        return []
    values = [hand_set_score(c) for c in found]
    raw: list[float] | None = None
    if ranker is not None:
        # The ranker chooses the first statement; the others are admitted as before, by
        # their hand-set scores against the best.
        raw = ranker.scores(found, question)
        lead = max(range(len(found)), key=raw.__getitem__)
        values[lead] = max(values) * (1 + 1e-9)
    # Equal scores: a table's total row (計 / 合計) first, since it answers for the whole.
    order = sorted(
        range(len(found)), key=lambda i: (-values[i], not _TOTAL_ROW.match(found[i].shown))
    )
    best = values[order[0]]
    picked: list[Picked] = []
    before: list[Candidate] = []
    cited: set[str] = set()
    asked: Asked | None = None
    shares: list[float] = []
    ranker_place: dict[int, int] = {}
    read = 0  # further statements the admission has read
    proposed = 0  # statements the hand-set score proposed, the admission's drops too
    for i in order:
        c = found[i]
        lead_score = raw[i] if raw is not None and not picked else None
        item = Picked(c.quote, c.shown, c.chunk, values[i], lead_score)
        if not _admits(item, picked, cited, best, coverage, tie_only_kinds):
            continue
        if picked and raw is not None and admission is not None:
            if admission.keeps_slot and proposed >= limit and c.chunk.id != before[0].chunk.id:
                continue  # the places are taken, dropped statements' too (``keeps_slot``)
            proposed += 1
            margin = raw[order[0]] - raw[i]
            if not admission.reads_features:  # a margin alone reads nothing else
                candidate = Further(c.shown, (), {"ranker_margin": margin})
            else:
                if asked is None:  # read once, when a further statement first comes up
                    asked = Asked.of(question, figure_asked=figure is not None)
                    shares = ranker_shares(raw)
                    by_ranker = sorted(range(len(found)), key=lambda j: -raw[j])
                    ranker_place = {j: max(0, n - 1) for n, j in enumerate(by_ranker)}
                quotes = [p.quote for p in picked]
                candidate = further(
                    c,
                    before,
                    asked=asked,
                    asking=asking or Asking(),
                    ranker_margin=margin,
                    ranker_probability=shares[i],
                    lead_probability=shares[order[0]],
                    ranker_place=ranker_place[i],
                    hand_share=values[i] / best if best > 0 else 0.0,
                    hand_place=order.index(i) - 1,
                    position=read + 1,
                    coverage_gain=coverage.together([*quotes, c.quote]) - coverage.together(quotes),
                    new_pages=not cited.issuperset(c.chunk.labels),
                )
            read += 1
            if not admission.admits(candidate):
                continue
        if not picked:
            proposed += 1
        picked.append(item)
        before.append(c)
        cited.update(c.chunk.labels)
        if len(picked) == limit:
            break
    if raw is not None and admission is not None and len(picked) < limit:
        # Another document's own figure is said beside the lead's (answer/other_source.py).
        for c in other_documents(found, raw, before, question, tie_only_kinds):
            if len(picked) == limit:
                break
            picked.append(Picked(c.quote, c.shown, c.chunk, hand_set_score(c)))
            before.append(c)
    if len(picked) > 1 and raw is not None and admission is not None:
        if admission.sure_lead is not None:
            first = before[0]
            asked = asked or Asked.of(question, figure_asked=figure is not None)
            alone = admission.shows_alone(
                lead_probability=ranker_shares(raw)[order[0]],
                lead_holds_asked=first.asked_figure or asked.provides([first.shown]),
                multi_part=(asking or Asking()).multi_part,
            )
            picked[0] = replace(picked[0], alone=alone)
    return picked


def _admits(
    item: Picked,
    picked: Sequence[Picked],
    cited: set[str],
    best: float,
    coverage: Coverage,
    tie_only_kinds: Collection[str],
) -> bool:
    if cited.issuperset(item.chunk.labels):
        return item.score >= best * MIN_SHARE_OF_BEST
    if item.score < best * NEW_PASSAGE_SHARE:
        return False
    if item.score >= best * TIE_SHARE:  # the best sentence itself, or a near tie
        return True
    if item.chunk.kind in tie_only_kinds:
        return False
    quotes = [p.quote for p in picked]
    gain = coverage.together([*quotes, item.quote]) - coverage.together(quotes)
    return gain >= MIN_NEW_COVERAGE
