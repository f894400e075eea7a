"""Another document's own figure is said beside the lead's (answer/other_source.py): a
branch's plan written in the question's words leads, and the national plans' figure of the
same attribute follows, each citing its own document. Real Sudachi, real encoder, a real
index over a copy of the bundled plans and a branch plan of our own wording."""

from __future__ import annotations

import asyncio

import pytest

from answer import AnswerService, AskRequest
from answer.other_source import scoped_title
from api.app import build_service
from index.build.builder import build_index
from planqa.settings import PathSettings, Settings

BRANCH = "北浦支所の業務計画\n\n●電話相談の応答率は85%以上を目標とする。\n●来客用の受付は9時に開始する。\n"


@pytest.fixture(scope="module")
def service(
    tmp_path_factory: pytest.TempPathFactory, use_encoder, bundled_plans_copier
) -> AnswerService:
    data, var = bundled_plans_copier(tmp_path_factory.mktemp("other-document"))
    (data / "北浦計画.txt").write_text(BRANCH, encoding="utf-8")
    settings = Settings(paths=PathSettings(data_dir=data, var_dir=var))
    build_index([data], settings, use_encoder)
    return build_service(settings, use_encoder)


def test_a_branch_figure_does_not_hide_the_national_one(service):
    body = asyncio.run(service.answer(AskRequest(question="電話相談の応答率の目標は？", top_k=5)))
    assert body.answered
    lines = body.answer.split("\n")
    branch = [line for line in lines if "85%" in line]
    national = [line for line in lines if "70%" in line]
    assert branch and "北浦計画.txt" in branch[0]
    assert national and "北浦計画.txt" not in national[0] and "中期P46" in national[0]


def test_a_question_naming_the_branch_is_answered_by_the_branch_alone(service):
    question = "北浦支所の電話相談の応答率の目標は？"
    body = asyncio.run(service.answer(AskRequest(question=question, top_k=5)))
    assert body.answered
    assert "85%" in body.answer.split("\n")[0]
    assert "70%" not in body.answer


@pytest.mark.parametrize(
    ("title", "question", "scoped"),
    [
        ("北浦支所の業務計画", "電話相談の応答率の目標は？", True),
        ("北浦支所の業務計画", "北浦支所の応答率の目標は？", False),
        ("西町年金事務所の運営方針", "応答率は？", True),
        ("日本年金機構の年度計画", "応答率は？", False),
        (None, "応答率は？", False),
    ],
)
def test_a_title_scopes_its_document_when_it_names_an_office(title, question, scoped):
    assert scoped_title(title, question) is scoped
