"""The one list of counters (question/counters.py): the counter after a numeral 何, as
Sudachi reads it, shared by the analysis and the sentence selection."""

from __future__ import annotations

import asyncio
import re

import pytest

from answer import AnswerService, AskRequest
from answer.figures import asked_figure
from answer.value_binding import figure_pattern
from api.app import build_service
from planqa.settings import Settings
from question import analyse
from question.answer_type import asked_counter, provides
from question.counters import SPAN, counted_in
from question.rules import RULES_PATH


@pytest.mark.parametrize(
    ("question", "counter"),
    [
        ("申請書は何枚？", "枚"),  # 接尾辞-助数詞, in no hand list before
        ("通知は何通送った？", "通"),
        ("職員は何名ですか？", "名"),
        ("相談は何件かな", "件"),  # the sentence-final か asks
        # A verb after the counter, no indefinite; a verb of taking time asks a span.
        ("何日かかる？", SPAN),
        ("利用者は何万人？", "人"),
    ],
)
def test_the_counter_after_a_numeral_nani_is_the_one_asked(question, counter):
    analysis = analyse(question)
    assert analysis.counter == counter
    assert analysis.answer_type == "count"
    assert analysis.wants_results


@pytest.mark.parametrize(
    "question",
    [
        "何回か相談した人の声は？",
        "何機関と連携している？",
        "西暦何年に始まった？",
        "何位？",
        "憲章の第何章に書かれている？",  # 第何: an ordinal
        "体鳴楽器と何楽器に分けられるか。",  # what kind of: no counter after 何
        "何戦争の終戦まで続いたか？",
    ],
)
def test_an_indefinite_a_pronoun_nani_a_point_in_time_or_a_rank_asks_no_counter(question):
    assert analyse(question).counter is None


def test_the_selection_looks_for_a_figure_in_the_counter_asked():
    figure = asked_figure("申請書は何枚？")
    assert figure is not None
    assert figure.search("年間1,600万枚") and not figure.search("485帳票")


