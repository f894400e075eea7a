"""What the trace holds: plan measures, results sections, the links between them, and the
figures each side states. Plain frozen records, saved as JSON with an index generation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Side = Literal["plan", "results"]
LinkSource = Literal["structure", "similarity", "content", "override"]


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure on a named metric, verbatim: ``応答率`` ``70%以上`` (a plan's target) or
    ``76.8％`` in ``令和5年度`` (a result). ``quote`` is the sentence it was read from."""

    metric: str
    value: str
    quote: str
    chunk_id: str
    period: str | None = None  # 令和5年度 / 第3期 for results; None for a plan's target


@dataclass(frozen=True, slots=True)
class Measure:
    """One ● of a plan, with the plan-page labels it carries and the targets it states."""

    chunk_id: str
    labels: tuple[str, ...]
    area: str  # the plan's area heading, e.g. 年金給付 年金相談
    heading: str  # the bold heading grouping the measure, '' when none
    text: str
    targets: tuple[Figure, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """One section of a results report (Ⅰ-７．年金相談): its 資料 labels name the pages of the
    full reports where it starts, which is what the slides cite."""

    key: str  # the labels joined, e.g. 資料1-3 P61|資料1-4 P39
    name: str  # the section header as printed
    labels: tuple[str, ...]
    chunk_ids: tuple[str, ...]  # its slides' passages, document order


@dataclass(frozen=True, slots=True)
class Link:
    """A measure continues a results section. ``slide_id`` is the passage of the section
    closest to the measure (shown as the quote); ``results`` the figures on the measure's
    metrics found in the section, latest first."""

    measure_id: str
    section_key: str
    score: float
    source: LinkSource
    slide_id: str
    results: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Trace:
    measures: tuple[Measure, ...] = ()
    sections: tuple[Section, ...] = ()
    links: tuple[Link, ...] = ()
    _by_measure: dict[str, list[Link]] = field(default_factory=dict, repr=False, compare=False)
    _by_section: dict[str, list[Link]] = field(default_factory=dict, repr=False, compare=False)
    measure: dict[str, Measure] = field(default_factory=dict, repr=False, compare=False)
    section: dict[str, Section] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.measure.update((m.chunk_id, m) for m in self.measures)
        self.section.update((s.key, s) for s in self.sections)
        for link in self.links:
            self._by_measure.setdefault(link.measure_id, []).append(link)
            self._by_section.setdefault(link.section_key, []).append(link)

    def links_of_measure(self, measure_id: str) -> list[Link]:
        return self._by_measure.get(measure_id, [])

    def links_of_section(self, section_key: str) -> list[Link]:
        return self._by_section.get(section_key, [])

    def measures_with_label(self, label: str) -> list[Measure]:
        return [m for m in self.measures if label in m.labels]

    def sections_with_label(self, label: str) -> list[Section]:
        return [s for s in self.sections if label in s.labels]

    def to_json(self) -> dict:
        return {
            "measures": [asdict(m) for m in self.measures],
            "sections": [asdict(s) for s in self.sections],
            "links": [asdict(link) for link in self.links],
        }

    @classmethod
    def from_json(cls, data: dict) -> Trace:
        def figures(items: list[dict]) -> tuple[Figure, ...]:
            return tuple(Figure(**item) for item in items)

        measures = tuple(
            Measure(**{**m, "labels": tuple(m["labels"]), "targets": figures(m.get("targets", []))})
            for m in data.get("measures", [])
        )
        sections = tuple(
            Section(**{**s, "labels": tuple(s["labels"]), "chunk_ids": tuple(s["chunk_ids"])})
            for s in data.get("sections", [])
        )
        links = tuple(
            Link(**{**link, "results": figures(link.get("results", []))})
            for link in data.get("links", [])
        )
        return cls(measures, sections, links)
