"""The answer evaluation: the runner with a handed-in ``ask``, then end to end on a real index
through ``planqa eval answers`` (in-process and over HTTP).

The gold files are written here, in our own wording, in both formats: the project's own
(``labels``, ``split``) and the outside set's (``refs``, ``history``, no split).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from api.cli import main
from eval.answers import AnswerReport, http_ask, main_answers, run_answer_eval
from eval.gold import load_gold
from planqa.settings import Settings

PREVIOUS = "令和5年度の国民年金の現年度納付率は？"
OWN_ROWS = [
    {
        "id": "t-rate",
        "question": PREVIOUS,
        "type": "factual",
        "answer": "77.6%（12年連続の向上）",
        "evidence": ["前年度納付率＋1.6ポイントの77.6％"],
        "facts": ["77.6%"],
        "labels": ["資料1-3 P6"],
        "source": "jps-3rd-midterm-fy2023-results.txt",
        "split": "test",
    },
    {
        "id": "t-none",
        "question": "年金事務所の駐車場は何台分ありますか？",
        "type": "unanswerable",
        "answer": "",
        "evidence": [],
        "facts": [],
        "labels": [],
        "source": "jps-3rd-midterm-fy2023-results.txt",
        "split": "dev",
    },
]
FOLLOWUP = {
    "id": "x-follow",
    "question": "それは何年連続？",
    "history": [
        {"role": "user", "content": PREVIOUS},
        {"role": "assistant", "content": "77.6%です。【資料1-3 P6】"},
    ],
    "answer": "12年連続の向上",
    "evidence": ["12年連続の向上"],
    "facts": ["12年連続"],
    "refs": ["資料1-3 P6"],
    "doc": "002",
    "type": "followup",
}
RATE_TEXT = "○現年度納付率については前年度納付率＋1.6ポイントの77.6％（12年連続の向上）。"


def write_gold(directory: Path) -> Path:
    """Our own-format file and an outside-format file with a follow-up, in one directory."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in (("a-own.jsonl", OWN_ROWS), ("b-outside.jsonl", [FOLLOWUP])):
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        (directory / name).write_text(lines, encoding="utf-8")
    return directory


class RecordingAsk:
    """An ``ask`` that records what the runner hands it and answers from the rate passage.

    It stands in for the answer service where the runner alone is under test."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[dict[str, str]]]] = []

    async def __call__(self, question: str, history: list[dict[str, str]]) -> dict[str, Any]:
        self.calls.append((question, history))
        if "駐車場" in question:
            return {"answer": "記載が見当たりません。", "answered": False, "contexts": []}
        return {
            "answer": "77.6%（12年連続の向上）【資料1-3 P6】\n前年度から1.6ポイント上昇【資料1-3 P6】",
            "answered": True,
            "citations": [{"label": "資料1-3 P6", "chunk_id": "rate", "quote": RATE_TEXT}],
            "contexts": [
                {"chunk_id": "rate", "text": RATE_TEXT, "refs": ["資料1-3 P6"], "labels": []}
            ],
            "question_used": question,
            "mode": "extractive",
        }


# --- the runner, with ask handed in -------------------------------------------------------------
def test_a_followup_reaches_ask_with_its_history(tmp_path: Path) -> None:
    questions = load_gold(write_gold(tmp_path / "gold"))
    ask = RecordingAsk()

    report = asyncio.run(run_answer_eval(questions, ask, warm_up=False))

    assert ask.calls == [
        (PREVIOUS, []),
        ("年金事務所の駐車場は何台分ありますか？", []),
        ("それは何年連続？", FOLLOWUP["history"]),
    ]
    assert [row.history_turns for row in report.rows] == [0, 0, 2]
    assert [row.split for row in report.rows] == ["test", "dev", "outside"]


def test_the_report_carries_first_statement_and_answer_length(tmp_path: Path) -> None:
    questions = load_gold(write_gold(tmp_path / "gold"))

    report = asyncio.run(run_answer_eval(questions, RecordingAsk(), warm_up=False))

    rate, unanswerable, followup = report.rows
    assert rate.first_statement_holds is True and followup.first_statement_holds is True
    assert unanswerable.first_statement_holds is None and not unanswerable.answered
    overall = report.overall()
    assert overall["first_statement"] == 1.0
    assert overall["fact_coverage"] == 1.0 and overall["recall@5"] == 1.0
    assert overall["false_declines"] == 0.0 and overall["unanswerable_declined"] == 1.0
    assert overall["median_answer_chars"] == len(rate.answer)  # declines left out
    assert report.by_type()["followup"]["n"] == 1


def test_main_answers_writes_named_reports_and_json_rows(tmp_path: Path, capsys) -> None:
    questions = load_gold(write_gold(tmp_path / "gold"))
    json_out = tmp_path / "rows.json"

    @contextlib.asynccontextmanager
    async def opened():  # main_answers also takes an ask to open for the run (http_ask)
        yield RecordingAsk()

    main_answers(
        questions, opened(), tmp_path / "out", name="answers-mine", json_out=json_out, meta={}
    )

    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["answers-mine.json", "answers-mine.md", "answers-mine.png"]
    saved = json.loads(json_out.read_text(encoding="utf-8"))
    assert saved == json.loads((tmp_path / "out" / "answers-mine.json").read_text("utf-8"))
    rows = {row["id"]: row for row in saved["questions"]}
    assert rows["x-follow"]["type"] == "followup"
    assert rows["x-follow"]["first_statement_holds"] is True
    assert rows["x-follow"]["answer_chars"] == len(rows["x-follow"]["answer"])
    assert rows["t-none"]["answered"] is False
    assert {"fact_coverage", "citation_precision", "recall@5"} <= set(rows["t-rate"]["scores"])
    printed = capsys.readouterr().out
    assert "| first_statement |" in printed and "| median_answer_chars |" in printed
    assert "| followup | 1 |" in printed


# --- end to end on a real index ---------------------------------------------------------------
@pytest.fixture(scope="module")
def settings(indexed_settings: Settings) -> Settings:
    """The session's index of the bundled plans (read only here)."""
    return indexed_settings


