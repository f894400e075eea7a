"""The results section a measure continues, as a field of the measure's BM25 document.

A plan measure (●) says what will be done in the plan's words; the results report names
the same work by its section and slide headings (Ⅰ-１．国民年金の適用促進対策, 確実な
適用の実施). A question about what a measure is for often uses those words, so the
measure's passage also carries, with a fitted weight (BM25F-style: the field's term counts
times its weight join the passage's), the name of every results section the trace links
it to and the title of the linked slide. Measured on the own gold and the outside set:
outside recall@5 0.909 → 0.920, own fresh 0.838 → 0.865, own dev unchanged at 0.947; 5-fold
cross-validation picks weight 1 in 13 of 15 folds, 2 in the others (bench/results/
retrieval_fields.md). The headings the chunk already carries (its context and title)
were weighted the same way and gained nothing, so they stay at 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from ingest.model import Chunk
from plantrace.model import Trace


def continued_texts(trace: Trace, chunks: Sequence[Chunk]) -> dict[str, list[str]]:
    """Per measure chunk id, the distinct headings of the results it continues: each linked
    section's name and its linked slide's title, in link order."""
    by_id = {chunk.id: chunk for chunk in chunks}
    texts: dict[str, list[str]] = {}
    for link in trace.links:
        section = trace.section.get(link.section_key)
        slide = by_id.get(link.slide_id)
        found = texts.setdefault(link.measure_id, [])
        for text in (section.name if section else "", slide.title if slide else ""):
            if text and text not in found:
                found.append(text)
    return texts


def with_continued_field(
    counts: Sequence[Counter[str]],
    chunks: Sequence[Chunk],
    trace: Trace,
    terms: Callable[[str], Sequence[str]],
    weight: float,
) -> list[Counter[str]]:
    """The chunks' term counts for BM25, each linked measure's with its continued results'
    headings added at ``weight`` per occurrence; the other chunks' counts unchanged (the
    same objects). ``weight`` 0 leaves every count as it was."""
    if weight <= 0:
        return list(counts)
    texts = continued_texts(trace, chunks)
    weighted: list[Counter[str]] = []
    for chunk, count in zip(chunks, counts, strict=True):
        extra = texts.get(chunk.id)
        if not extra:
            weighted.append(count)
            continue
        combined = Counter({term: float(n) for term, n in count.items()})
        for text in extra:
            for term in terms(text):
                combined[term] += weight
        weighted.append(combined)
    return weighted
