"""Search filters: by source file, section, chunk kind or page label.

A label filter takes every label an answer cites (``Chunk.answer_labels``): a plan page
(中期P46), a document's own page (overview p.2, an upload's メモ.txt p.1) and the plan page an
upload cites; a value naming several pages (中期P46・年度P47) means any of them, as read by
the caller's ``read_label``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ingest.model import Chunk
from ingest.refs import normalize_label

FILTER_NAMES = ("source", "section", "kind", "label")


def _printable(key: str) -> str:
    """A key as it can be shown in a JSON error: a lone surrogate cannot be encoded."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True)
class Filters:
    """Optional restrictions; each is one value or a list of accepted values."""

    source: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    label: tuple[str, ...] = ()

    @classmethod
    def from_mapping(
        cls,
        raw: dict[str, Any] | None,
        read_label: Callable[[str], tuple[str, ...]] | None = None,
    ) -> Filters:
        """The filters of a request; ``read_label`` gives the labels one label value names
        (default: its canonical form, 中期ｐ４６ → 中期P46, else the value as sent)."""
        raw = raw or {}
        unknown = set(raw) - set(FILTER_NAMES)
        if unknown:
            named = ", ".join(sorted(_printable(key) for key in unknown))
            raise ValueError(
                f"不明な絞り込み条件です: {named}（使えるのは {', '.join(FILTER_NAMES)}） "
                f"/ unknown filter(s): {named}; use {', '.join(FILTER_NAMES)}"
            )

        def values(name: str) -> tuple[str, ...]:
            value = raw.get(name)
            if value is None:
                return ()
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise ValueError(
                    f"絞り込み条件 {name} の値は文字列か文字列のリストです "
                    f"/ the filter {name} takes a string or a list of strings"
                )
            return tuple(items)

        read = read_label or _canonical
        labels = tuple(dict.fromkeys(label for v in values("label") for label in read(v)))
        return cls(values("source"), values("section"), values("kind"), labels)

    @cached_property
    def label_set(self) -> frozenset[str]:
        return frozenset(self.label)

    def __bool__(self) -> bool:
        return bool(self.source or self.section or self.kind or self.label)

    def accepts(self, chunk: Chunk) -> bool:
        return (
            (not self.source or chunk.source in self.source)
            and (not self.section or (chunk.section or "") in self.section)
            and (not self.kind or chunk.kind in self.kind)
            and (not self.label or not self.label_set.isdisjoint(chunk.answer_labels))
        )

    def chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        for key, values in (
            ("source", self.source),
            ("section", self.section),
            ("kind", self.kind),
        ):
            if values:
                clauses.append({key: {"$in": list(values)}})
        if self.label:
            # A plan page in ``refs``; any other label an answer cites in ``labels``
            # (index/store.chunk_metadata), which an index written before it lacks.
            clauses.append(
                {"$or": [{key: {"$contains": v}} for v in self.label for key in ("refs", "labels")]}
            )
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _canonical(value: str) -> tuple[str, ...]:
    return (normalize_label(value) or value,)
