"""Retrieve: the passages one analysed question is answered from.

The search itself is the index's (``HybridSearcher``); this stage adds what depends on the
conversation and the question's shape: the passages the last answer quoted lead a
follow-up on it, each part of a two-part question brings its own best passages, and the
pages a digest quotes lead the contexts it is shown with.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from answer.errors import QuestionError
from answer.figures import figures_with_units
from answer.sentences import display
from index.retriever import Filters, Hit, HybridSearcher
from ingest.model import Chunk
from question import QuestionAnalysis
from question.intent import RESULT_KINDS

# A quoted statement is found again in its passage by its first characters (a statement
# shown is the passage's sentence without its bullet and refs, or a clause of it), or, when
# a client reworded or trimmed it, by a figure it states with its unit.
QUOTE_PREFIX = 20


@dataclass
class Retrieval:
    analysis: QuestionAnalysis
    hits: list[Hit]
    # The index generation this request reads throughout, even if a re-index swaps in
    # another meanwhile, and the filters it was asked with.
    searcher: HybridSearcher
    filters: Filters
    # Each part's own search (a two-part question), in the parts' order; () for one part.
    part_hits: tuple[list[Hit], ...] = ()


def retrieve(
    searcher: HybridSearcher, analysis: QuestionAnalysis, top_k: int, filters: Filters
) -> Retrieval:
    """The ``top_k`` passages for ``analysis``, in the order the answer reads them."""
    hits = searcher.search(analysis, top_k, filters)
    carried = of_asked_side(analysis, quoted_passages(searcher, analysis))
    if carried:
        hits = lead_softly(carried, hits, top_k)
    if len(analysis.parts) > 1 and not analysis.page_refs:
        # Each part (each side of a comparison) brings its own best passages, after the
        # best of the whole question.
        per_part = [
            searcher.search(analysis.part(part), top_k, filters, dense=False)
            for part in analysis.parts
        ]
        hits = interleave([hits, *per_part], top_k)
        return Retrieval(analysis, hits, searcher, filters, tuple(per_part))
    return Retrieval(analysis, hits, searcher, filters)


def quoted_passages(searcher: HybridSearcher, analysis: QuestionAnalysis) -> list[Chunk]:
    """The passages the last answer quoted, for a follow-up that asks about what was just
    said (question.previous_statements): under each statement's labels, the passages holding its
    first words, or a figure it states with its unit (91.9%, 1,234件). A chat client may
    send the answer back reworded or trimmed (an LLM paraphrases it, a person retypes it):
    its labels and figures survive where its wording does not."""
    found: dict[str, Chunk] = {}
    for chunk in unlabelled_passages(searcher, analysis):
        found.setdefault(chunk.id, chunk)
    for statement, labels in analysis.previous_statements:
        said = _matchable(statement)
        quoted = said[:QUOTE_PREFIX]
        figures = figures_with_units(said)
        for label in labels:
            canonical = searcher.resolve_label(label)
            for chunk in searcher.label_chunks(canonical) if canonical else ():
                text = _matchable(chunk.text)
                if (quoted and quoted in text) or _holds_any(text, figures):
                    found.setdefault(chunk.id, chunk)
    return list(found.values())


# A figure stated in more passages than this does not tell which one an answer quoted.
MAX_PASSAGES_PER_FIGURE = 3


def unlabelled_passages(searcher: HybridSearcher, analysis: QuestionAnalysis) -> list[Chunk]:
    """The passages the last answer quoted when it came back without labels (a client
    reworded it and dropped them): those of the whole index that state a figure of it with
    its unit (324件, 1,688か所), a figure only a few passages state, or that hold its first
    words."""
    figures: set[str] = set()
    openings: set[str] = set()
    for statement, labels in analysis.previous_statements:
        if not labels:
            said = _matchable(statement)
            figures |= figures_with_units(said)
            # A statement that quotes the plans and then says so in the client's words
            # (…を講じていくか、が挙げられています) is found by its first words, as a
            # labelled one is.
            if len(said) >= QUOTE_PREFIX:
                openings.add(said[:QUOTE_PREFIX])
    if not figures and not openings:
        return []
    texts = [(chunk, _matchable(chunk.text)) for chunk in searcher.snapshot.chunks]
    found: dict[str, Chunk] = {}
    for figure in sorted(figures):
        holding = [chunk for chunk, text in texts if _holds_any(text, {figure})]
        if len(holding) <= MAX_PASSAGES_PER_FIGURE:
            for chunk in holding:
                found.setdefault(chunk.id, chunk)
    for opening in sorted(openings):
        holding = [chunk for chunk, text in texts if opening in text]
        if len(holding) <= MAX_PASSAGES_PER_FIGURE:
            for chunk in holding:
                found.setdefault(chunk.id, chunk)
    return list(found.values())


def _holds_any(text: str, figures: set[str]) -> bool:
    """Whether ``text`` states one of ``figures`` as a whole number (71.7% is not in 171.7%)."""
    return any(re.search(rf"(?<![\d.,]){re.escape(f)}", text) for f in figures)


def said_before(analysis: QuestionAnalysis, shown: str) -> bool:
    """Whether ``shown`` is one of the last answer's statements (its first words): a
    follow-up asks for something else, not for what was just said again."""
    text = _matchable(shown)
    return any(
        (quoted := _matchable(statement)[:QUOTE_PREFIX]) and text.startswith(quoted)
        for statement, _ in analysis.previous_statements
    )


def quoted_before(analysis: QuestionAnalysis, shown: str) -> bool:
    """Whether the last answer quoted ``shown``: its opening stands in a statement (after a
    heading the answer put before it too), or a statement's opening stands in it (an answer
    cut to the clauses of a figure, …76.8％となり): what a follow-up asking for something
    else (他に) leaves out."""
    text = _matchable(shown)
    said = [_matchable(statement).strip("…") for statement, _ in analysis.previous_statements]
    return any(
        text[:QUOTE_PREFIX] in quoted or quoted[:QUOTE_PREFIX] in text for quoted in said if quoted
    )


def labelled_passages(searcher: HybridSearcher, analysis: QuestionAnalysis) -> list[Chunk]:
    """Every passage under the labels the last answer cited, for a follow-up on it: a
    table or a sentence beside the one it quoted may state what the follow-up asks."""
    found: dict[str, Chunk] = {}
    for _, labels in analysis.previous_statements:
        for label in labels:
            for chunk in searcher.label_chunks(label):
                found.setdefault(chunk.id, chunk)
    # An answer sent back without labels: every passage under the pages of those that
    # state its figures.
    for quoted in unlabelled_passages(searcher, analysis):
        for label in quoted.refs:
            for chunk in searcher.label_chunks(label):
                found.setdefault(chunk.id, chunk)
    return list(found.values())


def beside_answered(
    answered: list[Chunk], labelled: list[Chunk], searched: list[Chunk]
) -> list[Chunk]:
    """The passages a follow-up on the last answer reads, each once, nearest first: those
    the answer quoted (``answered``), those under its labels on the same pages, the
    search's, then the rest under its labels. Under a label, the passages nearest the
    quoted one in the document come first: the results report writes a measure's plan for
    the year, what was done and its figures one after another. A sentence names its
    measure where a table row may sit in a table of several, so a quoted sentence is the
    anchor before a quoted table."""
    anchors = sorted(answered, key=lambda chunk: chunk.kind == "table")
    order = {chunk.id: index for index, chunk in enumerate(labelled)}
    places = [order[c.id] for c in anchors if c.id in order]

    def distance(chunk: Chunk) -> tuple[int, ...]:
        return tuple(abs(order[chunk.id] - place) for place in places)

    near = sorted(labelled, key=distance) if places else labelled
    pages = {(chunk.source, chunk.page) for chunk in answered}
    same_page = [c for c in near if (c.source, c.page) in pages]
    found = {c.id: c for c in [*anchors, *same_page, *searched, *near]}
    return list(found.values())


def of_asked_side(analysis: QuestionAnalysis, chunks: list[Chunk]) -> list[Chunk]:
    """The passages of ``chunks`` on the side the follow-up's own words ask, or on neither
    (all of them when it asks no side): after a plan's target, 去年は何日だった？ or 実績は？ asks the results report
    (the other side of the same topic), so the target's passage the last answer quoted does
    not lead it, and a result's does not lead 目標は？ (the search and the trace reach the
    other side; answer/stated_target.py reads the target a result states)."""
    asked = analysis.own_side
    if asked not in ("plan", "results"):
        return chunks
    return [c for c in chunks if _document_side(c) in (asked, None)]


def _document_side(chunk: Chunk) -> str | None:
    """The side a passage is on by the documents' convention: the results report's results,
    figures and tables are results; the plans (the overview's measures, headings, concept
    pages and its review column of targets to set, the report's restated year plans) are
    the plan side; anything else neither."""
    if chunk.kind in RESULT_KINDS:
        return "results"
    return None if chunk.kind == "text" else "plan"


def lead_with(chunks: list[Chunk], hits: list[Hit], k: int) -> list[Hit]:
    """``hits`` reordered so ``chunks`` come first (a chunk not among them joins as a label
    match), cut to ``k`` but never before the last of ``chunks``: the answer cites them."""
    by_id = {h.chunk.id: h for h in hits}
    lead: dict[str, Hit] = {}
    for chunk in chunks:
        lead.setdefault(chunk.id, by_id.get(chunk.id) or Hit(chunk, 1.0, label_match=True))
    rest = [h for h in hits if h.chunk.id not in lead]
    return [*lead.values(), *rest][: max(k, len(lead))]


def lead_softly(chunks: list[Chunk], hits: list[Hit], k: int) -> list[Hit]:
    """``hits`` with ``chunks`` first, as ordinary hits (not a named page's): a passage the
    last answer quoted that the search did not find joins at the best hit's score."""
    by_id = {h.chunk.id: h for h in hits}
    top = hits[0].score if hits else 1.0
    lead = {c.id: by_id.get(c.id) or Hit(c, top) for c in chunks}
    rest = [h for h in hits if h.chunk.id not in lead]
    return [*lead.values(), *rest][:k]


def interleave(rankings: list[list[Hit]], k: int) -> list[Hit]:
    """The hits of each part's search in turn (1st of each, then 2nd …), each chunk once:
    every part of a question reaches the answer's contexts, not only the wordier one."""
    merged: dict[str, Hit] = {}
    for rank in range(max(map(len, rankings), default=0)):
        for ranking in rankings:
            if rank < len(ranking):
                merged.setdefault(ranking[rank].chunk.id, ranking[rank])
    return list(merged.values())[:k]


def parse_filters(
    filters: dict | None, read_label: Callable[[str], tuple[str, ...]] | None = None
) -> Filters:
    try:
        return Filters.from_mapping(filters, read_label)
    except ValueError as error:
        raise QuestionError(str(error)) from error


@lru_cache(maxsize=16384)
def _matchable(text: str) -> str:
    """NFKC without spaces, bullets and bracketed refs: how a quoted statement is found
    again in its passage. Cached: a follow-up whose last answer came back without labels
    reads every passage of the index this way (662 for the bundled plans), each time."""
    return "".join(unicodedata.normalize("NFKC", display(text)).split())
