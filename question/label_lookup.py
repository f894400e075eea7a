"""The label a page lookup opens (``GET /refs``, ``GET /trace``, the MCP ``page`` and ``trace``
tools, a ``label`` filter) for what a user typed, read as ``/ask`` reads a page named in a
question.

A label typed as such (中期P46, 中期ｐ４６, 資料１－３ p.6, a file's ``メモ.txt p.1``) opens
itself; else a page written after its document's name (中期計画の46ページ, 年度計画P47,
令和5年度業務実績報告書の6ページ: ``question/page_refs.py`` with its document names as data)
opens that page when it names exactly one. Before this, /ask understood 中期計画の46ページ
and the page lookups answered 404 for the same words.

A page list as the plans and answers write it (中期P46,47, 年度P47,48, 中期P46・年度P47,
中期P46~48) names every page in it: ``labels_for_lookup``. A space a browser or curl sent as
``+`` (資料1-3+P6), or left percent-encoded, is read as the space it stands for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from urllib.parse import unquote_plus

from ingest.refs import MAX_RANGE, label_to_open
from question.page_refs import page_references

# What separates the pages of one list: the plans write [中期P46,年度P47,48], answers 【…・…】.
_LIST_SEPARATORS = re.compile(r"[,、・]")
_BARE_PAGES = re.compile(r"(?:[PpＰｐ]\s*\.?\s*)?(\d{1,4})(?:\s*[~〜～]\s*(\d{1,4}))?")
_LAST_PAGE = re.compile(r"(\d{1,4})$")
_RANGE_END = re.compile(r"^(.*?\D)(\d{1,4})\s*[~〜～]\s*(\d{1,4})$")


def label_for_lookup(text: str, known: Container[str] = ()) -> str | None:
    """The one label ``text`` names, or None when it names none or several pages."""
    for typed in _typed_forms(text):
        label = label_to_open(typed, known)
        if label:
            return label
        named = {reference.label for reference in page_references(typed)}
        if len(named) == 1:
            return named.pop()
    return None


def labels_for_lookup(text: str, known: Container[str] = ()) -> tuple[str, ...]:
    """Every label ``text`` names: one label, or a page list (中期P46,47 → 中期P46, 中期P47:
    a bare number continues the label before it, ``46~48`` is a range); () when any part of
    a list names no page, or the text names none."""
    if text not in known:  # a file's own label is never read as a list
        for typed in _typed_forms(text):
            listed = _page_list(typed, known)
            if listed:
                return listed
    one = label_for_lookup(text, known)
    return (one,) if one else ()


def _typed_forms(text: str) -> list[str]:
    """``text`` as sent, then with ``+`` read as a space and percent escapes decoded (a URL
    pasted whole): a known file label holding ``+`` still opens as written first."""
    forms = [text]
    for decoded in (text.replace("+", " "), unquote_plus(text)):
        if decoded not in forms:
            forms.append(decoded)
    return forms


def _page_list(text: str, known: Container[str]) -> tuple[str, ...]:
    pieces = [piece.strip() for piece in _LIST_SEPARATORS.split(_fold(text))]
    if not pieces or not pieces[0]:
        return ()
    labels: list[str] = []
    for piece in pieces:
        found = _piece_labels(piece, labels[-1] if labels else None, known)
        if not found:
            return ()
        labels.extend(label for label in found if label not in labels)
    return tuple(labels) if len(labels) > 1 or len(pieces) > 1 else ()


def _piece_labels(piece: str, previous: str | None, known: Container[str]) -> list[str]:
    """The labels of one piece of a list: a label, a label ending in a range, or (after a
    label) a bare page or range of the same document."""
    if previous is not None:
        bare = _BARE_PAGES.fullmatch(piece)
        if bare:
            return [_with_page(previous, page) for page in _pages(*bare.groups())]
    ranged = _RANGE_END.fullmatch(piece)
    if ranged:
        first = label_for_lookup(f"{ranged.group(1)}{ranged.group(2)}", known)
        if first is None:
            return []
        return [_with_page(first, page) for page in _pages(ranged.group(2), ranged.group(3))]
    label = label_for_lookup(piece, known)
    return [label] if label else []


def _pages(first: str, last: str | None) -> range:
    start, end = int(first), int(last) if last else int(first)
    if end < start or end - start > MAX_RANGE:  # a typo, as ingest/refs.py reads ranges
        end = start
    return range(start, end + 1)


def _with_page(label: str, page: int) -> str:
    return _LAST_PAGE.sub(str(page), label)


def _fold(text: str) -> str:
    """NFKC (full-width digits and commas), keeping ・ (NFKC turns ･ into it)."""
    return unicodedata.normalize("NFKC", text)
