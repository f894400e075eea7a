"""No item paragraph of a bundled plan is lost between the file and its chunks.

The hardening rule (every input loses nothing) checked on the text itself: every ○/●/・/◎/①
paragraph, split at blank lines, has each of its 10-character windows (NFKC, whitespace
removed) somewhere in the file's chunks. A prose item standing between a chart's 【title】
and its rows was once parsed into a passage that was never emitted.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from ingest.parsers.slides import TABLE_HEADER_RE
from ingest.pipeline import ingest_file

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"
ITEM_START = re.compile(r"^[○〇◯●・◎①-⑳]")
WINDOW = 10


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _item_paragraphs(text: str) -> list[str]:
    """Paragraphs split at blank lines, each without a results slide's column header line.

    The header (`施策 第３期中期計画の概要 主な取組実績`) sometimes follows the last item of
    the slide before it with no blank line; the parser turns it into every chunk's labels,
    so it is structure, not text an item has lost.
    """
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if not TABLE_HEADER_RE.match(line)]
        paragraph = "\n".join(lines).strip()
        if ITEM_START.match(paragraph):
            paragraphs.append(paragraph)
    return paragraphs


# The overview's items stand inside long table-cell lines, never at a paragraph's start,
# so the check reads none of them there; the results file has hundreds.
ITEM_PARAGRAPHS_AT_LEAST = {
    "jps-3rd-midterm-fy2023-results.txt": 300,
    "jps-4th-midterm-plan-overview.txt": 0,
}


@pytest.mark.parametrize("name", sorted(ITEM_PARAGRAPHS_AT_LEAST))
def test_every_item_paragraph_is_inside_the_chunks(name: str):
    path = PLANS / name
    result = ingest_file(path)
    assert result.error is None
    chunked = _flat("".join(chunk.text for chunk in result.chunks))
    paragraphs = _item_paragraphs(path.read_text(encoding="utf-8"))
    assert len(paragraphs) >= ITEM_PARAGRAPHS_AT_LEAST[name]
    lost = {}
    for paragraph in paragraphs:
        flat = _flat(paragraph)
        windows = [flat[i : i + WINDOW] for i in range(max(1, len(flat) - WINDOW + 1))]
        missing = [window for window in windows if window not in chunked]
        if missing:
            lost[paragraph[:40]] = missing[:3]
    assert lost == {}
