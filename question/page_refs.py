"""Plan pages a question names, in the forms people type, → the exact citation labels.

``中期計画の46ページ``, ``第４期中期計画（案）のp.46``, ``年度P47``, ``資料１－４の２３ページ以降``,
``令和5年度業務実績報告書（案）の39ページ``, ``中期P46～48``, ``中期計画の46、47ページ`` each give
their labels (``中期P46``, ``年度P47``, ``資料1-3 P6`` …) with the span they were written in, so a
caller can blank the reference out before matching the rest of the question.

A page needs a document named before it (within a few particles or brackets): a bare ``P20``
or ``20ページ`` gives nothing, and the caller decides what it means. The document names are
data (``data/question/page_documents.tsv``); this module holds the page grammar: numbers of at
most four digits, ranges (46～48, 46から48), lists (46、47), units (P, p., ページ, 頁, page) and
``以降`` / ``から`` / ``～`` after the page ("from this page on").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from ingest.model import SHORT_NAMES
from ingest.refs import MAX_RANGE, PLAN_PREFIXES, document_label, material_label, plan_label

PAGE_DOCUMENTS = Path(__file__).resolve().parents[1] / "data" / "question" / "page_documents.tsv"

NOT_BUNDLED = "-"


class PageDocumentsError(Exception):
    """A line of the document-name file cannot be used; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class PageReference:
    """One plan page a question names.

    ``start``/``end`` span the whole written reference in the original question, from the
    document name to the page (and its 以降): every label of ``中期計画の46、47ページ`` carries
    the same span. ``onward`` is set on the last page of a reference followed by 以降/から/～.
    """

    label: str
    start: int
    end: int
    onward: bool = False


@dataclass(frozen=True, slots=True)
class DocumentName:
    """One line of the document-name file: a name pattern and the label prefix it gives."""

    pattern: re.Pattern[str]
    prefix: str  # 中期, 年度, 資料1-3 … or NOT_BUNDLED
    line: int


# --- folding: one comparable form of the question, with a map back to the original ---------

_DASHES = dict.fromkeys("‐‑‒–—―−", "-")
_WAVES = dict.fromkeys("〜∼〰", "~")
# Marks that NFKC joins to the character before them (ﾍﾟ → ペ) although not "combining".
_JOINING_MARKS = frozenset("\uff9e\uff9f\u3099\u309a")


@dataclass(frozen=True, slots=True)
class _Folded:
    text: str
    starts: tuple[int, ...]  # original index where the character at i came from
    ends: tuple[int, ...]  # original index just after it

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


def _fold_char(char: str) -> str:
    char = _DASHES.get(char) or _WAVES.get(char) or char
    return char.lower() if "A" <= char <= "Z" else char


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"


@lru_cache(maxsize=2048)
def _fold(question: str) -> _Folded:
    """NFKC, ASCII lower-case, dashes between digits as '-', no spaces except between digits.

    Kept per question (frozen): the page references, the pages named with no document and
    their removal read the same question."""
    chars: list[tuple[str, int, int]] = []
    pending_space: int | None = None
    index = 0
    while index < len(question):
        after = index + 1
        while after < len(question) and (
            unicodedata.combining(question[after]) or question[after] in _JOINING_MARKS
        ):
            after += 1
        for char in unicodedata.normalize("NFKC", question[index:after]):
            if char.isspace() or unicodedata.category(char) == "Cf":
                pending_space = index if pending_space is None else pending_space
                continue
            char = _fold_char(char)
            if pending_space is not None and chars and _is_digit(chars[-1][0]) and _is_digit(char):
                chars.append((" ", pending_space, pending_space + 1))
            pending_space = None
            chars.append((char, index, after))
        index = after
    for at in range(1, len(chars) - 1):  # 資料1ー3 (long-vowel mark typed as a dash)
        if chars[at][0] == "ー" and _is_digit(chars[at - 1][0]) and _is_digit(chars[at + 1][0]):
            chars[at] = ("-", *chars[at][1:])
    return _Folded(
        "".join(c for c, _, _ in chars),
        tuple(s for _, s, _ in chars),
        tuple(e for _, _, e in chars),
    )


# --- document names (data) -----------------------------------------------------------------

_MATERIAL_PREFIX = re.compile(r"資料([0-9]+)-([0-9]+)")


