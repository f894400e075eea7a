"""The sentence ranker (answer/ranker.py): features read what the question asks, a fitted
model chooses the first statement, and without a model selection is the hand-set one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from answer.extractive import hand_set_score, select
from answer.ranker import DEFAULT_MODEL, FEATURES, Candidate, QuestionText, SentenceRanker, features
from ingest.model import Chunk


def _chunk(text: str, kind: str = "result", refs: tuple[str, ...] = ("資料1-3 P9",)) -> Chunk:
    return Chunk.build(
        text=text, source="results.txt", locator=text[:8], page=9, kind=kind, refs=refs
    )


def _candidate(shown: str, **overrides: object) -> Candidate:
    values: dict[str, object] = {
        "quote": shown,
        "shown": shown,
        "chunk": _chunk(shown),
        "rank": 0,
        "position": 0,
        "coverage": 0.5,
        "own_coverage": 0.5,
        "asked_figure": False,
        "figure_bonus": 0.0,
    }
    values.update(overrides)
    return Candidate(**values)  # type: ignore[arg-type]


def _named(row: list[float]) -> dict[str, float]:
    return dict(zip(FEATURES, row, strict=True))


def test_the_asked_attribute_is_the_questions_last_compound_found_whole():
    asked = QuestionText.of("窓口の予約率は令和5年度に何％でしたか？")
    assert asked.attribute == "予約率"
    whole = _named(features(_candidate("全体の予約率は91.2％（令和5年度末時点）。"), asked))
    parts = _named(features(_candidate("予約の受付は前年より増えた。"), asked))
    assert whole["attribute"] == 1.0 and parts["attribute"] == 0.0
    assert whole["year_agrees"] == 1.0 and whole["provides_type"] == 1.0
    assert parts["provides_type"] == 0.0


def test_a_sentence_naming_only_another_year_is_marked():
    asked = QuestionText.of("令和5年度の相談件数は？")
    other = _named(features(_candidate("令和4年度の相談件数は120万件。"), asked))
    same = _named(features(_candidate("令和５年度の相談件数は118万件。"), asked))
    assert other["year_differs"] == 1.0 and other["year_agrees"] == 0.0
    assert same["year_agrees"] == 1.0 and same["year_differs"] == 0.0


class _Prefers:
    """A ranker that prefers sentences holding ``word`` (a stand-in for a fitted model)."""

    def __init__(self, word: str) -> None:
        self.word = word

    def scores(self, candidates, question: str) -> list[float]:
        return [float(self.word in c.shown) for c in candidates]


class _Coverage:
    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def of_sentence(self, sentence: str, chunk: Chunk) -> float:
        return next((v for k, v in self.scores.items() if k in sentence), 0.0)

    def of_sentence_alone(self, sentence: str) -> float:
        return self.of_sentence(sentence, None)  # type: ignore[arg-type]

    def together(self, sentences) -> float:
        return max((self.of_sentence(s, None) for s in sentences), default=0.0)  # type: ignore[arg-type]


def test_the_ranker_chooses_the_first_statement_and_the_rest_is_admitted_as_before():
    chunk = _chunk("滞納事業所の割合は5.1％となった。電話の応答率は70％以上を維持した。")
    coverage = _Coverage({"滞納": 0.8, "応答率": 0.6})
    hand = select([chunk], coverage, figure=None, limit=2)
    led = select([chunk], coverage, figure=None, limit=2, ranker=_Prefers("応答率"), question="?")
    assert hand[0].shown.startswith("滞納")
    assert led[0].shown.startswith("電話の応答率")
    assert {p.shown for p in led} == {p.shown for p in hand}


def test_without_a_model_file_there_is_no_ranker(tmp_path: Path):
    assert SentenceRanker.load(tmp_path / "none.json") is None
    assert SentenceRanker.load(None) is None


def test_weights_for_an_unknown_feature_are_refused():
    with pytest.raises(ValueError, match="unknown features"):
        SentenceRanker({"no_such_feature": 1.0})


def test_the_shipped_model_names_every_feature_and_how_it_was_fitted():
    saved = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    assert set(saved["weights"]) == set(FEATURES)
    assert "bench/fit_ranker.py" in saved["provenance"] and "CV" in saved["provenance"]
    ranker = SentenceRanker.load(DEFAULT_MODEL)
    assert ranker is not None and len(ranker.weights) == len(FEATURES)


def test_the_hand_set_score_decays_with_rank_and_adds_the_asked_figure():
    first = _candidate("a", coverage=0.5, rank=0, asked_figure=True, figure_bonus=0.25)
    third = _candidate("b", coverage=0.5, rank=2)
    assert hand_set_score(first) == pytest.approx(0.75)
    assert hand_set_score(third) == pytest.approx(0.5 / 1.7)


def test_a_passage_of_the_side_the_question_asks_about_is_marked():
    """A past tense asks what happened (the results report), 〜ていく what will be done (the
    plan's measures): the two side features say which candidate's passage is which."""
    results = _candidate("電子申請の利用は前年度より伸びた。")
    measure = _candidate(
        "電子申請の利用を広げる。",
        chunk=_chunk("電子申請の利用を広げる。", "measure", ("中期P20",)),
    )
    happened = QuestionText.of("電子申請の利用はどれほど伸びましたか")
    planned = QuestionText.of("電子申請の利用をどう広げていくのか")
    neither = QuestionText.of("電子申請について")
    assert _named(features(results, happened))["asked_side"] == 1.0
    assert _named(features(measure, happened))["other_side"] == 1.0
    assert _named(features(measure, planned))["asked_side"] == 1.0
    assert _named(features(results, planned))["other_side"] == 1.0
    row = _named(features(results, neither))
    assert row["asked_side"] == row["other_side"] == 0.0


def test_the_side_weight_is_one_fitted_number():
    saved = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))["weights"]
    assert saved["asked_side"] == -saved["other_side"] > 0


def test_the_attribute_asked_of_an_owner_is_told_from_anothers():
    asked = QuestionText.of("年金請求の所要日数は何日でしたか？")
    own = _named(features(_candidate("年金請求の所要日数は平均12日となった。"), asked))
    other = _named(features(_candidate("障害請求の所要日数は平均30日となった。"), asked))
    unasked = _named(features(_candidate("年金請求の受付を始めた。"), asked))
    assert own["owner_attribute"] == 1.0
    assert other["owner_attribute"] == -1.0
    assert unasked["owner_attribute"] == 0.0


def test_the_owner_may_be_stated_in_the_sentence_before_or_the_headings():
    """The plans name a subject once and leave it unsaid after (the sentence before, or
    the heading the passage sits under)."""
    asked = QuestionText.of("年金請求の所要日数は何日でしたか？")
    passage = "年金請求の審査を見直した。その結果、所要日数は平均12日となった。"
    after = _candidate("その結果、所要日数は平均12日となった。", chunk=_chunk(passage), position=1)
    assert _named(features(after, asked))["owner_attribute"] == 1.0
    headed = Chunk.build(
        text="所要日数は平均12日となった。",
        source="results.txt",
        locator="h",
        page=9,
        kind="result",
        title="年金請求の審査",
    )
    under = _candidate("所要日数は平均12日となった。", chunk=headed)
    assert _named(features(under, asked))["owner_attribute"] == 1.0
    far = "年金請求の審査を見直した。障害請求も調べた。所要日数は平均12日となった。"
    later = _candidate("所要日数は平均12日となった。", chunk=_chunk(far), position=2)
    assert _named(features(later, asked))["owner_attribute"] == -1.0


def test_the_owner_may_be_stated_anywhere_earlier_in_the_list_item():
    """A ○ item names its subject once at its start; its later sentences and ・ sub-items
    leave it out. The item ends at the next ○ line."""
    asked = QuestionText.of("年金請求の所要日数は何日でしたか？")
    item = "○年金請求の審査を見直した。\n・書類を減らした。\n・所要日数は平均12日となった。"
    inside = _candidate("所要日数は平均12日となった。", chunk=_chunk(item), position=2)
    assert _named(features(inside, asked))["owner_attribute"] == 1.0
    two = "○年金請求の審査を見直した。\n○障害請求も調べた。\n・所要日数は平均30日となった。"
    other = _candidate("所要日数は平均30日となった。", chunk=_chunk(two), position=2)
    assert _named(features(other, asked))["owner_attribute"] == -1.0


def test_an_owner_named_in_coordination_counts():
    """AとBのC asks C of A and of B; AのBとC asks C of A."""
    asked = QuestionText.of("年金請求と障害請求の所要日数は？")
    both = _candidate("障害請求の所要日数は平均30日となった。")
    assert _named(features(both, asked))["owner_attribute"] == 1.0
    shared = QuestionText.of("年金請求の件数と所要日数は？")
    other = _candidate("障害請求の所要日数は平均30日となった。")
    assert _named(features(other, shared))["owner_attribute"] == -1.0
    own = _candidate("年金請求の所要日数は平均12日となった。")
    assert _named(features(own, shared))["owner_attribute"] == 1.0


def test_a_question_naming_no_owner_leaves_the_feature_at_zero():
    asked = QuestionText.of("令和5年度の所要日数は？")
    row = _named(features(_candidate("障害請求の所要日数は平均30日となった。"), asked))
    assert row["owner_attribute"] == 0.0


def test_a_when_question_marks_the_sentences_naming_a_time():
    asked = QuestionText.of("電子申請の受付はいつ始まった？")
    dated = _named(features(_candidate("電子申請の受付は令和2年4月に始まった。"), asked))
    undated = _named(features(_candidate("電子申請の受付は広く使われている。"), asked))
    assert dated["dated"] == 1.0 and undated["dated"] == 0.0
    counted = QuestionText.of("電子申請の受付件数は？")
    assert _named(features(_candidate("令和2年4月に始まった。"), counted))["dated"] == 0.0
    # 何年間 asks how long, not when.
    assert not QuestionText.of("何年間続いた？").asks_when


def test_a_sentence_the_question_restates_and_the_one_after_it_are_marked():
    """A question restating one sentence of a passage asks what the next one says: the
    restated sentence holds nothing the asker did not say."""
    asked = QuestionText.of("事務センターを集約した後、どの体制になったか")
    passage = "事務センターを集約した。その後は二拠点の体制となった。"
    restated = _candidate("事務センターを集約した。", chunk=_chunk(passage))
    after = _candidate("その後は二拠点の体制となった。", chunk=_chunk(passage), position=1)
    first, second = _named(features(restated, asked)), _named(features(after, asked))
    assert first["restated"] == 1.0 and first["after_restated"] == 0.0
    assert second["restated"] == 0.0 and second["after_restated"] == 1.0
    # A yes/no question is answered by the sentence it restates.
    polar = QuestionText.of("事務センターを集約したか？")
    assert _named(features(restated, polar))["restated"] == 0.0
    ranker = SentenceRanker.load()
    assert ranker is not None
    scores = ranker.scores([restated, after], "事務センターを集約した後、どの体制になったか")
    assert scores[1] > scores[0]


def test_a_since_when_question_marks_a_date_bound_to_a_start():
    asked = QuestionText.of("電話予約の仕組みはいつから始めたの？")
    begun = _named(features(_candidate("電話予約は令和2年10月から全国で実施。"), asked))
    begun_too = _named(features(_candidate("平成30年度に予約制を導入した。"), asked))
    dated = _named(features(_candidate("令和4年6月に利用者は10万人を超えた。"), asked))
    assert begun["start_date"] == 1.0 and begun_too["start_date"] == 1.0
    assert dated["start_date"] == 0.0 and dated["dated"] == 1.0
    plain_when = QuestionText.of("利用者はいつ10万人を超えた？")
    assert (
        _named(features(_candidate("電話予約は令和2年10月から全国で実施。"), plain_when))[
            "start_date"
        ]
        == 0.0
    )


def test_the_shipped_ranker_prefers_the_sentence_stating_the_start_over_a_nearer_date():
    ranker = SentenceRanker.load()
    assert ranker is not None
    question = "窓口の電話予約はいつから始めた？"
    later = _candidate("窓口の電話予約は令和5年度の繁忙期にも安定して運用した。", rank=0)
    begun = _candidate("窓口の電話予約は令和2年10月から全国で実施。", rank=1, position=3)
    scores = ranker.scores([later, begun], question)
    assert scores[1] > scores[0]


def test_a_western_year_agrees_with_the_same_era_year():
    """A caller writes 2023年度 where the plans write 令和５年度: one year, not another."""
    asked = QuestionText.of("2023年度の窓口の予約率は？")
    same = _named(features(_candidate("窓口の予約率は令和５年度末時点で91.0％。"), asked))
    other = _named(features(_candidate("窓口の予約率は令和４年度末時点で90.1％。"), asked))
    assert same["year_agrees"] == 1.0 and same["year_differs"] == 0.0
    assert other["year_differs"] == 1.0
    # A month closes the fiscal year before: 令和6年3月 is in 令和5年度, not 令和6年度.
    march = _candidate("令和6年3月末までに通知を送付。")
    assert _named(features(march, QuestionText.of("2023年度に何通送った？")))["year_agrees"] == 1.0
    assert (
        _named(features(march, QuestionText.of("令和6年度に何通送った？")))["year_differs"] == 1.0
    )


def test_how_much_is_not_asked_as_when():
    """くらい before つながる holds いつ as letters, not as the word いつ."""
    assert not QuestionText.of("電話はどのくらいつながるの？").asks_when
    assert not QuestionText.of("何人ぐらいついたの？").asks_when
    assert QuestionText.of("電話はいつつながるの？").asks_when


def test_a_table_row_answers_for_the_year_its_header_names():
    table = "年 度 令和元年度 令和２年度 令和３年度\n\n受付率 81.2％ 82.5％ 83.9％"
    row = _candidate("受付率 81.2％ 82.5％ 83.9％", chunk=_chunk(table, kind="table"))
    header = _candidate("年 度 令和元年度 令和２年度 令和３年度", chunk=_chunk(table, kind="table"))
    assert _named(features(row, QuestionText.of("令和2年度の受付率は？")))["year_column"] == 1.0
    assert _named(features(row, QuestionText.of("2020年度の受付率は？")))["year_column"] == 1.0
    # A year the header does not name, no year asked, or the header line itself: 0.
    assert _named(features(row, QuestionText.of("令和5年度の受付率は？")))["year_column"] == 0.0
    assert _named(features(row, QuestionText.of("受付率は？")))["year_column"] == 0.0
    assert _named(features(header, QuestionText.of("令和2年度の受付率は？")))["year_column"] == 0.0


def test_the_reports_own_year_is_left_to_the_prose_that_names_it():
    """The results report states its own year's figure in a sentence naming the year; only
    the years before it are given in the table's columns alone."""
    table = "令和３年度 令和４年度 令和５年度\n受付率 82.5％ 83.9％ 84.4％"
    row = _candidate("受付率 82.5％ 83.9％ 84.4％", chunk=_chunk(table, kind="table"))
    assert _named(features(row, QuestionText.of("令和4年度の受付率は？")))["year_column"] == 1.0
    assert _named(features(row, QuestionText.of("令和5年度の受付率は？")))["year_column"] == 0.0


def test_the_shipped_ranker_leads_with_the_row_of_an_earlier_year():
    ranker = SentenceRanker.load()
    assert ranker is not None
    table = "年 度 令和元年度 令和２年度 令和３年度 令和４年度 令和５年度\n受付率 80.1％ 81.2％ 82.5％ 83.9％ 84.4％"
    latest = _candidate("受付率は引き続き80％以上を維持。", rank=0)
    row = _candidate(
        "受付率 80.1％ 81.2％ 82.5％ 83.9％ 84.4％",
        chunk=_chunk(table, kind="table"),
        rank=2,
        position=1,
    )
    scores = ranker.scores([latest, row], "令和2年度の受付率はどうだった？")
    assert scores[1] > scores[0]


def test_a_change_asked_marks_the_sentences_stating_two_points():
    asked = QuestionText.of("窓口の受付件数は前年度より増えたの？")
    both = _candidate("窓口の受付件数は1,204件（令和4年度：1,150件）となった。")
    level = _candidate("窓口の受付件数は令和5年度に1,204件となった。")
    assert _named(features(both, asked))["two_points"] == 1.0
    assert _named(features(level, asked))["two_points"] == 0.0
    plain = QuestionText.of("窓口の受付件数は何件？")
    assert _named(features(both, plain))["two_points"] == 0.0


def test_a_figure_of_the_asked_kind_in_the_attributes_clause_is_bound():
    asked = QuestionText.of("研修の受講率は何％でしたか？")
    bound = _named(features(_candidate("研修の受講率は88.5％となった。"), asked))
    elsewhere = _named(features(_candidate("研修を実施し、満足度は88.5％となった。"), asked))
    count = _named(features(_candidate("研修の受講者数は1,204人となった。"), asked))
    assert bound["value_bound"] == 1.0
    assert elsewhere["value_bound"] == 0.0
    assert count["value_bound"] == 0.0
    when = QuestionText.of("研修の受講率は何年度から公表していますか？")
    assert (
        _named(features(_candidate("研修の受講率は88.5％となった。"), when))["value_bound"] == 0.0
    )


def test_the_asked_attribute_qualified_by_another_subject_is_marked():
    asked = QuestionText.of("窓口の受付件数は何件だった？")
    other = _named(features(_candidate("郵送の受付件数は1,204件となった。"), asked))
    own = _named(features(_candidate("窓口の受付件数は980件となった。"), asked))
    unsaid = _named(features(_candidate("令和５年度の受付件数は980件となった。"), asked))
    compound = _named(features(_candidate("郵送受付件数は1,204件となった。"), asked))
    assert other["attribute_of_other"] == 1.0
    assert own["attribute_of_other"] == 0.0
    assert unsaid["attribute_of_other"] == 0.0
    assert compound["attribute_of_other"] == 0.0  # a compound may be the asked one's name
    # A noun with okurigana is one qualifier; a な-adjective is none.
    errors = QuestionText.of("届出の誤りの件数は何件だった？")
    mistaken = _candidate("事務処理誤りの件数は324件となった。")
    assert _named(features(mistaken, errors))["attribute_of_other"] == 1.0
    deadline = QuestionText.of("納付の期限はいつまでですか？")
    possible = _candidate("追納可能な期限の直前の方に勧奨した。")
    assert _named(features(possible, deadline))["attribute_of_other"] == 0.0


def test_the_shipped_ranker_weighs_the_value_bound_and_not_anothers_attribute():
    """attribute_of_other was fitted negative but lost end to end on two training files."""
    saved = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    assert saved["weights"]["value_bound"] > 0
    assert saved["weights"]["attribute_of_other"] == 0.0
    assert "held-value_bound+attribute_of_other.md" in saved["provenance"]
