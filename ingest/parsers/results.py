"""Parser for the results-slide format (第３期中期計画の取組及び令和５年度の取組のポイント).

The PDF extraction gives slides one after another, each column after the other, lines
broken mid-word. A slide ends with its footer pair (``資料１－３：…6ページ～`` /
``資料１－４：…4ページ～``), sometimes followed by its printed slide number; the section
header (``Ⅰ-２．国民年金の保険料収納対策``) may stand anywhere on the slide. Inside a slide
the table is: 施策 name (narrow first column), the 3rd-period plan summary (○, narrow
column), the main results (○, wide column), then the （令和５年度計画） and
（令和５年度の取組実績） blocks; chart and table text is kept as ``table`` chunks. A table
may hold a further row for the same 施策 with no name cell: it starts again with the slide's
first column, which the narrow wrap of its first ○ paragraph tells (``second_rows``; off
by default, see ``SECOND_ROWS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ingest.clean import join_broken_lines
from ingest.model import Chunk, ChunkKind, LoadedDocument
from ingest.parsers.slides import (
    DOCUMENT_TITLE,
    FOOTER_RE,
    FRONT_BREAKS,
    TABLE_HEADER_RE,
    Slide,
    fill_missing,
    split_front_matter,
    split_slides,
)

NAME = "results"

_FY_MARKER_RE = re.compile(r"^\s*（令和[５5]年度(計画|の取組実績)）\s*")
_BULLETS = ("○", "〇", "◯", "●")
_ITEM_START_RE = re.compile(r"^\s*(?:[○〇◯●]|[①-⑳]|（令和[５5]年度)")
_TABLE_NOTE_RE = re.compile(r"^\s*【")

NARROW_COLUMN = 22  # the plan-summary and FY-plan columns wrap at about 20 characters
NAME_LINE = 8  # 施策 names wrap at about 6 characters per line

BLOCK_LABELS: dict[str, str] = {
    "plan_summary": "第３期中期計画の概要",
    "result": "主な取組実績",
    "fy_plan": "令和５年度計画",
    "fy_result": "令和５年度の取組実績",
    "table": "図表",
    "text": "",
}


@dataclass
class Item:
    """One paragraph-like unit: a ○ item, a marker, a 施策 name, a table row or note."""

    lines: list[str]
    at: int  # index of its first line in the slide

    @property
    def first(self) -> str:
        return self.lines[0].strip()

    @property
    def width(self) -> int:
        return max(len(line.strip()) for line in self.lines)


def detect(doc: LoadedDocument) -> bool:
    text = "\n".join(page.text for page in doc.pages)
    return bool(FOOTER_RE.search(text)) and any(
        TABLE_HEADER_RE.match(line) for line in text.split("\n")
    )


# Whether a table's further row of the same 施策 gets the kinds of its own columns
# (_starts_next_row). Off in what ships: the labels are right, but the answers lose with
# them end to end (fresh first statement 0.622 → 0.568, dev citation precision; the trace's
# link precision 0.980 → 0.961), and
# refitting on the new kinds wins nothing back: the kind prior (bench/results/
# kind-prior-cv.md), the sentence ranker and the admission (bench/results/
# second-rows-ranker.md: the two fresh questions lost move in retrieval, not in the
# ranker's reading of kinds). bench/results_kinds.py lists what moves.
SECOND_ROWS = False
# Whether a 施策's row is read from where it starts: a name followed by a numbered sub-heading
# (お客様サービスの向上 then ①多様な年金受給方法等の周知・広報, 資料1-3 P39; 情報セキュリティ
# 対策 then ①組織面の対策) is that 施策's name, and a slide going on with the 施策 of the slide
# before repeats no name but starts again with its first column, read by its width (a narrow
# ○ is the 第３期中期計画の概要 column). Off in what ships: the names and kinds are right, but
# end to end the answers lose (dev F 0.894 -> 0.883, fresh first statement 0.622 -> 0.595;
# outside F 0.750 -> 0.761) and the trace gains a wrong link (precision 0.980 -> 0.942), the
# ranker, the kind prior and the linker having been fitted on the old names and kinds.
NAMED_ROWS = False
# Whether a chart's stray lines in a 令和５年度 column (axis labels, units, counts in
# brackets: (175,774人), 情報照会, 億円) are the chart's: kind ``table`` under the nearest
# 【title】 above on the slide, text unchanged. Off in what ships: they stay fy_result
# passages, because end to end with the chart's kind the answers lose (dev F 0.894 -> 0.883,
# outside F 0.750 -> 0.727, P 0.787 -> 0.772; the kind alone with the heading left as 図表
# loses the same facts, and merging them into the chart's rows, 662 -> 612 passages, loses a
# dev fact too), the ranker and the kind weights having been fitted on the old kinds.
CHART_FRAGMENTS = False


def parse(
    doc: LoadedDocument,
    *,
    max_chars: int = 400,
    second_rows: bool = SECOND_ROWS,
    named_rows: bool = NAMED_ROWS,
    chart_fragments: bool = CHART_FRAGMENTS,
) -> list[Chunk]:
    lines = "\n".join(page.text for page in doc.pages).split("\n")
    first_table = next(i for i, line in enumerate(lines) if TABLE_HEADER_RE.match(line))
    front_slides = split_front_matter(lines[:first_table])
    slides = split_slides(lines[first_table:], first_number=len(front_slides) + 1)
    fill_missing(slides)
    chunks: list[Chunk] = []
    for number, front in enumerate(front_slides, start=1):
        chunks.extend(_front_chunks(doc.source, number, front, max_chars))
    previous_measure: tuple[str | None, str | None] = (None, None)
    for slide in slides:
        slide_chunks, previous_measure = _slide_chunks(
            doc.source, slide, max_chars, previous_measure, second_rows, named_rows, chart_fragments
        )
        # The document title in every slide chunk's context routes questions that name
        # the period (第３期, 令和５年度) to this document.
        chunks.extend(replace(c, context=f"{DOCUMENT_TITLE}\n{c.context}") for c in slide_chunks)
    return chunks


def _items(lines: list[str]) -> list[Item]:
    """Blank lines and item starts (○, ①, （令和５年度…）, 【, ※) begin a new item."""
    items: list[Item] = []
    current: list[str] = []
    start = 0
    for index, line in enumerate(lines):
        if not line.strip():
            if current:
                items.append(Item(current, start))
            current = []
            continue
        if current and (_ITEM_START_RE.match(line) or _TABLE_NOTE_RE.match(line)):
            items.append(Item(current, start))
            current = []
        if not current:
            start = index
        current.append(line)
    if current:
        items.append(Item(current, start))
    return items


def _is_table_row(item: Item) -> bool:
    """Figures from charts and tables: numbers in several space-separated cells."""
    if _TABLE_NOTE_RE.match(item.first):
        return True
    if _ITEM_START_RE.match(item.first):
        return False
    for line in item.lines:
        cells = line.split()
        if len(cells) >= 2 and any(re.search(r"\d", cell) for cell in cells):
            return True
    return all(len(line.strip()) <= NAME_LINE for line in item.lines) and any(
        re.search(r"[\d０-９]", line) for line in item.lines
    )


def _is_measure_name(item: Item) -> bool:
    return (
        all(len(line.strip()) <= NAME_LINE for line in item.lines)
        and not _ITEM_START_RE.match(item.first)
        and not item.first.startswith(("【", "※", "［", "[", "(", "（", "→", "・"))
        and not re.search(r"[\d０-９。、]", "".join(item.lines))
        and len(item.lines) <= 4
    )


def _measure_name_run(items: list[Item], start: int, named_rows: bool = NAMED_ROWS) -> list[Item]:
    """A 施策 name, possibly cut by blank lines, is followed by a ○ item or a sub-heading
    (a numbered one, ①…, only with ``named_rows``)."""
    end = start
    while end < len(items) and _is_measure_name(items[end]) and end - start < 4:
        end += 1
    if end == start or end >= len(items):
        return items[start:end] if end > start and end >= len(items) else []
    follower = items[end].first
    if (
        follower.startswith(_BULLETS + ("［", "["))
        or _FY_MARKER_RE.match(follower)
        or (named_rows and _NUMBERED_SUBHEADING_RE.match(follower))
    ):
        return items[start:end]
    return []


_SENTENCE_END = ("。", "）", ")", "」", "］", "】")


def _continues(block: Block, item: Item) -> bool:
    """A blank line inside a paragraph: the item goes on the previous one's last line."""
    if block.kind == "table" or not block.items or not block.items[-1]:
        return False
    previous = block.items[-1][-1]
    if previous.endswith(_SENTENCE_END) or _FY_MARKER_RE.match(previous):
        return False
    return _cut_paragraph_goes_on(item)


