"""The answer service over a real index: one analysis per request, both sides, follow-ups."""

from __future__ import annotations

import asyncio
import dataclasses
import unicodedata
from collections import Counter

import pytest
from support.asking import ask

import answer.service as service_module
from answer import AskRequest, Turn
from answer.decline import ATTRIBUTE_SIGNALS, DeclineModel
from question import analyse


@pytest.fixture()
def analyses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The questions ``answer.service`` analyses, in order (a spy on the real function)."""
    seen: list[str] = []

    def spy(question: str, history=(), documents=frozenset()):
        seen.append(question)
        return analyse(question, history, documents)

    monkeypatch.setattr(service_module, "analyse", spy)
    return seen


def _count_attribute_readings(monkeypatch) -> list[str]:
    """The questions whose asked attribute the decision reads, as it reads them."""
    import answer.signals as signals_module

    calls: list[str] = []
    real = signals_module.asked_attribute

    def counted(text: str):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(signals_module, "asked_attribute", counted)
    return calls


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("ねんきんダイヤルにつながる率、第3期にどこまで来て、第4期は何を目標にする？", []),
        ("ねんきんネットの登録件数は？あと、今後の取組は？", []),
        ("それの目標は？", [Turn(role="user", content="コールセンターでの応答率は？")]),
        ("中期計画の46ページには何が書いてある？", []),
    ],
)
def test_a_request_is_analysed_once(service, analyses, question, history):
    ask(service, question, history)
    assert analyses == [question]


def test_a_question_naming_both_sides_cites_the_plan_and_the_results(service):
    body = ask(
        service, "ねんきんダイヤルにつながる率、第3期にどこまで来て、第4期は何を目標にする？"
    )
    labels = {c.label for c in body.citations}
    assert body.answered
    assert any(label.startswith("資料1-3 ") for label in labels)  # the results side
    assert any(label.startswith(("中期P", "年度P")) for label in labels)  # the plan side


def test_a_page_named_in_words_is_answered_from_that_page(service):
    body = ask(service, "中期計画の46ページには何が書いてある？")
    assert body.answered
    assert {c.label for c in body.citations} >= {"中期P46"}
    assert all("中期P46" in context.labels for context in body.contexts[:1])


def test_a_page_the_plans_do_not_have_is_said_so(service):
    body = ask(service, "中期計画の999ページには何が書いてある？")
    assert body.answered is False and body.citations == []
    assert body.answer.startswith("中期P999というページは")
    assert any("no such page" in note for note in body.notes)


def test_a_follow_up_changing_only_the_year_keeps_the_topic(service):
    history = [Turn(role="user", content="令和5年度のコールセンターでの応答率は？")]
    body = ask(service, "じゃあ前の年は？", history)
    assert body.question_used == "コールセンター 応答率 令和4年度は？"


def test_a_follow_up_on_the_last_answer_reads_the_passages_it_quoted_first(service):
    """A chat client sends planqa's answer back as plain text: its 【labels】 and quoted
    words find the passages it came from, which lead the follow-up's contexts."""
    first = ask(service, "事務処理誤りは令和5年度に何件あった？")
    quoted = {c.chunk_id for c in first.citations}
    history = [
        Turn(role="user", content="事務処理誤りは令和5年度に何件あった？"),
        Turn(role="assistant", content=first.answer),
    ]
    followed = ask(service, "前の年は？", history)
    assert followed.contexts[0].chunk_id in quoted
    # The same follow-up after an answer that cites nothing keeps the search's own order.
    plain = [history[0], Turn(role="assistant", content="件数は報告書にあります。")]
    assert ask(service, "前の年は？", plain).contexts[0].chunk_id not in quoted


