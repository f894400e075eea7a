"""The canonical labels a typed label that opens nothing was probably meant as, for the 404
of ``GET /refs`` and the MCP ``page`` tool: 中期46 (no P) → 中期P46, 中記P46 (one character
off in the document's prefix) → 中期P46, P46 or 46 (no document) → each document's page 46.

Only labels the index holds are suggested, so a suggestion always opens. A typed label is
split into a prefix and a page number after NFKC; the prefix is compared with the labels'
prefixes with spaces dropped, exactly, then at one character's difference.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_SUGGESTIONS = 4
_TYPED = re.compile(r"^(.*?)[\s.:：・-]*(?:[Pp]\.?|ページ|頁)?\s*(\d{1,4})(?:ページ|頁)?$")
_LABEL = re.compile(r"^(.*?)\s?P(\d{1,4})$")


def _prefix(text: str) -> str:
    return "".join(text.split()).rstrip("-.:")


def _one_apart(typed: str, known: str) -> bool:
    """One character substituted, added or dropped."""
    if abs(len(typed) - len(known)) > 1 or typed == known:
        return False
    if len(typed) == len(known):
        return sum(a != b for a, b in zip(typed, known, strict=True)) == 1
    short, long = sorted((typed, known), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def suggested_labels(typed: str, labels: Iterable[str]) -> list[str]:
    """Up to ``MAX_SUGGESTIONS`` held labels ``typed`` was probably meant as, best first."""
    match = _TYPED.match(unicodedata.normalize("NFKC", typed).strip())
    if match is None:
        return []
    prefix, page = _prefix(match.group(1)), int(match.group(2))
    same_page: list[tuple[str, str]] = []
    for label in labels:
        held = _LABEL.match(label)
        if held and int(held.group(2)) == page:
            same_page.append((_prefix(held.group(1)), label))
    exact = [label for held, label in same_page if held == prefix]
    if not prefix:
        exact = [label for _, label in same_page]
    near = [label for held, label in same_page if prefix and _one_apart(prefix, held)]
    found = list(dict.fromkeys(sorted(exact) + sorted(near)))
    return [label for label in found if label != typed][:MAX_SUGGESTIONS]
