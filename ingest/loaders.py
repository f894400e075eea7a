"""Loaders: a plan file → its pages of raw text. One function per file type.

Text files come from many tools: UTF-8 with or without BOM, or CP932/Shift_JIS (common for
Japanese government files), EUC-JP, or UTF-16/UTF-32 with a BOM (Windows Notepad's and
Excel's "Unicode"). UTF-16 without a BOM is refused saying so: which byte order it has is
a guess. PDFs give one text per physical page with its real number.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.errors import IngestError
from ingest.model import LoadedDocument, Page

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
PDF_SUFFIXES = (".pdf",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + PDF_SUFFIXES

# Tried in order after the BOM checks; cp932 is the Windows superset of Shift_JIS.
_TEXT_ENCODINGS = ("utf-8", "cp932", "euc-jp")
UTF16_WITHOUT_BOM = (
    "the text looks like UTF-16 without a byte-order mark (BOM); "
    "save it as UTF-8, or as UTF-16 with a BOM"
)
_PLACEHOLDER_TITLES = frozenset(["untitled", "無題", "タイトルなし", "document", "文書"])
_OFFICE_PREFIX_RE = re.compile(r"^Microsoft (?:Word|Excel|PowerPoint) - ")
_FILE_NAME_RE = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|txt|md|rtf|odt|jtd)$", re.IGNORECASE)


def decode_text(raw: bytes, path: str) -> tuple[str, str]:
    """Bytes of a text file → (text, encoding). Refuses binary and undecodable data."""
    if not raw.strip():
        raise IngestError(path, "the file is empty")
    if raw.startswith(codecs.BOM_UTF8):
        return _decode(raw[len(codecs.BOM_UTF8) :], "utf-8", path), "utf-8-sig"
    # UTF-32 first: its little-endian mark begins with UTF-16's (FF FE), and read as UTF-16
    # a UTF-32 file became text with a NUL after every character
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _decode(raw, "utf-32", path), "utf-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(raw, "utf-16", path), "utf-16"
    if b"\x00" in raw[:8192]:
        if _looks_like_utf16(raw[:8192]):
            raise IngestError(path, UTF16_WITHOUT_BOM)
        raise IngestError(path, "this looks like a binary file, not text (it contains NUL bytes)")
    for encoding in _TEXT_ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise IngestError(
        path,
        "the text is neither UTF-8 nor Shift_JIS/CP932 nor EUC-JP nor UTF-16 with a BOM; "
        "save it as UTF-8 and ingest it again",
    )


def _looks_like_utf16(head: bytes) -> bool:
    """Whether bytes with NULs are UTF-16 text saved without its byte-order mark: every
    NUL on one side of its two-byte unit (the high byte of an ASCII character, a line
    break) and the units read as text with no control character but tab and line breaks."""
    head = head[: len(head) // 2 * 2]
    even = sum(1 for at in range(0, len(head), 2) if head[at] == 0)
    odd = sum(1 for at in range(1, len(head), 2) if head[at] == 0)
    if even and odd:
        return False
    try:
        text = head.decode("utf-16-be" if even else "utf-16-le")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 0x20 and c not in "\t\n\r" for c in text)


def _decode(raw: bytes, encoding: str, path: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise IngestError(path, f"invalid {encoding} at byte {error.start}") from error


def load_text(path: Path) -> LoadedDocument:
    text, encoding = decode_text(_read_bytes(path), str(path))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(str(path), "the file has no text")
    return LoadedDocument(
        source=path.name, path=str(path), pages=[Page(1, text)], encoding=encoding
    )


def load_pdf(path: Path) -> LoadedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PdfStreamError

    raw = _read_bytes(path)
    if not raw.strip():
        raise IngestError(str(path), "the file is empty")
    if not raw.lstrip().startswith(b"%PDF"):
        raise IngestError(str(path), "not a PDF file (no %PDF header)")
    try:
        import io

        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            raise IngestError(str(path), "the PDF is encrypted; save an unprotected copy")
        pages = [
            Page(number, page.extract_text() or "")
            for number, page in enumerate(reader.pages, start=1)
        ]
        title = metadata_title(reader.metadata.title if reader.metadata else None)
    except IngestError:
        raise
    except (PdfReadError, PdfStreamError, ValueError, KeyError, OSError, TypeError) as error:
        raise IngestError(
            str(path), f"the PDF is damaged or truncated and cannot be read ({error})"
        ) from error
    if not pages:
        raise IngestError(str(path), "the PDF has no pages")
    if not any(page.text.strip() for page in pages):
        raise IngestError(str(path), "the PDF has no text layer (a scan?); run OCR on it first")
    return LoadedDocument(source=path.name, path=str(path), pages=pages, title=title)


def metadata_title(raw: object) -> str | None:
    """A PDF's metadata title when it names the document: writers fill the field with a
    placeholder (ReportLab's ``untitled``), the source file's name, or ``Microsoft Word -
    計画.docx``, none of which is a title to cite under."""
    if not isinstance(raw, str):
        return None
    title = " ".join(raw.split())
    title = _OFFICE_PREFIX_RE.sub("", title)
    if not title or title.lower() in _PLACEHOLDER_TITLES or _FILE_NAME_RE.search(title):
        return None
    return title


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        raise IngestError(str(path), "no such file") from error
    except IsADirectoryError as error:
        raise IngestError(str(path), "is a directory") from error
    except PermissionError as error:
        raise IngestError(str(path), "permission denied") from error


def load_document(path: Path) -> LoadedDocument:
    """Load any supported plan file; refuse the rest with a reason."""
    if path.is_dir():
        raise IngestError(str(path), "is a directory; give the files in it or the folder itself")
    if not path.exists():
        raise IngestError(str(path), "no such file")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return load_text(path)
    if suffix in PDF_SUFFIXES:
        return load_pdf(path)
    supported = " ".join(SUPPORTED_SUFFIXES)
    raise IngestError(
        str(path), f"unsupported file type '{suffix or '(none)'}'; planqa reads {supported}"
    )
