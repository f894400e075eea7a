"""GET /trace/{label} and two-sided answers over the real server (real index, uvicorn)."""

from __future__ import annotations

import shutil

import httpx
import pytest

from index.build.builder import IndexBuildError, build_index
from index.generations import IndexDirectory
from planqa.settings import PathSettings, Settings, TraceSettings
from plantrace.store import load_trace

KEY = {"X-API-Key": "test-key-0123456789abcdef"}


def get(server, path: str) -> httpx.Response:
    return httpx.get(f"{server.url}{path}", headers=KEY, timeout=30)


def test_a_plan_label_shows_its_measure_with_the_linked_results_and_both_figures(server):
    response = get(server, "/trace/中期P46")
    assert response.status_code == 200
    body = response.json()
    assert body["side"] == "plan" and body["label"] == "中期P46"
    [measure] = [m for m in body["measures"] if "応答率" in m["text"]]
    assert {"metric": "応答率", "value": "70%以上"}.items() <= measure["targets"][-1].items()
    [result] = measure["results"]
    assert result["labels"] == ["資料1-3 P61", "資料1-4 P39"]
    assert result["section"].endswith("年金相談")
    figures = {(f["metric"], f["value"], f["period"]) for f in result["figures"]}
    assert ("応答率", "76.8％", "令和5年度") in figures
    quoted = [f for f in result["figures"] if f["value"] == "76.8％"][0]
    assert "76.8％" in quoted["quote"]


def test_the_asked_metric_is_shown_first_with_the_passage_stating_it(server):
    """中期P46 sets three targets (予約率, 待ち時間, 応答率) and its one linked section reports
    all three on different slides: asked for 応答率, the section shows that figure first
    and quotes the call-centre slide stating it, not the reservations slide."""
    plain = get(server, "/trace/中期P46").json()
    [measure] = [m for m in plain["measures"] if "応答率" in m["text"]]
    assert measure["results"][0]["figures"][0]["metric"] == "予約率"  # the plan's order
    for asked in ("応答率", "コールセンター全体の応答率の実績"):
        response = get(server, f"/trace/中期P46?metric={asked}")
        assert response.status_code == 200, response.text
        [measure] = [m for m in response.json()["measures"] if "応答率" in m["text"]]
        assert measure["targets"][0]["metric"] == "応答率"
        [result] = measure["results"]
        first = result["figures"][0]
        assert (first["metric"], first["value"], first["period"]) == (
            "応答率",
            "76.8％",
            "令和5年度",
        )
        assert "応答率" in result["quote"] and result["chunk_id"] == first["chunk_id"]
    # A metric the trace does not know changes nothing.
    assert get(server, "/trace/中期P46?metric=解約率").json() == plain


