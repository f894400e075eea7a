"""What ``GET /refs/{label}`` and the MCP ``page`` tool give for what a user typed: every
page it names (one label, or a page list as the plans and answers cite them: 中期P46,47),
each page's passages, and the passages of other files citing those pages.

One place for both, so the HTTP route and the tool cannot drift apart."""

from __future__ import annotations

from api.schemas import ChunkOut, RefPage, RefResponse
from ingest.model import Chunk
from question.label_lookup import labels_for_lookup


def ref_response(text: str, service) -> RefResponse | None:
    """The pages ``text`` names with their passages; None when no page has a passage nor
    a citing one (the caller answers 404 with how labels are written)."""
    snapshot = service.snapshot()
    labels = labels_for_lookup(text, snapshot.by_label)
    chunks: dict[str, Chunk] = {}
    citing: dict[str, Chunk] = {}
    pages: list[RefPage] = []
    for label in labels:
        own, section_start = service.passages_of(label)
        for chunk in own:
            chunks.setdefault(chunk.id, chunk)
        for chunk in snapshot.citing(label):
            citing.setdefault(chunk.id, chunk)
        pages.append(
            RefPage(label=label, chunk_ids=[c.id for c in own], section_start=section_start)
        )
    if not chunks and not citing:
        return None
    return RefResponse(
        label="・".join(labels),
        chunks=[ChunkOut.of(chunk) for chunk in chunks.values()],
        section_start=pages[0].section_start if len(pages) == 1 else None,
        pages=pages,
        cited_by=[ChunkOut.of(chunk) for chunk in citing.values() if chunk.id not in chunks],
    )
