"""Parser for the overview-table format (第4期中期計画（案）及び令和6年度計画（案）について).

The file is one concept page (titles, ``<…>`` headings, paragraphs), then table pages. Each
table page starts with a tab-separated header row holding ``主な施策内容``; its data rows are
chapter, area, the 3rd-period review (【…】 headings, ○ questions) and the measures column
(a bold ``<p>`` heading, ● measures with ・ points and bracketed plan-page refs). Rows have
3 or 4 cells: a 3-cell row packs chapter and area into one cell, or opens the review cell
with the area, or has an area and no review at all, so every cell before the measures
column is read as one stream of lines and each line is classified by its shape.

Cells keep HTML from the extraction; ``<本部>``-style labels are text and survive. A ・ point
(or a ``<本部> 【…】`` group) that carries its own bracket becomes its own ``sub_measure``
and leaves its parent's text, so every chunk's labels are exactly the pages written for it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from ingest.clean import squeeze_spaces, strip_html
from ingest.errors import IngestError
from ingest.model import Chunk, ChunkKind, LoadedDocument
from ingest.refs import extract_refs, find_bracket_refs, strip_bracket_refs

NAME = "overview"

HEADER_CELL = "主な施策内容"
TITLE_CHARS = 60

_PARAGRAPH_RE = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
# A bullet starts an item only after whitespace: the ・ in 適用・徴収 is a middle dot.
_BULLET_SPLIT_RE = re.compile(r"\s+(?=[●○・])")
_BULLET_SPACE_RE = re.compile(r"^([●○・])\s+")
_CHAPTER_RE = re.compile(r"^([IVX]+|[Ⅰ-Ⅻ])\s+(\S.*事項)$")
_LABEL_RE = re.compile(r"^<[^<>]+>")
_ROMAN = {unicodedata.normalize("NFKC", chr(code)): chr(code) for code in range(0x2160, 0x216C)}


@dataclass(frozen=True, slots=True)
class Line:
    """One cleaned line of a cell; ``framed`` when it stood in a ``<p>`` of its own."""

    text: str
    framed: bool


@dataclass(slots=True)
class Row:
    """One table row with its chapter and area resolved (empty cells repeat the row above)."""

    page: int
    number: int
    chapter: str
    area: str | None
    review_label: str
    review: list[Line]
    measures: list[Line]


@dataclass(slots=True)
class Measure:
    """A ● item: ``blocks[0]`` is the ● line and its continuation, then one block per ・ point
    or ``<group> 【…】`` group, in document order."""

    heading: str
    label: str | None
    blocks: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class Review:
    """A ○ question (with its ・ sub-items) under its 【…】 heading, if the cell has one."""

    heading: str | None
    lines: list[str]


def detect(doc: LoadedDocument) -> bool:
    """True when some tab-separated row has a ``主な施策内容`` header cell."""
    return any(_is_header(line.split("\t")) for page in doc.pages for line in page.text.split("\n"))


def parse(doc: LoadedDocument, *, max_chars: int = 400) -> list[Chunk]:
    """Concept paragraphs, then per row its ○ reviews and ● measures, in document order.

    ``max_chars`` is accepted for the parser protocol but nothing is split: a ● item is the
    unit its brackets label, and halves would claim pages they do not each carry.
    """
    lines = "\n".join(page.text for page in doc.pages).split("\n")
    first = next((i for i, line in enumerate(lines) if _is_header(line.split("\t"))), None)
    if first is None:
        raise IngestError(doc.source, f"no table header row with a {HEADER_CELL} cell")
    chunks = concept_chunks(doc.source, lines[:first])
    title = next((squeeze_spaces(strip_html(line)) for line in lines if line.strip()), "")
    for row in split_rows(lines[first:]):
        # The document title goes into every row chunk's context, so a question naming the
        # plan (第4期中期計画, 令和6年度計画) finds this document rather than the results.
        chunks.extend(
            replace(chunk, context=f"{title}\n{chunk.context}")
            for chunk in row_chunks(doc.source, row)
        )
    return chunks


def _is_header(cells: list[str]) -> bool:
    return len(cells) > 1 and any(cell.strip() == HEADER_CELL for cell in cells)


def concept_chunks(source: str, lines: list[str]) -> list[Chunk]:
    """One ``concept`` chunk per paragraph of page 1, titled by the ``<…>`` heading above it."""
    titles: list[str] = []  # document title, then the page title (the section)
    heading: str | None = None
    chunks: list[Chunk] = []
    for text in filter(None, (squeeze_spaces(strip_html(raw)) for raw in lines)):
        if _LABEL_RE.match(text) and text.endswith(">"):
            heading = text
        elif heading is None:
            titles.append(text)
        else:
            path = _path(titles[-1] if titles else None, heading)
            section = path[0] if len(path) > 1 else None
            common = {"source": source, "page": 1, "section": section, "heading_path": path}
            context = "\n".join([*titles, heading])
            # The heading carries the period (令和6年4月～令和11年3月): shown with its text.
            lines_shown = [heading, text]
            chunks.append(
                _chunk("concept", lines_shown, f"p1/c{len(chunks) + 1}", heading, context, common)
            )
    return chunks


def split_rows(lines: list[str]) -> list[Row]:
    """Table lines → rows; each header row starts a new physical page (the first is page 2).

    An empty chapter cell repeats the row above; so does a missing area, unless the row
    opens a new chapter (the first Ⅲ row names no area: its measures' heading stands in).
    """
    rows: list[Row] = []
    page, number, chapter, area, review_label = 1, 0, "", None, ""
    for line in lines:
        cells = line.split("\t")
        if _is_header(cells):
            page, number = page + 1, 0
            review_label = next((c.strip() for c in cells[:-1] if c.strip()), "")
            continue
        if not line.strip():
            continue
        number += 1
        leading = [item for cell in cells[:-1] for item in cell_lines(cell)]
        own_chapter, own_area, review = split_leading(leading)
        area = own_area or (area if own_chapter is None else None)
        chapter = own_chapter or chapter
        measures = cell_lines(cells[-1])
        rows.append(Row(page, number, chapter, area, review_label, review, measures))
    return rows


def cell_lines(cell: str) -> list[Line]:
    """A cell's HTML → clean lines, one per bullet item, remembering ``<p>``-framed ones."""
    lines: list[Line] = []
    position = 0
    for match in _PARAGRAPH_RE.finditer(cell):
        lines += _clean_lines(cell[position : match.start()], framed=False)
        lines += _clean_lines(match.group(1), framed=True)
        position = match.end()
    return lines + _clean_lines(cell[position:], framed=False)


def _clean_lines(fragment: str, *, framed: bool) -> list[Line]:
    text = squeeze_spaces(strip_html(fragment))
    pieces = (piece for line in text.split("\n") for piece in _BULLET_SPLIT_RE.split(line))
    return [Line(_BULLET_SPACE_RE.sub(r"\1", piece), framed) for piece in pieces if piece]


def split_leading(lines: list[Line]) -> tuple[str | None, str | None, list[Line]]:
    """Cells before the measures column → (chapter, area, review lines).

    Chapter lines look like ``Ⅱ 業務運営の効率化に関する事項``; the review starts at the
    first 【 or bullet; any other line before it is the area.
    """
    chapter: str | None = None
    areas: list[str] = []
    for index, line in enumerate(lines):
        if line.text.startswith(("【", "○", "・")):
            return chapter, " ".join(areas) or None, lines[index:]
        if match := _CHAPTER_RE.match(line.text):
            chapter = f"{_ROMAN.get(match[1], match[1])} {match[2]}"
        else:
            areas.append(line.text)
    return chapter, " ".join(areas) or None, []


def group_measures(lines: list[Line]) -> list[Measure]:
    """Measures-column lines → ● measures under their bold heading and ``<…>`` label.

    A ``<…>`` label with refs opens a group whose ・ points follow it; one without refs
    heads the ● items after it. A ``<p>`` with plain text is a bold heading; a ``<p>``
    holding only a bracket (``[中期P87,年度P87,88,89]``) continues the item before it.
    """
    measures: list[Measure] = []
    heading, label = "", None
    block: list[str] | None = None
    in_group = False
    for line in lines:
        text = line.text
        if text.startswith("●"):
            measures.append(Measure(heading, label, [[text]]))
            block, in_group = measures[-1].blocks[0], False
        elif _LABEL_RE.match(text) and not find_bracket_refs(text):
            label, block, in_group = text, None, False
        elif (_LABEL_RE.match(text) or (text.startswith("・") and not in_group)) and measures:
            measures[-1].blocks.append([text])
            block, in_group = measures[-1].blocks[-1], text.startswith("<")
        elif line.framed and not text.startswith("・") and not find_bracket_refs(text):
            heading, label, block, in_group = text, None, None, False
        elif block is not None and not strip_bracket_refs(text):
            block[-1] += f" {text}"  # a bracket alone in its <p> ends the line before it
        elif block is not None:
            block.append(text)
        else:
            raise ValueError(f"text outside any ● measure: {text[:40]!r}")
    return measures


def group_reviews(lines: list[Line]) -> list[Review]:
    """Review lines → ○ items (with their ・ sub-items) under their 【…】 heading."""
    reviews: list[Review] = []
    heading: str | None = None
    for line in lines:
        if line.text.startswith("【"):
            heading = line.text
        elif line.text.startswith("○"):
            reviews.append(Review(heading, [line.text]))
        elif reviews:
            reviews[-1].lines.append(line.text)
        else:
            raise ValueError(f"review text before any ○ item: {line.text[:40]!r}")
    return reviews


def row_chunks(source: str, row: Row) -> list[Chunk]:
    """A row's ``review`` chunks, then for each ● its ``measure`` and ``sub_measure`` chunks."""
    try:
        measures, reviews = group_measures(row.measures), group_reviews(row.review)
    except ValueError as error:
        where = f"table page {row.page}, row {row.number}"
        raise IngestError(source, f"{where}: {error}; is this row's cell layout new?") from error
    section = row.area or next((m.heading for m in measures if m.heading), None)
    reviews_text = "\n".join(line for review in reviews for line in review.lines)
    prefix = f"p{row.page}/r{row.number}"
    chunks: list[Chunk] = []
    for index, review in enumerate(reviews, start=1):
        path = _path(row.chapter, section, review.heading)
        title = review.heading or short_title(review.lines[0])
        context = "\n".join([*path, row.review_label])
        common = {"source": source, "page": row.page, "section": section, "heading_path": path}
        chunks.append(_chunk("review", review.lines, f"{prefix}/o{index}", title, context, common))
    headings = list(dict.fromkeys(m.heading for m in measures if m.heading))
    for index, heading in enumerate(headings, start=1):
        # The bold heading states the aim (e.g. 最終納付率80%台後半を目指す): quotable text.
        path = _path(row.chapter, section, heading)
        context = "\n".join(path)
        common = {"source": source, "page": row.page, "section": section, "heading_path": path}
        chunks.append(_chunk("heading", [heading], f"{prefix}/h{index}", heading, context, common))
    for index, measure in enumerate(measures, start=1):
        path = _path(row.chapter, section, measure.heading, measure.label)
        context = "\n".join(part for part in (*path, reviews_text) if part)
        common = {"source": source, "page": row.page, "section": section, "heading_path": path}
        chunks += measure_chunks(measure, f"{prefix}/m{index}", context, common)
    return chunks


def measure_chunks(
    measure: Measure, locator: str, context: str, common: dict[str, Any]
) -> list[Chunk]:
    """The ● chunk (its ref-less ・ points included), then one chunk per part with own refs.

    ``context`` (headings and the row's ○ questions, which say what problem a measure
    answers) is indexed with every chunk; a part also gets its parent's ● sentence.
    """
    first, *rest = measure.blocks
    parts = [block for block in rest if find_bracket_refs("\n".join(block))]
    own = [line for block in (first, *rest) if block not in parts for line in block]
    title = short_title(first[0])
    chunks = [_chunk("measure", own, locator, title, context, common)]
    for number, part in enumerate(parts, start=1):
        part_title = strip_bracket_refs(part[0]) if part[0].startswith("<") else title
        part_locator, part_context = f"{locator}/s{number}", f"{first[0]}\n{context}"
        chunks.append(_chunk("sub_measure", part, part_locator, part_title, part_context, common))
    return chunks


def _chunk(
    kind: ChunkKind,
    lines: list[str],
    locator: str,
    title: str | None,
    context: str,
    common: dict[str, Any],
) -> Chunk:
    """Refs are read from the chunk's own text only, so its labels are exactly its pages."""
    text = "\n".join(lines)
    return Chunk.build(
        text=text,
        kind=kind,
        locator=locator,
        title=title,
        refs=extract_refs(text),
        context=context,
        **common,
    )


def short_title(text: str) -> str:
    """First sentence without bullet or refs, cut near ``TITLE_CHARS`` at a comma.

    Titles are shown in result lists; a whole ● sentence can run past 150 characters.
    """
    sentence = strip_bracket_refs(text.lstrip("●○・ ").split("。")[0])
    if len(sentence) <= TITLE_CHARS:
        return sentence
    cut = sentence.rfind("、", TITLE_CHARS // 3, TITLE_CHARS)
    return sentence[: cut if cut > 0 else TITLE_CHARS] + "…"


def _path(*parts: str | None) -> tuple[str, ...]:
    """Non-empty headings, outermost first, without repeats (a missing area falls back)."""
    return tuple(dict.fromkeys(part for part in parts if part))
