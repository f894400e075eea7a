"""HTTP routes: parse, call the service, serialise. The work happens in api/answer.py."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Query, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, StreamingResponse

from api.deps import ReadAccess, ServiceDep, SettingsDep, WriteKey
from api.schemas import (
    AskRequest,
    AskResponse,
    ChunkOut,
    Context,
    DocumentOut,
    DocumentsResponse,
    ErrorResponse,
    HealthResponse,
    IndexResponse,
    RefResponse,
    SearchRequest,
    SearchResponse,
)
from index.builder import BuildReport, IndexBuildError
from index.generations import IndexBusyError
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.model import Chunk
from ingest.pipeline import ingest_file
from ingest.refs import normalize_label

STATIC = Path(__file__).resolve().parent / "static"
ERRORS = {
    400: {"model": ErrorResponse},
    401: {"model": ErrorResponse},
    404: {"model": ErrorResponse},
    413: {"model": ErrorResponse},
    503: {"model": ErrorResponse},
}

router = APIRouter()


@router.get("/", include_in_schema=False)
def chat_page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@router.post("/ask", response_model=AskResponse, responses=ERRORS, dependencies=[ReadAccess])
async def ask(request: AskRequest, service: ServiceDep) -> AskResponse:
    """Answer a question in Japanese from the plans, citing the plan page of every statement.

    ``answered`` is false when the plans do not cover the question; ``contexts`` then holds
    the closest passages. ``history`` resolves follow-ups such as 「それの目標は？」.
    """
    return await service.answer(request)


@router.post("/ask/stream", responses=ERRORS, dependencies=[ReadAccess])
async def ask_stream(request: AskRequest, service: ServiceDep) -> StreamingResponse:
    """The same answer as server-sent events: ``sentence`` events, then one ``final`` event
    carrying the whole /ask response (citations and contexts)."""
    service.check_question(request.question)  # bad input fails before the stream starts

    async def events():
        async for name, payload in service.answer_events(request):
            yield f"event: {name}\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


@router.post("/search", response_model=SearchResponse, responses=ERRORS, dependencies=[ReadAccess])
def search(request: SearchRequest, service: ServiceDep) -> SearchResponse:
    """Ranked passages for a query, without composing an answer."""
    hits = service.search(request.query, request.top_k, request.filters)
    return SearchResponse(results=[Context.from_chunk(h.chunk, h.score) for h in hits])


@router.get(
    "/refs/{label}", response_model=RefResponse, responses=ERRORS, dependencies=[ReadAccess]
)
def refs(label: str, service: ServiceDep) -> RefResponse:
    """Every passage carrying a plan-page label: what does 中期P62 say?

    A 資料 page inside a section answers with that section, named in ``section_start``:
    the results slides cite only the page a section starts at.
    """
    canonical = normalize_label(label)
    chunks, section_start = service.passages_of(canonical) if canonical else ([], None)
    if not chunks:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"ラベル '{label}' の箇所はありません / no passage carries the label '{label}'",
        )
    return RefResponse(
        label=canonical or label,
        chunks=[ChunkOut.of(chunk) for chunk in chunks],
        section_start=section_start,
    )


@router.get(
    "/documents", response_model=DocumentsResponse, responses=ERRORS, dependencies=[ReadAccess]
)
def documents(service: ServiceDep) -> DocumentsResponse:
    """The indexed plan documents with their pages and chunk counts."""
    by_source: dict[str, list[Chunk]] = {}
    for chunk in service.snapshot().chunks:
        by_source.setdefault(chunk.source, []).append(chunk)
    return DocumentsResponse(
        documents=[
            DocumentOut(
                source=source,
                chunks=len(chunks),
                pages=sorted({c.page for c in chunks if c.page is not None}),
                kinds=dict(Counter(c.kind for c in chunks)),
            )
            for source, chunks in sorted(by_source.items())
        ]
    )


@router.get(
    "/chunks/{chunk_id}", response_model=ChunkOut, responses=ERRORS, dependencies=[ReadAccess]
)
def chunk(chunk_id: str, service: ServiceDep) -> ChunkOut:
    """One passage by id, with its labels and heading path."""
    found = service.snapshot().by_id.get(chunk_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no chunk with id '{chunk_id}'")
    return ChunkOut.of(found)


@router.get("/health", response_model=HealthResponse)
def health(service: ServiceDep, settings: SettingsDep) -> HealthResponse:
    """Whether an index is loaded, with which encoder and how many chunks."""
    searcher = service.live.searcher
    limit = settings.api.max_question_chars
    if searcher is None:
        return HealthResponse(
            status="no-index",
            index_loaded=False,
            encoder=service.live.encoder.name,
            chunks=0,
            generation=None,
            llm=service.llm is not None,
            max_question_chars=limit,
        )
    snapshot = searcher.snapshot
    return HealthResponse(
        status="ok",
        index_loaded=True,
        encoder=snapshot.encoder_name,
        chunks=len(snapshot.chunks),
        generation=snapshot.generation.name,
        llm=service.llm is not None,
        max_question_chars=limit,
    )


@router.post("/index", response_model=IndexResponse, responses=ERRORS, dependencies=[WriteKey])
async def reindex(service: ServiceDep) -> IndexResponse:
    """Re-index the data folder (API key required) and answer from the new index."""
    report = await _rebuild(service)
    return _index_response(report)


@router.post("/documents", response_model=IndexResponse, responses=ERRORS, dependencies=[WriteKey])
async def upload(
    service: ServiceDep,
    settings: SettingsDep,
    file: Annotated[
        UploadFile, File(description="A plan file: .txt .md (UTF-8/Shift_JIS) or .pdf")
    ],
    replace: Annotated[bool, Query(description="Overwrite a file of the same name")] = False,
) -> IndexResponse:
    """Add a plan file to the data folder (API key required) and re-index."""
    name = Path(file.filename or "").name
    if not name or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            f"unsupported file '{name}': planqa reads {' '.join(SUPPORTED_SUFFIXES)}",
        )
    target = settings.paths.data_dir / name
    if target.exists() and not replace:
        raise HTTPException(status.HTTP_409_CONFLICT, f"'{name}' exists; add ?replace=true")
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / name
        size = 0
        with staged.open("wb") as handle:
            while chunk := await file.read(1 << 20):
                size += len(chunk)
                if size > settings.api.max_upload_bytes:
                    raise HTTPException(
                        413,
                        f"'{name}' is larger than {settings.api.max_upload_bytes} bytes",
                    )
                handle.write(chunk)
        checked = await run_in_threadpool(ingest_file, staged)
        if checked.error:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, f"{name}: {checked.error}")
        settings.paths.data_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(staged, target)
    return _index_response(await _rebuild(service))


async def _rebuild(service) -> BuildReport:
    try:
        return await run_in_threadpool(service.live.rebuild)
    except IndexBusyError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error
    except IndexBuildError as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from error


def _index_response(report: BuildReport) -> IndexResponse:
    return IndexResponse(
        chunks=report.chunks,
        embedded=report.embedded,
        reused=report.reused,
        removed=report.removed,
        failures=[{"path": f.path, "error": f.error or ""} for f in report.failures],
        seconds=round(report.seconds, 3),
    )