def _cut_paragraph_goes_on(item: Item) -> bool:
    """After a blank line, an item that starts nothing of its own goes on the paragraph."""
    return not (
        _ITEM_START_RE.match(item.first)
        or item.first.startswith(("【", "※", "［", "・", "→"))
        or _is_table_row(item)
    )


def _append_continuation(block: Block, item: Item) -> None:
    lines = _display(item.lines)
    block.items[-1][-1] += lines[0]
    block.items[-1].extend(lines[1:])


def join_table_fragments(lines: list[str]) -> list[str]:
    """Chart labels broken over lines (``令和`` ``２年度``, ``3,246.4`` ``億円``) rejoined."""
    joined: list[str] = []
    for raw in lines:
        line = raw.strip()
        if (
            joined
            and line
            and " " not in joined[-1]
            and (len(joined[-1]) <= 3 or (joined[-1][-1].isdigit() and not line[0].isdigit()))
        ):
            joined[-1] += line
        elif line:
            joined.append(line)
    return joined


@dataclass
class Block:
    kind: ChunkKind
    measure: str | None
    section: str | None
    items: list[list[str]] = field(default_factory=list)  # each a list of display lines
    title: str | None = None
    sealed: bool = False  # a chart's stray lines: no row or title is added to them


def _slide_chunks(
    source: str,
    slide: Slide,
    max_chars: int,
    previous: tuple[str | None, str | None],
    second_rows: bool = SECOND_ROWS,
    named_rows: bool = NAMED_ROWS,
    chart_fragments: bool = CHART_FRAGMENTS,
) -> tuple[list[Chunk], tuple[str | None, str | None]]:
    header_at = next((i for i, line in enumerate(slide.lines) if TABLE_HEADER_RE.match(line)), None)
    body = slide.lines if header_at is None else slide.lines[header_at + 1 :]
    offset = 0 if header_at is None else header_at + 1
    items = _items(body)
    section_changes = sorted(slide.sections)

    def section_at(index: int) -> str | None:
        current = section_changes[0][1] if section_changes else None
        for position, name in section_changes:
            if position <= index + offset and position > 0:
                current = name
        return current

    prev_section, prev_measure = previous
    measure = prev_measure if section_at(0) == prev_section else None
    # A slide that goes on with the 施策 of the slide before repeats no name cell, but its
    # table starts again with the first column: with ``named_rows`` its first ○ is read by
    # its width, as after a name (a narrow one is the 第３期中期計画の概要 column).
    state = "result" if measure and not named_rows else "start"
    blocks: list[Block] = []
    unmarked_fy_plan = False  # a 令和５年度計画 column opened by its width, not its marker

    def add(
        kind: ChunkKind, lines: list[str], at: int, title: str | None = None, opens: bool = False
    ) -> None:
        section = section_at(at)
        last = blocks[-1] if blocks else None
        if (
            not opens
            and last
            and last.kind == kind
            and last.measure == measure
            and last.section == section
            and (kind != "table" or title is None)
            and not last.sealed
        ):
            last.items.append(lines)
        else:
            blocks.append(Block(kind, measure, section, [lines], title))

    skip_until = -1
    for position, item in enumerate(items):
        if position < skip_until:
            continue
        marker = _FY_MARKER_RE.match(item.first)
        if marker:
            state = "fy_plan" if marker.group(1) == "計画" else "fy_result"
            unmarked_fy_plan = False
            header = [item.first[: marker.end()].strip()]
            rest = [item.first[marker.end() :], *item.lines[1:]]
            lines = header + (_display(rest) if any(line.strip() for line in rest) else [])
            add(state, lines, item.at, opens=True)  # type: ignore[arg-type]
            continue
        name_run = _measure_name_run(items, position, named_rows)
        if name_run:
            measure = "".join(line.strip() for run in name_run for line in run.lines)
            state = "start"
            skip_until = position + len(name_run)
            continue
        last = blocks[-1] if blocks else None
        if last and _continues(last, item):
            _append_continuation(last, item)
            continue
        if _is_table_row(item) or item.first.startswith("【"):
            title = item.first if item.first.startswith("【") else None
            add("table", join_table_fragments(item.lines), item.at, title)
            continue
        if (
            second_rows
            and state == "fy_result"
            and blocks
            and blocks[-1].section == section_at(item.at)
            and _starts_next_row(items, position)
        ):
            # The next row has the columns the slide's first row has: the two 令和５年度
            # columns alone on a slide that continues a 施策 from the slide before.
            state = _first_column(blocks)
            unmarked_fy_plan = state == "fy_plan"
            headings = _trailing_subheadings(blocks[-1])
            add(state, _display(item.lines), item.at, opens=True)  # type: ignore[arg-type]
            blocks[-1].items[:0] = headings
        elif state in ("fy_plan", "fy_result"):
            if chart_fragments and last and last.kind == "table" and _is_chart_fragment(item):
                # An axis label, a unit or a count in brackets the extraction set apart
                # from its chart's rows: the chart's, under its 【title】, kept apart from the rows.
                section, lines = section_at(item.at), _display(item.lines)
                if last.sealed and (last.measure, last.section) == (measure, section):
                    # The chart's next stray line: it goes on a label a line break cut.
                    if last.items[-1][-1].endswith(_SENTENCE_END):
                        last.items.append(lines)
                    else:
                        _append_continuation(last, item)
                else:
                    title = _chart_title(blocks)
                    blocks.append(Block("table", measure, section, [lines], title, sealed=True))
            elif (
                unmarked_fy_plan and item.first.startswith(_BULLETS) and item.width > NARROW_COLUMN
            ):
                # No marker opens that row's 令和５年度の取組実績 column: its width does.
                state = "fy_result"
                unmarked_fy_plan = False
                add(state, _display(item.lines), item.at, opens=True)  # type: ignore[arg-type]
            else:
                add(state, _display(item.lines), item.at)  # type: ignore[arg-type]
        elif item.first.startswith(_BULLETS):
            if state != "result" and item.width <= NARROW_COLUMN:
                state = "plan_summary"
            else:
                state = "result"
            add(state, _display(item.lines), item.at)  # type: ignore[arg-type]
        else:  # a sub-heading (［…］, ①…), a note (※…) or free text
            kind: ChunkKind = last.kind if last else "text"
            add(kind, _display(item.lines), item.at)
    chunks: list[Chunk] = []
    for index, block in enumerate(blocks):
        # A chart's numbers rarely name what they count: the text it illustrates does.
        described = _described_by(blocks, index) if block.kind == "table" else ""
        chunks.extend(_block_chunks(source, slide, index, block, max_chars, described))
    last_measure = measure
    return chunks, (section_at(len(body)), last_measure)


