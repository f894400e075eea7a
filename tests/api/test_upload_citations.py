"""An uploaded file that cites a plan page (``…を掲示する。[中期P46]``) keeps to itself: it is
cited by its own page under its own title, listed apart in ``/refs``, and never becomes a
measure of the plan in the trace. A real upload (POST /documents) to a real server over
loopback, on a copy of the indexed plans.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from support.uploads import upload

NAME = "窓口メモ.txt"
TITLE = "北港支所の窓口改善メモ"
# Own wording: a ● item, as the plan writes its measures, ending in the plan's own label.
CITING = (
    f"# {TITLE}\n\n"
    "●北港支所では、来所予約の案内札を受付の横に掲示し、予約なしで訪れた方にも次回の"
    "予約方法を手渡しで伝える。[中期P46]\n"
).encode()
PAGE = "中期P46"


@pytest.fixture()
def writable(writable_copy, use_encoder, launch, tmp_path: Path):
    yield from launch(writable_copy(tmp_path), use_encoder)


def _get(server, path: str) -> dict:
    response = httpx.get(f"{server.url}{path}", timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def _ask(server, question: str) -> dict:
    response = httpx.post(f"{server.url}/ask", json={"question": question}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_upload_citing_a_plan_page_does_not_take_that_page_over(writable):
    page_before = _get(writable, f"/refs/{quote(PAGE)}")
    trace_before = _get(writable, f"/trace/{quote(PAGE)}")
    on_page_before = _ask(writable, f"{PAGE}について教えて")
    response = upload(writable, NAME, CITING)
    assert response.status_code == 200, response.text

    # The page is the plan's: the same passages, under the plan's title; the upload citing
    # it is listed apart, with its own label and title.
    page = _get(writable, f"/refs/{quote(PAGE)}")
    assert page["chunks"] == page_before["chunks"]
    [citing] = page["cited_by"]
    assert (citing["source"], citing["document_title"]) == (NAME, TITLE)
    assert citing["labels"] == [f"{NAME} p.1"] and citing["refs"] == []
    assert citing["cites"] == [PAGE]
    own = _get(writable, f"/refs/{quote(citing['labels'][0])}")
    assert [chunk["chunk_id"] for chunk in own["chunks"]] == [citing["chunk_id"]]

    # The trace of the plan is unchanged: the upload's ● is no measure of the 4th plan.
    assert _get(writable, f"/trace/{quote(PAGE)}") == trace_before

    # Answers cite the upload by its own page and title first, then the plan page it cites
    # as a bundled passage's reference is cited (tests/api/test_upload_labels.py); the
    # plan's label keeps the plan's title (the chat page and the copied answer show a label
    # with its citation's), never the upload's.
    from_file = _ask(writable, "北港支所の案内札はどこに掲示する？")
    cited = [c for c in from_file["citations"] if c["chunk_id"] == citing["chunk_id"]]
    assert cited, from_file
    on_page = _ask(writable, f"{PAGE}について教えて")
    assert on_page["answered"] and any(c["label"] == PAGE for c in on_page["citations"])
    plan_title = next(c["document_title"] for c in on_page["citations"] if c["label"] == PAGE)
    assert [(c["label"], c["document_title"]) for c in cited] == [
        (f"{NAME} p.1", TITLE),
        (PAGE, plan_title),
    ]
    assert plan_title != TITLE
    assert (on_page["answer"], on_page["citations"]) == (
        on_page_before["answer"],
        on_page_before["citations"],
    )
