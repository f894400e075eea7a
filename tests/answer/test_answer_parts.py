"""Pure parts of answering: citation checks, follow-ups, sentence display, answer types."""

from __future__ import annotations

from pathlib import Path

import pytest

from answer.compose import compose
from answer.coverage import QuestionCoverage
from answer.extractive import select
from answer.figures import asked_figure
from answer.llm import check_citations
from answer.page_digest import asks_only_for_page, digest
from answer.schemas import Turn
from answer.sentences import display, is_statement, sentences_of
from index.analyzer import Analyzer, AnalyzerConfig
from index.bm25 import Bm25Index
from index.lexical import LexicalSearcher
from ingest.model import Chunk
from ingest.pipeline import ingest_file
from question import analyse
from question.answer_type import (
    counted_nouns,
    expected_answer,
    fiscal_years,
    provides,
    years,
)
from question.followup import standalone
from question.intent import EARLIER_PERIOD_KINDS, MEASURE_KINDS, answer_kind_weights
from question.parts import question_parts
from question.unknown_terms import unknown_compounds, unknown_names

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"

ALLOWED = {"中期P46", "年度P47", "資料1-3 P61", "results p.14"}


def test_citation_check_keeps_known_labels_in_any_written_form():
    checked = check_citations("目標は70%。【中期Ｐ４６・年度 p47】次。【資料１－３ P61】", ALLOWED)
    assert checked.labels == ["中期P46", "年度P47", "資料1-3 P61"]
    assert checked.text == "目標は70%。【中期P46・年度P47】次。【資料1-3 P61】"
    assert checked.removed == []


def test_citation_check_removes_invented_labels_and_empty_tags():
    checked = check_citations("A。【中期P46・中期P999】B。【年度P1】", ALLOWED)
    assert checked.text == "A。【中期P46】B。"
    assert checked.removed == ["中期P999", "年度P1"]


def test_citation_check_leaves_quoted_titles_and_own_page_citations():
    checked = check_citations("【コールセンターにおける応答率】は上昇。【results p.14】", ALLOWED)
    assert checked.text.startswith("【コールセンターにおける応答率】")
    assert checked.labels == ["results p.14"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("それの目標は？", "コールセンター 応答率 目標は？"),
        ("令和5年度の実績は？", "コールセンター 応答率 令和5年度の実績は？"),
        (
            "国民年金保険料の最終納付率の令和5年度の実績は？",
            "国民年金保険料の最終納付率の令和5年度の実績は？",
        ),
    ],
)
def test_follow_ups_carry_the_topic_of_the_previous_user_question(question: str, expected: str):
    history = [
        Turn(role="user", content="コールセンターでの応答率は？"),
        Turn(role="assistant", content="…"),
    ]
    assert standalone(question, history) == expected
    assert standalone(question, []) == question


def test_sentences_are_verbatim_and_display_drops_bullets_and_refs():
    chunk = Chunk.build(
        text="●応答率は70%以上を確保する。[中期P46,年度P47,48]\n・予約率90%以上を維持する。",
        source="x.txt",
        locator="a",
        page=1,
        kind="measure",
        refs=("中期P46",),
    )
    sentences = sentences_of(chunk)
    assert all(s in chunk.text for s in sentences)
    assert display(sentences[0]) == "応答率は70%以上を確保する。"


def test_compose_puts_the_labels_after_each_statement():
    chunk = Chunk.build(text="応答率は70%以上。", source="x.txt", locator="a", page=3, kind="text")
    from answer.extractive import Picked

    answer = compose([Picked("応答率は70%以上。", "応答率は70%以上。", chunk, 1.0)])
    assert answer == "応答率は70%以上。【x.txt p.3】"


