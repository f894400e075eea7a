"""An uploaded PDF is named by its title, never its file name: the title its metadata
declares, else its first heading (a PDF's text has no blank lines to set a title apart),
else the file's stem. A real upload (POST /documents) to a real server over loopback, on a
copy of the indexed plans, with PDFs drawn by reportlab."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from support.uploads import upload

from ingest.loaders import metadata_title

HEADING = "北港支所 窓口改善の取組"
# Own wording, a sentence an answer can quote.
LINES = ["北港支所では、来所予約の案内札を受付の横に", "掲示し、次回の予約方法を手渡しで伝える。"]


def pdf_bytes(path: Path, metadata_title: str | None, lines: list[str]) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    if metadata_title is not None:
        pdf.setTitle(metadata_title)  # reportlab writes "untitled" when none is set
    pdf.setFont("HeiseiMin-W3", 16)
    pdf.drawString(72, 780, lines[0])
    pdf.setFont("HeiseiMin-W3", 11)
    for row, line in enumerate(lines[1:]):
        pdf.drawString(72, 740 - 18 * row, line)
    pdf.showPage()
    pdf.save()
    return path.read_bytes()


@pytest.fixture()
def writable(writable_copy, use_encoder, launch, tmp_path: Path):
    yield from launch(writable_copy(tmp_path / "server"), use_encoder)


def upload_pdf(server, name: str, content: bytes) -> None:
    response = upload(server, name, content, "application/pdf")
    assert response.status_code == 200, response.text


def titles(server) -> dict[str, str | None]:
    documents = httpx.get(f"{server.url}/documents", timeout=30).json()["documents"]
    return {document["source"]: document["title"] for document in documents}


def test_an_uploaded_pdf_is_named_by_its_metadata_title_else_its_first_heading(
    writable, tmp_path: Path
):
    declared = pdf_bytes(tmp_path / "a.pdf", "北港支所の窓口改善計画", [HEADING, *LINES])
    undeclared = pdf_bytes(tmp_path / "b.pdf", None, [HEADING, *LINES[::-1]])
    upload_pdf(writable, "kitaminato-2026.pdf", declared)
    upload_pdf(writable, "scan0042.pdf", undeclared)

    response = httpx.post(
        f"{writable.url}/ask", json={"question": "北港支所の案内札はどこに掲示する？"}, timeout=60
    ).json()
    cited = {c["document_title"] for c in response["citations"] if c["label"].endswith("p.1")}
    assert cited and cited <= {"北港支所の窓口改善計画", HEADING}, response["citations"]
    named = titles(writable)  # /documents names each document as citations do
    assert named["kitaminato-2026.pdf"] == "北港支所の窓口改善計画"
    assert named["scan0042.pdf"] == HEADING  # metadata "untitled": the first heading


@pytest.mark.parametrize(
    ("declared", "title"),
    [
        ("北港支所の窓口改善計画", "北港支所の窓口改善計画"),
        ("  北港支所の\n窓口改善計画 ", "北港支所の 窓口改善計画"),
        ("untitled", None),
        ("Untitled", None),
        ("無題", None),
        ("", None),
        (None, None),
        ("Microsoft Word - 窓口改善計画.docx", None),
        ("kitaminato-2026.pdf", None),
    ],
)
def test_a_pdf_metadata_title_counts_only_when_it_names_the_document(declared, title):
    assert metadata_title(declared) == title


def test_a_pdf_with_no_title_nor_heading_is_named_by_its_file_stem(tmp_path: Path):
    from ingest.pipeline import ingest_file

    path = tmp_path / "窓口メモ.pdf"
    pdf_bytes(path, None, ["・" + LINES[0], LINES[1]])  # a bullet line first: no heading
    chunks = ingest_file(path).chunks
    assert chunks and {chunk.document_title for chunk in chunks} == {"窓口メモ"}