def _is_chart_fragment(item: Item) -> bool:
    """A line among a chart's rows that starts nothing of a column's own: no ○ item, no
    （令和５年度…） marker, no sub-heading (①…, ［…］) or ・ point, and no sentence but a
    ※ note (a chart's footnote: ※金額は四捨五入しているため、…)."""
    first = item.first
    if _ITEM_START_RE.match(first) or first.startswith(("［", "[", "・", "→")):
        return False
    text = "".join(line.strip() for line in item.lines)
    return first.startswith("※") or "。" not in text


def _chart_title(blocks: list[Block]) -> str | None:
    """The 【title】 of the nearest chart above on the slide, if any."""
    return next((b.title for b in reversed(blocks) if b.kind == "table" and b.title), None)


def _starts_next_row(items: list[Item], position: int) -> bool:
    """A ○ paragraph wrapped in the narrow column after a （令和５年度の取組実績） block.

    A slide's table may hold a second row for the same 施策 (no name cell of its own): the
    extraction gives it column after column like the first row, so it starts again with
    the 第３期中期計画の概要 column. That column wraps at about 20 characters, the
    令和５年度の取組実績 column at about 48, so a paragraph of several lines all that narrow
    and ending a sentence (the column states what the period is to do) is the next row's
    plan summary. A one-line paragraph is too short to tell the columns apart, and a short ○
    heading that runs into the next line without a sentence end is no wrapped sentence.
    The paragraph's lines are read past blank lines that cut it (as ``_continues``).
    """
    item = items[position]
    if not item.first.startswith(_BULLETS):
        return False
    lines = [line.strip() for line in item.lines]
    for follower in items[position + 1 :]:
        if lines[-1].endswith(_SENTENCE_END) or not _cut_paragraph_goes_on(follower):
            break
        lines.extend(line.strip() for line in follower.lines)
    return (
        len(lines) > 1
        and max(len(line) for line in lines) <= NARROW_COLUMN
        and lines[-1].endswith("。")
    )