def cli_env(settings: Settings) -> dict[str, str]:
    return {
        "PLANQA_PATHS__DATA_DIR": str(settings.paths.data_dir),
        "PLANQA_PATHS__VAR_DIR": str(settings.paths.var_dir),
    }


def test_eval_answers_in_process_sends_the_history(settings: Settings, tmp_path: Path) -> None:
    gold = write_gold(tmp_path / "gold")
    json_out = tmp_path / "rows.json"

    result = CliRunner().invoke(
        main,
        ["eval", "answers", "--gold", str(gold), "--json-out", str(json_out)],
        env=cli_env(settings),
    )

    assert result.exit_code == 0, result.output
    assert "| fact_coverage |" in result.output
    rows = {r["id"]: r for r in json.loads(json_out.read_text("utf-8"))["questions"]}
    assert set(rows) == {"t-rate", "t-none", "x-follow"}
    assert all(row["error"] is None for row in rows.values())
    # The follow-up was resolved with its history: the question searched names its subject.
    assert "納付率" in "".join(rows["x-follow"]["question_used"].split())
    assert (settings.paths.var_dir / "eval" / "answers-gold.md").exists()


def test_eval_answers_refuses_an_empty_split(settings: Settings, tmp_path: Path) -> None:
    gold = write_gold(tmp_path / "gold") / "b-outside.jsonl"

    result = CliRunner().invoke(
        main, ["eval", "answers", "--gold", str(gold), "--split", "dev"], env=cli_env(settings)
    )

    assert result.exit_code != 0
    assert "no gold question of split 'dev'" in result.output


def recording(app, bodies: list[dict]):
    """The real ASGI app, with the JSON body of every POST /ask kept in ``bodies``."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "http" or scope["path"] != "/ask":
            return await app(scope, receive, send)
        chunks: list[bytes] = []

        async def receive_and_keep():
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                bodies.append(json.loads(b"".join(chunks)))
            return message

        return await app(scope, receive_and_keep, send)

    return wrapped


def test_over_http_the_history_and_top_k_are_posted_and_answers_match_in_process(
    settings: Settings, use_encoder, tmp_path: Path
) -> None:
    from api.app import build_service, create_app
    from api.cli_eval import _local_ask

    questions = load_gold(write_gold(tmp_path / "gold"))
    bodies: list[dict] = []
    app = create_app(settings, build_service(settings, use_encoder))
    transport = httpx.ASGITransport(app=recording(app, bodies))

    async def both() -> tuple[AnswerReport, AnswerReport]:
        async with http_ask("http://127.0.0.1", transport=transport, top_k=7) as ask:
            over_http = await run_answer_eval(questions, ask, warm_up=False)
        return over_http, await run_answer_eval(questions, _local_ask(settings, 7), warm_up=False)

    over_http, in_process = asyncio.run(both())

    assert [b["history"] for b in bodies] == [[], [], FOLLOWUP["history"]]
    assert {b["top_k"] for b in bodies} == {7}
    assert [r.answer for r in over_http.rows] == [r.answer for r in in_process.rows]
    assert [r.scores for r in over_http.rows] == [r.scores for r in in_process.rows]
