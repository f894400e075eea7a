"""``GET /trace/{label}``: a plan measure beside what the period before achieved."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from api.deps import ReadAccess, ServiceDep
from api.label_messages import no_trace_message
from api.schemas import ErrorResponse
from plantrace.view import TraceResponse
from question.label_lookup import label_for_lookup

router = APIRouter()


@router.get(
    "/trace/{label}",
    response_model=TraceResponse,
    responses={404: {"model": ErrorResponse}, 401: {"model": ErrorResponse}},
    dependencies=[ReadAccess],
)
def trace(label: str, service: ServiceDep) -> TraceResponse:
    """The plan ↔ results trace around a page label (the label forms of ``/refs``).

    For a plan label (中期P46, 年度P47): the measures on that page with the targets they set
    and, for each, the linked results sections (資料1-3 / 資料1-4 labels, the closest slide,
    the figures on the same metrics). For a results label (資料1-3 P61): its section with the
    plan measures that continue it. Links come from the documents' structure and wording,
    corrected by ``data/trace.txt``.
    """
    canonical = label_for_lookup(label)
    found = service.trace_of(canonical) if canonical else None
    if found is None:
        has_passage = canonical is not None and bool(service.passages_of(canonical)[0])
        raise HTTPException(status.HTTP_404_NOT_FOUND, no_trace_message(label, has_passage))
    return found