def _first_column(blocks: list[Block]) -> ChunkKind:
    """The kind of the slide's first table column: where its every row starts.

    A slide that goes on with a 施策 from the slide before may hold only the two 令和５年度
    columns; its rows then start with the 令和５年度計画 column.
    """
    first = next((b.kind for b in blocks if b.kind in ("plan_summary", "result", "fy_plan")), None)
    return "fy_plan" if first == "fy_plan" else "plan_summary"


def _trailing_subheadings(block: Block) -> list[list[str]]:
    """The sub-headings (①…, ［…］) that end a block, taken out of it.

    A row's plan-summary column may open with a sub-heading; it stands between the previous
    row's last 令和５年度 item and the next row's first ○ item, so it belongs to the latter.
    """
    taken: list[list[str]] = []
    while (
        block.items
        and len(block.items[-1]) == 1
        and _SUBHEADING_RE.match(block.items[-1][0])
        and not _FY_MARKER_RE.match(block.items[-1][0])
    ):
        taken.insert(0, block.items.pop())
    return taken


def _display(lines: list[str]) -> list[str]:
    return join_broken_lines([line.strip() for line in lines])


def _described_by(blocks: list[Block], index: int) -> str:
    """The text item just before a table block of the same 施策 (what the chart shows)."""
    for previous in reversed(blocks[:index]):
        if previous.measure != blocks[index].measure:
            return ""
        if previous.kind != "table" and previous.items:
            return previous.items[-1][-1][:160]
    return ""


