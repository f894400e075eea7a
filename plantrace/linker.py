"""Links each plan measure to the results sections that report on the same topic.

The documents are built to be read side by side: the 4th plan's areas (年金給付 年金相談)
are named after the results report's sections (Ⅰ-５．年金給付, Ⅰ-７．年金相談). So a
section whose name the measure's area repeats starts ahead (``structure``), and the
measure's words against each section's slides decide within and beyond that
(``similarity``: TF-IDF cosine over the index's own Sudachi terms, the best slide of the
section). A measure links to every section scoring at least ``keep`` × its best one.

The structure finds the home section and stops, but a measure often continues a section of
another area too: an electronic application planned under 年金給付 is reported under ICT化の
推進, the training of collection staff under 人材の育成. A section outside the home area is
linked by content (``content``) when the measure is its *subject*, not a passing mention: a
subject recurs over the section's plan, result and year's-result slides, so the content
score is the mean cosine of the section's ``depth`` closest slides, and it must reach
``cross`` × the content score of the measure's home section.

A continuation is often one page of the other section, not its whole: 事務センター (Ⅱ-１)
reports the 経過管理・電子決裁システム over two of its slides and nothing of it elsewhere.
So a section outside the home area is also linked when one of its report pages is about
the measure: the cosine of the measure's own words with the page's passages taken together
(their own text, not the headings every passage of a section repeats) reaches ``page``.
The parameters are fitted by cross-validation on the labelled links (bench/fit_trace.py).

These rules find the home section and few others. With a fitted model
(plantrace/link_model.py) the same scores become signals, weighed with the content signals
of plantrace/content_signals.py, and the model decides the links (the shipped default).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ingest.model import Chunk
from plantrace.content_signals import SectionContent
from plantrace.link_figures import (
    block_periods,
    measure_targets,
    stated_section_metrics,
    sub_points,
    with_results,
)
from plantrace.link_model import LinkModel, model_links, rule_signals
from plantrace.model import Link, Measure, Section, Trace
from plantrace.overrides import Overrides

PLAN_PREFIXES = ("中期", "年度")
RESULTS_PREFIX = "資料"
OFF = 99.0  # a threshold no score reaches: the rule links nothing
_NUMBERING = re.compile(r"^[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+[-－‐]?[0-9０-９]*[．.、\s]*")


@dataclass(frozen=True, slots=True)
class LinkParameters:
    structure_weight: float = 0.1  # added to the cosine when the area names the section
    keep: float = 0.8  # link every section scoring at least keep × the best
    cross: float = 0.9  # outside the home area: content ≥ cross × the home section's content
    depth: int = 5  # content score: mean cosine of the section's `depth` closest slides
    # Content score: only passages of at least this many characters. Off (0): fitted as a
    # fifth parameter it lost under cross-validation (bench/results/trace.md).
    min_chars: int = 0
    # Outside the home area: a link when the section's closest report page has this cosine.
    page: float = 0.2
    # Added to a section's score when it states a figure on a metric the measure targets
    # (応答率, 収納率, 取得日数): the metric named in both, whatever the area. Fitted under
    # grouped CV (bench/fit_trace.py --metric); 0 = off.
    metric: float = 0.0


def build_trace(
    chunks: Sequence[Chunk],
    counts: Sequence[Counter[str]],
    terms: Callable[[str], list[str]],
    overrides: Overrides | None = None,
    parameters: LinkParameters = LinkParameters(),
    own_terms: Sequence[Sequence[str]] | None = None,
    model: LinkModel | None = None,
    chive_vectors: np.ndarray | None = None,
) -> Trace:
    """The trace of an index's chunks. ``counts`` are the chunks' indexed term counts (as
    for BM25, so nothing is analysed twice); ``terms`` analyses the few headings;
    ``own_terms`` are the terms of each chunk's own text (the index build passes the ones
    its analysis made; without them the page rule analyses the texts with ``terms``).
    With a ``model`` the fitted linker decides the links from the rule's signals and the
    content signals (``chive_vectors``: each chunk's chiVe vector,
    content_signals.passage_vectors); without either (no chiVe installed, word vectors
    off), the rule of ``parameters``: the model was fitted with the chiVe signal."""
    if chive_vectors is None:
        model = None
    measures = [
        (i, chunk) for i, chunk in enumerate(chunks) if chunk.kind == "measure" and _plan(chunk)
    ]
    sections = _sections(chunks)
    if not measures or not sections:
        return Trace()
    idf = _idf(counts)
    vectors = _unit_rows(counts, idf)
    position = {chunk.id: i for i, chunk in enumerate(chunks)}
    rows = [i for i, _ in measures]
    # Cosine of every measure with every passage at once (rows are unit length).
    cosines = (vectors[rows] @ vectors.T).toarray()
    section_terms = {s.key: Counter(terms(_NUMBERING.sub("", s.name))) for s in sections}
    section_rows = {s.key: np.asarray([position[c] for c in s.chunk_ids]) for s in sections}
    stating = np.asarray([len(chunk.text.strip()) >= parameters.min_chars for chunk in chunks])
    content_rows = {key: _stating(rows, stating) for key, rows in section_rows.items()}
    page_threshold = 0.0 if model else parameters.page
    if own_terms is None and (page_threshold < OFF or model):
        own_terms = [terms(chunk.text) for chunk in chunks]
    pages = _page_cosines(chunks, rows, sections, own_terms, page_threshold)
    by_id = {chunk.id: chunk for chunk in chunks}
    periods = block_periods(chunks)
    stated = stated_section_metrics(sections, by_id, periods) if parameters.metric or model else {}
    content_of = None
    if model is not None and own_terms is not None and chive_vectors is not None:
        own_sets = [frozenset(t) for t in own_terms]
        own_idf = _idf([Counter(t) for t in own_sets])
        content_of = SectionContent(chunks, sections, own_sets, own_idf, terms, chive_vectors)

    points = sub_points(chunks, {chunk.id for _, chunk in measures})
    plan_measures: list[Measure] = []
    links: list[Link] = []
    for row, (_, chunk) in enumerate(measures):
        area = chunk.heading_path[1] if len(chunk.heading_path) > 1 else (chunk.section or "")
        heading = chunk.heading_path[2] if len(chunk.heading_path) > 2 else ""
        measure = Measure(
            chunk_id=chunk.id,
            labels=tuple(label for label in chunk.refs if label.startswith(PLAN_PREFIXES)),
            area=area,
            heading=heading,
            text=chunk.text,
            targets=measure_targets(chunk, points.get(chunk.id, [])),
        )
        plan_measures.append(measure)
        area_terms = set(terms(area))
        aimed = {target.metric for target in measure.targets}
        scored = []
        signals = []
        for section in sections:
            named = _named(section_terms[section.key], area_terms, idf)
            members = section_rows[section.key]
            slide_cosines = cosines[row, members]
            best = int(np.argmax(slide_cosines))
            cosine = float(slide_cosines[best])
            score = cosine + parameters.structure_weight * named
            aims = bool(aimed & stated.get(section.key, set()))
            score += parameters.metric * aims
            content = _content(cosines[row, content_rows[section.key]], parameters.depth)
            scored.append((score, content, section, section.chunk_ids[best], named >= 0.5))
            signals.append((named, cosine, score, content, aims))
        top = max(score for score, *_ in scored)
        home = [content for _, content, _, _, by_structure in scored if by_structure]
        # With no section named by the area, the closest section stands in for the home one.
        reference = max(home) if home else max(content for _, content, *_ in scored)
        page_of = pages[row] if pages is not None else {}
        if model is not None and content_of is not None:
            rule = rule_signals(
                signals, [page_of.get(s.key, 0.0) for s in sections], top, reference
            )
            table = np.hstack([rule, content_of.signals(rows[row])])
            links.extend(model_links(chunk.id, scored, model.probabilities(table), model.threshold))
            continue
        for score, content, section, slide, by_structure in scored:
            if top > 0 and score >= parameters.keep * top:
                source = "structure" if by_structure else "similarity"
                links.append(Link(chunk.id, section.key, round(score, 4), source, slide))
            elif not by_structure and reference > 0 and content >= parameters.cross * reference:
                links.append(Link(chunk.id, section.key, round(content, 4), "content", slide))
            elif not by_structure and page_of.get(section.key, 0.0) >= parameters.page:
                page_score = round(page_of[section.key], 4)
                links.append(Link(chunk.id, section.key, page_score, "content", slide))

    if overrides is not None:
        links = overrides.apply(links, plan_measures, sections, vectors, position)
    links = [with_results(link, plan_measures, sections, by_id, periods) for link in links]
    return Trace(tuple(plan_measures), tuple(sections), tuple(links))


def _plan(chunk: Chunk) -> bool:
    return any(label.startswith(PLAN_PREFIXES) for label in chunk.refs)


def _sections(chunks: Sequence[Chunk]) -> list[Section]:
    """Report passages grouped by the 資料 labels they carry (one group per section)."""
    groups: dict[tuple[str, ...], list[Chunk]] = {}
    for chunk in chunks:
        labels = tuple(label for label in chunk.refs if label.startswith(RESULTS_PREFIX))
        if labels:
            groups.setdefault(labels, []).append(chunk)
    return [
        Section(
            key="|".join(labels),
            name=next((c.section for c in members if c.section), labels[0]),
            labels=labels,
            chunk_ids=tuple(c.id for c in members),
        )
        for labels, members in groups.items()
    ]


def _idf(counts: Sequence[Counter[str]]) -> dict[str, float]:
    documents = Counter(term for count in counts for term in count)
    total = len(counts)
    return {term: math.log(1 + total / df) for term, df in documents.items()}


def _unit_rows(counts: Sequence[Counter[str]], idf: dict[str, float]) -> sparse.csr_matrix:
    """TF-IDF rows (log-scaled counts), each of unit length."""
    column = {term: j for j, term in enumerate(idf)}
    data, indices, indptr = [], [], [0]
    for count in counts:
        weights = {column[t]: (1 + math.log(n)) * idf[t] for t, n in count.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        indices.extend(weights)
        data.extend(w / norm for w in weights.values())
        indptr.append(len(indices))
    return sparse.csr_matrix((data, indices, indptr), shape=(len(counts), len(column)))


def _page_cosines(
    chunks: Sequence[Chunk],
    measure_rows: list[int],
    sections: list[Section],
    own_terms: Sequence[Sequence[str]] | None,
    threshold: float,
) -> list[dict[str, float]] | None:
    """For each measure, each section's closest report page: the cosine of the measure's own
    text with the page's passages summed (IDF-weighted term presence over the chunks' own
    text). None when the rule is off."""
    if own_terms is None or threshold >= OFF or not sections:
        return None
    # Which terms a text has, not how often: an index build that reuses a chunk's analysis
    # keeps its own terms as a set, and the trace must not depend on which chunks changed.
    own_counts = [Counter(set(terms)) for terms in own_terms]
    vectors = _unit_rows(own_counts, _idf(own_counts))
    position = {chunk.id: i for i, chunk in enumerate(chunks)}
    groups: dict[tuple[str, str, int | None], list[int]] = {}
    for section in sections:
        for cid in section.chunk_ids:
            chunk = chunks[position[cid]]
            groups.setdefault((section.key, chunk.source, chunk.page), []).append(position[cid])
    keys = list(groups)
    indicator = sparse.csr_matrix(
        (
            np.ones(sum(len(groups[k]) for k in keys)),
            (
                np.repeat(np.arange(len(keys)), [len(groups[k]) for k in keys]),
                np.concatenate([groups[k] for k in keys]),
            ),
        ),
        shape=(len(keys), len(chunks)),
    )
    page_vectors = (indicator @ vectors).toarray()
    norms = np.linalg.norm(page_vectors, axis=1)
    norms[norms == 0] = 1.0
    cosines = (vectors[measure_rows] @ page_vectors.T) / norms
    owner = [key[0] for key in keys]
    result = []
    for row in np.asarray(cosines):
        best: dict[str, float] = {section.key: 0.0 for section in sections}
        for key, value in zip(owner, row, strict=True):
            best[key] = max(best[key], float(value))
        result.append(best)
    return result


def _stating(rows: np.ndarray, stating: np.ndarray) -> np.ndarray:
    """The passages of a section long enough to state its subject. A chart's one-line
    fragment (a figure in brackets, a unit, an axis label) is indexed with the section's
    headings and so matches any measure of the area, though it says nothing of its own;
    a section of fragments only keeps them all."""
    kept = rows[stating[rows]]
    return kept if kept.size else rows


def _content(slide_cosines: np.ndarray, depth: int) -> float:
    """How much a section is about the measure: the mean of its ``depth`` best slides, so
    one slide sharing a phrase scores less than a topic the section reports on throughout."""
    closest = np.sort(slide_cosines)[-depth:]
    return float(closest.mean()) if closest.size else 0.0


def _named(section_terms: Counter[str], area_terms: set[str], idf: dict[str, float]) -> float:
    """How much of a section's name the area heading repeats, weighted by rarity: 年金
    names every section; 相談 or 収納 names one."""
    total = sum(idf.get(t, 0.0) for t in section_terms)
    if total == 0:
        return 0.0
    return sum(idf.get(t, 0.0) for t in section_terms if t in area_terms) / total
