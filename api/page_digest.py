"""Answers to "what does page X say?": the headline of each page the label covers.

A question that names a plan page and asks nothing else (資料1-4の63ページ以降には何が書いてある？,
中期P26の内容は？) gives sentence scoring nothing to match: its remaining words (ページ, 以降,
書く) pick sentences at random, or none, and the answer came back empty. A 資料 label also
covers a whole section of several slides. So such a question gets a digest instead: the
label's chunks in document order, grouped by page, and from each page its headline: a
sentence that states a figure (…の収納率は98.7％, …を達成, …となった), preferring that year's
results, else the page's first statement. One sentence per page in page order, then the
next-best of each page while the answer has room.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from api.extractive import Picked, display, is_statement, sentences_of
from ingest.model import Chunk
from ingest.refs import label_spans

# Words of "what is written on page X" that ask for nothing in particular (Sudachi
# normalised forms, as ``LexicalIndex.cached_terms`` gives them).
PAGE_WORDS = frozenset(
    "ページ 以降 以下 以後 何 書く 有る 居る 為る 内容 施策 取り組み 取組 記載 載る 乗る どんな こと "
    "概要 説明 中身 教える 示す 言う 要点 要約 纏める まとめる 部分 箇所 所 事項 項目 掲げる つく".split()
)
_STATED_FIGURE = re.compile(
    r"(?:は|が|を|に|、)\s*(?:約)?[0-9０-９][0-9０-９,，.．]*\s*"
    r"(?:%|％|件|人|回|日|時間|か所|万|億|円|pt|ｐｔ|ポイント|倍|社|事業所)"
    r"|(?:%|％|件|人|社)(?:以上)?を(?:達成|維持|確保)|となった"
)
_ANY_FIGURE = re.compile(r"[0-9０-９]")
# The latest year's results carry a page's headline figures; plan text states its aims.
_KIND_PREFERENCE = {"fy_result": 2.0, "result": 1.0, "measure": 1.0, "sub_measure": 1.0}


def asks_only_for_page(question: str, terms_of: Callable[[str], Sequence[str]]) -> bool:
    """True when ``question`` names a page label and, apart from it, only page words."""
    spans = label_spans(question)
    if not spans:
        return False
    rest = question
    for span in reversed(spans):
        rest = f"{rest[: span.start]} {rest[span.end :]}"
    return all(term in PAGE_WORDS or term.isdigit() for term in terms_of(rest))


def headline_score(sentence: str, chunk: Chunk) -> float:
    figure = (
        3.0 if _STATED_FIGURE.search(sentence) else 1.0 if _ANY_FIGURE.search(sentence) else 0.0
    )
    return figure + _KIND_PREFERENCE.get(chunk.kind, 0.0)


def digest(chunks: Sequence[Chunk], *, limit: int) -> list[Picked]:
    """Headline sentences of ``chunks`` (in document order), one per page per round."""
    pages: dict[tuple[str, int | None], list[Picked]] = {}  # in order of first appearance
    for chunk in chunks:
        ranked = pages.setdefault((chunk.source, chunk.page), [])
        for sentence in sentences_of(chunk):
            shown = display(sentence)
            if is_statement(shown):
                ranked.append(Picked(sentence, shown, chunk, headline_score(sentence, chunk)))
    for ranked in pages.values():
        ranked.sort(key=lambda p: -p.score)  # stable: ties keep document order
    picked: list[Picked] = []
    seen: set[str] = set()
    depth = 0
    while len(picked) < limit and any(len(r) > depth for r in pages.values()):
        for ranked in pages.values():
            if len(ranked) > depth and len(picked) < limit and ranked[depth].shown not in seen:
                picked.append(ranked[depth])
                seen.add(ranked[depth].shown)
        depth += 1
    return picked
