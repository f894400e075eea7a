"""A heading names a topic and states nothing: it is never quoted as a statement
(answer/extractive.is_heading), however well its words match the question."""

from __future__ import annotations

import asyncio

import pytest

from answer.extractive import is_heading, is_statement
from answer.schemas import AskRequest
from api.app import build_service
from planqa.settings import PathSettings, Settings

# Passages of our own wording, in the plans' forms: bracketed headings (＜…＞, ［…］) each
# over the item that says something about its topic. The generic parser keeps each heading
# line in a passage's text (alone, or after the item above it).
PASSAGES = """第1章 窓口サービス

○窓口の予約制を全拠点で実施する。
＜来訪相談の予約受付の拡大＞
○来訪相談の予約受付は、インターネットと電話の両方で受け付け、受付枠を前年度の1.5倍に広げる。
［電話相談の応答体制の強化］
○電話相談の応答率は、繁忙期に臨時の窓口を設けることで80%以上を維持する。
"""


@pytest.mark.parametrize(
    "line",
    [
        "＜来訪相談の予約受付の拡大＞",
        "<来訪相談の予約受付の拡大>",
        "［電話相談の応答体制の強化］",
        "【来訪相談件数の推移】",
        "《窓口サービスの基本方針について》",
        "＜事業所に対する取組＞［届出の電子化の推進］",
        "【窓口の待ち時間の推移】 （単位：分）",
        "Ⅱ-３．窓口サービスの改善の取組",
        "第2章 窓口サービスの改善",
        "②来訪相談の予約受付の拡大",
        "（１）来訪相談の予約受付の拡大",
        "○＜来訪相談の予約受付の拡大＞",
        "○窓口の予約制＜小規模拠点への対応＞",
    ],
)
def test_a_heading_alone_is_not_a_statement(line: str):
    assert is_heading(line)
    assert not is_statement(line)


@pytest.mark.parametrize(
    "line",
    [
        "来訪相談の予約受付は、受付枠を前年度の1.5倍に広げる。",
        # A numbered row with its figures is data, not a head.
        "①来訪相談件数 1,234 1,456 1,678",
        # A numbered line that says something, full stop and all.
        "②予約受付の枠を広げ、待ち時間を短くした。",
        # A topic in brackets followed by what is said about it.
        "＜予約受付＞インターネットと電話の両方で受け付ける。",
        # A title stating a period says when a plan runs.
        "<第5期中期計画の考え方（令和11年4月～令和16年3月）>",
    ],
)
def test_a_line_that_states_something_is_a_statement(line: str):
    assert is_statement(line)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, use_encoder):
    from index.build.builder import build_index

    root = tmp_path_factory.mktemp("headings")
    data = root / "plans"
    data.mkdir()
    (data / "window-plan.txt").write_text(PASSAGES, encoding="utf-8")
    settings = Settings(paths=PathSettings(data_dir=data, var_dir=root / "var"))
    build_index([data], settings, use_encoder)
    return build_service(settings, use_encoder)


@pytest.mark.parametrize(
    ("question", "leads"),
    [
        # The heading holds every word of the question; the sentence under it says what.
        ("来訪相談の予約受付の拡大について教えて", "来訪相談の予約受付は、"),
        ("電話相談の応答体制の強化はどうなっていますか？", "電話相談の応答率は、"),
    ],
)
def test_the_sentence_under_a_heading_leads_the_answer(service, question: str, leads: str):
    answer = asyncio.run(service.answer(AskRequest(question=question, top_k=10)))
    first = answer.answer.splitlines()[0]
    assert first.startswith(leads), answer.answer
    assert "＜" not in answer.answer and "［" not in answer.answer


def test_the_passages_keep_their_headings(service):
    chunks = service.snapshot().chunks
    assert any("＜来訪相談の予約受付の拡大＞" in chunk.text for chunk in chunks)
