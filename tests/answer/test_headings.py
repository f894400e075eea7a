"""A heading names a topic and states nothing: it is never quoted as a statement
(answer/sentences.is_heading), however well its words match the question."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from answer.figures import figures_with_units
from answer.schemas import AskRequest
from answer.sentences import display, is_heading, is_statement, sentences_of
from api.app import build_service
from ingest.pipeline import ingest_file
from ingest.sudachi import analyze
from planqa.settings import PathSettings, Settings
from question.normal import nfkc

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"

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
        # Unbracketed: a noun phrase alone on its line, no predicate, no figure.
        "窓口サービスの質の向上",
        "多様な相談方法の周知・広報",
        "◆ 来訪相談の予約受付の拡大",
        "お客様への情報提供の充実",
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
        # A note in parentheses or a chart title that states a figure with its unit.
        "（窓口の配置人数：120人（令和７年４月））",
        "（延べ250名が予約受付の研修を受講）",
        "【来訪相談件数（1,234件）の推移】",
        # A noun-ending line with a predicate understood, or an item of a list.
        "令和７年度から全ての拠点で実施",
        "来訪相談の予約件数は前年度の1.5倍",
        "・来訪相談の予約受付の拡大と電話相談の応答体制の強化",
        "●来訪相談の予約受付の一層の拡大",
    ],
)
def test_a_line_that_states_something_is_a_statement(line: str):
    assert is_statement(line)


def _states_a_figure_or_predicate(sentence: str) -> bool:
    """A figure with its unit, a full stop, or a verb or auxiliary ending the line."""
    words = [t for t in analyze(display(sentence)) if t.pos[0] not in ("補助記号", "空白")]
    ends_in_predicate = bool(words) and words[-1].pos[0] in ("動詞", "助動詞", "形容詞")
    return bool(figures_with_units(nfkc(sentence))) or "。" in sentence or ends_in_predicate


@pytest.mark.parametrize("name", sorted(plan.name for plan in PLANS.glob("*.txt")))
def test_no_heading_of_the_bundled_plans_states_a_figure_or_a_predicate(name: str):
    chunks = ingest_file(PLANS / name).chunks
    headings = {s for chunk in chunks for s in sentences_of(chunk) if is_heading(s)}
    assert headings  # the check reads something
    wrong = sorted(s for s in headings if _states_a_figure_or_predicate(s))
    assert wrong == []


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
