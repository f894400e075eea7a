"""HTTP routes: parse, call the service, serialise. The work happens in api/answer.py."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse

from answer.errors import deleted_index_message
from api.deps import ReadAccess, ServiceDep, SettingsDep, WriteKey
from api.document_removal import delete_document
from api.label_messages import no_passage_message
from api.label_suggest import suggested_labels
from api.refs_view import ref_response
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
from api.upload_body import OPENAPI_BODY, received_upload
from api.uploads import add_document
from index.build.builder import BuildReport, IndexBuildError
from index.chroma_probe import ChromaUnavailableError
from index.generations import IndexBusyError
from ingest.model import Chunk

STATIC = Path(__file__).resolve().parent / "static"
ERRORS = {
    400: {"model": ErrorResponse},
    401: {"model": ErrorResponse},
    404: {"model": ErrorResponse},
    413: {"model": ErrorResponse},
    503: {"model": ErrorResponse},
}
JSON_ERRORS = {**ERRORS, 415: {"model": ErrorResponse}}  # a body not sent as JSON
WRITE_ERRORS = {
    **ERRORS,
    403: {"model": ErrorResponse},
    409: {"model": ErrorResponse},
    507: {"model": ErrorResponse},
}

router = APIRouter()


@router.get("/", include_in_schema=False)
def chat_page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@router.post("/ask", response_model=AskResponse, responses=JSON_ERRORS, dependencies=[ReadAccess])
async def ask(request: AskRequest, service: ServiceDep) -> AskResponse:
    """Answer a question in Japanese from the plans, citing the plan page of every statement.

    ``answered`` is false when the plans do not cover the question; ``contexts`` then holds
    the closest passages. ``history`` resolves follow-ups such as 「それの目標は？」.
    """
    return await service.answer(request)


@router.post("/ask/stream", responses=JSON_ERRORS, dependencies=[ReadAccess])
async def ask_stream(request: AskRequest, service: ServiceDep) -> StreamingResponse:
    """The same answer as server-sent events: ``sentence`` events, then one ``final`` event
    carrying the whole /ask response (citations and contexts)."""
    service.check_question(request.question)  # bad input fails before the stream starts
    service.check_ready()  # so does an index that cannot answer (503)
    service.checked_filters(request.filters)  # and bad filters: a stream could only be cut

    async def events():
        async for name, payload in service.answer_events(request):
            yield f"event: {name}\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


@router.post(
    "/search", response_model=SearchResponse, responses=JSON_ERRORS, dependencies=[ReadAccess]
)
async def search(request: SearchRequest, service: ServiceDep) -> SearchResponse:
    """Ranked passages for a query, without composing an answer."""
    hits = await service.search_in_worker(request.query, request.top_k, request.filters)
    return SearchResponse(results=[Context.from_chunk(h.chunk, h.score) for h in hits])


@router.get(
    "/refs/{label}", response_model=RefResponse, responses=ERRORS, dependencies=[ReadAccess]
)
def refs(label: str, service: ServiceDep) -> RefResponse:
    """Every passage carrying a plan-page label: what does 中期P62 say?

    A page list as the plans and answers cite it (中期P46,47, 年度P47,48, 中期P46・年度P47)
    gives every page it names, each in ``pages`` with the ids of its passages; a space sent
    as ``+`` (資料1-3+P6) is a space. A 資料 page inside a section answers with that section,
    named in ``section_start``: the results slides cite only the page a section starts at.
    Passages of other documents that cite the page (an uploaded file writing [中期P62]) are
    listed apart in ``cited_by``, even when no indexed document has that page (``chunks``
    is then empty).
    """
    found = ref_response(label, service)
    if found is None:
        suggestions = suggested_labels(label, service.snapshot().by_label)
        raise HTTPException(status.HTTP_404_NOT_FOUND, no_passage_message(label, suggestions))
    return found


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
                title=chunks[0].document_title,
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
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"ID '{chunk_id}' の箇所はありません。/search や /refs の結果にある chunk_id を"
            f"送ってください（索引を作り直すと ID は変わります） / no chunk with id "
            f"'{chunk_id}': send a chunk_id from a /search or /refs result (ids change when "
            "the index is rebuilt)",
        )
    return ChunkOut.of(found)


@router.get("/health", response_model=HealthResponse)
async def health(request: Request) -> HealthResponse:
    """Whether an index is loaded, with which encoder and how many chunks, and whether each
    retrieval channel works (``degraded``: the Chroma server does not answer).

    Runs on the event loop and reads only cached state (the Chroma server's heartbeat is
    kept by a background thread) and one ``stat`` of the served generation's folder, so it
    answers at once however busy the answer workers are. A deleted folder is ``no-index``
    with what to do; with a newer generation published, it is loaded in a worker thread.
    Reads the app state itself: a sync dependency would be a hop through the thread pool.
    """
    _follow_deleted(request.app.state.service)
    return health_of(request.app.state.service, request.app.state.settings)


def _follow_deleted(service) -> None:
    """A deleted generation with a newer one published: load it in a worker thread, so
    /health says so at once and is ok again once it is loaded (no request needed)."""
    gone = service.live.deleted()
    if gone is not None and service.live.published() not in (None, gone):
        asyncio.get_running_loop().run_in_executor(None, service.live.follow_deleted)


@router.get(
    "/health/ready",
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse}},
)
async def ready(request: Request) -> JSONResponse:
    """Readiness: 200 when every channel works, 503 when degraded or no index is loaded
    (a load balancer sends traffic elsewhere; /health stays 200 for liveness)."""
    _follow_deleted(request.app.state.service)
    report = health_of(request.app.state.service, request.app.state.settings)
    code = status.HTTP_200_OK if report.status == "ok" else status.HTTP_503_SERVICE_UNAVAILABLE
    return JSONResponse(report.model_dump(), code)


# HEAD as GET without a body: uptime monitors and load balancers probe with HEAD (curl -I),
# and a 405 there reads as "down". Left out of the schema: one operation per path is enough.
router.add_api_route("/health", health, methods=["HEAD"], include_in_schema=False)
router.add_api_route("/health/ready", ready, methods=["HEAD"], include_in_schema=False)


def health_of(service, settings) -> HealthResponse:
    live = service.live
    searcher = live.searcher
    limit = settings.api.max_question_chars
    uploads = settings.api.api_key is not None
    dense_up = live.dense_up
    channels = {"lexical": "ok", "dense": "ok" if dense_up else "down"}
    detail = None
    if not dense_up:
        detail = (
            f"Chroma サーバー（{settings.chroma.host}:{settings.chroma.port}）に接続できません。"
            "索引の再作成はできません。 / the Chroma server is unreachable: answers go on "
            "from the loaded index, re-indexing is refused until it is back"
        )
    gone = live.deleted()
    if searcher is None or gone is not None:
        if gone is not None:  # answers are refused until a generation on disk is loaded
            published = live.published()
            detail = deleted_index_message(gone.name, published.name if published else None)
        return HealthResponse(
            status="no-index",
            index_loaded=False,
            channels=channels,
            detail=detail,
            encoder=live.encoder.name,
            chunks=0,
            generation=gone.name if gone is not None else None,
            llm=service.llm is not None,
            max_question_chars=limit,
            uploads=uploads,
        )
    snapshot = searcher.snapshot
    return HealthResponse(
        status="ok" if dense_up else "degraded",
        index_loaded=True,
        channels=channels,
        detail=detail,
        encoder=snapshot.encoder_name,
        chunks=len(snapshot.chunks),
        generation=snapshot.generation.name,
        llm=service.llm is not None,
        max_question_chars=limit,
        uploads=uploads,
        notices=list(snapshot.notices),
    )


@router.post(
    "/index", response_model=IndexResponse, responses=WRITE_ERRORS, dependencies=[WriteKey]
)
async def reindex(service: ServiceDep) -> IndexResponse:
    """Re-index the data folder (API key required) and answer from the new index.

    A full disk is 507: the previous index keeps answering and nothing is half-written."""
    report = await _rebuild(service)
    return _index_response(report)


@router.post(
    "/documents",
    response_model=IndexResponse,
    responses=WRITE_ERRORS,
    dependencies=[WriteKey],
    openapi_extra=OPENAPI_BODY,
)
async def upload(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    replace: Annotated[bool, Query(description="Overwrite a file of the same name")] = False,
) -> IndexResponse:
    """Add a plan file (the form field ``file``) to the data folder (API key required) and
    re-index.

    The file is stored under a safe name, returned as ``stored_as`` (a path keeps its last
    part; leading dots, control characters and characters Windows refuses go), written
    atomically, and answered from at once, with the ``title`` its citations name it by;
    errors are in Japanese and English.
    """
    async with received_upload(request) as file:  # off the event loop (api/upload_body.py)
        stored_as, report = await add_document(
            file,
            settings,
            replace,
            rebuild=lambda: _rebuild(service),
            indexed_sources=lambda: {chunk.source for chunk in service.snapshot().chunks},
        )
    title = next(
        (c.document_title for c in service.snapshot().chunks if c.source == stored_as), None
    )
    return _index_response(report).model_copy(update={"stored_as": stored_as, "title": title})


@router.delete(
    "/documents/{name}",
    response_model=IndexResponse,
    responses=WRITE_ERRORS,
    dependencies=[WriteKey],
)
async def delete(name: str, service: ServiceDep, settings: SettingsDep) -> IndexResponse:
    """Delete an uploaded document (its ``source`` in ``GET /documents``; API key required):
    its file leaves the data folder and its passages the index, so no answer cites it.

    An unknown name is 404; a bundled plan is refused with 403 (change the bundled set on
    the server with ``planqa remove NAME --delete-file``)."""
    report = await delete_document(
        name,
        settings.paths.data_dir,
        {chunk.source for chunk in service.snapshot().chunks},
        rebuild=lambda remove: _rebuild(service, remove),
    )
    return _index_response(report)


async def _rebuild(service, remove: list[str] | None = None) -> BuildReport:
    try:
        return await run_in_threadpool(service.live.rebuild, None, remove or [])
    except IndexBusyError as error:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"別の索引作成が実行中です。終わってからもう一度お試しください / {error}",
        ) from error
    except IndexBuildError as error:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            f"索引を作成できませんでした。前の索引で答え続けます。理由のファイルを直して送り"
            f"直してください / {error}; fix the file it names and send the request again",
        ) from error
    except ChromaUnavailableError as error:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(error)) from error


def _index_response(report: BuildReport) -> IndexResponse:
    return IndexResponse(
        chunks=report.chunks,
        embedded=report.embedded,
        reused=report.reused,
        removed=report.removed,
        failures=[{"path": f.path, "error": f.error or ""} for f in report.failures],
        seconds=round(report.seconds, 3),
        unchanged=report.unchanged,
        rebuilt_because=None if report.unchanged else (report.reason or None),
    )