def test_the_rules_keep_no_list_of_counters_of_their_own():
    # 何 + counter is read in question/counters.py only; a cue listing counters again would
    # be a second list that can disagree with it.
    assert not re.search(r"何\(\?:[^)]*件", RULES_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def service(indexed_settings: Settings, use_encoder) -> AnswerService:
    return build_service(indexed_settings, use_encoder)


def test_a_count_asked_in_maisu_is_answered_with_the_clause_of_that_figure(service):
    request = AskRequest(question="紙に出力している帳票は年間何枚？", top_k=10)
    first = asyncio.run(service.answer(request)).answer.split("\n")[0]
    # The figure in the asked counter leads, cut to its clause (…), not the whole sentence.
    assert "万枚" in first and first.rstrip("】").split("【")[0].endswith("…")


def test_a_deadline_in_working_days_answers_a_count_of_days(service):
    # The plans give processing times in 営業日 (２営業日以内): a count of days, so the
    # figure is bound to the 日 asked and the question is not declined as unstated.
    body = asyncio.run(
        service.answer(AskRequest(question="協会けんぽへの資格情報の提供は何日以内？", top_k=10))
    )
    assert body.answered
    assert "２営業日以内" in body.answer.split("\n")[0]


@pytest.mark.parametrize("question", ["それは計画の何ページに書いてある？", "何頁に載ってる？"])
def test_a_page_asked_is_a_place_in_the_document_not_a_count(question):
    # 何ページ asks where it is written, as 何番 asks a position: no figure is asked.
    assert counted_in(question) is None


def test_a_rate_asked_is_answered_by_a_level_against_the_year_before():
    # The plans set many rates' targets as a level with no figure (前年度と同等以上).
    figure = asked_figure("免除申請書の電子申請割合はどこまで上げる目標？")
    assert figure is not None
    assert figure.search("前年度と同等以上を目指す。") is not None
    assert figure.search("1,234件を受け付けた。") is None


@pytest.mark.parametrize(
    "question",
    [
        "その国では何化が遅れたのか",  # a suffix naming a kind: which one, not how many
        "何派に分かれたのか",
        "何湖に面しているか",
        "何度も使い回す方法はいつ生まれた？",  # 何度も: "many times", no count asked
    ],
)
def test_a_kind_suffix_or_many_asks_no_count(question):
    assert counted_in(question) is None


@pytest.mark.parametrize("question", ["説明会に参加した会社は何社？", "調査した企業は何社ある？"])
def test_firms_asked_in_sha_are_answered_by_a_count_of_jigyosho(question):
    # The plans count firms as establishments (適用事業所) as well as 社: a figure in either
    # answers a count of firms, and a count of people still does not.
    counter = asked_counter(question)
    assert counter == "社"
    figure = asked_figure(question)
    assert figure is not None
    assert figure.search("調査対象の1,234事業所に文書を送付した。")
    assert figure.search("協力企業は合計98社となった。")
    assert not figure.search("職員1,234人が参加した。")
    assert provides("count", ["調査対象の1,234事業所に文書を送付した。"], counter)


def test_a_trillion_is_a_magnitude_of_the_counter_asked():
    figure = asked_figure("予算は何兆円？")
    assert figure is not None and figure.search("５兆円を超えた。") is not None


@pytest.mark.parametrize("question", ["出張窓口は何個設ける？", "相談会場を何個増やすの？"])
def test_ko_and_the_native_counter_tsu_count_the_same_things(question):
    # A figure in either counter answers a count asked in the other: the selection's
    # figure, the answer-kind check the decline reads, and the value binding alike.
    counter = asked_counter(question)
    sentence = "出張窓口を新たに3つ設け、相談会場も二つ増やす。"
    figure = asked_figure(question)
    assert figure is not None and figure.search(sentence)
    assert provides("count", [sentence], counter)
    binding = figure_pattern(None, counter, "count")
    assert binding is not None and binding.search("3つ設け")
    assert not provides("count", ["出張窓口を新たに設ける。"], counter)


@pytest.mark.parametrize(
    "question", ["審査には何日かかる？", "年金証書は何日ぐらいで届くの？", "何週間以内に返送する？"]
)
def test_how_long_something_takes_is_answered_by_a_span_in_any_unit_of_time(question):
    # A verb of taking time (かかる, 要する), で before a verb or 以内 makes the count a span,
    # stated in whatever unit suits it (2ヶ月, 1週間): each answers it.
    counter = asked_counter(question)
    figure = asked_figure(question)
    for sentence in (
        "審査には約2ヶ月を要する。",
        "通常1週間程度で発送する。",
        "3か月以内に通知する。",
    ):
        assert figure is not None and figure.search(sentence), sentence
        assert provides("count", [sentence], counter), sentence
        binding = figure_pattern(None, counter, "count")
        assert binding is not None and binding.search(sentence), sentence


@pytest.mark.parametrize("question", ["説明会は何日開催する？", "相談会は何日に開く？"])
def test_a_count_of_days_or_a_date_is_no_span(question):
    assert asked_counter(question) != SPAN
    figure = asked_figure(question)
    assert figure is None or not figure.search("説明会の準備に2ヶ月を要する。")


def test_a_date_is_no_span_of_years():
    # A number before a bare 年 is a date in the plans (令和5年, 2023年): read as a span it
    # made every dated sentence hold the figure a how-long question asks.
    figure = asked_figure("手続きは何日で終わる？")
    assert figure is not None
    assert not figure.search("令和5年に開始した。")
    assert not figure.search("2023年に開始した。")
    assert figure.search("3年間で完了する。")
    assert figure.search("２営業日以内に提供する。")


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("通訳は何ヶ国に対応している？", "通訳サービスは12か国に対応している。"),
        ("通訳は何か国に対応している？", "通訳サービスは12ヵ国に対応している。"),
        ("窓口は何箇所ある？", "相談窓口を全国5ヶ所に設けた。"),
        ("研修は何ヶ月続く？", "研修期間は6カ月である。"),
    ],
)
def test_a_counter_in_any_writing_of_its_small_ka_is_one_counter(question, sentence):
    # ヶ, か, カ, ケ, ヵ and 箇 write one counter; Sudachi reads each as typed, so a figure
    # written in another of them still answers the count asked.
    counter = asked_counter(question)
    assert provides("count", [sentence], counter), (question, counter)
    binding = figure_pattern(None, counter, "count")
    assert binding is not None and binding.search(sentence)
