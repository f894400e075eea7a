"""Which 【title】 a table of years stands under, read from the page's order.

The results report prints each chart or table title (【女性管理職比率】, 【…の推移】) in the
text where it is discussed, and the tables' figures after the page's text: the titles and
the tables' headers of years come in the same order on a page. So when a page has as many
titles as headers of years, the n-th header is the n-th title's table; when the counts
differ (a title over a chart without figures, a table without a title), or a title shares
no two characters in a row with its table's row names (the order may differ: of the
bundled report's 30 pages with tables of years, 26 agree in count; this check leaves 5 of
them unpaired, one truly crossed (a cumulative count under a rate trend's title), and
four paired rightly but named in other words: a title missed costs nothing but a name),
nothing on the page is paired, and a row's table stays unnamed. Rows reading a
header borrowed from the passage before (``answer.borrowed_header``) stay unnamed too:
after a layout break they may be another table's.

A row's title says what its figures are of when its own name does not (a row of figures
with no name, 13.7％ 14.1％ …, under 【女性管理職比率】), and which measure a row belongs to
when two tables have rows of the same name (平均取得日数 of childcare leave, not of annual
leave). Pairs are read once per index generation (its passages never change).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from answer.table_row import HeadedRow, read_row
from answer.year_columns import HEADER_YEARS, TABLE_KIND, header_years
from index.snapshot import Snapshot
from ingest.model import Chunk

# A line that is a title alone: bracketed whole in 【】.
_TITLE_LINE = re.compile(r"^\s*【([^】]+)】\s*$")
# A title within a passage's headings (the heading path holds the table's title).
_TITLE = re.compile(r"【([^】]+)】")
# A series' title ends in 推移 (…の推移): the trend, not the figure's name; a note in
# brackets after the name (（令和５年度までに15％削減）, a unit) is no part of it either.
_NOT_NAME = re.compile(r"(?:[（(][^（）()]*[）)]|の?推移)$")


def _tables(chunk: Chunk) -> list[tuple[int, list[str]]]:
    """Each header of years in ``chunk`` (its line number) with the names of the rows under
    it there."""
    tables: list[tuple[int, list[str]]] = []
    names: list[str] = []
    for number, line in enumerate(chunk.text.split("\n")):
        if len(header_years(line)) >= HEADER_YEARS:
            names = []
            tables.append((number, names))
            header = line
        elif tables and (row := read_row(line, header)) is not None and row.label:
            names.append(row.label)
    return tables


def _shares(title: str, names: Sequence[str]) -> bool:
    """Whether ``title`` writes two characters in a row of some row name (True when the
    rows have no names: nothing tells the title wrong)."""
    plain = _plain(title)
    return not names or any(
        _plain(name)[i : i + 2] in plain for name in names for i in range(len(name) - 1)
    )


def paired_titles(snapshot: Snapshot) -> dict[tuple[str, int], str]:
    """Each table header of years (its chunk id and line) with its page's title, on the
    pages with as many titles as headers where each title shares a word with its table's
    row names (see the module); read once per generation."""
    return snapshot.derived(_paired_titles)


def _paired_titles(snapshot: Snapshot) -> dict[tuple[str, int], str]:
    pages: dict[tuple[str, int | None], tuple[list[str], list[tuple[str, int, list[str]]]]] = {}
    for chunk in snapshot.chunks:
        titles, headers = pages.setdefault((chunk.source, chunk.page), ([], []))
        for line in chunk.text.split("\n"):
            if found := _TITLE_LINE.match(line):
                titles.append(found[1].strip())
        if chunk.kind == TABLE_KIND:
            headers.extend((chunk.id, number, names) for number, names in _tables(chunk))
    pairs: dict[tuple[str, int], str] = {}
    for titles, headers in pages.values():
        if not headers or len(titles) != len(headers):
            continue
        if all(_shares(title, names) for title, (_, _, names) in zip(titles, headers, strict=True)):
            pairs.update(
                ((chunk_id, number), title)
                for title, (chunk_id, number, _) in zip(titles, headers, strict=True)
            )
    return pairs


def page_tables(chunk: Chunk, snapshot: Snapshot) -> list[Chunk]:
    """The table passages (titles and tables) printed on ``chunk``'s page: the report puts
    a measure's series of years on the page that discusses it."""
    return snapshot.derived(_tables_by_page).get((chunk.source, chunk.page), [])


def _tables_by_page(snapshot: Snapshot) -> dict[tuple[str, int | None], list[Chunk]]:
    """(source, page) → the page's table passages, once per generation."""
    tables: dict[tuple[str, int | None], list[Chunk]] = {}
    for chunk in snapshot.chunks:
        if chunk.kind == TABLE_KIND:
            tables.setdefault((chunk.source, chunk.page), []).append(chunk)
    return tables


def title_of(chunk: Chunk, row: HeadedRow, snapshot: Snapshot) -> str:
    """The title of the table ``row`` of ``chunk`` is in, when its header is the chunk's
    own; '' when unpaired or when the header is borrowed from the passage before (rows after
    a layout break may be another table's, under the header they borrow)."""
    return paired_titles(snapshot).get((chunk.id, row.header_at), "")


def name_of_title(title: str) -> str:
    """What a title names as a figure: the title without a trailing 推移 (…の推移) or a
    note in brackets (一般管理費（令和５年度までに15％削減） → 一般管理費)."""
    name = title.strip()
    while (shorter := _NOT_NAME.sub("", name).strip()) != name and shorter:
        name = shorter
    return name


def titles_in(chunks: Iterable[Chunk]) -> list[str]:
    """The 【titles】 the passages ``chunks`` hold, as a title line or in their headings."""
    found: list[str] = []
    for chunk in chunks:
        found += [m[1].strip() for line in chunk.text.split("\n") if (m := _TITLE_LINE.match(line))]
        found += [m.strip() for m in _TITLE.findall(chunk.headings or "")]
    return list(dict.fromkeys(found))


def holds(text: str, compounds: Sequence[str]) -> int:
    """How many of ``compounds`` ``text`` writes (both compared in NFKC, unspaced)."""
    plain = _plain(text)
    return sum(1 for compound in compounds if _plain(compound) in plain)


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def another_tables(row_name: str, compounds: Sequence[str], titles: Iterable[str]) -> bool:
    """Whether a row named ``row_name`` (its table's title and its own name) belongs to
    another table than the one asked: a title among the passages read (``titles``) writes
    more of the question's ``compounds`` than the row's names do (平均取得日数 under a
    childcare-leave title, when 【年次有給休暇の平均取得日数】 is read)."""
    own = holds(row_name, compounds)
    return any(holds(title, compounds) > own for title in titles)
