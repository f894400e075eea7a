"""The figures a link shows: a measure's targets (its ● and the ・ under it) and, in each
section it links to, the results the report states on the same metrics, latest first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ingest.model import Chunk
from plantrace.metrics import block_period, document_period, results, stated_metrics, targets
from plantrace.model import Figure, Link, Measure, Section

# Latest first: the year's results, then the period's, then the figures tables.
_RESULT_ORDER = {"fy_result": 0, "result": 1, "table": 2}


def sub_points(chunks: Sequence[Chunk], measure_ids: set[str]) -> dict[str, list[Chunk]]:
    """The ・ sub-points each ● measure carries (the passages of kind sub_measure after it,
    under its heading): a ● often states its aim and a ・ under it the figure (the share of
    women among managers, in a ・ under the ● on women's careers)."""
    points: dict[str, list[Chunk]] = {}
    owner: Chunk | None = None
    for chunk in chunks:
        if chunk.kind == "measure":
            owner = chunk if chunk.id in measure_ids else None
        elif chunk.kind != "sub_measure":
            owner = None
        elif owner is not None and chunk.heading_path[:3] == owner.heading_path[:3]:
            points.setdefault(owner.id, []).append(chunk)
    return points


def measure_targets(chunk: Chunk, points: list[Chunk]) -> tuple[Figure, ...]:
    """A measure's targets: those its ● states, then those of its ・ sub-points on other
    metrics."""
    found = {figure.metric: figure for figure in targets(chunk.text, chunk.id)}
    for point in points:
        for figure in targets(point.text, point.id):
            found.setdefault(figure.metric, figure)
    return tuple(found.values())


def stated_section_metrics(
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


def block_periods(chunks: Sequence[Chunk]) -> dict[tuple[str, str], str]:
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


def with_results(
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