def test_answer_types_and_years():
    assert expected_answer("ねんきんダイヤルの電話番号は？") == "phone"
    assert expected_answer("窓口は何時まで？") == "clock"
    assert expected_answer("保険料は月額いくら？") == "money"
    assert expected_answer("応答率の目標は？") is None
    assert provides("money", ["業務経費 2,137.2億円"]) and not provides("money", ["予算を確保"])
    assert provides(None, [])
    # A payment day is a day of the month; 週２日 and 3日以内 count days.
    assert expected_answer("年金は毎月何日に振り込まれるの？") == "day"
    assert provides("day", ["偶数月の15日に支払う。"]) and provides("day", ["令和６年４月１日施行"])
    assert not provides("day", ["週２日のノー残業デー", "3日以内に処理", "0.5日に短縮"])
    # A period is a span or a length of years; a sentence merely naming a 期間 is neither.
    assert expected_answer("第3期中期計画の期間は？") == "period"
    assert expected_answer("保存期間の見直しは？") is None
    assert provides("period", ["<第4期中期計画（案）の考え方（令和6年4月～令和11年3月）>"])
    assert provides("period", ["5年間の計画"])
    assert not provides("period", ["免除等承認後２年目の期間を有する方", "保存期間の見直し"])
    assert years("令和５年度と令和元年") == {"令和5", "令和1"}
    assert fiscal_years("令和６年４月、令和５年度") == {"令和5年度"}
    # Latin names are looked up in the plans' text as written, ignoring case.
    assert unknown_names("iDeCoとJ-LISの違いは？", "地方公共団体情報システム機構(j-lis)") == [
        "iDeCo"
    ]
    assert asked_figure("何件あった？") and asked_figure("どう対応する？") is None
    # 何人 is answered by people: 4.1万人, not the 600件 beside it.
    people = asked_figure("新しく加入させた人は何人？")
    assert people.search("新たに4.1万人を適用") and not people.search("約600件の調査")
    assert asked_figure("利用事業所数は？").search("49,253社")
    # A bound names a class of firms, not a count: 50人超規模の企業 does not answer 何人.
    assert not people.search("被保険者数50人超規模の企業") and not people.search("50人以下の事業所")
    assert asked_figure("応答率の目標は？").search("応答率70％以上を維持")
    # From when to when is answered by a period; a period outweighs any coverage.
    period = asked_figure("第4期中期計画の期間は？")
    assert period.search("（令和6年4月～令和11年3月）") and not period.search("令和6年4月に開始")
    assert period.bonus > asked_figure("何件あった？").bonus
    assert asked_figure("文書の保存期間は？") is None  # a kind of period, not from when to when


def test_a_count_is_provided_by_a_figure_in_the_noun_the_question_counts():
    # Many things are counted by their own name: 何か所 of booths is answered by ブース.
    said = ["相談用のブースを30ブース新設した。"]
    assert provides("count", said, "か所", counted=["相談", "ブース"])
    assert not provides("count", said, "か所")
    # A figure in another noun than those counted answers nothing.
    assert not provides("count", ["職員を30名配置した。"], "か所", counted=["ブース"])
    # A noun the question writes after a figure is a unit there, not the thing counted.
    assert counted_nouns("2022年度末の相談ブースは何か所?", ["年度末", "相談", "ブース"]) == [
        "相談",
        "ブース",
    ]


def test_a_heading_that_states_a_period_is_a_statement():
    heading = "<第4期中期計画（案）の考え方（令和6年4月～令和11年3月）>"
    assert is_statement(display(heading))
    assert display(heading) == "第4期中期計画（案）の考え方（令和6年4月～令和11年3月）"
    assert not is_statement(display("【年金事務所の来訪者数の推移】"))


# A few lines of the plans, in the form Snapshot.plain_text holds them.
PLAN_TEXT = (
    "厚生年金保険料の収納率は98.7%となった。国民年金保険料の納付期限までに納付がない事業所。"
    "老齢年金の受給開始年齢到達時に年金請求書を送付。事務処理を全面に見直した。"
)


