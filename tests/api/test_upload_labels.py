"""An uploaded file's labels end to end, as answers cite them: its own page (``支所だより.txt
p.1``) and the plan page it cites (``[中期P46]`` in its text) are cited on its line, read as a
page in a question, accepted as ``label`` filter values, and ``/trace`` of its page says
what the trace is instead of "check the page". One real upload (POST /documents) to a real
server over loopback, on a copy of the indexed plans, shared by the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from support.uploads import upload

NAME = "支所だより.txt"
TITLE = "南浜支所の窓口だより"
OWN = f"{NAME} p.1"
PAGE = "中期P46"
# Own wording: a ● item ending in the plan page it rests on, as the overview writes them.
TEXT = (
    f"# {TITLE}\n\n"
    "●南浜支所では、年金請求書の記入見本を記載台ごとに備え付け、書き方の質問が多い欄には"
    "付箋で目印を付ける。[中期P46]\n"
).encode()


@pytest.fixture(scope="module")
def uploaded(writable_copy, use_encoder, launch, tmp_path_factory) -> Iterator:
    root = tmp_path_factory.mktemp("upload-labels")
    for server in launch(writable_copy(root), use_encoder):
        response = upload(server, NAME, TEXT)
        assert response.status_code == 200, response.text
        yield server


def _ask(server, question: str, filters: dict | None = None) -> dict:
    body = {"question": question, "filters": filters or {}}
    response = httpx.post(f"{server.url}/ask", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def _plan_title(server) -> str:
    """The title answers give 中期P46 (the plan's, from a bundled passage carrying it)."""
    on_page = _ask(server, f"{PAGE}について教えて")
    return next(c["document_title"] for c in on_page["citations"] if c["label"] == PAGE)


def test_an_uploads_line_cites_its_own_page_then_the_plan_page_it_cites(uploaded):
    answer = _ask(uploaded, "南浜支所では記入見本をどこに備え付ける？")
    assert answer["answered"], answer
    assert f"【{OWN}・{PAGE}】" in answer["answer"]  # before: 【支所だより.txt p.1】 alone
    mine = [c for c in answer["citations"] if c["label"] in (OWN, PAGE)]
    assert [(c["label"], c["document_title"]) for c in mine] == [
        (OWN, TITLE),
        (PAGE, _plan_title(uploaded)),  # the plan's title, never the upload's
    ]
    assert mine[0]["chunk_id"] == mine[1]["chunk_id"]  # both cite the quoted passage


def test_a_question_naming_an_uploads_page_is_answered_from_that_page(uploaded):
    answer = _ask(uploaded, f"{OWN}の内容を教えて")
    # Before: declined, naming 支所だより・txt as a word the plans never write.
    assert answer["answered"], answer
    assert answer["contexts"][0]["source"] == NAME
    assert {c["label"] for c in answer["citations"]} >= {OWN}
    assert "記入見本" in answer["answer"]


@pytest.mark.parametrize("value", [OWN, [OWN], [OWN, "中期P9"]])
def test_the_label_filter_takes_an_uploads_own_page(uploaded, value):
    body = {"query": "記入見本", "filters": {"label": value}}
    response = httpx.post(f"{uploaded.url}/search", json=body, timeout=60)
    assert response.status_code == 200, response.text  # before: 422, unknown label
    sources = [hit["source"] for hit in response.json()["results"]]
    assert NAME in sources
    if value == OWN:
        assert set(sources) == {NAME}


def test_the_label_filter_on_a_page_an_upload_cites_keeps_the_upload(uploaded):
    answer = _ask(uploaded, "記入見本はどこに備え付ける？", {"label": PAGE})
    assert answer["answered"], answer
    assert any(c["source"] == NAME for c in answer["contexts"])  # answers cite it by 中期P46


def test_the_trace_of_an_uploads_page_says_what_the_trace_links(uploaded):
    response = httpx.get(f"{uploaded.url}/trace/{quote(OWN)}", timeout=30)
    assert response.status_code == 404
    japanese, _, english = response.json()["detail"].partition(" / ")
    # Before: 「ページ番号と書き方を確かめてください」, as for a mistyped plan page.
    assert "アップロードしたファイル" in japanese and "トレース" in japanese
    assert "中期P46、年度P47、資料1-3 P61" in japanese and f"/refs/{OWN}" in japanese
    assert "uploaded file" in english and "links plan measures to the results" in english
    assert "中期P46, 年度P47, 資料1-3 P61" in english and "check the page number" not in english
    # A page the file does not have is still a file's page: no trace by kind, no /refs to read.
    missing = httpx.get(f"{uploaded.url}/trace/{quote(f'{NAME} p.9')}", timeout=30)
    assert missing.status_code == 404 and "uploaded file" in missing.json()["detail"]
    assert "/refs/" not in missing.json()["detail"]
