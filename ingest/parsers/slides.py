"""Slides of the results document: where each slide starts and ends, and what it carries.

Each table slide starts at its header line (`施策 第３期中期計画の概要 主な取組実績`);
its footer pair (`資料１－３：…6ページ～` / `資料１－４：…4ページ～`), an optional printed
slide number and its section header (`Ⅰ-２．…`) may stand anywhere in it. The slides before
the first table are cut at the document title and at the priorities box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.refs import find_footer_refs

TABLE_HEADER_RE = re.compile(r"^\s*(?:施策\s+)?第[３3]期中期計画の概要\s+主な取組実績\s*$")
FOOTER_RE = re.compile(r"資料\s*[１1]\s*[－\-ー‐]\s*[３４34]\s*[：:]")
_SECTION_RE = re.compile(r"^\s*([ⅠⅡⅢⅣⅤⅥ]+(?:\s*[-－]\s*[0-9０-９]+)?．.+?)\s*(?=資料|$)")
_PRINTED_NUMBER_RE = re.compile(r"^\s*(\d{1,3})\s*$")
DOCUMENT_TITLE = "第３期中期計画の取組及び令和５年度の取組のポイント"
FRONT_BREAKS = (
    "第３期中期計画の取組及び令和５年度の取組のポイント",
    "【令和５年度における重点取組施策】",
)


@dataclass
class Slide:
    number: int
    lines: list[str] = field(default_factory=list)  # content lines, footer/section removed
    sections: list[tuple[int, str]] = field(default_factory=list)  # (line index, section)
    refs: list[str] = field(default_factory=list)
    printed: int | None = None


def split_slides(lines: list[str], *, first_number: int) -> list[Slide]:
    """Cut the table part into slides: each slide starts at its table header line.

    Footers and printed numbers belong to the slide they stand in. A section header that
    stands right before the next table header (after the previous slide's text) opens the
    next slide; one followed by a footer or by text belongs to the slide it stands in.
    """
    slides: list[Slide] = []
    slide: Slide | None = None
    pending: list[str] = []  # section lines not yet placed
    for line in lines:
        if TABLE_HEADER_RE.match(line):
            if slide is not None:
                slides.append(slide)
            slide = Slide(first_number + len(slides))
            slide.sections.extend((0, name) for name in pending)
            pending = []
            slide.lines.append(line)
            continue
        assert slide is not None  # the caller starts at the first table header
        section = _SECTION_RE.match(line)
        footer = FOOTER_RE.search(line)
        if section and not footer:
            pending.append(_clean_section(section.group(1)))
            continue
        if line.strip() and pending:
            slide.sections.extend((len(slide.lines), name) for name in pending)
            pending = []
        if section:
            slide.sections.append((len(slide.lines), _clean_section(section.group(1))))
        if footer:
            slide.refs.extend(
                ref
                for span in find_footer_refs(line)
                for ref in span.labels
                if ref not in slide.refs
            )
            continue
        printed = _PRINTED_NUMBER_RE.match(line)
        if printed and slide.refs:
            slide.printed = int(printed.group(1))
            continue
        slide.lines.append(line)
    if slide is not None:
        slide.sections.extend((len(slide.lines), name) for name in pending)
        slides.append(slide)
    return slides


def _clean_section(raw: str) -> str:
    return re.sub(r"\s+", "", raw.split("（※")[0]).strip()


def fill_missing(slides: list[Slide]) -> None:
    """A slide without a section header or footer takes them from its neighbours.

    The 資料 labels are the pages where a section starts in the two reports, so a slide of
    a known section without its own footer takes that section's labels.
    """
    refs_by_section: dict[str, list[str]] = {}
    for slide in slides:
        if slide.sections and slide.refs:
            known = refs_by_section.setdefault(slide.sections[0][1], slide.refs)
            if len(slide.refs) > len(known):
                refs_by_section[slide.sections[0][1]] = slide.refs
    section_by_refs = {tuple(refs): name for name, refs in refs_by_section.items()}
    for index, slide in enumerate(slides):
        if not slide.sections:
            section = section_by_refs.get(tuple(slide.refs))
            if section is None and index > 0 and slides[index - 1].sections:
                section = slides[index - 1].sections[-1][1]
            if section:
                slide.sections.append((0, section))
        if slide.sections:  # no footer, or a footer that lost one of its two lines
            full = refs_by_section.get(slide.sections[0][1], [])
            if set(slide.refs) < set(full) or not slide.refs:
                slide.refs = list(full)


def split_front_matter(lines: list[str]) -> list[list[str]]:
    """The slides before the first table: cut at the document title and the priorities box."""
    slides: list[list[str]] = [[]]
    for line in lines:
        if line.strip() in FRONT_BREAKS and any(part.strip() for part in slides[-1]):
            slides.append([])
        slides[-1].append(line)
    return [slide for slide in slides if any(line.strip() for line in slide)]