def test_unknown_compounds_are_concepts_the_plans_never_name():
    def never(phrase: str) -> list[str]:
        return []

    assert unknown_compounds("厚生年金の保険料率は何％？", PLAN_TEXT, never) == ["保険料率"]
    assert unknown_compounds("国民年金基金に入るには？", PLAN_TEXT, never) == ["国民年金基金"]
    assert unknown_compounds("年金の支給開始年齢は？", PLAN_TEXT, never) == ["支給開始年齢"]
    # Known compounds, question words and adjective suffixes are not concepts.
    assert unknown_compounds("厚生年金保険料の収納率は何%？", PLAN_TEXT, never) == []
    assert unknown_compounds("令和5年度それぞれ何人？", PLAN_TEXT, never) == []
    assert unknown_compounds("システムの全面的な作り直し", PLAN_TEXT, never) == []
    # A prefix or an honorific suffix adds no concept (Sudachi: 接頭辞 / 接尾辞).
    assert unknown_compounds("お客さんから問い合わせ", PLAN_TEXT, never) == []


def test_an_equivalent_wording_keeps_a_compound_known():
    def glossary(phrase: str) -> list[str]:
        return {"支払期限": ["納付期限"], "支払": ["納付"]}.get(phrase, [])

    assert unknown_compounds("支払期限を過ぎたら？", PLAN_TEXT, lambda p: []) == ["支払期限"]
    assert unknown_compounds("支払期限を過ぎたら？", PLAN_TEXT, glossary) == []
    # The same through one of its words: 支払 → 納付, and 納付期限 is written.
    whole = {"支払期限": []}
    assert (
        unknown_compounds("支払期限を過ぎたら？", PLAN_TEXT, lambda p: whole.get(p, []), glossary)
        == []
    )


def test_an_equivalent_that_is_only_a_part_keeps_nothing_known():
    # 国民年金 is in the plans, but it is a part of 国民年金基金, not another name for it.
    def near(phrase: str) -> list[str]:
        return ["国民年金"] if phrase == "国民年金基金" else []

    text = PLAN_TEXT + "国民年金の加入"
    assert unknown_compounds("国民年金基金に入るには？", text, near) == ["国民年金基金"]


def _words(text: str) -> list[str]:
    """Stand-in for the index's term analysis: the few words these questions use."""
    return [w for w in ("ページ", "以降", "書く", "内容", "目標", "応答率") if w in text]


def test_only_a_page_question_asks_for_a_digest():
    assert asks_only_for_page(analyse("資料1-4の63ページ以降には何が書いてある？"), _words)
    assert asks_only_for_page(analyse("中期P26の内容は？"), _words)
    assert asks_only_for_page(analyse("中期計画の26ページの内容は？"), _words)
    assert not asks_only_for_page(analyse("中期P46の目標は？"), _words)
    assert not asks_only_for_page(analyse("応答率の内容は？"), _words)  # no page named


def _slide(page: int, kind: str, text: str) -> Chunk:
    return Chunk.build(
        source="results.txt",
        locator=f"s{page}/{kind}",
        text=text,
        kind=kind,
        page=page,
        refs=("資料1-4 P63",),
    )


def test_a_digest_takes_each_pages_headline_in_page_order():
    chunks = [
        _slide(27, "plan_summary", "○本部の組織のあり方を検討する。"),
        _slide(
            27,
            "fy_result",
            "○職員向けの研修を各拠点で実施した。○疑義照会の期限内回答率は97.4％となった。",
        ),
        _slide(28, "fy_result", "○事務センターの体制を見直した結果、専任職員を92名登用。"),
    ]
    picked = digest(chunks, limit=3)
    assert [p.shown for p in picked] == [
        "疑義照会の期限内回答率は97.4％となった。",
        "事務センターの体制を見直した結果、専任職員を92名登用。",
        "職員向けの研修を各拠点で実施した。",
    ]


