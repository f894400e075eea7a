"""Plan-page references: every written form → the exact citation labels.

Forms seen in the plans: ``[中期P46,年度P47,48]``, ``【中期P40,41,年度P40,41】``,
``[中期P18,61,年度P18,61]`` (full- or half-width, with or without spaces), and the
results-slide footers ``資料１－３：令和５年度業務実績報告書（案）6ページ～``. Labels are
``中期P46``, ``年度P47``, ``資料1-3 P6``: half-width digits, one space before P in 資料 labels.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass

PLAN_PREFIXES = ("中期", "年度")

_DASHES = "-‐‑‒–—―−ー－ｰ"
_BRACKET_OPEN = "[【［〔"
_BRACKET_CLOSE = "]】］〕"

# A bracket whose content starts with a plan prefix and a page: [中期P46,年度P47,48].
_BRACKET_RE = re.compile(
    rf"[{re.escape(_BRACKET_OPEN)}]\s*((?:中期|年度)\s*[PpＰｐ][^{re.escape(_BRACKET_CLOSE)}{re.escape(_BRACKET_OPEN)}]*)[{re.escape(_BRACKET_CLOSE)}]"
)
# A page number has at most four digits, here as in questions: a longer run is no page, and
# int() of thousands of digits is refused by Python (a file holding one must still ingest).
_PAGE = r"(?<!\d)(\d{1,4})(?!\d)"
_PLAN_ITEM_RE = re.compile(rf"(?:(中期|年度)\s*P\s*)?{_PAGE}(?:\s*[~〜～\-‐‑–]\s*{_PAGE})?")
_FOOTER_NUMBER = r"(?<![0-9０-９])([0-9０-９]{1,4})(?![0-9０-９])"
_FOOTER_RE = re.compile(
    rf"資料\s*{_FOOTER_NUMBER}\s*[{_DASHES}]\s*{_FOOTER_NUMBER}\s*[：:][^\n]*?{_FOOTER_NUMBER}\s*ページ"
)
# Labels as a user types them in a question: 中期P62, 年度 P 47, 資料1-3 P6, 資料1-3 6ページ,
# and with a dot after the P (中期p.46, 資料1-3 p.6), as question/page_refs.py reads them in /ask.
_P = r"[PpＰｐ]\s*[.．]?"
_QUERY_PLAN_RE = re.compile(rf"(中期|年度)\s*{_P}\s*([0-9０-９]{{1,4}})(?![0-9０-９])")
_QUERY_MATERIAL_RE = re.compile(
    rf"資料\s*([0-9０-９]{{1,4}})\s*[{_DASHES}]\s*([0-9０-９]{{1,4}})\s*(?:{_P}\s*([0-9０-９]{{1,4}})(?![0-9０-９])|[^\n0-9０-９]{{0,20}}?([0-9０-９]{{1,4}})\s*(?:ページ|頁|p\b|P\b))"
)

MAX_RANGE = 30  # a written range longer than this is a typo, not thirty pages


@dataclass(frozen=True, slots=True)
class RefSpan:
    """Where a reference was written in a text and the labels it stands for."""

    start: int
    end: int
    labels: tuple[str, ...]


def plan_label(prefix: str, page: int) -> str:
    return f"{prefix}P{page}"


def material_label(volume: str, part: str, page: int) -> str:
    return f"資料{int(volume)}-{int(part)} P{page}"


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def parse_bracket_content(content: str) -> tuple[str, ...]:
    """``中期P46,年度P47,48`` → ``('中期P46', '年度P47', '年度P48')``.

    A bare number continues the prefix before it; ``P46~48`` expands to a range.
    """
    text = re.sub(r"[pＰｐ]", "P", _nfkc(content))
    labels: list[str] = []
    prefix: str | None = None
    for match in _PLAN_ITEM_RE.finditer(text):
        if match.group(1):
            prefix = match.group(1)
        if prefix is None:
            continue
        first = int(match.group(2))
        last = int(match.group(3)) if match.group(3) else first
        if last < first or last - first > MAX_RANGE:
            last = first
        for page in range(first, last + 1):
            label = plan_label(prefix, page)
            if label not in labels:
                labels.append(label)
    return tuple(labels)


def find_bracket_refs(text: str) -> list[RefSpan]:
    """Every bracketed plan reference in ``text``, with its span, in order."""
    spans = []
    for match in _BRACKET_RE.finditer(text):
        labels = parse_bracket_content(match.group(1))
        if labels:
            spans.append(RefSpan(match.start(), match.end(), labels))
    return spans


def find_footer_refs(text: str) -> list[RefSpan]:
    """Results-slide footers ``資料１－３：…6ページ～`` → ``資料1-3 P6``."""
    spans = []
    for match in _FOOTER_RE.finditer(text):
        volume, part, page = (_nfkc(g) for g in match.groups())
        spans.append(
            RefSpan(match.start(), match.end(), (material_label(volume, part, int(page)),))
        )
    return spans


def extract_refs(text: str) -> tuple[str, ...]:
    """All labels written in ``text`` (brackets and footers), deduplicated, in order."""
    labels: list[str] = []
    spans = sorted(find_bracket_refs(text) + find_footer_refs(text), key=lambda s: s.start)
    for span in spans:
        for label in span.labels:
            if label not in labels:
                labels.append(label)
    return tuple(labels)


def strip_bracket_refs(text: str) -> str:
    """``text`` without its bracketed references (for titles and matching)."""
    return re.sub(r"[ \t]{2,}", " ", _BRACKET_RE.sub("", text)).strip()


def label_spans(text: str) -> list[RefSpan]:
    """Labels as written in a question (中期P62, 年度 p47, 資料1-3 6ページ), with spans."""
    spans: list[RefSpan] = []
    for match in _QUERY_PLAN_RE.finditer(text):
        label = plan_label(match.group(1), int(_nfkc(match.group(2))))
        spans.append(RefSpan(match.start(), match.end(), (label,)))
    for match in _QUERY_MATERIAL_RE.finditer(text):
        volume, part = _nfkc(match.group(1)), _nfkc(match.group(2))
        page = match.group(3) or match.group(4)
        label = material_label(volume, part, int(_nfkc(page)))
        spans.append(RefSpan(match.start(), match.end(), (label,)))
    return sorted(spans, key=lambda span: span.start)


def labels_in_query(query: str) -> tuple[str, ...]:
    """Labels a user names in a question, deduplicated, in order."""
    labels: list[str] = []
    for span in label_spans(query):
        for label in span.labels:
            if label not in labels:
                labels.append(label)
    return tuple(labels)


# Canonical numbers: ASCII, no leading zero, at most four digits (what normalize_label gives).
_NUMBER = r"(?:0|[1-9][0-9]{0,3})"
_LABEL_RE = re.compile(rf"(?:中期|年度)P{_NUMBER}|資料{_NUMBER}-{_NUMBER} P{_NUMBER}")


def is_label(text: str) -> bool:
    """True when ``text`` is exactly one canonical label."""
    return _LABEL_RE.fullmatch(text) is not None


def normalize_label(text: str) -> str | None:
    """Canonical form of one label as a person might type it (``中期ｐ６２`` → ``中期P62``)."""
    found = labels_in_query(text)
    return found[0] if len(found) == 1 else None


def label_to_open(text: str, known: Container[str]) -> str | None:
    """The label a page lookup (``GET /refs``, the MCP ``page`` tool) opens for ``text``:
    itself when a passage carries it as written (a file's label as an answer cites it,
    ``overview p.2``, which ``normalize_label`` does not read), else its canonical form."""
    return text if text in known else normalize_label(text)


# What separates labels where an answer lists them (【中期P62・資料1-3 P6】: the chat page splits
# on ・, the scorer also on 、 and commas) and what frames such a group. A file label holding
# one would split into pieces that open nothing.
LABEL_SEPARATORS = "・･、,，【】"
UNNAMED_DOCUMENT = "文書"


def document_label(source: str, page: int | None) -> str:
    """How a passage of a file without plan-page references is cited: ``メモ.txt p.3``.

    The label lives inside 【…】 groups, on one answer line, and in ``/refs/{label}``: each
    separator becomes ``_``, a line break or other space one space, and invisible or control
    characters (bidi marks, NUL, lone surrogates) go. Applying it to its own result changes
    nothing, so a label can be looked up as given.
    """
    name = source.replace("\\", "/").split("/")[-1]
    kept = []
    for char in name:
        if char in LABEL_SEPARATORS:
            kept.append("_")
        elif char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Cn"):
            continue
        else:
            kept.append(char)
    short = " ".join("".join(kept).split()) or UNNAMED_DOCUMENT
    return f"{short} p.{page}" if page is not None else short