def test_one_question_passes_each_stage_once(service, monkeypatch: pytest.MonkeyPatch):
    """analyse → retrieve → rank → decide → compose: the walk of one /ask, each stage once."""
    calls: list[str] = []

    def spy(name, real):
        def wrapped(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)

        return wrapped

    for name in ("analyse", "retrieve", "decide", "extractive_response"):
        monkeypatch.setattr(service_module, name, spy(name, getattr(service_module, name)))
    monkeypatch.setattr(service.selection, "picked", spy("rank", service.selection.picked))
    response = ask(service, "令和5年度のコールセンターでの応答率は？")
    assert response.answered
    assert calls == ["analyse", "retrieve", "rank", "decide", "extractive_response"]


def test_a_year_in_another_era_the_plans_do_not_cover_is_declined_naming_it(service):
    # The plans date by 令和; a Heisei year they never name is a year they do not cover.
    body = ask(service, "平成22年度に年金事務所へ来た相談は何件？")
    assert not body.answered
    assert any("平成22年度" in note for note in body.notes)


def test_the_first_statement_scores_higher_when_it_answers_than_when_it_shares_a_word(service):
    def first_statement_score(question: str) -> float:
        request = AskRequest(question=question, top_k=10)
        _, signals = asyncio.run(service.assess(request))
        return signals.first_statement_score

    answering = first_statement_score("ねんきんネットの登録件数は？")
    general = first_statement_score("ブラジルの首都はどこですか？")
    assert answering > general


def test_the_decline_signal_reads_the_lead_score_selection_computed(service, monkeypatch):
    # The ranker scores a question's sentences once, in selection; the decline model's
    # first_statement_score is the score of the lead selection chose, not a second scoring.
    ranker = service.selection.ranker
    scored: list[list[float]] = []

    def spy(candidates, question):
        scores = type(ranker).scores(ranker, candidates, question)
        scored.append(scores)
        return scores

    monkeypatch.setattr(ranker, "scores", spy)
    request = AskRequest(question="ねんきんネットの登録件数は？", top_k=10)
    response, signals = asyncio.run(service.assess(request))
    assert response.answered
    assert len(scored) == 1
    assert signals.first_statement_score == max(scored[0])


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("第４期の電子申請の目標は何％ですか？", []),
        ("ねんきんネットの登録件数は？あと、今後の取組は？", []),
        ("じゃあ前の年は？", [Turn(role="user", content="令和５年度の応答率は？")]),
    ],
)
def test_one_request_puts_each_text_of_the_question_in_nfkc_once(
    service, monkeypatch, question, history
):
    # The analysis normalises the question (its search text, its parts, the history's
    # turns) once and passes the forms down; no reader normalises them again.
    analysis = analyse(question, history)
    asked = {
        question,
        analysis.search_text,
        *(part.text for part in analysis.parts),
        *(turn.content for turn in history),
    }
    monkeypatch.setattr("question.normal._forms", {})  # nothing read before this request
    normalised: Counter[str] = Counter()
    real = unicodedata.normalize

    def spy(form: str, text: str) -> str:
        normalised[text] += 1
        return real(form, text)

    monkeypatch.setattr(unicodedata, "normalize", spy)
    ask(service, question, history)
    assert normalised[question] == 1
    assert {text: normalised[text] for text in asked if normalised[text] > 1} == {}


def test_a_page_named_with_no_document_is_asked_back_with_the_pages_the_index_holds(service):
    # Each bundled document has its own page 46: the number alone names none of them, and a
    # passage holding "46" (46名) would be a guess.
    body = ask(service, "46ページの内容を教えて")
    assert not body.answered and body.citations == [] and body.contexts == []
    assert body.answer.startswith("どの文書の46ページですか。")
    assert "中期P46" in body.answer and "資料1-3 P46" in body.answer


def test_a_page_named_by_the_services_own_label_is_answered_from_it(service):
    body = ask(service, "overview p.10には何が書いてある？")
    assert body.answered
    assert {c.label for c in body.citations} == {"overview p.10"}


