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

from answer.extractive import Picked
from answer.sentences import display, is_statement, sentences_of
from ingest.model import Chunk
from question.analysis import QuestionAnalysis
from question.stoplist import QUESTION_WORDS

# Words of "what is written on page X" that ask for nothing in particular (Sudachi
# normalised forms, as ``LexicalIndex.cached_terms`` gives them; a document name counts too,
# 報告書 as Sudachi splits it, 報告 + 書).
PAGE_WORDS = frozenset(
    "ページ 以降 以下 以後 何 書く 有る 居る 為る 内容 施策 取り組み 取組 記載 載る 乗る どんな こと "
    "概要 説明 中身 教える 示す 言う 要点 要約 纏める まとめる 部分 箇所 所 事項 項目 掲げる つく "
    "計画 中期 年度 資料 報告 報告書 書 業務 実績 案 第 期 令和 頁 ページ目 から 辺り あたり 載せる 見る "
    "分かる 知る 主 主な 全部 全て 一覧 挙げる 並ぶ 出る 出す 数値 数字 データ 指標 どういう "
    "どれ 何と 読む 確認 確認する 欲しい ください 下さい 頂く 知りたい たい 話 話題 テーマ 分野 "
    "題 タイトル 見出し 何について 扱う 取り扱う 関する 係る 中心 ポイント".split()
)
# Words asking for the figures a page holds (どんな数値が載っている？): then every figure
# sentence of the page is listed, not its headline alone.
FIGURE_WORDS = frozenset("数値 数字 データ 指標".split())
_STATED_FIGURE = re.compile(
    r"(?:は|が|を|に|、)\s*(?:約)?[0-9０-９][0-9０-９,，.．]*\s*"
    r"(?:%|％|件|人|回|日|時間|か所|万|億|円|pt|ｐｔ|ポイント|倍|社|事業所)"
    r"|(?:%|％|件|人|社)(?:以上)?を(?:達成|維持|確保)|となった"
)
_ANY_FIGURE = re.compile(r"[0-9０-９]")
# The latest year's results carry a page's headline figures; plan text states its aims.
_KIND_PREFERENCE = {"fy_result": 2.0, "result": 1.0, "measure": 1.0, "sub_measure": 1.0}


def asks_only_for_page(
    question: QuestionAnalysis,
    terms_of: Callable[[str], Sequence[str]],
    beside: re.Pattern[str] | None = None,
) -> bool:
    """True when the question names a page and, apart from it, only page words (and words
    matching ``beside``: 他に asks for the rest of the page, still nothing in particular)."""
    if not question.page_refs:
        return False
    text = question.text_without_pages
    rest = terms_of(beside.sub(" ", text) if beside is not None else text)
    return all(term in PAGE_WORDS or term in QUESTION_WORDS or term.isdigit() for term in rest)


def asks_for_figures(question: QuestionAnalysis, terms_of: Callable[[str], Sequence[str]]) -> bool:
    return any(term in FIGURE_WORDS for term in terms_of(question.text_without_pages))


def headline_score(sentence: str, chunk: Chunk) -> float:
    figure = (
        3.0 if _STATED_FIGURE.search(sentence) else 1.0 if _ANY_FIGURE.search(sentence) else 0.0
    )
    return figure + _KIND_PREFERENCE.get(chunk.kind, 0.0)


def topic_of(chunk: Chunk) -> tuple[str, str]:
    """The section a chunk sits under and its sub-heading there, as printed ('' when none)."""
    section = (chunk.section or "").strip()
    headings = [h.strip() for h in chunk.heading_path if h.strip()]
    sub = next((h for h in headings if h != section and h not in section), "")
    return (section, sub if len(sub) <= 40 else "") if section else (sub, "")


def digest(
    chunks: Sequence[Chunk],
    *,
    limit: int,
    figures: bool = False,
    leave: Callable[[str], bool] | None = None,
) -> list[Picked]:
    """Headline sentences of ``chunks`` (in document order), one per page per round; with
    ``figures``, the sentences that state a figure only, as many as twice ``limit``; none
    that ``leave`` holds for (what the last answer already quoted, after 他に)."""
    pages: dict[tuple[str, int | None], list[Picked]] = {}  # in order of first appearance
    for chunk in chunks:
        ranked = pages.setdefault((chunk.source, chunk.page), [])
        for sentence in sentences_of(chunk):
            shown = display(sentence)
            if leave is not None and leave(shown):
                continue
            if is_statement(sentence) and (not figures or _ANY_FIGURE.search(sentence)):
                ranked.append(Picked(sentence, shown, chunk, headline_score(sentence, chunk)))
    for ranked in pages.values():
        ranked.sort(key=lambda p: -p.score)  # stable: ties keep document order
    if figures:
        if not any(pages.values()):
            return digest(chunks, limit=limit, leave=leave)
        limit *= 2
    picked: list[Picked] = []
    seen: set[str] = set()
    # What each page is about comes first: its section and heading, as the document prints
    # them above the page (Ⅰ-２．国民年金の保険料収納対策：納付率等の目標).
    sections: dict[str, list[str]] = {}  # section → its sub-headings, in order
    first: dict[str, Chunk] = {}
    for chunk in chunks:
        section, sub = topic_of(chunk)
        if section:
            first.setdefault(section, chunk)
            subs = sections.setdefault(section, [])
            if sub and sub not in subs:
                subs.append(sub)
    topics = {
        section: f"{section}（{'・'.join(subs)}）" if subs else section
        for section, subs in sections.items()
    }
    depth = 0
    while len(picked) < limit and any(len(r) > depth for r in pages.values()):
        for ranked in pages.values():
            if len(ranked) > depth and len(picked) < limit and ranked[depth].shown not in seen:
                picked.append(ranked[depth])
                seen.add(ranked[depth].shown)
        depth += 1
    # Each section's first line says what the section is about, then its headline: the
    # first statement an agent reads answers "what is on that page".
    for index, item in enumerate(picked):
        section, _ = topic_of(item.chunk)
        if section in topics:
            topic = topics.pop(section)
            picked[index] = Picked(item.quote, f"{topic}：{item.shown}", item.chunk, item.score)
    return picked
