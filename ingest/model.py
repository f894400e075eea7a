"""The chunk: one retrievable unit of a plan document, used by every later stage."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, Literal

from ingest.refs import document_label

ChunkKind = Literal[
    "concept",  # overview concept page paragraph
    "heading",  # overview bold heading above a group of measures (states their aim)
    "measure",  # ● item with its ・ sub-points
    "sub_measure",  # ・ sub-point (or <group> block) with its own plan-page reference
    "review",  # ○ item of the 3rd-period review column
    "plan_summary",  # results slide: 第３期中期計画の概要 (narrow ○ column)
    "result",  # results slide: 主な取組実績 (wide ○ column)
    "fy_plan",  # results slide: （令和５年度計画）
    "fy_result",  # results slide: （令和５年度の取組実績）
    "table",  # results slide: figures table / chart text
    "text",  # anything else: generic paragraphs, front matter
]


def chunk_id(source: str, locator: str, text: str) -> str:
    """Stable id: the same file, place and text always give the same id."""
    digest = hashlib.sha1(f"{source}\x1f{locator}\x1f{text}".encode()).hexdigest()
    return digest[:16]


@dataclass(frozen=True, slots=True)
class Chunk:
    """A unit of display text plus what retrieval and citation need to know about it.

    ``text`` is shown to users and quoted verbatim. ``context`` is the text around the unit
    (measure title, area, slide section, sibling items) that is indexed with it but never
    displayed as part of the quote.
    """

    id: str
    text: str
    source: str
    page: int | None
    kind: ChunkKind
    section: str | None = None
    title: str | None = None
    refs: tuple[str, ...] = ()
    heading_path: tuple[str, ...] = ()
    context: str = ""
    locator: str = ""
    document_title: str | None = None
    ref_documents: tuple[tuple[str, str], ...] = ()  # (label prefix, title): 資料1-3 → 令和5年度…
    # Plan pages the passage cites in another document ([中期P46] in a user's file): where
    # to read more, never the passage's own labels. An upload citing a page of the plan does
    # not become that page (its title, its /refs, its trace measures).
    cites: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        *,
        text: str,
        source: str,
        locator: str,
        page: int | None,
        kind: ChunkKind,
        section: str | None = None,
        title: str | None = None,
        refs: tuple[str, ...] | list[str] = (),
        heading_path: tuple[str, ...] | list[str] = (),
        context: str = "",
        cites: tuple[str, ...] | list[str] = (),
    ) -> Chunk:
        return cls(
            id=chunk_id(source, locator, text),
            text=text,
            source=source,
            page=page,
            kind=kind,
            section=section,
            title=title,
            refs=tuple(refs),
            heading_path=tuple(heading_path),
            context=context,
            locator=locator,
            cites=tuple(cites),
        )

    @property
    def headings(self) -> str:
        """What the passage is read under: its title and the text around it (a measure's
        sentence often leaves its subject to them)."""
        return f"{self.title or ''} {self.context}"

    @property
    def citation(self) -> str:
        """How an answer cites this chunk when it carries no plan-page label."""
        name = self.citation_name
        return name if self.page is None else f"{name} p.{self.page}"

    @property
    def citation_name(self) -> str:
        """The name its document is cited by, before the page: ``overview``, ``メモ.txt``."""
        return _citation_name(self.source)

    @property
    def labels(self) -> tuple[str, ...]:
        """Citation labels: the plan-page refs, else the chunk's own document page."""
        return self.refs or (self.citation,)

    @property
    def answer_labels(self) -> tuple[str, ...]:
        """Every label an answer cites this passage by: its own labels, then the plan pages
        it cites in another document (an upload's ``[中期P46]``), as a bundled passage's
        bracket is cited: the quote is found on the first, the plan page it rests on is
        linked beside it. The same as ``labels`` for every bundled passage."""
        if not self.cites:
            return self.labels
        own = self.labels
        return own + tuple(label for label in self.cites if label not in own)

    def document_of(self, label: str) -> str | None:
        """The Japanese title of the document ``label`` points to, for people to read.

        A plan-page label names another document (資料1-3 P61 → 令和5年度業務実績報告書（案）)
        when this chunk's document says which; otherwise it is this chunk's own document.
        """
        named = dict(self.ref_documents).get(label_prefix(label) or "")
        return named or self.document_title

    def to_dict(self) -> dict[str, Any]:
        """The fields by name. Not ``dataclasses.asdict``: its deep copy of values that are
        all immutable (strings, numbers, tuples of them) was a sixth of a small re-index."""
        return {name: getattr(self, name) for name in _FIELD_NAMES}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Chunk:
        values = dict(raw)
        values["refs"] = tuple(values.get("refs") or ())
        values["heading_path"] = tuple(values.get("heading_path") or ())
        values["ref_documents"] = tuple(tuple(pair) for pair in values.get("ref_documents") or ())
        values["cites"] = tuple(values.get("cites") or ())
        return cls(**values)


_FIELD_NAMES = tuple(f.name for f in fields(Chunk))
_LABEL_PREFIX_RE = re.compile(r"^(中期|年度|資料\d+-\d+)\s*P\d+$")


@lru_cache(maxsize=4096)
def _citation_name(source: str) -> str:
    """Read once per file: a label filter reads every passage's labels on each request."""
    short = source.split("/")[-1]
    return document_label(SHORT_NAMES.get(short, short), None)


def label_prefix(label: str) -> str | None:
    """The document a plan-page label names (中期P46 → 中期, 資料1-3 P6 → 資料1-3); None for
    a document's own page (overview p.2)."""
    prefix = _LABEL_PREFIX_RE.match(label)
    return prefix.group(1) if prefix else None


SHORT_NAMES = {
    "jps-4th-midterm-plan-overview.txt": "overview",
    "jps-3rd-midterm-fy2023-results.txt": "results",
}


@dataclass(slots=True)
class Page:
    """One physical page (PDF) or the whole text of a text file (number None until parsed)."""

    number: int
    text: str


@dataclass(slots=True)
class LoadedDocument:
    source: str
    path: str
    pages: list[Page] = field(default_factory=list)
    encoding: str | None = None
    # The title the file itself declares (a PDF's metadata), when it names the document.
    title: str | None = None
