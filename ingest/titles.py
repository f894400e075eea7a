"""Document titles as the documents write them, so a citation can name its document in Japanese.

A plan file's title is the first line near its top that stands alone, the way a title is set
(``日本年金機構の第4期中期計画（案）及び令和6年度計画（案）について``); a PDF's is the title its
metadata declares, else its first heading (extracted text has no blank lines); a file
without one is named by its stem, never by its file name. The documents a plan-page label points to are
named in the text too: the results-slide footers (``資料１－３：令和５年度業務実績報告書（案）
6ページ～``) and a title naming the mid-term and yearly plans it covers.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath

from ingest.clean import BULLETS, strip_html
from ingest.model import Chunk, LoadedDocument

TITLE_SEARCH_LINES = 40  # a title stands near the top; a line further down is a heading
TITLE_MAX_CHARS = 60

_HALF_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+")
_TOPIC_SUFFIX_RE = re.compile(r"\s*について$")  # 「…について」: the title is what comes before
_FOOTER_TITLE_RE = re.compile(
    r"資料\s*([0-9０-９]+)\s*[-‐‑‒–—―−ー－ｰ]\s*([0-9０-９]+)\s*[：:]\s*(.+?)\s*[0-9０-９]+\s*ページ"
)
_TITLE_PARTS_RE = re.compile(r"及び|並びに|と(?=令和|第)|、")
# A part of a title that is a plan named by a bracket prefix (中期P46, 年度P47): it ends in
# 中期計画 or 年度計画 (「第3期中期計画の取組」 is about a plan, not the plan).
_PLAN_PART_RE = re.compile(r"(中期|年度)計画(?:（案）|\(案\))?$")


def readable(text: str) -> str:
    """Half-width digits, as labels write them (令和5年度, not 令和５年度); brackets stay."""
    return text.translate(_HALF_WIDTH).strip()


def document_title(text: str, source: str, *, set_apart: bool = True) -> str:
    """The document's title from its first lines, else the file's stem (no suffix).

    ``set_apart``: a title is a line with blank lines around it, as a text file sets it. A
    PDF's extracted text has no blank lines: its first line that reads as a title (its first
    heading) is taken instead.
    """
    lines = [strip_html(line).replace("\t", " ").strip() for line in text.split("\n")]
    seen = 0
    for index, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        if seen > TITLE_SEARCH_LINES:
            break
        alone = not set_apart or (
            (index == 0 or not lines[index - 1])
            and (index + 1 == len(lines) or not lines[index + 1])
        )
        candidate = _MARKDOWN_HEADING_RE.sub("", line)
        if alone and _looks_like_title(candidate):
            return readable(_TOPIC_SUFFIX_RE.sub("", candidate)) or candidate
    return PurePath(source).stem


def _looks_like_title(line: str) -> bool:
    return (
        0 < len(line) <= TITLE_MAX_CHARS
        and not line.endswith(("。", "．", "."))
        and line[0] not in BULLETS
        and line[0] not in "<＜[【（("
        and any(char.isalpha() for char in line)  # a page number (- 1 -) names nothing
    )


def referenced_documents(text: str, title: str) -> dict[str, str]:
    """Label prefix → the title of the document it points to, as this text names it.

    ``資料1-3`` from a footer ``資料１－３：令和５年度業務実績報告書（案）6ページ～``; ``中期`` and
    ``年度`` from a title naming ``…中期計画（案）及び…年度計画（案）``.
    """
    documents: dict[str, str] = {}
    for match in _FOOTER_TITLE_RE.finditer(text):
        volume, part = (int(readable(group)) for group in match.group(1, 2))
        documents.setdefault(f"資料{volume}-{part}", readable(match.group(3)))
    for part in _TITLE_PARTS_RE.split(title):
        plan = _PLAN_PART_RE.search(part.strip())
        if plan:
            documents.setdefault(plan.group(1), _after_organisation(readable(part)))
    return documents


def _after_organisation(part: str) -> str:
    """``日本年金機構の第4期中期計画（案）`` → ``第4期中期計画（案）``: the plan, not its owner."""
    head, _, rest = part.partition("の")
    return rest if rest and "計画" in rest and "計画" not in head else part


def with_titles(chunks: list[Chunk], doc: LoadedDocument) -> list[Chunk]:
    """Every chunk of ``doc`` with its document's title and the documents its labels name."""
    text = "\n".join(page.text for page in doc.pages)
    pdf = PurePath(doc.source).suffix.lower() == ".pdf"
    title = doc.title or document_title(text, doc.source, set_apart=not pdf)
    documents = tuple(referenced_documents(text, title).items())
    return [replace(chunk, document_title=title, ref_documents=documents) for chunk in chunks]
