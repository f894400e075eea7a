"""Sentences of a passage, and which of them can be quoted as statements.

A passage is split once per text (Sudachi's sentence splitter, kept per passage); each
sentence is a verbatim substring of the passage. A heading names a topic and states
nothing (``is_heading``), a chart label is too short to say anything (``MIN_CHARS``):
neither is quoted as a statement. ``display`` is a sentence as the answer shows it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from answer.figures import figures_with_units
from ingest.model import Chunk
from ingest.noun_phrase import names_a_topic
from ingest.refs import strip_bracket_refs
from ingest.sudachi import split_sentences
from question.intent import STATED_PERIOD
from question.normal import nfkc

_LEADING_MARK = re.compile(r"^[○〇◯●・◆■□◎※\s]+")
_ANGLE_HEADING = re.compile(r"^[＜<]([^<>＜＞]+)[＞>]$")  # <heading> reads as its words
_TITLE_ONLY = re.compile(r"^[【\[（(＜<][^。]*[】\]）)＞>]$")  # a chart or table title alone
_OPENERS, _CLOSERS = "【[（(＜<", "】]）)＞>"


def _bracketed_whole(line: str) -> bool:
    """Whether the bracket that opens ``line`` closes at its end: （令和５年度計画） is one
    title; （※）令和５年度の件数：12,345件（令和４年度：…） is a note mark, then a
    statement that ends in a parenthesis."""
    depth = 0
    for index, char in enumerate(line):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
            if depth == 0:
                return index == len(line) - 1
    return False


# One or more bracketed headings in a row (＜事業所に対する取組＞［申請］, 【…】, 《…》), a
# parenthesised note after them allowed (【…】 （単位：万月）).
_BRACKETED = re.compile(
    r"^(?:[＜<][^＜＞<>]*[＞>]|【[^【】]*】|［[^［］]*］|\[[^\[\]]*\]|《[^《》]*》|〈[^〈〉]*〉|\s)+"
    r"(?:[（(][^。]*[）)])?$"
)
# People are counted in 名 as in 人 (question/answer_type.py groups the two).
_COUNT_OF_PEOPLE = re.compile(r"[0-9][0-9,]*\s*名")
# A topic with its ＜qualifier＞ and no full stop (窓口の予約制＜小規模拠点への対応＞):
# the plans write ＜…＞ only in headings.
_QUALIFIED_HEAD = re.compile(r"[＜<][^＜＞<>]+[＞>]$")
# A numbered section head (matched on the NFKC form, where Ⅰ reads I): Ⅰ-２．…, 第2章…
_SECTION_HEAD = re.compile(r"^(?:[IVX]+(?:\s*-\s*\d+)?\.|第[0-9一二三四五六七八九十百]+[部編章節])")
# A numbered item head: 1．…, （1）…, or a results report's sub-head ①… of at most 40
# characters (ingest/parsers/results.py).
_NUMBERED_ITEM_HEAD = re.compile(r"^(?:\d{1,2}\.(?!\d)|\(\d{1,2}\)|[①-⑳](?=[^。]{1,40}$))")
_TWO_DIGITS = re.compile(r"\d[\d,.]*\d")  # a table row's figures: 7,114 7,074 …
# An item of a list (● measure, ○ point, ・ sub-point, ※ note) says what is done or found,
# however short: only a line without these marks can be an unbracketed heading. ■ and ◆
# head what follows them (ingest/parsers/generic.py).
_ITEM_MARK = re.compile(r"^[●○〇◯・※＊◎]")
# A line of cells (平成31年4月 令和2年4月 …, 地域 対象拠点 実施時期) is a table's header or
# row, read with the rows it heads, not a topic's name.
_CELLS = re.compile(r"\S\s+\S")
MIN_CHARS = 10  # shorter lines are chart labels, not statements


def sentences_of(chunk: Chunk) -> list[str]:
    """Sentences of a chunk's display text, each a verbatim substring of it."""
    return list(_sentences(chunk.text))


