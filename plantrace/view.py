"""What ``GET /trace/{label}`` (and the MCP ``trace`` tool) return: for a plan label, its
measures with their targets and the linked results; for a results label, its section with
the measures that continue it. Every text is verbatim from its document, with its labels."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from ingest.model import Chunk
from plantrace.model import Figure, Link, Measure, Section, Trace


class TraceFigure(BaseModel):
    metric: str = Field(description="The metric both sides name, e.g. 応答率.")
    value: str = Field(description="The figure as written: 70%以上, 76.8％.")
    period: str | None = Field(
        default=None, description="令和5年度 / 第3期 for a result; none for a plan's target."
    )
    quote: str = Field(description="The sentence the figure is read from, verbatim.")
    chunk_id: str

    @classmethod
    def of(cls, figure: Figure) -> TraceFigure:
        return cls(
            metric=figure.metric,
            value=figure.value,
            period=figure.period,
            quote=figure.quote,
            chunk_id=figure.chunk_id,
        )


class TraceResult(BaseModel):
    """A results section linked to a measure: its labels, the slide closest to the measure
    and the figures it states on the measure's metrics."""

    labels: list[str] = Field(description="The section's labels: 資料1-3 P61, 資料1-4 P39.")
    section: str = Field(description="The section header, e.g. Ⅰ-７．年金相談.")
    heading: str | None = Field(description="The 施策 heading of the closest slide.")
    chunk_id: str
    quote: str = Field(description="The closest slide passage, verbatim.")
    figures: list[TraceFigure]
    source: Literal["structure", "similarity", "content", "override"] = Field(
        description="structure: the plan area names the section; similarity: shared words; "
        "content: a section of another area whose subject the measure is (its closest slides "
        "share the measure's words); override: data/trace.txt."
    )


class TraceMeasure(BaseModel):
    labels: list[str] = Field(description="The measure's plan labels: 中期P46, 年度P47.")
    area: str
    heading: str
    chunk_id: str
    text: str = Field(description="The measure (●) verbatim.")
    targets: list[TraceFigure] = Field(description="The figures the measure sets.")
    results: list[TraceResult] = Field(description="Linked results sections (plan side).")


class TraceSection(BaseModel):
    labels: list[str]
    section: str
    measures: list[TraceMeasure] = Field(
        description="The plan measures that continue this section, each with the figures of "
        "this section on its metrics in ``results``."
    )


class TraceResponse(BaseModel):
    label: str
    side: Literal["plan", "results"]
    measures: list[TraceMeasure] = Field(
        default_factory=list, description="Plan side: the measures carrying the label."
    )
    sections: list[TraceSection] = Field(
        default_factory=list, description="Results side: the section(s) carrying the label."
    )


def trace_view(
    trace: Trace, chunks: Mapping[str, Chunk], label: str, asked: str | None = None
) -> TraceResponse | None:
    """The trace around one canonical label, or None when nothing carries it. ``asked``
    names a metric (応答率, or a question naming it): its figures come first in each
    linked section, and the passage shown is the one stating it, so a measure with three
    targets shows the one asked about, not the first the plan states."""
    wanted = _metrics_named(trace, asked)
    if label.startswith("資料"):
        sections = trace.sections_with_label(label)
        if not sections:
            return None
        return TraceResponse(
            label=label,
            side="results",
            sections=[_section(trace, chunks, section, wanted) for section in sections],
        )
    measures = trace.measures_with_label(label)
    if not measures:
        return None
    return TraceResponse(
        label=label,
        side="plan",
        measures=[
            _measure(
                m,
                [
                    _result(trace, chunks, link, wanted)
                    for link in trace.links_of_measure(m.chunk_id)
                ],
                wanted,
            )
            for m in measures
        ],
    )


def _measure(measure: Measure, results: list[TraceResult], wanted: frozenset[str]) -> TraceMeasure:
    return TraceMeasure(
        labels=list(measure.labels),
        area=measure.area,
        heading=measure.heading,
        chunk_id=measure.chunk_id,
        text=measure.text,
        targets=[TraceFigure.of(f) for f in _asked_first(measure.targets, wanted)],
        results=results,
    )


def _result(
    trace: Trace, chunks: Mapping[str, Chunk], link: Link, wanted: frozenset[str]
) -> TraceResult:
    section = trace.section[link.section_key]
    figures = _asked_first(link.results, wanted)
    # The passage shown is the one stating the asked metric's figure, when the section has one.
    slide_id = figures[0].chunk_id if figures and figures[0].metric in wanted else link.slide_id
    slide = chunks.get(slide_id)
    return TraceResult(
        labels=list(section.labels),
        section=section.name,
        heading=slide.title if slide else None,
        chunk_id=slide_id,
        quote=slide.text if slide else "",
        figures=[TraceFigure.of(f) for f in figures],
        source=link.source,
    )


def _section(
    trace: Trace, chunks: Mapping[str, Chunk], section: Section, wanted: frozenset[str]
) -> TraceSection:
    measures = trace.measure
    return TraceSection(
        labels=list(section.labels),
        section=section.name,
        measures=[
            _measure(measures[link.measure_id], [_result(trace, chunks, link, wanted)], wanted)
            for link in trace.links_of_section(section.key)
        ],
    )


def _metrics_named(trace: Trace, asked: str | None) -> frozenset[str]:
    """The trace's metrics ``asked`` names (応答率 in 「ねんきんダイヤルの応答率」)."""
    if not asked:
        return frozenset()
    text = unicodedata.normalize("NFKC", asked)
    named = {f.metric for m in trace.measures for f in m.targets}
    return frozenset(metric for metric in named if metric in text)


def _asked_first(figures: Sequence[Figure], wanted: frozenset[str]) -> list[Figure]:
    """The figures on an asked metric first, each group in its own order (latest first)."""
    return sorted(figures, key=lambda f: f.metric not in wanted)
