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
from plantrace.metrics import block_period, document_period, results, stated_metrics, targets
from plantrace.model import Figure, Link, Measure, Section, Trace
from plantrace.overrides import Overrides

PLAN_PREFIXES = ("中期", "年度")
RESULTS_PREFIX = "資料"
# Latest first: the year's results, then the period's, then the figures tables.
_RESULT_ORDER = {"fy_result": 0, "result": 1, "table": 2}
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
) -> Trace:
    """The trace of an index's chunks. ``counts`` are the chunks' indexed term counts (as
    for BM25, so nothing is analysed twice); ``terms`` analyses the few headings;
    ``own_terms`` are the terms of each chunk's own text (the index build passes the ones
    its analysis made; without them the page rule analyses the texts with ``terms``)."""
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
    if own_terms is None and parameters.page < OFF:
        own_terms = [terms(chunk.text) for chunk in chunks]
    pages = _page_cosines(chunks, rows, sections, own_terms, parameters.page)
    by_id = {chunk.id: chunk for chunk in chunks}
    periods = _block_periods(chunks)
    stated = _stated_metrics(sections, by_id, periods) if parameters.metric else {}

    points = _sub_points(chunks)
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
            targets=_targets(chunk, points.get(chunk.id, [])),
        )
        plan_measures.append(measure)
        area_terms = set(terms(area))
        aimed = {target.metric for target in measure.targets}
        scored = []
        for section in sections:
            named = _named(section_terms[section.key], area_terms, idf)
            members = section_rows[section.key]
            slide_cosines = cosines[row, members]
            best = int(np.argmax(slide_cosines))
            cosine = float(slide_cosines[best])
            score = cosine + parameters.structure_weight * named
            if aimed & stated.get(section.key, set()):
                score += parameters.metric
            content = _content(cosines[row, content_rows[section.key]], parameters.depth)
            scored.append((score, content, section, section.chunk_ids[best], named >= 0.5))
        top = max(score for score, *_ in scored)
        home = [content for _, content, _, _, by_structure in scored if by_structure]
        # With no section named by the area, the closest section stands in for the home one.
        reference = max(home) if home else max(content for _, content, *_ in scored)
        page_of = pages[row] if pages is not None else {}
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
    links = [_with_results(link, plan_measures, sections, by_id, periods) for link in links]
    return Trace(tuple(plan_measures), tuple(sections), tuple(links))


def _sub_points(chunks: Sequence[Chunk]) -> dict[str, list[Chunk]]:
    """The ・ sub-points each ● measure carries (the passages of kind sub_measure after it,
    under its heading): a ● often states its aim and a ・ under it the figure (女性管理職比率
    … 18%達成を目指す under the ● on women's careers)."""
    points: dict[str, list[Chunk]] = {}
    owner: Chunk | None = None
    for chunk in chunks:
        if chunk.kind == "measure":
            owner = chunk if _plan(chunk) else None
        elif chunk.kind != "sub_measure":
            owner = None
        elif owner is not None and chunk.heading_path[:3] == owner.heading_path[:3]:
            points.setdefault(owner.id, []).append(chunk)
    return points


def _targets(chunk: Chunk, points: list[Chunk]) -> tuple[Figure, ...]:
    """A measure's targets: those its ● states, then those of its ・ sub-points on other
    metrics."""
    found = {figure.metric: figure for figure in targets(chunk.text, chunk.id)}
    for point in points:
        for figure in targets(point.text, point.id):
            found.setdefault(figure.metric, figure)
    return tuple(found.values())


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


def _stated_metrics(
    sections: list[Section], by_id: dict[str, Chunk], periods: dict[tuple[str, str], str]
) -> dict[str, set[str]]:
    """The metrics each section states a figure on (its prose or its table rows), by the
    name both documents use (予約率, 応答率): a measure targeting one is reported there."""
    found: dict[str, set[str]] = {}
    for section in sections:
        rows = [
            (cid, by_id[cid].text, _passage_period(by_id[cid], periods))
            for cid in section.chunk_ids
        ]
        found[section.key] = stated_metrics(rows)
    return found


def _block_periods(chunks: Sequence[Chunk]) -> dict[tuple[str, str], str]:
    """The year each kind of report block covers, per document: a long （令和５年度の取組実績）
    block is split into passages and only the first carries the marker."""
    seen: dict[tuple[str, str], Counter[str]] = {}
    for chunk in chunks:
        if year := block_period(chunk.text):
            seen.setdefault((chunk.source, chunk.kind), Counter())[year] += 1
    return {key: count.most_common(1)[0][0] for key, count in seen.items()}


def _passage_period(chunk: Chunk, periods: dict[tuple[str, str], str]) -> str | None:
    return (
        block_period(chunk.text)
        or periods.get((chunk.source, chunk.kind))
        or document_period(chunk.context)
    )


def _with_results(
    link: Link,
    measures: list[Measure],
    sections: list[Section],
    by_id: dict[str, Chunk],
    periods: dict[tuple[str, str], str],
) -> Link:
    measure = next(m for m in measures if m.chunk_id == link.measure_id)
    if not measure.targets:
        return link
    section = next(s for s in sections if s.key == link.section_key)
    passages = sorted(
        (by_id[cid] for cid in section.chunk_ids),
        key=lambda c: _RESULT_ORDER.get(c.kind, len(_RESULT_ORDER)),
    )
    found = []
    rows = [(c.id, c.text, _passage_period(c, periods)) for c in passages]
    for target in measure.targets:
        found.extend(results(target.metric, rows))
    # The slide shown beside the measure is the one stating its first figure, when any.
    slide = found[0].chunk_id if found else link.slide_id
    return Link(link.measure_id, link.section_key, link.score, link.source, slide, tuple(found))


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
