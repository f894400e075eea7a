"""Kanji numerals are the figures they are (question/counters.py arabic_figures): 二十名,
三件, 百万人, 千二百 are read as counts by the answer-type check, the value binding and the
sentence selection; 一部, 一層, 一体 and 第一 are not. Real Sudachi; the answer through a
real index of a small text."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from answer import AnswerService, AskRequest
from answer.figures import asked_figure
from answer.value_binding import figure_pattern, states_bound_value, states_value
from api.app import build_service
from index.build.builder import build_index
from planqa.settings import PathSettings, Settings
from question.answer_type import counted_nouns, provides
from question.counters import arabic_figures


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("相談員は二十名です", "相談員は20名です"),
        ("苦情は三件あった", "苦情は3件あった"),
        ("利用者は百万人を超えた", "利用者は1000000人を超えた"),
        ("千二百の事業所", "1200の事業所"),
        ("一部の事務所で一層の改善を一体的に進める", "一部の事務所で一層の改善を一体的に進める"),
        ("第一に、第三線の確認を行う", "第一に、第三線の確認を行う"),
    ],
)
def test_kanji_numerals_that_state_a_figure_are_read_in_digits(text, read):
    assert arabic_figures(text) == read


def test_a_count_written_in_kanji_numerals_answers_a_count_asked():
    sentence = "年金相談員は二十名を配置した。"
    assert provides("count", [sentence], "名")
    figures = figure_pattern("年金相談員", "名", "count")
    assert figures is not None
    assert states_value(sentence, figures)
    assert states_bound_value(sentence, "年金相談員", figures, lambda _: [])
    asked = asked_figure("年金相談員は何名？")
    assert asked is not None and asked.search(sentence)
    assert not provides("count", ["一部の窓口で一層の改善を進めた。"], "件")


def test_a_noun_right_after_a_kanji_figure_in_the_question_is_its_unit_not_what_it_counts():
    assert counted_nouns("二十拠点のうち相談窓口は何か所？", ["拠点", "相談窓口"]) == ["相談窓口"]


TEXT = """＜相談体制＞
年金相談センターには、年金相談員を二十名配置し、予約制の相談を行った。
相談の予約は、電話とインターネットで受け付けた。
＜広報＞
広報誌を年四回発行し、事業所への周知を進めた。
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, use_encoder) -> AnswerService:
    root: Path = tmp_path_factory.mktemp("kanji")
    data = root / "plans"
    data.mkdir()
    (data / "sodan.txt").write_text(TEXT, encoding="utf-8")
    settings = Settings(paths=PathSettings(data_dir=data, var_dir=root / "var"))
    build_index([data], settings, use_encoder)
    return build_service(settings, use_encoder)


def test_a_count_stated_in_kanji_numerals_is_answered_not_declined(service):
    request = AskRequest(question="年金相談センターの年金相談員は何名？", top_k=5)
    body = asyncio.run(service.answer(request))
    assert body.answered
    assert "二十名" in body.answer.split("\n")[0]
