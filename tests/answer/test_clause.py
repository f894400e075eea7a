"""The answering clause (answer/clause.py): a long first statement leads with the clauses
that state the asked figure, a verbatim run of the sentence, cited as before; a question
asking for no figure keeps the whole sentence; the length is data with how it was fitted."""

from __future__ import annotations

import json
from pathlib import Path

from answer.clause import DEFAULT_CLAUSE, ClauseCut
from answer.compose import compose
from answer.extractive import Picked
from answer.figures import asked_figure
from answer.responses import citations_for
from ingest.model import Chunk
from planqa.settings import AnswerSettings

_LONG = (
    "品質と透明性を保ちつつ経費の抑制に努め、随意契約を除く契約について、"
    "予定額（12,345百万円）からの節減額は2,468百万円、節減率は20.0％となった。"
)


def _picked(text: str) -> Picked:
    chunk = Chunk.build(
        text=text,
        source="results.txt",
        locator="s30",
        page=30,
        kind="result",
        refs=("資料1-3 P30",),
    )
    return Picked(text, text, chunk, 1.0)


def test_a_long_first_statement_leads_with_the_clauses_of_the_asked_figures():
    figure = asked_figure("契約の節減額と節減率は？")
    cut = ClauseCut(40).lead([_picked(_LONG)], figure)
    # From the first clause stating an amount (12,345百万円) to the last (20.0％).
    assert (
        cut[0].shown == "…予定額（12,345百万円）からの節減額は2,468百万円、節減率は20.0％となった。"
    )
    assert cut[0].shown.removeprefix("…") in _LONG  # verbatim, the elision marked
    assert compose(cut).endswith("【資料1-3 P30】")
    # The citation still quotes the whole sentence of the passage.
    assert citations_for(cut)[0].quote == _LONG


def test_an_amount_in_millions_of_yen_is_a_figure():
    figure = asked_figure("節減額はいくら？")
    assert figure is not None and figure.search("節減額は2,468百万円") is not None


def test_a_question_asking_for_no_figure_keeps_the_whole_sentence():
    figure = asked_figure("契約ではどんな工夫をしていますか？")
    assert figure is None
    assert ClauseCut(40).lead([_picked(_LONG)], figure)[0].shown == _LONG


def test_a_short_statement_is_never_cut():
    short = "節減率は20.0％となった。"
    assert ClauseCut(40).clause(short, asked_figure("節減率は？")) == short


def test_without_a_file_nothing_is_cut(tmp_path: Path):
    assert ClauseCut.load(tmp_path / "none.json") is None
    assert ClauseCut.load(None) is None


def test_the_shipped_length_says_how_it_was_fitted():
    saved = json.loads(DEFAULT_CLAUSE.read_text(encoding="utf-8"))
    assert "bench/fit_clause.py" in saved["provenance"] and "CV" in saved["provenance"]
    cut = ClauseCut.load(DEFAULT_CLAUSE)
    assert cut is not None and cut.long_chars > 0
    assert AnswerSettings().clause_model == DEFAULT_CLAUSE


def test_a_date_is_not_the_figure_a_how_many_question_asks_for():
    sentence = (
        "令和5年10月から職員が順次訪問し、対象となる事業所のうち4,321事業所に制度を説明した。"
    )
    question = "制度を説明した事業所の数は？"
    cut = ClauseCut(40).clause(sentence, asked_figure(question))
    assert cut == "…対象となる事業所のうち4,321事業所に制度を説明した。"


def test_the_bound_of_the_class_counted_stays_with_the_count():
    """A count of the companies above a size (200人超) counts nothing without its bound:
    the cut keeps the clause stating it, though a bound is no asked figure."""
    sentence = (
        "社員数が200人超の会社を新たに加えるため、候補となる約4,000社のうち2,500社へ、"
        "担当者が出向いて説明した。"
    )
    cut = ClauseCut(40).clause(sentence, asked_figure("説明を受けた会社の数は？"))
    assert cut == "社員数が200人超の会社を新たに加えるため、候補となる約4,000社のうち2,500社へ…"


def test_a_target_stated_as_a_floor_stays_in_the_cut():
    """The plans state a level as a floor, with or without a number (昨年の実績以上): a
    question on the level is answered by that clause as much as by the figure after it."""
    sentence = (
        "窓口の体制を見直しつつ、予約相談の割合を昨年の実績以上に保ち、"
        "最終的には90%の達成を目指す。"
    )
    cut = ClauseCut(40).clause(sentence, asked_figure("予約相談の割合はどの水準を目指す？"))
    assert cut == "…予約相談の割合を昨年の実績以上に保ち、最終的には90%の達成を目指す。"


def test_a_figure_the_question_gives_is_not_the_figure_it_asks_for():
    """The question states the count (312か所) and asks for a rank: a clause holding only
    the count it gave is no answer, and the cut does not shorten the sentence to it."""
    sentence = (
        "令和5年度の調査では、全国の相談拠点の数は312か所であり、"
        "他の二つの地域に次いで、全国で3番目の多さとなっている。"
    )
    question = "相談拠点の数は312か所で、全国で何番目の多さですか？"
    assert ClauseCut(40).clause(sentence, asked_figure(question), question) == sentence


def test_every_statement_of_a_figure_answer_can_be_cut_to_its_figures():
    """A further statement joins for the figure it adds: with ``every_statement`` it is
    read for that figure as the first is, each still a verbatim run of its sentence and
    its citation still quoting the whole sentence."""
    further = (
        "窓口の体制を見直し、予約の受付時間を広げるとともに、"
        "来訪者アンケートを実施した結果、満足度は前年から4.2ポイント上がって91.5％となった。"
    )
    figure = asked_figure("契約の節減額と節減率は？")
    cut = ClauseCut(40, every_statement=True).lead([_picked(_LONG), _picked(further)], figure)
    assert [p.shown for p in cut] == [
        "…予定額（12,345百万円）からの節減額は2,468百万円、節減率は20.0％となった。",
        "…満足度は前年から4.2ポイント上がって91.5％となった。",
    ]
    assert citations_for(cut)[1].quote == further
    # The first statement alone, as before, without it.
    assert ClauseCut(40).lead([_picked(_LONG), _picked(further)], figure)[1].shown == further


def test_the_shipped_cut_says_which_statements_it_cuts():
    saved = json.loads(DEFAULT_CLAUSE.read_text(encoding="utf-8"))
    cut = ClauseCut.load(DEFAULT_CLAUSE)
    assert cut is not None and cut.every_statement == saved["every_statement"]


def test_the_clause_naming_the_figures_topic_stays_and_a_cut_is_marked():
    """A figure cut loose from its topic (…の予約率は、 split off by a comma) measures
    nothing a caller can tell; and a cut that stops at a comma does not end the sentence,
    so it ends with an ellipsis, not a 。 the plans never wrote."""
    sentence = (
        "窓口全体の予約率は、職員の配置を見直した結果として82.5％となり、"
        "前年度までの実績を大きく上回る水準を保った。"
    )
    cut = ClauseCut(40).clause(sentence, asked_figure("予約率は何％？"))
    assert cut == "窓口全体の予約率は、職員の配置を見直した結果として82.5％となり…"
    assert compose([_picked(cut)]).startswith(cut + "【")  # no 。 written after the ellipsis
