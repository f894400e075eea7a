"""Fallback parser for any plan file that is not one of the two known formats.

Each page is cleaned (HTML stripped, lines broken by the extraction rejoined), cut at its
headings, and each section's paragraphs are packed into chunks of whole sentences under
``max_chars``. A chunk never crosses a heading or a page, so its page number and heading
path are exact; a sentence is never cut, so a quote is always a whole sentence.

A file this parser reads is not one of the plan documents, so a plan-page reference written
in it (``…を掲示する。[中期P46]``) cites that page of the plan: the chunk keeps it in
``cites`` and is cited by its own page (``メモ.txt p.1``) under its own title. Were it the
chunk's label, the file would pass for that page of the plan: its title shown on the label,
its text opened by ``/refs/中期P46``, its ● counted as a measure of the plan in the trace.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.clean import join_broken_lines, strip_html
from ingest.loaders import PDF_SUFFIXES
from ingest.model import Chunk, ChunkKind, LoadedDocument
from ingest.noun_phrase import names_a_topic
from ingest.page_numbers import split_numbered_pages, without_own_number
from ingest.refs import extract_refs, find_bracket_refs
from ingest.sudachi import analyze, split_sentences

NAME = "generic"

HEADING_MAX_CHARS = 50  # a longer line is body text even without a full stop
CONTEXT_SEPARATOR = " > "

_MARKDOWN_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)(?:\s+#+)?\s*$")
# Markdown list items and table rows: each starts its own paragraph.
_MARKDOWN_BLOCK_RE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\|)")
_SENTENCE_END = re.compile(r"[。！？]|[!?]$")
# Numbered headings, matched on the NFKC form (１．→ 1., （１）→ (1)), with their level.
_NUMBERED_HEADINGS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"^第[0-9一二三四五六七八九十百]+[部編]"), 1),
    # 第１ 業務運営の改善: a plan's top division, numbered with no 章 after it.
    (re.compile(r"^第[0-9一二三四五六七八九十百]+\s+\S"), 1),
    (re.compile(r"^第[0-9一二三四五六七八九十百]+章"), 2),
    (re.compile(r"^第[0-9一二三四五六七八九十百]+節"), 3),
    (re.compile(r"^\d{1,2}\.(?!\d)\s*\S"), 3),
    (re.compile(r"^\(\d{1,2}\)\s*\S"), 4),
)
# Roman chapter numerals are matched on the raw line: NFKC turns Ⅰ into a Latin I.
_ROMAN_HEADING_RE = re.compile(r"^[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]+(?:\s*[-－]\s*[0-9０-９]+)?[．.\s]")
_BRACKET_HEADING_RE = re.compile(r"^【[^【】]+】$")
# ＜お客様サービス＞ alone on its line, and ■ or ◆ before a topic's name: headings read from
# a mark, which the line keeps in the passage's text (``marked_heading``).
_ANGLE_HEADING_RE = re.compile(r"^[＜<][^＜＞<>]+[＞>]$")
_HEADING_MARKS = "■◆□◇"
BRACKET_LEVEL = 5
ISOLATED_LEVEL = 6
MARKED_LEVEL = 6

# A paragraph starting with one of these is a new item; ・ and ※ lines belong to the item above.
_ITEM_MARKS = "●○〇◯◆◇■□◎"
_SUB_MARKS = "・※＊①②③④⑤⑥⑦⑧⑨⑩"


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str


@dataclass(slots=True)
class Section:
    """The lines of one page between two headings, with the heading path above them;
    ``opened`` when a heading of this page starts it (not the page's carried-over path)."""

    path: tuple[Heading, ...]
    lines: list[str] = field(default_factory=list)
    opened: bool = False
    kept: str | None = None  # the heading line, when it stays the first line of the text


@dataclass(slots=True)
class Block:
    """Paragraphs that stay together: one ● or ○ item with its sub-points, or plain text."""

    kind: ChunkKind
    paragraphs: list[str] = field(default_factory=list)


def detect(doc: LoadedDocument) -> bool:
    """Always True: this parser is last in the registry and takes whatever is left."""
    return True


def parse(doc: LoadedDocument, *, max_chars: int = 400) -> list[Chunk]:
    """Chunks of whole sentences, never crossing a heading or a page."""
    pages = [(number, clean_lines(text)) for number, text in split_pages(doc)]
    loose = not any(_MARKDOWN_HEADING_RE.match(line) for _, lines in pages for line in lines)
    placed: list[tuple[int, int, Section]] = []  # (page, heading index, section)
    path: tuple[Heading, ...] = ()
    for page_number, lines in pages:
        sections = split_sections(lines, path, loose=loose)
        path = sections[-1].path
        placed.extend((page_number, index, section) for index, section in enumerate(sections))
    chunks: list[Chunk] = []
    for position, (page_number, heading_index, section) in enumerate(placed):
        place = f"p{page_number}/h{heading_index}"
        following = placed[position + 1][2] if position + 1 < len(placed) else None
        if _heading_left_alone(section, following):
            section.lines.append(section.path[-1].text)
        chunks.extend(build_chunks(doc.source, page_number, place, section, max_chars))
    return chunks


def _heading_left_alone(section: Section, following: Section | None) -> bool:
    """A heading with no text under it that no later passage is read under: the next
    heading replaces it (【表紙】 then 第１章, two 【…】 in a row) or the file ends. Its line
    is then a passage of its own, or the file would lose it."""
    if not section.opened or any(section.lines):
        return False
    return following is None or following.path[: len(section.path)] != section.path


def build_chunks(
    source: str, page: int, place: str, section: Section, max_chars: int
) -> list[Chunk]:
    """The chunks of one section; ``place`` (``p2/h3``) plus ``/c1`` is each locator."""
    headings = tuple(heading.text for heading in section.path)
    return [
        Chunk.build(
            text=text,
            source=source,
            locator=f"{place}/c{number}",
            page=page,
            kind=kind,
            section=headings[0] if headings else None,
            title=headings[-1] if headings else None,
            cites=extract_refs(text),
            heading_path=headings,
            context=CONTEXT_SEPARATOR.join(headings),
        )
        for number, (kind, text) in enumerate(
            section_chunks(section.lines, max_chars, section.kept), start=1
        )
    ]


def split_pages(doc: LoadedDocument) -> Iterator[tuple[int, str]]:
    """(page number, text) pairs; in a text file every form feed starts a new page, and in
    one without, a printed page-number line (「- 2 -」, 「2 / 10」) ends one
    (ingest/page_numbers.py: the conventions, and why a lone 「- 2 -」 stays text).

    A PDF already gives one text per physical page with its real number, so a stray form
    feed in its text is only a paragraph break there.
    """
    is_pdf = Path(doc.path).suffix.lower() in PDF_SUFFIXES
    for page in doc.pages:
        if is_pdf:
            yield page.number, page.text.replace("\f", "\n\n")
            continue
        parts = page.text.split("\f")
        if len(parts) == 1:
            yield from split_numbered_pages(page.text, page.number)
            continue
        for offset, part in enumerate(parts):
            yield page.number + offset, without_own_number(part, page.number + offset)


def clean_lines(text: str) -> list[str]:
    """Lines without HTML, tabs and runs of spaces collapsed; full-width characters kept."""
    text = strip_html(text.replace("\r\n", "\n").replace("\r", "\n"))
    return [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]


def heading_of(line: str, *, isolated: bool = False) -> Heading | None:
    """The heading a line stands for, or None for body text.

    Markdown ``#`` lines are headings at their level. Otherwise only a short line without a
    full stop can be one: numbered (``第１章``, ``Ⅰ-２．``, ``１．``, ``（１）``), a whole-line
    ``【…】`` that is not a plan reference, or a short line standing alone between blank lines.
    """
    markdown = _MARKDOWN_HEADING_RE.match(line)
    if markdown:
        return Heading(len(markdown.group(1)), markdown.group(2).strip())
    if not line or len(line) > HEADING_MAX_CHARS or _SENTENCE_END.search(line):
        return None
    if line[0] in _ITEM_MARKS + _SUB_MARKS or _MARKDOWN_BLOCK_RE.match(line):
        return None
    normalized = unicodedata.normalize("NFKC", line)
    for pattern, level in _NUMBERED_HEADINGS:
        if pattern.match(normalized):
            return Heading(level, line)
    if _ROMAN_HEADING_RE.match(line):
        return Heading(2, line)
    if _BRACKET_HEADING_RE.match(line):
        return None if find_bracket_refs(line) else Heading(BRACKET_LEVEL, line)
    if isolated and len(line) >= 2 and not normalized.isdigit():
        return Heading(ISOLATED_LEVEL, line)
    return None


def marked_heading(line: str) -> Heading | None:
    """A heading read from its mark: ``＜…＞`` alone on the line (no plan reference), or
    ■ / ◆ / □ / ◇ before a noun phrase naming a topic (■ 人材の育成; ■ 研修を年に二回行う。
    is an item). It heads what follows, whether or not a blank line sets it apart, and the
    line stays the first of its passage: a mark may as well label an item of a list, and
    kept in the text the line is still read and quoted where it stood."""
    if not line or len(line) > HEADING_MAX_CHARS:
        return None
    if _ANGLE_HEADING_RE.match(line) and not find_bracket_refs(line):
        return Heading(MARKED_LEVEL, line)
    if line[0] in _HEADING_MARKS and names_a_topic(line[1:].strip()):
        return Heading(MARKED_LEVEL, line)
    return None


def nest(path: tuple[Heading, ...], heading: Heading) -> tuple[Heading, ...]:
    """The heading path after ``heading``: it replaces every heading at its level or below."""
    kept = tuple(h for h in path if h.level < heading.level)
    return (*kept, heading)


def split_sections(
    lines: list[str], path: tuple[Heading, ...], *, loose: bool = True
) -> list[Section]:
    """Cut one page's lines at its headings; the first section continues the previous page.

    The first section is always present (maybe empty) so section ``h0`` of a locator is
    the text before the page's first heading. ``loose`` lets a short line standing alone be
    a heading; a Markdown file marks its headings with ``#`` and gets ``loose=False``.
    """
    sections = [Section(path)]
    last_text = max((i for i, line in enumerate(lines) if line), default=-1)
    for index, line in enumerate(lines):
        heading = heading_of(line, isolated=loose and _is_isolated(lines, index, last_text))
        marked = None if heading else marked_heading(line)
        if not heading and not marked and loose:
            marked = _unmarked_heading(lines, index)
        if heading:
            sections.append(Section(nest(sections[-1].path, heading), opened=True))
        elif marked:
            # Kept as a paragraph of its own: the line after it is not glued to it.
            path = nest(sections[-1].path, marked)
            sections.append(Section(path, [line, ""], opened=True, kept=line))
        elif _MARKDOWN_BLOCK_RE.match(line):
            sections[-1].lines.extend(("", line))  # keep list items apart when joining
        else:
            sections[-1].lines.append(line)
    return sections


def _unmarked_heading(lines: list[str], index: int) -> Heading | None:
    """A topic's name on a line of its own between sentences (…を見直す。／窓口サービスの
    質の向上／予約制の窓口を…), with no mark or blank line to set it apart: the line before
    ends a sentence (or is a heading, or there is none), the line names a topic
    (``names_a_topic``), and the line after starts something new, not a word or phrase the
    line break cut (を軽減する。, の向上). Like a marked heading it stays in the text, so a
    misreading splits a sentence in two but loses nothing. Not in Markdown, whose headings
    are marked with ``#`` and whose lines run on within a paragraph."""
    line = lines[index]
    following = lines[index + 1] if index + 1 < len(lines) else ""
    if not line or not following or len(line) > HEADING_MAX_CHARS:
        return None
    if line[0] in _ITEM_MARKS + _SUB_MARKS or _MARKDOWN_BLOCK_RE.match(line):
        return None
    before = lines[index - 1] if index > 0 else ""
    if before and not _SENTENCE_END.search(before[-1]) and heading_of(before) is None:
        return None
    if find_bracket_refs(line) or not names_a_topic(line):
        return None
    first = next((t for t in analyze(following[:12]) if t.surface.strip()), None)
    if first is None or first.pos[0] in ("助詞", "助動詞", "接尾辞"):
        return None
    return Heading(MARKED_LEVEL, line)


def _is_isolated(lines: list[str], index: int, last_text: int) -> bool:
    """A line between blank lines (or the page top) that has body text somewhere after it
    (``last_text``: the index of the page's last non-empty line, found once per page: a
    scan of the rest at every line made a 20 MB file of short paragraphs take minutes)."""
    before_blank = index == 0 or not lines[index - 1]
    after_blank = index + 1 < len(lines) and not lines[index + 1]
    return before_blank and after_blank and last_text >= index + 2


def section_chunks(
    lines: list[str], max_chars: int, heading: str | None = None
) -> list[tuple[ChunkKind, str]]:
    """(kind, text) of every chunk of one section, in reading order; ``heading`` is the
    section's heading line when it stays the first line of its text."""
    return [
        (block.kind, text)
        for block in group_blocks(join_broken_lines(lines), heading)
        for text in pack_sentences(block.paragraphs, max_chars)
    ]


def group_blocks(paragraphs: list[str], heading: str | None = None) -> list[Block]:
    """Group paragraphs so an item keeps its sub-points: ● starts a ``measure``.

    ● and ○ paragraphs start a block; ・ / ※ sub-points and reference-only paragraphs stay
    with the block above; plain text joins plain text but not an item. A section's marked
    ``heading`` (■ 人材の育成) is plain text, so the text under it shares its passage.
    """
    blocks: list[Block] = []
    for number, paragraph in enumerate(paragraphs):
        role = "plain" if number == 0 and paragraph == heading else _role(paragraph)
        current = blocks[-1] if blocks else None
        # The text under a ■ heading goes on in its block; after any other item it does not.
        after_item = current is not None and _is_item(current) and current.paragraphs[0] != heading
        if current is None or role == "item" or (role == "plain" and after_item):
            kind: ChunkKind = "measure" if paragraph.startswith("●") else "text"
            blocks.append(Block(kind))
        blocks[-1].paragraphs.append(paragraph)
    return blocks


def _role(paragraph: str) -> Literal["item", "sub", "plain"]:
    if paragraph[0] in _ITEM_MARKS:
        return "item"
    spans = find_bracket_refs(paragraph)
    if paragraph[0] in _SUB_MARKS or (spans and spans[0].start == 0):
        return "sub"
    return "plain"


def _is_item(block: Block) -> bool:
    return block.paragraphs[0][0] in _ITEM_MARKS


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each Sudachi-split sentence of a paragraph.

    A bracketed plan reference written right after a full stop (``…実施する。[中期P46]``)
    belongs to the sentence before it, not to the next one.
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in split_sentences(paragraph):
        start = paragraph.index(sentence, cursor)
        end = cursor = start + len(sentence)
        refs = find_bracket_refs(sentence)
        if spans and refs and refs[0].start == 0:
            ref_end = start + refs[0].end
            spans[-1] = (spans[-1][0], ref_end)
            start = end - len(paragraph[ref_end:end].lstrip())
            if start >= end:
                continue
        spans.append((start, end))
    return spans


def pack_sentences(paragraphs: list[str], max_chars: int) -> list[str]:
    """Chunk texts of whole sentences, each at most ``max_chars`` long when it can be.

    A sentence longer than ``max_chars`` is a chunk of its own; paragraphs inside one
    chunk are kept on their own lines.
    """
    units = [
        (number, span)
        for number, paragraph in enumerate(paragraphs)
        for span in sentence_spans(paragraph)
    ]
    chunks: list[str] = []
    current: list[tuple[int, tuple[int, int]]] = []
    for unit in units:
        if current and len(_render(paragraphs, [*current, unit])) > max_chars:
            chunks.append(_render(paragraphs, current))
            current = []
        current.append(unit)
    if current:
        chunks.append(_render(paragraphs, current))
    return chunks


def _render(paragraphs: list[str], units: list[tuple[int, tuple[int, int]]]) -> str:
    """The text of consecutive sentences as written: one line per paragraph."""
    lines: dict[int, tuple[int, int]] = {}
    for number, (start, end) in units:
        first = lines.get(number, (start, end))[0]
        lines[number] = (first, end)
    return "\n".join(paragraphs[number][start:end] for number, (start, end) in lines.items())