@cache
def document_names(path: Path = PAGE_DOCUMENTS) -> tuple[DocumentName, ...]:
    """The document-name patterns of ``path``, compiled once."""
    names = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) != 2:
            raise PageDocumentsError(
                f"{path}:{number}: expected '<regex><TAB><label prefix>', got {len(fields)} field(s)"
            )
        pattern, prefix = fields[0], fields[1].strip()
        if prefix not in (*PLAN_PREFIXES, NOT_BUNDLED) and not _MATERIAL_PREFIX.fullmatch(prefix):
            raise PageDocumentsError(
                f"{path}:{number}: label prefix {prefix!r} is not 中期, 年度, 資料N-M or '-'"
            )
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise PageDocumentsError(f"{path}:{number}: bad regex {pattern!r}: {error}") from error
        names.append(DocumentName(compiled, prefix, number))
    return tuple(names)


def _label(prefix: str, page: int) -> str:
    material = _MATERIAL_PREFIX.fullmatch(prefix)
    if material:
        return material_label(material.group(1), material.group(2), page)
    return plan_label(prefix, page)


# --- the page grammar (over the folded text) -----------------------------------------------

# Between a document name and its page: particles, brackets, punctuation, and one bracketed
# aside such as （令和5年度業務実績報告書案）, at most six of them.
_GAP = r"(?:[ ()\[\]「」『』【】〔〕<>、,:;・のにではがもを]|\([^()\n]{1,40}\)){0,6}"
_PREFIX = r"(?:pages?|pp?\.?|ページ|頁)"
_UNIT = r"(?:ページ目?|頁目?|pages?|p(?![a-z]))"
_RANGE = r"(?:~|-|から)"
_LIST = r"(?:[,、・/&]|と|及び|および|や)"
# What may follow a page number: anything but a fifth digit, a space (only kept between
# digits: P4 6 is no page we can tell) or a counter (5年間, 70%, 3件, 10人): Japanese
# counters follow the number they count, so a page number is never followed by one.
_AFTER = (
    r"(?![0-9 ]|年|%|件|人|回|歳|才|月|日|時|分|秒|倍|万|億|兆|千|百|円|か所|カ所|ヶ所|個|社|名"
    r"|割|位|番|号|次|期|度|点|枚|本|台|世帯|事業所|週|ポイント|pt|[.][0-9])"
)


def _number(name: str = "") -> str:
    group = f"?P<{name}>" if name else "?:"
    return rf"第?({group}[0-9]{{1,4}}){_AFTER}"


def _item(first: str = "", last: str = "") -> str:
    return (
        rf"{_PREFIX}?{_number(first)}{_UNIT}?"
        rf"(?:{_RANGE}{_PREFIX}?{_number(last)}{_UNIT}?)?"
    )


_GAP_ONLY = re.compile(_GAP)
_COORDINATION = re.compile(r"(?:と|及び|および|や|、|,|・|&)")
_PAGES = re.compile(
    rf"{_GAP}(?P<pages>{_item()}(?:{_LIST}{_item()})*)(?P<onward>以降|以後|から|~)?"
)
_ITEM = re.compile(_item("first", "last"))
_MARKER = re.compile(r"ページ|頁|p")


def _pages(written: str) -> list[int]:
    """``46、47``, ``p46~48`` → the pages, in order; the last item's last page is last."""
    pages: list[int] = []
    for item in _ITEM.finditer(written):
        first = int(item.group("first"))
        last = int(item.group("last")) if item.group("last") else first
        if last < first or last - first > MAX_RANGE:
            last = first
        pages.extend(page for page in range(max(first, 1), last + 1) if page not in pages)
    return pages


def _document_matches(text: str) -> list[tuple[int, int, str]]:
    """Every document name in ``text``: earliest first, then longest, then first in the file."""
    found = []
    for order, name in enumerate(document_names()):
        for match in name.pattern.finditer(text):
            if match.end() > match.start():
                found.append((match.start(), -match.end(), order, name.prefix))
    found.sort()
    return [(start, -negative_end, prefix) for start, negative_end, _, prefix in found]


@lru_cache(maxsize=2048)
def page_references(
    question: str, documents: frozenset[str] = frozenset()
) -> tuple[PageReference, ...]:
    """The plan pages ``question`` names, in order, each with its label and written span;
    also a page of a document cited by its own name (``overview p.10``, and of ``documents``,
    the names the index cites its other files by: ``メモ.txt p.1``, ``メモ.txtの2ページ``).

    Kept per question (frozen results): each answer reads them twice, and folding the
    question character by character is a fifth of a cached answer's question analysis."""
    folded = _fold(question)
    references: list[PageReference] = []
    cursor = 0
    named: tuple[int, int, str] | None = None  # the last name seen without a page
    # Names joined by と / 及び / 、 before one page (年度計画と中期計画の52ページ) share it.
    waiting: list[tuple[int, str]] = []
    for start, end, prefix in _document_matches(folded.text):
        if start < cursor:  # inside a longer name or an earlier reference
            continue
        cursor = end
        # 資料1-3：令和5年度業務実績報告書（案）6ページ: one document named twice, one reference.
        if named and named[2] == prefix and _GAP_ONLY.fullmatch(folded.text, named[1], start):
            start = named[0]
        if named and not _COORDINATION.fullmatch(folded.text, named[1], start):
            waiting = []
        named = (start, end, prefix)
        if prefix == NOT_BUNDLED:
            continue
        written = _PAGES.match(folded.text, end)
        if not written or not _MARKER.search(written.group("pages")):
            waiting.append((start, prefix))
            continue
        pages = _pages(written.group("pages"))
        if not pages:
            continue
        cursor = written.end()
        named = None
        sharing = [(s, p) for s, p in waiting if p != NOT_BUNDLED and p != prefix]
        span_start, span_end = folded.span(sharing[0][0] if sharing else start, written.end())
        for page in pages:
            onward = written.group("onward") is not None and page == pages[-1]
            for document in [*(p for _, p in sharing), prefix]:
                label = _label(document, page)
                references.append(PageReference(label, span_start, span_end, onward))
        waiting = []
    references += _own_labels(folded, references, documents)
    return tuple(sorted(references, key=lambda ref: ref.start))


