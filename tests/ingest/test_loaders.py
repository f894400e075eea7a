"""Loaders on real files: Japanese encodings give the same chunks, bad files a clear reason."""

from __future__ import annotations

import codecs
import random
import re
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ingest.errors import IngestError, bilingual
from ingest.loaders import load_document
from ingest.model import Chunk
from ingest.pipeline import ingest_file, ingest_paths

ROOT = Path(__file__).resolve().parents[2]
OVERVIEW = ROOT / "data" / "plans" / "jps-4th-midterm-plan-overview.txt"


def _write_pdf(path: Path) -> Path:
    """A three-page Japanese PDF with reportlab's built-in CID font."""
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number in (1, 2, 3):
        pdf.setFont("HeiseiMin-W3", 12)
        pdf.drawString(72, 780, f"第{number}章 年金事業の運営")
        pdf.drawString(72, 750, f"年金事務所の窓口を改善する。[中期P{number}]")
        pdf.showPage()
    pdf.save()
    return path


def _signature(chunks: list[Chunk]) -> list[tuple[str, tuple[str, ...], int | None, str]]:
    return [(chunk.text, chunk.refs, chunk.page, chunk.kind) for chunk in chunks]


@pytest.fixture(scope="module")
def utf8_chunks() -> list[Chunk]:
    result = ingest_file(OVERVIEW)
    assert result.error is None, result.error
    return result.chunks


def test_overview_text_is_fully_encodable_in_cp932():
    text = OVERVIEW.read_text(encoding="utf-8")
    assert text.encode("cp932").decode("cp932") == text


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("cp932", "cp932"), ("utf-8-sig", "utf-8-sig")],
    ids=["cp932", "utf8-bom"],
)
def test_same_chunks_whatever_the_encoding(
    tmp_path: Path, utf8_chunks: list[Chunk], encoding: str, expected: str
):
    copy = tmp_path / OVERVIEW.name  # same file name, so ids must match too
    copy.write_bytes(OVERVIEW.read_text(encoding="utf-8").encode(encoding))
    assert load_document(copy).encoding == expected
    result = ingest_file(copy)
    assert result.error is None, result.error
    assert utf8_chunks, "the overview parses to no chunks"
    assert _signature(result.chunks) == _signature(utf8_chunks)
    assert [c.id for c in result.chunks] == [c.id for c in utf8_chunks]


def test_bom_is_not_part_of_the_text(tmp_path: Path):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + "第１章 総則\n本文である。".encode())
    assert load_document(path).pages[0].text == "第１章 総則\n本文である。"


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each bad input with a pattern its reason must match."""
    empty_dir = tmp_path / "no-plans"
    empty_dir.mkdir()
    (empty_dir / "notes.docx").write_bytes(b"PK\x03\x04")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    spaces = tmp_path / "spaces.txt"
    spaces.write_bytes(b" \r\n\t \n")
    blank = tmp_path / "blank.txt"  # full-width spaces are not blank bytes
    blank.write_text(" \n\t\n\u3000\n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x89\x00\x00" + random.Random(7).randbytes(2048))
    docx = tmp_path / "plan.docx"
    docx.write_bytes(b"PK\x03\x04" + bytes(64))
    full_pdf = _write_pdf(tmp_path / "full.pdf").read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(full_pdf[: len(full_pdf) // 2])
    return {
        "missing": (tmp_path / "missing.txt", r"no such file"),
        "directory": (empty_dir, r"directory"),
        "empty": (empty, r"empty"),
        "spaces": (spaces, r"empty|no text"),
        "whitespace": (blank, r"empty|no text"),
        "binary": (binary, r"binary"),
        "docx": (docx, r"unsupported file type '\.docx'.*\.txt.*\.pdf"),
        "truncated-pdf": (truncated, r"damaged or truncated"),
    }


@pytest.mark.parametrize(
    "name",
    ["missing", "directory", "empty", "spaces", "whitespace", "binary", "docx", "truncated-pdf"],
)
def test_bad_input_is_refused_with_a_reason(tmp_path: Path, name: str):
    path, reason = _bad_inputs(tmp_path)[name]
    with pytest.raises(IngestError) as raised:
        load_document(path)
    assert raised.value.path == str(path)
    assert re.search(reason, raised.value.reason), raised.value.reason
    assert str(path) in str(raised.value)


def test_bad_files_are_reported_and_the_good_file_is_still_ingested(
    tmp_path: Path, utf8_chunks: list[Chunk]
):
    bad = _bad_inputs(tmp_path)
    bad["directory"] = (bad["directory"][0], r"no plan files")  # as a path to expand
    report = ingest_paths([OVERVIEW, *(path for path, _ in bad.values())])
    good = [result for result in report.files if result.path == str(OVERVIEW)]
    assert len(good) == 1 and good[0].error is None
    assert _signature(good[0].chunks) == _signature(utf8_chunks)
    reasons = {result.path: result.error for result in report.failures}
    assert set(reasons) == {str(path) for path, _ in bad.values()}
    for path, pattern in bad.values():
        assert re.search(pattern, reasons[str(path)]), (path, reasons[str(path)])


def test_pdf_pages_keep_their_physical_numbers(tmp_path: Path):
    doc = load_document(_write_pdf(tmp_path / "plan.pdf"))
    assert [page.number for page in doc.pages] == [1, 2, 3]
    assert "[中期P2]" in doc.pages[1].text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32"])
def test_utf16_and_utf32_with_a_bom_give_the_same_chunks(
    tmp_path: Path, utf8_chunks: list[Chunk], encoding: str
):
    text = OVERVIEW.read_text(encoding="utf-8")
    raw = {
        "utf-16": text.encode("utf-16"),
        "utf-16-le-bom": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf-16-be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "utf-32": text.encode("utf-32"),  # its mark begins with UTF-16's
    }[encoding]
    copy = tmp_path / OVERVIEW.name
    copy.write_bytes(raw)
    result = ingest_file(copy)
    assert result.error is None, result.error
    assert _signature(result.chunks) == _signature(utf8_chunks)


@pytest.mark.parametrize("byte_order", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_refused_saying_so_in_both_languages(
    tmp_path: Path, byte_order: str
):
    path = tmp_path / "memo.txt"
    path.write_bytes("窓口メモ\nAB 相談の記録\n".encode(byte_order))
    with pytest.raises(IngestError) as raised:
        load_document(path)
    japanese, _, english = bilingual(raised.value.reason).partition(" / ")
    assert "UTF-16 without a byte-order mark" in english and "save it as UTF-8" in english
    assert "BOM" in japanese and "UTF-16" in japanese and "UTF-8" in japanese, japanese
    assert "バイナリ" not in japanese, japanese  # it is text, in another encoding


def test_a_broken_utf16_file_says_the_same_encoding_and_byte_in_both_languages(tmp_path: Path):
    path = tmp_path / "cut.txt"
    path.write_bytes("窓口メモ\n".encode("utf-16") + b"\x00")  # one byte of a unit cut off
    with pytest.raises(IngestError) as raised:
        load_document(path)
    japanese, _, english = bilingual(raised.value.reason).partition(" / ")
    at = re.search(r"at byte (\d+)", english).group(1)
    assert "utf-16" in english and "save it as UTF-8" in english, english
    assert "UTF-16" in japanese and f"{at} バイト目" in japanese, japanese
