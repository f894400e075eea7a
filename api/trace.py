"""``GET /trace/{label}``: a plan measure beside what the period before achieved."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from answer.service import AnswerService
from api.deps import ReadAccess, ServiceDep
from api.label_messages import no_trace_message
from api.schemas import ErrorResponse
from ingest.model import label_prefix
from plantrace.view import TraceResponse
from question.label_lookup import label_for_lookup
from question.page_refs import page_references

router = APIRouter()


@router.get(
    "/trace/{label}",
    response_model=TraceResponse,
    responses={404: {"model": ErrorResponse}, 401: {"model": ErrorResponse}},
    dependencies=[ReadAccess],
)
def trace(
    label: str,
    service: ServiceDep,
    metric: Annotated[
        str | None,
        Query(
            max_length=200,
            description="指標名（応答率）を先に示す / a metric (応答率, or text naming it) whose "
            "figures each linked section shows first, with the passage stating it.",
        ),
    ] = None,
) -> TraceResponse:
    """The plan ↔ results trace around a page label (the label forms of ``/refs``).

    For a plan label (中期P46, 年度P47): the measures on that page with the targets they set
    and, for each, the linked results sections (資料1-3 / 資料1-4 labels, the closest slide,
    the figures on the same metrics). For a results label (資料1-3 P61): its section with the
    plan measures that continue it. Links come from the documents' structure and wording,
    corrected by ``data/trace.txt``.
    """
    found = trace_lookup(label, service, metric)
    if isinstance(found, str):
        raise HTTPException(status.HTTP_404_NOT_FOUND, found)
    return found


def trace_lookup(
    label: str, service: AnswerService, metric: str | None = None
) -> TraceResponse | str:
    """The trace ``label`` names, else why there is none, bilingual (``GET /trace`` and the
    MCP ``trace`` tool): a file's own page (メモ.txt p.1, read as /refs reads it) has none by
    kind, a plan page may link nothing, any other label is checked."""
    canonical = label_for_lookup(label, service.snapshot().answer_labels)
    found = service.trace_of(canonical, metric) if canonical else None
    if found is not None:
        return found
    has_passage = canonical is not None and bool(service.passages_of(canonical)[0])
    named = [canonical] if has_passage else page_labels_named(label, service)
    own_page = any(label_prefix(name or "") is None for name in named)
    return no_trace_message(label, has_passage, own_page)


def page_labels_named(label: str, service: AnswerService) -> list[str]:
    """The pages ``label`` names as a question would, a file's page by its name too (メモ.txt
    p.9 of a file the index holds, though it has no such page)."""
    documents = service.snapshot().document_names
    return [reference.label for reference in page_references(label, documents)]
