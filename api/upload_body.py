"""Receiving a ``POST /documents`` body without holding up the event loop.

FastAPI reads a form on the event loop: python-multipart parses every block of a 20 MB
upload there and the spooled file is written there until it rolls over, so every other
request waits behind that work (issue 21 row 5). Here the loop only moves bytes: the body
is written to a temporary file in 1 MiB writes done by a worker thread, then the part
named ``file`` is cut out of it by python-multipart in a worker thread, and the route gets
an ``UploadFile`` over that part, whose reads go through the thread pool as well.
The key check runs before any of this (a route dependency), so no unauthenticated body is
parsed.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, BinaryIO

from fastapi import HTTPException, Request, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

FILE_FIELD = "file"
WRITE_BLOCK = 1 << 20  # bytes gathered on the loop before a thread writes them
PARSE_BLOCK = 1 << 20

# The request body as OpenAPI shows it (the route reads the body itself, so FastAPI
# cannot derive it from a parameter).
OPENAPI_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FILE_FIELD],
                    "properties": {
                        FILE_FIELD: {
                            "type": "string",
                            "format": "binary",
                            "description": "A plan file: .txt .md (UTF-8, Shift_JIS/CP932, EUC-JP, UTF-16 with a BOM) or .pdf",
                        }
                    },
                }
            }
        },
    }
}


@contextlib.asynccontextmanager
async def received_upload(request: Request) -> AsyncIterator[UploadFile]:
    """The uploaded file of a multipart body, received into a temporary folder that is
    removed afterwards. A body without a ``file`` part gets the 422 FastAPI gives a missing
    field; a malformed multipart body a bilingual 400."""
    boundary = _boundary(request.headers.get("content-type", ""))
    blocks = request.stream()
    # The first block is gathered before any file is made: a body the size limit refuses
    # by then is answered without touching the disk or the thread pool.
    first = await _gather(blocks, WRITE_BLOCK)
    folder = Path(await run_in_threadpool(tempfile.mkdtemp, prefix="planqa-upload-"))
    try:
        body, part = folder / "body", folder / "file"
        await _spool(first, blocks, body)
        filename = await run_in_threadpool(_cut_out_file, body, boundary, part)
        await run_in_threadpool(body.unlink)
        handle = await run_in_threadpool(part.open, "rb")
        try:
            yield UploadFile(handle, filename=filename, size=part.stat().st_size)
        finally:
            await run_in_threadpool(handle.close)
    finally:
        await run_in_threadpool(shutil.rmtree, folder, True)


def _boundary(content_type: str) -> bytes:
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data":
        raise _not_a_form(content_type)
    if not boundary:
        raise _missing_file()
    return boundary


def _not_a_form(content_type: str) -> HTTPException:
    """A body sent as JSON or as the file's bytes themselves: say how to send a file. 422,
    as a form without its ``file`` part (the status clients of this route already read)."""
    said = "".join(c for c in content_type if " " <= c <= "~").strip()[:80]
    curl = f"curl -H 'Authorization: Bearer …' -F '{FILE_FIELD}=@plan.txt' …/documents"
    return HTTPException(
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        f"ファイルは multipart/form-data の '{FILE_FIELD}' 欄で送ってください（このリクエストの "
        f"Content-Type は {said or 'ありません'}）。curl なら {curl} / send the file as the "
        f"multipart/form-data field '{FILE_FIELD}' (this request's Content-Type is "
        f"{said or 'missing'}); with curl: {curl}",
    )


def _missing_file() -> RequestValidationError:
    return RequestValidationError(
        [
            {
                "loc": ("body", FILE_FIELD),
                "msg": f"Field required: send the file as the multipart/form-data field "
                f"'{FILE_FIELD}' (with curl: -F '{FILE_FIELD}=@plan.txt')",
                "type": "file_missing",
            }
        ]
    )


async def _gather(blocks: AsyncIterator[bytes], size: int) -> bytearray:
    gathered = bytearray()
    async for block in blocks:
        gathered += block
        if len(gathered) >= size:
            break
    return gathered


async def _spool(first: bytearray, blocks: AsyncIterator[bytes], body: Path) -> None:
    handle: BinaryIO = await run_in_threadpool(body.open, "wb")
    try:
        pending = first
        while pending:
            await run_in_threadpool(handle.write, bytes(pending))
            pending = await _gather(blocks, WRITE_BLOCK)
    finally:
        await run_in_threadpool(handle.close)


def _cut_out_file(body: Path, boundary: bytes, part: Path) -> str:
    """Write the first ``file`` part of the multipart ``body`` to ``part``; its file name."""
    found = _FilePart(part)
    parser = MultipartParser(
        boundary,
        {
            "on_header_field": found.on_header_field,
            "on_header_value": found.on_header_value,
            "on_header_end": found.on_header_end,
            "on_headers_finished": found.on_headers_finished,
            "on_part_data": found.on_part_data,
            "on_part_end": found.on_part_end,
        },
    )
    try:
        with body.open("rb") as source:
            while block := source.read(PARSE_BLOCK):
                parser.write(block)
        parser.finalize()
    except FormParserError as error:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            "マルチパートの本文を読み取れません。ファイルを form-data の 'file' として送って"
            "ください / the multipart body is malformed: send the file as the form-data "
            f"field 'file' ({error})",
        ) from error
    finally:
        found.close()
    if found.filename is None:
        raise _missing_file()
    return found.filename


def decode_filename(raw: bytes) -> str:
    """A part's file name: UTF-8 as browsers send it, else CP932 as a Japanese Windows client
    sends it (curl.exe in a CP932 console, a form page served as Shift_JIS), else UTF-8 with
    U+FFFD for what neither reads. Read as UTF-8 alone, a CP932 name became all U+FFFD."""
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


class _FilePart:
    """python-multipart callbacks keeping the first part named ``file`` that has a name."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.filename: str | None = None
        self._writing: BinaryIO | None = None
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._disposition = b""
        name = options.get(b"name")
        filename = options.get(b"filename")
        if name == FILE_FIELD.encode() and filename is not None and self.filename is None:
            self.filename = decode_filename(filename)
            self._writing = self.target.open("wb")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._writing is not None:
            self._writing.write(data[start:end])

    def on_part_end(self) -> None:
        self.close()

    def close(self) -> None:
        if self._writing is not None:
            self._writing.close()
            self._writing = None
