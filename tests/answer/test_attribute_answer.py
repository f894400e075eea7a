"""End to end: a figure asked of a topic through a verb (…の予約率は何%に到達しましたか)
is answered with that topic's figure, not with another measure's beside it.

The old reading took the verb's noun (到達) for the asked attribute, so the ranker knew
neither the attribute (予約率) nor whose it is (窓口), and another measure's figure in the
same passage was admitted beside the answer. The passage is written here; it is no plan
text and no evaluation item.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from answer import AskRequest
from api.app import build_service
from planqa.settings import PathSettings, Settings

PASSAGE = (
    "窓口サービスの改善\n"
    "相談体制の充実を目指し、予約制の周知と予約率の向上に取り組む。\n"
    "窓口の予約率は令和5年度に85%となった。\n"
    "電話の応答率は75%を維持する。\n"
)


def test_a_figure_asked_through_a_verb_is_answered_with_that_attribute_alone(
    tmp_path: Path, use_encoder
):
    from index.build.builder import build_index

    data = tmp_path / "plans"
    data.mkdir()
    (data / "madoguchi.txt").write_text(PASSAGE, encoding="utf-8")
    settings = Settings(paths=PathSettings(data_dir=data, var_dir=tmp_path / "var"))
    build_index([data], settings, use_encoder)
    service = build_service(settings, use_encoder)
    request = AskRequest(question="窓口の予約率は何%に到達しましたか？", top_k=10)
    body = asyncio.run(service.answer(request))
    assert body.answered
    assert body.answer.startswith("窓口の予約率は令和5年度に85%となった。")
    assert "応答率" not in body.answer
