"""answer/attribute_missing.py: where the asked attribute goes missing (the best sentence, the
top passages, the plans), in any equivalent wording, and how rarely the plans write it."""

from __future__ import annotations

from answer.attribute_missing import attribute_missing, rarity
from ingest.model import Chunk


def _passage(text: str, headings: str = "") -> Chunk:
    return Chunk(
        id=text[:8], text=text, source="plan.pdf", page=1, kind="measure", context=headings
    )


def _equivalents(phrase: str) -> list[str]:
    # A glossary of one line, as the lexical index gives equivalents (受付時間 = 窓口時間).
    return {"受付時間": ["窓口時間"]}.get(phrase, [])


PLANS = "分室の窓口時間を延長する。職員の研修を実施する。"


def test_the_asked_attribute_in_the_best_sentence_is_not_missing():
    best = "分室の窓口時間は17時までとする。"
    where = attribute_missing("受付時間", best, [_passage(best)], PLANS, _equivalents)
    assert where == ""  # found through its equivalent


def test_the_asked_attribute_only_in_another_top_passage_is_missing_from_the_best():
    passages = [_passage("年金事務所を全国に置く。"), _passage("窓口時間を延長する。")]
    where = attribute_missing("受付時間", "年金事務所を全国に置く。", passages, PLANS, _equivalents)
    assert where == "best"


def test_the_asked_attribute_written_elsewhere_in_the_plans_is_missing_from_the_passages():
    passages = [_passage("年金事務所を全国に置く。")]
    where = attribute_missing("研修", "年金事務所を全国に置く。", passages, PLANS, _equivalents)
    assert where == "passages"


def test_the_asked_attribute_the_plans_never_write_is_unwritten():
    passages = [_passage("年金事務所を全国に置く。")]
    where = attribute_missing("平均年齢", "年金事務所を全国に置く。", passages, PLANS, _equivalents)
    assert where == "plans"


def test_no_attribute_read_is_nothing_missing():
    assert attribute_missing(None, "", [], PLANS, _equivalents) == ""


def test_an_attribute_written_everywhere_weighs_less_missing_than_one_never_written():
    plans = "件数は10件。件数は20件。件数は30件。"
    assert rarity("平均年齢", plans, _equivalents) == 1.0
    assert rarity("件数", plans, _equivalents) < rarity("平均年齢", plans, _equivalents)
    # An equivalent the plans write counts as the attribute written.
    assert rarity("受付時間", "窓口時間を延長する。", _equivalents) < 1.0
