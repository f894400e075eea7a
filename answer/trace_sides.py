"""Both sides of an answer from the plan ↔ results trace (plantrace/).

A question asking for a comparison, a change or whether a target was met needs the plan's
measure and what the period before achieved on it. Retrieval often brings one side only:
the two documents word the same topic differently. The trace links them at index time, so
the missing side is the linked passage itself, its sentences verbatim with their labels:
the result stating a figure on the measure's metric when there is one, else the linked
slide's closest sentence; for a results passage, the plan measure that continues it.

A question on a plan's target may get one line of the latest linked result on that metric
(``trace.latest_result``): "and where do we stand?" is the next question an agent hears.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from answer.extractive import Picked
from answer.sentences import display, is_heading, is_statement, sentences_of
from ingest.model import Chunk
from plantrace.model import Figure, Link, Measure, Trace
from question import QuestionAnalysis

_TARGET_WORDS = ("目標", "目指", "水準", "以上", "確保")


def complete_sides(
    analysis: QuestionAnalysis,
    picked: list[Picked],
    trace: Trace,
    chunks: Mapping[str, Chunk],
    *,
    latest_result: bool,
) -> list[Picked]:
    """``picked`` with the other side added when the question asks for both (or, on a
    target, the latest result), never repeating a sentence already there."""
    if not trace.links or not picked:
        return picked
    measures = list(dict.fromkeys(m for p in picked for m in _measures_of(p.chunk, trace)))
    has_plan = any(_is_plan(p.chunk) for p in picked)
    has_results = any(_is_results(p.chunk) for p in picked)
    added: list[Picked] = []
    if analysis.wants_both_sides:
        if measures and not has_results:
            # The first measure is the one the answer leads with; the results of a second
            # (a neighbouring ● on the same page) would answer another question.
            added.extend(_results_lines(measures[0], trace, chunks, analysis, limit=2))
        elif has_results and not has_plan:
            added.extend(_plan_lines(picked, trace, chunks))
    elif latest_result and measures and not has_results:
        measure = measures[0]
        if measure.targets and _asks_for_target(analysis, measure):
            added.extend(
                _results_lines(measure, trace, chunks, analysis, limit=1, figures_only=True)
            )
    shown = {p.shown for p in picked}
    extra = []
    for item in added:
        if item.shown not in shown:
            shown.add(item.shown)
            extra.append(item)
    return [*picked, *extra]


def _measures_of(chunk: Chunk, trace: Trace) -> list[Measure]:
    """The plan measures a picked plan passage belongs to: itself, else the measures on its
    pages, else those under its heading (a ・ sub-point or a 年度 page of the same ●)."""
    if chunk.id in trace.measure:
        return [trace.measure[chunk.id]]
    if not _is_plan(chunk):
        return []
    labels = set(chunk.refs)
    on_pages = [m for m in trace.measures if labels.intersection(m.labels)]
    if on_pages:
        return on_pages
    path = chunk.heading_path[1:3]
    return [m for m in trace.measures if len(path) == 2 and (m.area, m.heading) == path]


def _results_lines(
    measure: Measure,
    trace: Trace,
    chunks: Mapping[str, Chunk],
    analysis: QuestionAnalysis,
    *,
    limit: int,
    figures_only: bool = False,
) -> list[Picked]:
    links = sorted(trace.links_of_measure(measure.chunk_id), key=lambda link: -link.score)
    asked = _asked_metrics(analysis, measure)
    lines: list[Picked] = []
    for link in links:
        figures = [f for f in link.results if not asked or f.metric in asked]
        if figures:
            # The latest figure of each metric asked (the linker lists the latest first).
            seen: set[str] = set()
            for figure in figures:
                if figure.metric in seen:
                    continue
                seen.add(figure.metric)
                if line := _figure_line(figure, chunks):
                    lines.append(line)
        elif not figures_only and (line := _slide_line(link, chunks)):
            lines.append(line)
        if len(lines) >= limit:
            break
    return lines[:limit]


def _plan_lines(picked: list[Picked], trace: Trace, chunks: Mapping[str, Chunk]) -> list[Picked]:
    for item in picked:
        labels = set(item.chunk.refs)
        for section in trace.sections:
            if not labels.intersection(section.labels):
                continue
            links = sorted(trace.links_of_section(section.key), key=lambda link: -link.score)
            for link in links[:1]:
                chunk = chunks.get(link.measure_id)
                if chunk is not None and (line := _first_statement(chunk)):
                    return [line]
    return []


def _figure_line(figure: Figure, chunks: Mapping[str, Chunk]) -> Picked | None:
    chunk = chunks.get(figure.chunk_id)
    if chunk is None:
        return None
    value = _fold(figure.value)
    for sentence in sentences_of(chunk):
        if (
            value in _fold(sentence)
            and figure.metric in _fold(sentence)
            and not is_heading(sentence)
        ):
            return Picked(sentence, display(sentence), chunk, 0.0)
    return None


def _slide_line(link: Link, chunks: Mapping[str, Chunk]) -> Picked | None:
    chunk = chunks.get(link.slide_id)
    return _first_statement(chunk) if chunk is not None else None


def _first_statement(chunk: Chunk) -> Picked | None:
    for sentence in sentences_of(chunk):
        shown = display(sentence)
        if is_statement(sentence):
            return Picked(sentence, shown, chunk, 0.0)
    return None


def _asked_metrics(analysis: QuestionAnalysis, measure: Measure) -> set[str]:
    """The measure's metrics the question names (応答率); all of them when it names none."""
    text = _fold(analysis.search_text)
    return {t.metric for t in measure.targets if t.metric in text}


def _asks_for_target(analysis: QuestionAnalysis, measure: Measure) -> bool:
    text = _fold(analysis.search_text)
    return bool(_asked_metrics(analysis, measure)) or any(w in text for w in _TARGET_WORDS)


def _is_plan(chunk: Chunk) -> bool:
    return any(label.startswith(("中期", "年度")) for label in chunk.refs)


def _is_results(chunk: Chunk) -> bool:
    return any(label.startswith("資料") for label in chunk.refs)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\n", "")