@lru_cache(maxsize=4096)
def passage_sentences(text: str) -> tuple[str, ...]:
    """``split_sentences`` kept per passage text: the same passages are read for question
    after question (sentence selection, the decline signals)."""
    return tuple(split_sentences(text))


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(s for s in passage_sentences(text) if s in text and len(s) > 1)


@lru_cache(maxsize=8192)
def is_statement(sentence: str) -> bool:
    """Whether ``sentence`` (a passage's sentence as printed) can be quoted as a statement:
    not a heading (``is_heading``), and not a chart label shorter than ``MIN_CHARS``. One
    exception: a title stating a period (a plan's term, from which month to which) says
    when a plan runs, which nothing else states. Kept per sentence, as ``is_heading``: the
    top passages' sentences are read again for every question (about 20 a question)."""
    shown = display(sentence)
    if len(shown) < MIN_CHARS:
        return False
    return not is_heading(sentence) or bool(STATED_PERIOD.search(shown))


@lru_cache(maxsize=8192)
def is_heading(sentence: str) -> bool:
    """Whether ``sentence`` is a heading line alone. Every path that quotes a sentence as
    something the answer says asks this one check (through ``is_statement``, or directly
    where short figure rows are quoted on purpose).

    A heading names a topic and states nothing about it, so it is never a statement, however
    well its words match a question (they match by construction: a heading is the topic's
    name); it stays a heading of its passage, shown as context. The plans mark headings by
    form: a line bracketed whole (＜…＞, 【…】, ［…］, 《…》: a section's name, a chart or
    table title, a unit note after it allowed), a topic ending in its ＜qualifier＞ with no
    full stop, or a numbered section head (Ⅰ-２．…, 第2章…,
    １．…, （１）…, ①…) with no full stop; a numbered line with figures (①納付月数合計
    7,114 7,074 …) is a table row, which is data. The line is read as printed: ``display``
    drops the brackets of ＜…＞, after which a heading reads like a noun-phrase statement.

    A line bracketed whole that states a figure with its unit is a statement: a note in
    parentheses giving the figure the line above leaves to it (（配置人数：120人）), a chart
    title stating its total or target (【一般管理費（令和５年度までに15％削減）】). An
    unbracketed heading is read from grammar: a noun phrase alone on its line with no item
    mark (``_names_a_topic``)."""
    line = _LEADING_MARK.sub("", strip_bracket_refs(sentence)).strip()
    if _TITLE_ONLY.match(line) and _states_a_figure(line):
        return False
    if (_TITLE_ONLY.match(line) and _bracketed_whole(line)) or _BRACKETED.match(line):
        return True
    if "。" in line:
        return False
    if _SECTION_HEAD.match(nfkc(line)) or _QUALIFIED_HEAD.search(line):
        return True
    # NFKC reads ① as 1: the circled number is matched, and then left out, as printed.
    item = _NUMBERED_ITEM_HEAD.match(line) or _NUMBERED_ITEM_HEAD.match(nfkc(line))
    if item is not None:
        return not _TWO_DIGITS.search(nfkc(line[item.end() :]))
    return _names_a_topic(sentence)


def _states_a_figure(line: str) -> bool:
    """Whether ``line`` states a figure with its unit or counter (931人, 1,481名, 20％)."""
    normalized = nfkc(line)
    return bool(figures_with_units(normalized) or _COUNT_OF_PEOPLE.search(normalized))


def _names_a_topic(sentence: str) -> bool:
    """An unbracketed heading (お客様サービスの向上): a noun phrase on a line of its own,
    no item mark, one cell (``ingest/noun_phrase.names_a_topic``)."""
    line = strip_bracket_refs(sentence).strip()
    if _ITEM_MARK.match(line):
        return False
    line = _LEADING_MARK.sub("", line)
    return not _CELLS.search(line) and names_a_topic(line)


@lru_cache(maxsize=8192)
def display(sentence: str) -> str:
    """The sentence as the answer shows it: no leading bullet, no bracketed plan refs.
    Kept per sentence: the passages' sentences are candidates question after question."""
    shown = _LEADING_MARK.sub("", strip_bracket_refs(sentence)).strip()
    return _ANGLE_HEADING.sub(r"\1", shown)