def test_a_decline_never_names_as_absent_a_word_the_plans_write_in_another_form(service):
    # 申込み is written 申請 in the plans (one group of SudachiDict's synonyms): only 手数料
    # is absent from them; a decline saying they never mention 申込み would be false.
    body = ask(service, "ネットの申込みの手数料はいくら？")
    assert not body.answered
    assert body.answer.startswith("計画文書には手数料の記載はありません。")


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("スペインの公用語は何語？", "スペイン"),
        ("フランス革命が始まったのは何年？", "フランス"),
    ],
)
def test_a_general_knowledge_question_naming_what_the_plans_never_write_is_declined(
    service, question, named
):
    # Its everyday words (公用語, 始まる) are in the plans one by one; the place is not.
    body = ask(service, question)
    assert not body.answered
    assert f"計画文書には{named}の記載はありません" in body.answer


def test_a_past_result_a_plan_passage_dates_beside_its_figure_covers_that_year(service):
    # The plan's overview quotes a past result with its year in brackets (12.3%（令和3年度）, a made-up figure):
    # a question on that year's result reads it there, though the passage is not a results one.
    request = AskRequest(
        question="フェーズ1対応システムの効果のうち、電子申請割合は令和4年度にどこまで上がった？",
        top_k=10,
    )
    response, signals = asyncio.run(service.assess(request))
    assert signals.years_missing == 0
    assert response.answered


def test_a_month_dated_result_covers_its_fiscal_year_not_the_calendar_year(service):
    # The results report dates 令和5年度's results by the year's end, 令和6年3月末: the fiscal
    # year runs April to March, so that passage covers 令和5年度, and a question on 令和6年度
    # finds its year missing instead of being answered with the year before's count.
    asked = AskRequest(question="令和6年度の新規の国税委任は何件？", top_k=10)
    response, signals = asyncio.run(service.assess(asked))
    assert signals.years_missing == 1
    assert not response.answered
    assert "令和6年度" in response.answer
    for question in (
        "令和5年度の新規の国税委任は何件？",
        "令和6年3月末までの新規の国税委任は何件？",
    ):
        response, signals = asyncio.run(service.assess(AskRequest(question=question, top_k=10)))
        assert signals.years_missing == 0, question
        assert response.answered, question


def test_a_figure_asked_in_the_past_of_a_year_the_results_do_not_cover_is_declined(service):
    # 何万人でしたか asks a result; the results report covers 令和5年度 (its 令和6年3月末
    # count), so a result of 令和6年度 is not there, though a plan passage names the year.
    asked = AskRequest(
        question="令和6年度に電子申請で申告書を出した人の数は何万人でしたか？", top_k=10
    )
    response, signals = asyncio.run(service.assess(asked))
    assert signals.years_missing == 1
    assert not response.answered
    assert "令和6年度の実績" in response.answer


def test_a_follow_up_naming_another_year_answers_from_the_table_row(service):
    """The results report writes a measure over the years as a table (a header row of years,
    a row of figures): a follow-up that changes only the year is answered from the row that
    holds the figure just given, under the header naming the asked year. The last answer is
    written in other words than the passage (a chat client, a person): its labels and its
    figure find the table."""
    history = [
        Turn(role="user", content="事務処理誤りの件数、令和5年度はいくつ？"),
        Turn(
            role="assistant", content="令和5年度は324件の事務処理誤りがありました。【資料1-3 P123】"
        ),
    ]
    body = ask(service, "令和2年度はどうだった？", history)
    assert body.answered
    assert "592件" in body.answer.split("\n")[0]


def test_a_follow_up_on_the_year_before_answers_from_the_zennen_figure(service):
    """A sentence giving a figure with 前年 beside it (1,234名（前年987名）) states the year
    before's: a follow-up asking about the previous year is answered from it, not declined
    for a year the passages seem not to cover."""
    history = [
        Turn(role="user", content="令和5年度、年金委員の研修に来た人数は？"),
        Turn(role="assistant", content="研修の参加者：8,435名【資料1-3 P68】"),
    ]
    body = ask(service, "前の年と比べて増えた？", history)
    assert body.answered
    assert "6,539名" in body.answer.split("\n")[0]