# A page written with no document named before it (46ページ, p.46, 46頁): its number.
_BARE_PAGE = (
    re.compile(rf"(?<![0-9a-z]){_PREFIX}\s*{_number('page')}"),
    re.compile(rf"(?<![0-9.,]){_number('page')}\s*(?:ページ|頁)"),
)


def unnamed_pages(question: str) -> tuple[int, ...]:
    """The pages ``question`` names with no document (46ページの内容は？), in order; none
    when it names a document's page. Every bundled document has its own page 46, so such a
    number names no page by itself."""
    if page_references(question):
        return ()
    text = _fold(question).text
    found = sorted(
        (match.start(), int(match.group("page")))
        for pattern in _BARE_PAGE
        for match in pattern.finditer(text)
    )
    return tuple(dict.fromkeys(page for _, page in found))


def strip_unnamed_pages(question: str) -> str:
    """``question`` (folded) without the pages it names with no document."""
    text = _fold(question).text
    for pattern in _BARE_PAGE:
        text = pattern.sub(" ", text)
    return text


def page_labels(page: int) -> tuple[str, ...]:
    """The labels page ``page`` has in each document a question may name (中期P46,
    年度P46, 資料1-3 P46, 資料1-4 P46), in the order of ``document_names``."""
    prefixes = dict.fromkeys(n.prefix for n in document_names() if n.prefix != NOT_BUNDLED)
    return tuple(_label(prefix, page) for prefix in prefixes)


# The labels the service itself cites a bundled document's page by when the page carries no
# plan label (overview p.10, results p.1): a client sends them back, a user copies them. A
# file of the user's is cited the same way (メモ.txt p.1: ingest/refs.document_label), by a
# name only the index knows, so the caller passes those names in.
_BUNDLED_NAMES = frozenset(SHORT_NAMES.values())


@lru_cache(maxsize=64)
def _own_names(documents: frozenset[str]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern over every document name folded as questions are (longest first), and
    each folded name's name as labels write it."""
    names: dict[str, str] = {}
    for name in sorted(_BUNDLED_NAMES | documents, key=len, reverse=True):
        folded = _fold(name).text
        if folded:
            names.setdefault(folded, name)
    pattern = "|".join(map(re.escape, names)) or r"(?!)"
    return re.compile(pattern), names


def _own_labels(
    folded: _Folded, taken: Sequence[PageReference], documents: frozenset[str]
) -> list[PageReference]:
    """The pages a ``folded`` question names of a document cited by its own name, outside
    the spans of ``taken``: the name, then its pages in the page grammar (p.10, の2ページ)."""
    pattern, names = _own_names(documents)
    text = folded.text
    found = []
    for match in pattern.finditer(text):
        name = match.group(0)
        if name[0].isascii() and name[0].isalnum() and match.start() > 0:
            before = text[match.start() - 1]
            if before.isascii() and before.isalnum():  # inside a longer word (xoverview)
                continue
        written = _PAGES.match(text, match.end())
        if not written or not _MARKER.search(written.group("pages")):
            continue
        start, end = folded.span(match.start(), written.end())
        if any(ref.start < end and start < ref.end for ref in taken):
            continue
        pages = _pages(written.group("pages"))
        for page in pages:
            onward = written.group("onward") is not None and page == pages[-1]
            found.append(PageReference(document_label(names[name], page), start, end, onward))
    return found


def strip_page_references(question: str, documents: frozenset[str] = frozenset()) -> str:
    """``question`` with each written page reference replaced by one space."""
    spans = sorted({(ref.start, ref.end) for ref in page_references(question, documents)})
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        question = f"{question[:start]} {question[end:]}"
    return question
