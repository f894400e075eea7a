"""answer/listed_figures.py: a first statement runs on through the short list of figures
it introduces, when it lacks the asked figure."""

from __future__ import annotations

from answer.extractive import Picked
from answer.figures import asked_figure
from answer.listed_figures import continued
from ingest.model import Chunk

_TEXT = (
    "○届出を受理してから決定通知を発送するまでの処理期間の目標（処理基準）を守る。\n"
    "＜処理基準＞\n"
    "・変更届：１ヶ月\n"
    "・新規届：３ヶ月\n"
    "○窓口の混雑状況を毎月公表する。"
)
_LEAD = "○届出を受理してから決定通知を発送するまでの処理期間の目標（処理基準）を守る。"


def _picked(text: str = _TEXT) -> list[Picked]:
    chunk = Chunk(id="c1", text=text, source="plan.pdf", page=1, kind="fy_plan", context="")
    return [Picked(_LEAD, _LEAD[1:], chunk, 1.0, 2.0)]


def test_a_span_asked_is_read_from_the_list_the_lead_introduces():
    picked = continued(_picked(), asked_figure("決定通知が届くまで何日ほどかかる？"))
    quote = picked[0].quote
    assert quote.startswith(_LEAD) and quote.endswith("・新規届：３ヶ月")
    assert quote in _TEXT  # still one verbatim run of the passage
    assert "混雑" not in quote
    assert "\n" not in picked[0].shown


def test_a_lead_stating_the_figure_or_a_question_asking_none_stays_as_it_is():
    assert continued(_picked(), None)[0].quote == _LEAD
    stated = _TEXT.replace("目標（処理基準）を守る。", "目標（処理基準）を２週間とする。")
    lead = _LEAD.replace("目標（処理基準）を守る。", "目標（処理基準）を２週間とする。")
    chunk = Chunk(id="c2", text=stated, source="plan.pdf", page=1, kind="fy_plan", context="")
    figure = asked_figure("決定通知は何日で届く？")
    assert continued([Picked(lead, lead, chunk, 1.0, 2.0)], figure)[0].quote == lead


def test_a_list_without_the_asked_figure_is_not_joined():
    text = _TEXT.replace("・変更届：１ヶ月\n・新規届：３ヶ月", "・変更届：窓口\n・新規届：郵送")
    picked = continued(_picked(text), asked_figure("決定通知は何日で届く？"))
    assert picked[0].quote == _LEAD