@pytest.mark.parametrize("label", ["資料1-3 P61", "資料１－４ P39", "資料1-4 P40"])
def test_a_results_label_shows_the_measures_that_continue_its_section(server, label):
    response = get(server, f"/trace/{label}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["side"] == "results"
    [section] = body["sections"]
    assert section["labels"] == ["資料1-3 P61", "資料1-4 P39"]
    continued = {label for m in section["measures"] for label in m["labels"]}
    assert "中期P46" in continued


@pytest.mark.parametrize("label", ["中期P999", "資料1-9 P1", "foo", "中期P" + "9" * 5000])
def test_an_unknown_label_is_a_bilingual_404(server, label):
    response = get(server, f"/trace/{label}")
    assert response.status_code == 404
    japanese, english = response.json()["detail"].split(" / ", 1)
    assert "つながりはありません" in japanese and "書き方" in japanese  # and what to check
    assert japanese.endswith("を確かめてください")
    assert english.startswith("no plan measure") and "check the page number" in english


def test_a_page_that_links_nothing_says_to_read_it_with_refs(server):
    service = server.app.state.service
    unlinked = next(
        label
        for label in sorted(service.snapshot().by_label)
        if label.startswith("中期P") and service.trace_of(label) is None
    )
    response = get(server, f"/trace/{unlinked}")
    assert response.status_code == 404
    japanese, english = response.json()["detail"].split(" / ", 1)
    assert japanese.endswith(f"/refs/{unlinked} でその箇所を読めます")
    assert english.endswith(f"read the passage with /refs/{unlinked}")
    assert get(server, f"/refs/{unlinked}").status_code == 200


def test_the_trace_route_is_in_the_openapi_document(server):
    paths = httpx.get(f"{server.url}/openapi.json", timeout=30).json()["paths"]
    assert "/trace/{label}" in paths
    assert "TraceResponse" in str(paths["/trace/{label}"])


@pytest.mark.parametrize(
    ("question", "plan", "results"),
    [
        ("電話窓口の応答率、これまでの実績とこれからの目標を比べると？", "中期P46", "資料1-3 P61"),
        ("徴収職員の育成はこれまでと比べてどう変わる？", "中期P26", "資料1-3 P32"),
        ("有給休暇を取った日数は目標に届いている？", "中期P129", "資料1-3 P159"),
        ("外部委託の管理は前の期と比べてどうなる？", "中期P74", "資料1-3 P98"),
    ],
)
def test_a_comparison_question_is_answered_from_both_documents(server, question, plan, results):
    """Retrieval alone brings the plan side of these; the trace adds the linked results."""
    body = httpx.post(
        f"{server.url}/ask", json={"question": question}, headers=KEY, timeout=30
    ).json()
    assert body["answered"]
    labels = {c["label"] for c in body["citations"]}
    assert plan in labels and results in labels, body["answer"]
    for line in body["answer"].splitlines():
        text, tag = line.rstrip("】").rsplit("【", 1)
        if tag.startswith("資料"):  # the results side, verbatim from a passage of its label
            passages = get(server, f"/refs/{tag.split('・')[0]}").json()["chunks"]
            quoted = text.rstrip("。").strip("…")  # a cut statement marks its elisions
            assert any(quoted in p["text"].replace("\n", "") for p in passages)


def test_a_target_question_gets_one_line_of_the_latest_result_when_set(server, launch, use_encoder):
    question = "ねんきんダイヤルを含む電話窓口の応答率は何%以上を確保する計画？"
    off = httpx.post(f"{server.url}/ask", json={"question": question}, headers=KEY, timeout=30)
    off_labels = {c["label"] for c in off.json()["citations"]}
    assert "中期P46" in off_labels
    assert not any(label.startswith("資料") for label in off_labels), "off by default"
    settings = server.settings.model_copy(update={"trace": TraceSettings(latest_result=True)})
    for other in launch(settings, use_encoder):
        on = httpx.post(f"{other.url}/ask", json={"question": question}, headers=KEY, timeout=30)
        body = on.json()
        assert "資料1-3 P61" in {c["label"] for c in body["citations"]}
        assert "76.8％" in body["answer"]
        assert body["answer"].count("【資料1-3 P61") == 1, "one line of the latest result"


@pytest.fixture()
def index_copy(indexed_settings: Settings, tmp_path):
    """A copy of the session's index to rebuild (its embeddings are reused: no encoding)."""
    shutil.copytree(indexed_settings.paths.var_dir, tmp_path / "var")
    return tmp_path


def test_the_trace_is_built_with_the_index_and_an_override_edit_rebuilds_it(
    indexed_settings, index_copy, use_encoder
):
    overrides = index_copy / "trace.txt"
    overrides.write_text(
        "# staff: the call centre also reports under internal control\n中期P46 = 資料1-3 P123\n",
        encoding="utf-8",
    )
    settings = Settings(
        paths=PathSettings(data_dir=indexed_settings.paths.data_dir, var_dir=index_copy / "var"),
        trace=TraceSettings(overrides=overrides),
    )
    before = IndexDirectory(settings.paths.index_dir).current()
    assert load_trace(before).links, "the session's index was built with its trace"
    report = build_index([settings.paths.data_dir], settings, use_encoder)
    assert not report.unchanged and report.embedded == 0
    trace = load_trace(report.generation)
    sources = {
        trace.section[link.section_key].labels[0]: link.source
        for m in trace.measures_with_label("中期P46")
        for link in trace.links_of_measure(m.chunk_id)
    }
    assert sources.get("資料1-3 P123") == "override"

    overrides.write_text("中期P46 = 資料1-3 P123\n中期P46 -> 資料1-3 P61\n", encoding="utf-8")
    with pytest.raises(IndexBuildError, match=r"trace.txt:2: .*previous index is kept"):
        build_index([settings.paths.data_dir], settings, use_encoder)
    assert IndexDirectory(settings.paths.index_dir).current() == report.generation


def test_a_documents_own_page_says_the_trace_links_plan_measures_to_results(server):
    labels = server.app.state.service.snapshot().by_label
    own = next(label for label in labels if label.startswith("overview p."))
    response = get(server, f"/trace/{own}")
    assert response.status_code == 404
    japanese, english = response.json()["detail"].split(" / ", 1)
    # Before: 「ページ番号と書き方…を確かめてください」, as for a mistyped plan page.
    assert "トレース" in japanese and "中期P46、年度P47、資料1-3 P61" in japanese
    assert "links plan measures to the results" in english and f"/refs/{own}" in english
