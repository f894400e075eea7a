"""The retrieval evaluation: its recall@k rule, follow-ups searched with their history, and
``planqa eval retrieval --gold`` on an outside-format file over a real index."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from api.cli import main
from eval.gold import GoldQuestion, Turn
from eval.retrieval import evaluate
from planqa.settings import Settings

TEXTS = ["研修を実施した（1,441回）。", "現年度納付率は77.6％（12年連続の向上）。", "その他。"]


def question(id_: str, evidence: tuple[str, ...], history: tuple[Turn, ...] = ()) -> GoldQuestion:
    return GoldQuestion(
        id=id_,
        question="それは何年連続？" if history else "研修は何回？",
        type="followup" if history else "number",
        answer="",
        evidence=evidence,
        facts=(),
        labels=(),
        source="002",
        split="outside",
        history=history,
    )


def test_recall_at_k_needs_one_evidence_string_and_evidence_at_10_all_of_them() -> None:
    two_parts = question("x1", ("納付率は77.6％", "どこにも書かれていない"))

    report = evaluate("fixed", [two_parts], lambda text, k: TEXTS[:k], TEXTS)

    scores = report.questions[0].scores
    assert scores["recall@1"] == 0.0
    assert scores["recall@5"] == 1.0 and scores["recall@10"] == 1.0
    assert scores["evidence@10"] == 0.5


def test_a_followup_is_searched_as_search_text_makes_it() -> None:
    history = (Turn("user", "納付率は？"), Turn("assistant", "77.6%です。"))
    searched: list[str] = []

    def ranker(text: str, k: int) -> list[str]:
        searched.append(text)
        return TEXTS[:k]

    evaluate(
        "fixed",
        [question("x1", ("1,441回",)), question("x2", ("12年連続",), history)],
        ranker,
        TEXTS,
        search_text=lambda q: " ".join([*(t.content for t in q.history[:1]), q.question]),
    )

    assert searched == ["研修は何回？", "納付率は？ それは何年連続？"]


def test_eval_retrieval_reads_an_outside_format_file(
    indexed_settings: Settings, tmp_path: Path
) -> None:
    rows = [
        {
            "id": "x-rate",
            "question": "国民年金の現年度納付率、令和5年度はどれくらい？",
            "history": [],
            "answer": "77.6%",
            "evidence": ["前年度納付率＋1.6ポイントの77.6％"],
            "facts": ["77.6%"],
            "refs": ["資料1-3 P6"],
            "doc": "002",
            "type": "number",
        },
        {
            "id": "x-follow",
            "question": "それは何年連続？",
            "history": [
                {"role": "user", "content": "令和5年度の国民年金の現年度納付率は？"},
                {"role": "assistant", "content": "77.6%です。【資料1-3 P6】"},
            ],
            "answer": "12年連続",
            "evidence": ["12年連続の向上"],
            "facts": ["12年連続"],
            "refs": ["資料1-3 P6"],
            "doc": "002",
            "type": "followup",
        },
    ]
    gold = tmp_path / "mine.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    out = tmp_path / "retrieval.json"
    env = {
        "PLANQA_PATHS__DATA_DIR": str(indexed_settings.paths.data_dir),
        "PLANQA_PATHS__VAR_DIR": str(indexed_settings.paths.var_dir),
    }

    result = CliRunner().invoke(
        main,
        ["eval", "retrieval", "--gold", str(gold), "--no-baseline", "--json", str(out)],
        env=env,
    )

    assert result.exit_code == 0, result.output
    assert "| followup | 1 |" in result.output and "evidence@10" in result.output
    scored = {
        q["id"]: q["scores"] for q in json.loads(out.read_text("utf-8"))["planqa"]["questions"]
    }
    assert set(scored) == {"x-rate", "x-follow"}
    assert scored["x-follow"]["recall@10"] == 1.0
