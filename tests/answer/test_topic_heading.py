"""A first statement that leaves its subject to the heading is shown after that heading
when the question restates it and asks what it leaves unsaid (answer/topic_heading.py)."""

from __future__ import annotations

import asyncio

import pytest

from answer.extractive import Picked
from answer.schemas import AskRequest
from answer.topic_heading import name_topic, topic_of
from api.app import build_service
from ingest.model import Chunk
from planqa.settings import PathSettings, Settings

LIBRARY = """北斗市立図書館

1998年に駅前の再開発に合わせて現在の建物へ移転した。蔵書は約40万冊で、道内の公立図書館では3番目に多い。2015年には郷土資料のデジタル化を始め、古地図や写真をウェブで公開している。
"""
MUSEUM = """南部鉄器記念館

館内では鋳物の製法を工程ごとに展示している。毎年秋には職人による実演会が開かれ、県外からも多くの見学者が訪れる。
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, use_encoder):
    from index.build.builder import build_index

    root = tmp_path_factory.mktemp("topic")
    data = root / "files"
    data.mkdir()
    (data / "library.txt").write_text(LIBRARY, encoding="utf-8")
    (data / "museum.txt").write_text(MUSEUM, encoding="utf-8")
    settings = Settings(paths=PathSettings(data_dir=data, var_dir=root / "var"))
    build_index([data], settings, use_encoder)
    return build_service(settings, use_encoder)


def _first_line(service, question: str) -> str:
    answer = asyncio.run(service.answer(AskRequest(question=question, top_k=10)))
    assert answer.answered, answer.notes
    return answer.answer.splitlines()[0]


def test_a_restated_sentence_is_shown_after_the_topic_its_heading_names(service):
    first = _first_line(service, "1998年に駅前の再開発に合わせて現在の建物へ移転した施設は？")
    assert first.startswith("北斗市立図書館：1998年に駅前の再開発"), first
    assert first.endswith("【library.txt p.1】")
    first = _first_line(
        service, "毎年秋に職人による実演会が開かれ、県外からも多くの見学者が訪れるのはどこ？"
    )
    assert first.startswith("南部鉄器記念館：毎年秋には職人による実演会"), first


def test_the_heading_is_not_added_when_the_question_names_it_or_asks_yes_or_no(service):
    named = _first_line(service, "北斗市立図書館が駅前の再開発に合わせて移転したのはいつ？")
    assert not named.startswith("北斗市立図書館："), named
    polar = _first_line(service, "1998年に駅前の再開発に合わせて現在の建物へ移転したか？")
    assert not polar.startswith("北斗市立図書館："), polar


def test_only_a_short_name_is_a_topic():
    def lead(title: str) -> Picked:
        chunk = Chunk.build(
            text="現在の建物へ移転した。", source="a.txt", locator="a", page=1, kind="text",
            title=title,
        )  # fmt: skip
        return Picked("現在の建物へ移転した。", "現在の建物へ移転した。", chunk, 1.0)

    assert topic_of(lead("北斗市立図書館")) == "北斗市立図書館"
    assert topic_of(lead("来訪相談の予約受付を拡大し、待ち時間を短縮する")) == ""
    question = "現在の建物へ移転した施設は？"
    assert name_topic(question, [lead("北斗市立図書館")], 2.0)[0].shown == "現在の建物へ移転した。"