def test_a_follow_up_asking_whether_a_figure_fell_answers_from_the_year_before(service):
    """Asking whether the figure just given rose or fell, with no year, asks it against the
    year before: the table row holding that figure, whose header names the year before,
    leads the answer."""
    history = [
        Turn(role="user", content="老齢年金の1か月以内の達成率は？"),
        Turn(role="assistant", content="達成率：98.5％【資料1-3 P39】"),
    ]
    body = ask(service, "それは前と比べて下がったの？", history)
    assert body.answered
    assert "99.0%" in body.answer.split("\n")[0]


def test_a_figure_stated_between_a_chart_title_and_its_rows_is_answered(service):
    # On the 資料1-3 P61 slide the 令和５年度 count of the interpreting service stands
    # between a chart's 【title】 and its rows; the parser once emitted no passage for it.
    body = ask(service, "令和5年度に外国語の通訳サービスは何件使われた？")
    assert body.answered
    assert "6,406件" in body.answer
    cited = [c for c in body.citations if "6,406件" in c.quote]
    assert cited and {c.label for c in cited} >= {"資料1-3 P61"}


def test_a_decline_names_the_attribute_asked_of_a_topic_the_plans_cover(service):
    # The plans write of their satisfaction survey (アンケート), never of its return rate:
    # the decline names the attribute the question's grammar asks (回収率), not a part of it.
    body = ask(service, "満足度アンケートの回収率は何％？")
    assert not body.answered
    assert body.answer.startswith("計画文書には回収率の記載はありません。")


def test_a_count_of_things_counted_by_their_own_name_is_answered(service):
    # The plans count booths in ブース; a question counting them in か所 is not declined.
    body = ask(service, "常設の相談ブースは全国で何か所ありますか？")
    assert body.answered
    assert "1,688ブース" in body.answer.split("\n")[0]


def test_the_asked_attribute_is_read_only_for_a_decline_when_the_model_does_not_weigh_it(
    service, monkeypatch
):
    # A decline model weighing no attribute signal: an answered question pays no
    # attribute reading; a declined one reads it once, to name what the plans lack.
    shipped = service.decline_model
    none_weighed = {**shipped.weights, **dict.fromkeys(ATTRIBUTE_SIGNALS, 0.0)}
    monkeypatch.setattr(service, "decline_model", DeclineModel(none_weighed, shipped.bias))
    assert not service.decline_model.reads_attribute
    calls = _count_attribute_readings(monkeypatch)
    body = ask(service, "ねんきんダイヤルの応答率の目標は？")
    assert body.answered and calls == []
    body = ask(service, "満足度アンケートの回収率は何％？")
    assert not body.answered and len(calls) == 1
    assert body.answer.startswith("計画文書には回収率の記載はありません。")


def test_the_results_years_plan_is_answered_from_the_plan_the_report_restates(service):
    # The results report restates its year's plan under （令和５年度計画）; asked in the
    # past (方針だった？), it is neither that year's results (a decline for lack of them)
    # nor the 4th plan's measures.
    body = ask(service, "文書の管理について、令和5年度の計画ではどういう方針だった？")
    assert body.answered
    first = body.citations[0]
    lead = next(c for c in body.contexts if c.chunk_id == first.chunk_id)
    assert "令和５年度計画" in lead.text.split("\n")[0]


def test_a_question_naming_the_review_is_answered_from_the_review_column(service):
    # The overview heads a column 第３期の振り返り beside the measures; its ○ questions have
    # no bracket and are cited by the overview's page. A question naming that column asks
    # what it raises, not what the measures beside it will do.
    body = ask(service, "電子申請の推進について、振り返りで挙がった課題は？")
    assert body.answered
    assert body.citations[0].label.startswith("overview p.")
    assert "どのように" in body.answer.split("\n")[0]


def test_a_question_on_the_issues_ahead_is_answered_from_the_review_column(service):
    # The column is headed 振り返り（今後の課題）: 課題 names it as 振り返り does, and the
    # measures beside it (経営課題を把握…) state what will be done, not an issue raised.
    body = ask(service, "お客様チャネルの連動について、今後の課題は？")
    assert body.answered
    assert body.citations[0].label.startswith("overview p.")
    assert "どのように" in body.answer.split("\n")[0]