def test_answers_lean_on_results_or_on_the_plans_measures_by_the_question():
    results = answer_kind_weights("令和5年度の応答率の実績は？", 2.0)
    assert results["fy_result"] == 2.0 and "measure" not in results
    plans = answer_kind_weights("電話がつながる割合をどうする方針？", 2.0)
    assert plans["measure"] == 2.0 and "fy_plan" not in plans and "fy_result" not in plans
    # No cue at all: what the plan says it will do.
    assert answer_kind_weights("国民年金の保険料ってスマホで払える？", 2.0)["measure"] == 2.0
    # Past events and counts are results.
    assert "result" in answer_kind_weights("遺族に年金が支払われたケースはある？", 2.0)
    assert "result" in answer_kind_weights("オンライン事業所年金情報サービス 利用事業所数", 2.0)
    # A figure asked for under a plan word is the plan's; one that happened is a result.
    assert "measure" in answer_kind_weights("残業は月何時間までに抑える目標？", 2.0)
    assert "result" in answer_kind_weights("残業は月何時間だった？", 2.0)
    assert answer_kind_weights("加入指導の目標と実際に適用した数は？", 2.0) == {}
    # The period before this plan is what the results document reports.
    assert answer_kind_weights("第3期の削減目標は何%？", 2.0) == {}
    # A fiscal year without a plan word is about that year's report; both cues cancel.
    assert answer_kind_weights("市区町村 担当者 研修 令和5年度", 2.0) == {}
    assert answer_kind_weights("令和5年度の目標と実績は？", 2.0) == {}
    assert answer_kind_weights("スマホで払える？", 1.0) == {}


@pytest.mark.parametrize("name", sorted(p.name for p in PLANS.glob("*.txt")))
def test_every_chunk_of_the_bundled_plans_has_a_quotable_sentence(name: str):
    chunks = ingest_file(PLANS / name).chunks
    assert chunks
    unquotable = [c.text[:60] for c in chunks if not sentences_of(c)]
    assert unquotable == []


def _texts(question: str) -> list[str]:
    return [part.text for part in question_parts(question)]


def test_a_question_in_two_parts_is_answered_part_by_part():
    assert _texts(
        "年金セミナーの質を上げるために何をする？あと、普及・啓発はどんな団体と連携する？"
    ) == ["年金セミナーの質を上げるために何をする", "普及・啓発はどんな団体と連携する"]
    assert _texts("全国異動の方針はどう変わる？それと男性の育休取得率は？") == [
        "全国異動の方針はどう変わる",
        "男性の育休取得率は",
    ]
    # One question, whatever its punctuation.
    assert _texts("電話がつながる割合の目標は？") == ["電話がつながる割合の目標は？"]
    assert _texts("本当？ね？") == ["本当？ね？"]
    # A part without a topic of its own shares the one before it.
    assert _texts("ねんきんネットの登録件数は？あと、目標は？") == [
        "ねんきんネットの登録件数は",
        "ねんきんネット 登録 目標は",  # 件数 is an aspect word, not a topic
    ]


class _EvenCoverage:
    """Every row covers the question alike: only the tie-break decides."""

    def of_sentence(self, sentence: str, chunk: Chunk) -> float:
        return 0.5

    def of_sentence_alone(self, sentence: str) -> float:
        return 0.5

    def together(self, sentences: list[str]) -> float:
        return 0.5


def test_a_tables_total_row_comes_first_among_equal_rows():
    table = Chunk.build(
        source="results.txt",
        locator="s60/table",
        text="業務経費 2,137.2億円 1,994.7億円\n保険事業経費 869.0億円 814.1億円\n計 3,179.4億円 2,976.9億円",
        kind="table",
        page=60,
    )
    picked = select([table], _EvenCoverage(), figure=asked_figure("予算額は？"), limit=2)
    assert [p.shown for p in picked] == [
        "計 3,179.4億円 2,976.9億円",
        "業務経費 2,137.2億円 1,994.7億円",
    ]


