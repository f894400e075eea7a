"""The answer evaluation end to end on a real index: six gold questions, real service."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from api.app import build_service, create_app
from eval.answers import AnswerReport, http_ask, main_answers, run_answer_eval, service_ask
from eval.gold import GoldQuestion, load_gold
from planqa.settings import Settings

# factual, paraphrase, page, multi, keyword, and two the plans do not answer
IDS = ("rs-004", "ov-003", "ov-011", "rs-003", "rs-002", "un-001", "un-002")


@pytest.fixture(scope="module")
def settings(indexed_settings: Settings) -> Settings:
    """The session's index of the bundled plans (read only here)."""
    return indexed_settings


@pytest.fixture(scope="module")
def questions() -> list[GoldQuestion]:
    by_id = {q.id: q for q in load_gold()}
    return [by_id[i] for i in IDS]


def test_main_answers_writes_the_report_files(
    settings: Settings, questions, use_encoder, tmp_path: Path, capsys
) -> None:
    report = main_answers(settings, None, "all", tmp_path, questions=questions, encoder=use_encoder)

    assert [row.id for row in report.rows] == list(IDS)
    markdown = (tmp_path / "answers.md").read_text(encoding="utf-8")
    assert "## Overall against targets" in markdown
    for name in ("fact_coverage", "citation_precision", "unanswerable_declined"):
        assert f"| {name} |" in markdown
    assert (tmp_path / "answers.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    saved = json.loads((tmp_path / "answers.json").read_text(encoding="utf-8"))
    assert len(saved["questions"]) == len(IDS)
    assert set(saved["by_type"]) >= {"all", "factual", "unanswerable"}
    assert "| false_declines |" in capsys.readouterr().out


def test_every_figure_is_a_share_or_not_applicable(
    settings: Settings, questions, use_encoder, tmp_path: Path
) -> None:
    report = main_answers(settings, None, "all", tmp_path, questions=questions, encoder=use_encoder)

    figures = list(report.overall().values())
    figures += [v for line in report.by_type().values() for k, v in line.items() if k != "n"]
    figures += [v for row in report.rows for v in row.scores.values()]
    assert all(v is None or 0.0 <= v <= 1.0 for v in figures)
    assert report.overall()["unanswerable_declined"] is not None
    assert all(row.error is None and row.latency_ms > 0 for row in report.rows)
    assert 0 < report.latency()["p50_ms"] <= report.latency()["max_ms"]


def test_over_http_the_answers_match_the_in_process_ones(
    settings: Settings, questions, use_encoder
) -> None:
    service = build_service(settings, use_encoder)
    transport = httpx.ASGITransport(app=create_app(settings, service))

    async def both() -> tuple[AnswerReport, AnswerReport]:
        async with http_ask("http://planqa.test", transport=transport) as ask:
            over_http = await run_answer_eval(questions, ask)
        return over_http, await run_answer_eval(questions, service_ask(service))

    over_http, in_process = asyncio.run(both())

    assert [r.answer for r in over_http.rows] == [r.answer for r in in_process.rows]
    assert [r.scores for r in over_http.rows] == [r.scores for r in in_process.rows]
