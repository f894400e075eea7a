"""Cleaning extracted text: HTML leftovers, broken lines, normalisation for matching.

Display text stays faithful to the document (full-width characters as written); NFKC is
applied only to the forms used for matching and labels.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Only real HTML: an ASCII tag name, optionally attributes. Japanese labels written in angle
# brackets (<本部>, <年金事務所>, <事業所向けサービス>) are text and must survive.
# Attributes are ASCII (data-bbox="20 711 196 835", style="…"), so <ICT 基盤> stays text.
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s+[\x20-\x7E]*?)?\s*/?>")
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|ul|ol|li|div|br|tr|td|th|h[1-6])(?:\s+[\x20-\x7E]*?)?\s*/?>", re.I
)

# A line starting with one of these begins a new paragraph or item.
BULLETS = "○●・◆◇■□◎※＊"
_ITEM_START_RE = re.compile(
    rf"^\s*(?:[{BULLETS}]|（[^）]{{1,20}}）\s*$|[①-⑳]|【|＜|<|\(\d+\)|（\d+）)"
)


def strip_html(text: str) -> str:
    """Remove HTML tags and attributes; block tags become line breaks."""
    text = _BLOCK_TAG_RE.sub("\n", text)
    text = _HTML_TAG_RE.sub("", text)
    if "&" in text:
        text = html.unescape(text).replace("\xa0", " ")
    return text


def squeeze_spaces(text: str) -> str:
    """Collapse runs of ASCII spaces/tabs (full-width spaces stay); trim lines; drop empty ones."""
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _needs_space(left: str, right: str) -> bool:
    """A space survives a join only between two Latin words (``e-Gov`` ``service``)."""
    return (
        bool(left and right)
        and left[-1].isascii()
        and left[-1].isalnum()
        and (right[0].isascii() and right[0].isalpha())
    )


_REF_ONLY_RE = re.compile(r"^\s*[\[【［〔]\s*(?:中期|年度)[^\]】］〕]*[\]】］〕]\s*$")


def starts_item(line: str) -> bool:
    """True for a line that begins a new item; a line that is only a plan ref is not one."""
    return bool(_ITEM_START_RE.match(line)) and not _REF_ONLY_RE.match(line)


def join_broken_lines(lines: list[str]) -> list[str]:
    """Rejoin lines a PDF extraction broke mid-word into paragraphs.

    A blank line ends a paragraph; a line that starts an item (○ ● ・ ※ ①, 【…】, （…）
    headings) starts a new one; otherwise a line continues the previous one with no space
    inserted (Japanese has none), except between two Latin words.
    """
    paragraphs: list[str] = []
    current = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current and not starts_item(line):
            current += (" " if _needs_space(current, line) else "") + line
        else:
            if current:
                paragraphs.append(current)
            current = line
    if current:
        paragraphs.append(current)
    return paragraphs


def normalize_for_match(text: str) -> str:
    """NFKC, tags stripped, all whitespace removed: the form evidence strings are matched in."""
    text = unicodedata.normalize("NFKC", strip_html(text))
    return re.sub(r"\s+", "", text)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
