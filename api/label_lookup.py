"""The label a page lookup opens (``GET /refs``, ``GET /trace``, the MCP ``page`` and ``trace``
tools) for what a user typed, read as ``/ask`` reads a page named in a question.

A label typed as such (中期P46, 中期ｐ４６, 資料１－３ p.6, a file's ``メモ.txt p.1``) opens
itself; else a page written after its document's name (中期計画の46ページ, 年度計画P47,
令和5年度業務実績報告書の6ページ: ``question/page_refs.py`` with its document names as data)
opens that page when it names exactly one. Before this, /ask understood 中期計画の46ページ
and the page lookups answered 404 for the same words.
"""

from __future__ import annotations

from collections.abc import Container

from ingest.refs import label_to_open
from question.page_refs import page_references


def label_for_lookup(text: str, known: Container[str] = ()) -> str | None:
    """The one label ``text`` names, or None when it names none or several pages."""
    label = label_to_open(text, known)
    if label:
        return label
    named = {reference.label for reference in page_references(text)}
    return named.pop() if len(named) == 1 else None