def test_the_shipped_model_reads_the_asked_attribute_once_for_an_answered_question(
    service, monkeypatch
):
    # It weighs whether the asked figure is bound to the asked attribute (value_unbound).
    assert service.decline_model.reads_attribute
    calls = _count_attribute_readings(monkeypatch)
    body = ask(service, "窓口の予約率の目標は？")
    assert body.answered and len(calls) == 1


def test_a_rate_the_passages_state_only_for_another_measure_is_declined_naming_it(service):
    # The passages give 収納率 of the premiums, a figure of another rate: the asked rate's
    # figure is bound to nothing, and the decline names it.
    body = ask(service, "健康保険の保険料率は何％？")
    assert not body.answered
    assert body.answer.startswith("計画文書には保険料率の記載はありません。")


def test_a_year_the_plans_cover_is_not_declined_when_the_quoted_page_names_no_year(service):
    # The annual plan covers 令和6年度 and the mid-term plan 令和6年度 to 令和10年度, though
    # the page on 強制徴収 writes no year: the year is covered by the indexed documents.
    for question in ("令和6年度の計画で強制徴収の取組は？", "令和8年度の計画で強制徴収の取組は？"):
        response, signals = asyncio.run(service.assess(AskRequest(question=question, top_k=10)))
        assert signals.years_missing == 0, question
        assert response.answered, question
    response, signals = asyncio.run(
        service.assess(AskRequest(question="令和12年度の計画で強制徴収の取組は？", top_k=10))
    )
    assert signals.years_missing == 1
    assert "令和12年度" in response.answer


def test_a_signal_at_weight_0_is_not_computed_for_an_answered_question(service, monkeypatch):
    # name_unbound ships at weight 0: a name question pays no name reading it cannot use.
    import answer.signals as signals_module

    assert "name_unbound" not in service.decline_model.attribute_signals_read
    calls: list[str] = []
    real = signals_module.name_unbound

    def counted(analysis, *args):
        calls.append(analysis.question)
        return real(analysis, *args)

    monkeypatch.setattr(signals_module, "name_unbound", counted)
    body = ask(service, "総合戦略室はどこに設置されましたか？")
    assert body.answered and calls == []


def test_the_holder_of_a_post_the_plans_name_no_one_for_is_declined_naming_it(service, monkeypatch):
    # The plans write 理事長 (whose staff assist the 理事長) and name no one who holds it: the
    # question asks a person's name, and no passage states one beside the post. The signal
    # ships at weight 0 (data/decline_model.json: JSQuAD false declines over 1 %); with its
    # fitted weight the decline names what was asked.
    fitted = {**service.decline_model.weights, "name_unbound": -2.0}
    monkeypatch.setattr(
        service, "decline_model", dataclasses.replace(service.decline_model, weights=fitted)
    )
    response, signals = asyncio.run(
        service.assess(AskRequest(question="機構の理事長はどなたですか？", top_k=10))
    )
    assert signals.name_unbound == 1
    assert not response.answered
    assert "計画文書には理事長の氏名の記載はありません" in response.answer
    # Where a body was set up is named beside it: a name of that kind is stated.
    response, signals = asyncio.run(
        service.assess(AskRequest(question="総合戦略室はどこに設置されましたか？", top_k=10))
    )
    assert signals.name_unbound == 0
    assert response.answered


def test_a_rate_to_be_raised_is_answered_with_the_plans_target(service):
    # どこまで上げるの asks how far the rate is to go: the plan's aim, not the report's figure
    # (question/side.py reads the aim; the figure asked no longer defaults to the results).
    body = ask(service, "国民年金の保険料をその年度内に納める割合、何％まで上げるの？")
    assert body.answered
    lead = body.answer.split("\n")[0]
    assert "80%台前半" in lead
    assert not any(label.startswith("資料1-") for label in lead.split("【")[-1].split("・"))
