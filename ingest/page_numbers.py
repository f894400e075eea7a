"""Page-number lines in a text or Markdown file: where a page ends when the file has no form
feed, and which lines are not passage text.

A Japanese document saved as text keeps its printed page numbers as lines of their own:
「- 2 -」, 「— 2 —」, 「－２－」 (read after NFKC), 「2 / 10」. Such a line is a page break,
under these conventions:

- only a line that is nothing but the number between dashes (any of - ‐ – — ― ー ~ 〜, the same
  or not on both sides), or ``n / total`` with n ≤ total, is a candidate;
- a candidate counts only as the next link of a chain that starts at the page the text is on
  (1 for a whole text file) and rises by one: 「- 1 -」, then 「- 2 -」 … A lone 「- 2 -」 in
  prose, a list item, is text, since no 「- 1 -」 came before it;
- the numbers are footers (the usual place in these documents): the line closes the page it
  numbers, so the text after 「- 1 -」 is page 2. When nothing but blank lines comes before
  the first one, they are headers instead: each opens the page it numbers;
- a line that counts is dropped from the text: it is layout, not a statement.

A file with form feeds states its pages itself: each part between form feeds is a page, and
only a footer or header line of that part's own number is dropped from it.
"""

from __future__ import annotations

import re
import unicodedata

_DASH = "-‐‑‒–—―ーｰ~〜"
_DASHED = re.compile(rf"^[{_DASH}]\s*(\d{{1,4}})\s*[{_DASH}]$")
_OF_TOTAL = re.compile(r"^(\d{1,4})\s*/\s*(\d{1,4})$")


def page_number(line: str) -> int | None:
    """The page number a line that is only a page number states, else None."""
    text = unicodedata.normalize("NFKC", line).strip()
    if match := _DASHED.match(text):
        return int(match.group(1))
    if (match := _OF_TOTAL.match(text)) and int(match.group(1)) <= int(match.group(2)):
        return int(match.group(1))
    return None


def split_numbered_pages(text: str, first: int = 1) -> list[tuple[int, str]]:
    """(page number, text) pairs of a text without form feeds, cut at its page-number lines
    (the module's conventions), those lines dropped; the whole text as page ``first`` when
    no chain of them starts there. A page of blank lines only is left out."""
    lines = text.split("\n")
    chain: list[int] = []  # indices of the lines that count, numbered first, first+1, …
    for index, line in enumerate(lines):
        if page_number(line) == first + len(chain):
            chain.append(index)
    if not chain:
        return [(first, text)]
    headers = not any(line.strip() for line in lines[: chain[0]])
    bounds = [-1, *chain, len(lines)]
    pages = []
    for number, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False)):
        body = "\n".join(lines[start + 1 : end])
        page = first + number - 1 if headers else first + number
        if body.strip():
            pages.append((page, body))
    return pages


def without_own_number(text: str, number: int) -> str:
    """A form-feed page's text without a first or last line that is only its own number."""
    lines = text.split("\n")
    filled = [index for index, line in enumerate(lines) if line.strip()]
    for index in filled[:1] + filled[-1:]:
        if page_number(lines[index]) == number:
            lines[index] = ""
    return "\n".join(lines)