def _block_chunks(
    source: str, slide: Slide, index: int, block: Block, max_chars: int, described: str = ""
) -> list[Chunk]:
    label = BLOCK_LABELS[block.kind]
    if block.kind == "table" and block.title:
        label = block.title
    pieces: list[list[str]] = [[]]
    for item in _attach_subheadings(block.items):
        if pieces[-1] and _size(pieces[-1]) + _size(item) + 1 > max_chars:
            pieces.append([])
        pieces[-1].extend(item)
    chunks = []
    for number, lines in enumerate(pieces):
        text = "\n".join(line for line in lines if line)
        if not text or _only_markers(lines):
            continue
        heading_path = tuple(p for p in (block.section, block.measure, label) if p)
        chunks.append(
            Chunk.build(
                text=text,
                source=source,
                locator=f"s{slide.number}/b{index}/c{number}",
                page=slide.number,
                kind=block.kind,
                section=block.section,
                title=block.measure,
                refs=slide.refs,
                heading_path=heading_path,
                context=" ".join((*heading_path, described)).strip(),
            )
        )
    return chunks


def _only_markers(lines: list[str]) -> bool:
    """A piece holding nothing but a （令和５年度…） marker says nothing on its own.

    Only the marker line is dropped, never an item: a 令和５年度 block that a chart's
    【title】 interrupted goes on without its marker, and its first item is prose.
    """
    return all(not line or _FY_MARKER_RE.fullmatch(line) for line in lines)


def _size(lines: list[str]) -> int:
    """Characters of the lines as joined into a chunk's text."""
    return sum(len(line) for line in lines) + max(0, len(lines) - 1)


_SUBHEADING_RE = re.compile(r"^(?:[①-⑳]|［)[^。]{0,40}$")
# A 施策's first row may open with a numbered sub-heading (お客様サービスの向上, then
# ①多様な年金受給方法等の周知・広報) as well as with a ○ item.
_NUMBERED_SUBHEADING_RE = re.compile(r"^[①-⑳][^。]{1,40}$")


def _attach_subheadings(items: list[list[str]]) -> list[list[str]]:
    """A sub-heading (①…, ［…］) never ends a chunk: it travels with the item after it."""
    merged: list[list[str]] = []
    carry: list[str] = []
    for item in items:
        if len(item) == 1 and _SUBHEADING_RE.match(item[0]) and not _FY_MARKER_RE.match(item[0]):
            carry.extend(item)
            continue
        merged.append(carry + item)
        carry = []
    if carry:
        merged.append(carry)
    return merged


def _front_chunks(source: str, number: int, lines: list[str], max_chars: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    heading: str | None = None
    paragraphs = join_broken_lines([line.strip() for line in lines])
    buffer: list[str] = []

    def flush() -> None:
        if not buffer:
            return
        text = "\n".join(([heading] if heading else []) + buffer)
        path = tuple(p for p in (heading,) if p)
        chunks.append(
            Chunk.build(
                text=text,
                source=source,
                locator=f"s{number}/f{len(chunks)}",
                page=number,
                kind="text",
                title=heading,
                heading_path=path,
                context=" ".join(path),
            )
        )
        buffer.clear()

    for paragraph in paragraphs:
        is_heading = paragraph.startswith(("＜", "【", "<")) or paragraph in FRONT_BREAKS
        if is_heading:
            flush()
            heading = paragraph
            continue
        if buffer and _size(buffer) + len(paragraph) + 1 > max_chars:
            flush()
        buffer.append(paragraph)
    flush()
    return chunks