def _lexical_over(chunks: list[Chunk]) -> LexicalSearcher:
    """Real Sudachi and BM25 over just these chunks."""
    analyzer = Analyzer(AnalyzerConfig(mode="C+A"))
    return LexicalSearcher(analyzer, Bm25Index.build([analyzer.counts(c.text) for c in chunks]))


def _plan_chunk(text: str, page: int, locator: str) -> Chunk:
    return Chunk.build(
        source="plan.txt",
        locator=locator,
        text=f"{text} [中期P{page}]",
        kind="measure",
        page=page,
        refs=[f"中期P{page}"],
    )


def test_another_page_is_cited_only_for_what_the_answer_does_not_say_yet():
    """Real Sudachi and BM25 over three measures on three pages."""
    target = _plan_chunk("国民年金保険料の現年度納付率の向上を目指す。", 9, "m1")
    repeat = _plan_chunk("国民年金保険料の納付率の向上に取り組む。", 10, "m2")
    other = _plan_chunk("保険料の口座振替の利用を促進する。", 11, "m3")
    chunks = [target, repeat, other]
    lexical = _lexical_over(chunks)

    def answer(question: str) -> list[str]:
        coverage = QuestionCoverage(question, lexical, {})
        picked = select(chunks, coverage, figure=asked_figure(question), limit=4)
        return [label for p in picked for label in p.chunk.labels]

    # 中期P10 scores close to 中期P9 but repeats what it says: it is not cited.
    assert answer("国民年金保険料の納付率はどうする？") == ["中期P9"]
    # 口座振替 is what the question asks besides: 中期P11 joins, 中期P10 still does not.
    assert answer("国民年金保険料の納付率と口座振替はどうする？") == ["中期P9", "中期P11"]


def test_a_question_on_the_plans_measures_draws_on_results_only_as_a_near_tie():
    """Real Sudachi and BM25: a plan measure, and a results passage that says more."""
    measure = _plan_chunk("スマホ決済アプリによる保険料の納付を周知する。", 14, "m14")
    result = Chunk.build(
        source="results.txt",
        locator="r6",
        text="コンビニやスマホ決済アプリで保険料を納付できる仕組みを開始した。",
        kind="fy_result",
        page=6,
        refs=["資料1-3 P6"],
    )
    chunks = [measure, result]
    lexical = _lexical_over(chunks)
    question = "保険料はスマホ決済アプリやコンビニで納付できる？"
    weights = answer_kind_weights(question, 2.0)
    assert MEASURE_KINDS <= weights.keys()  # no cue: the plan's measures are asked for

    def cited(tie_only_kinds: frozenset[str]) -> list[str]:
        coverage = QuestionCoverage(question, lexical, weights)
        picked = select(chunks, coverage, figure=None, limit=4, tie_only_kinds=tie_only_kinds)
        return [label for p in picked for label in p.chunk.labels]

    # The results passage adds コンビニ, which would earn it a citation of its own …
    assert cited(frozenset()) == ["中期P14", "資料1-3 P6"]
    # … but what was done before the plan is not what the plan will do.
    assert cited(EARLIER_PERIOD_KINDS) == ["中期P14"]


@pytest.mark.parametrize(
    ("question", "answers", "not_answers"),
    [
        ("職員は何名ですか？", "職員数は1万2,345人。", "相談は600件。"),
        ("相談は何日で終わる？", "平均で12日を要した。", "相談は600件。"),
        ("納付率は何％ですか？", "納付率は77.6％となった。", "対象は600件。"),
    ],
)
def test_the_selection_looks_for_the_counter_the_analysis_reads(question, answers, not_answers):
    """One list of counters (question/answer_type.py): 何名 asks for people, and the
    selection's figure bonus looks for them as the decline signals do."""
    from question.answer_type import asked_counter

    figure = asked_figure(question)
    assert asked_counter(question) is not None and figure is not None
    assert figure.search(answers) and not figure.search(not_answers)
