"""Every answer to one gold file, with where its evidence stood: the dump a miss diagnosis
starts from.

For each question: the per-type figures of ``planqa eval answers`` (in process, top_k 10),
then one JSON row per question with its facts, the facts missing, whether the first
statement holds them all, the rank of the first context holding the evidence (None: not
in the contexts returned), the answer and the first five contexts' labels. A miss whose
evidence is in the contexts is the answer stage's; one whose evidence is not is
retrieval's. The dump holds the gold's wording: write it outside the repository.

    .venv/bin/python bench/gold_misses.py eval/gold/train/uncovered.jsonl /tmp/rows.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from answer.schemas import AskRequest  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.answer_metrics import holds_evidence  # noqa: E402
from eval.answers import run_answer_eval  # noqa: E402
from eval.gold import load_gold  # noqa: E402
from planqa.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    service = build_service(Settings())
    questions = load_gold(args.gold)
    responses: dict[str, dict[str, Any]] = {}

    async def ask(question: str, history: list[dict[str, str]]) -> dict[str, Any]:
        response = await service.answer(AskRequest(question=question, history=history, top_k=10))
        responses[question] = response.model_dump()
        return responses[question]

    report = asyncio.run(run_answer_eval(questions, ask, warm_up=False))
    for group, line in report.by_type().items():
        shown = {k: round(v, 3) if isinstance(v, float) else v for k, v in line.items()}
        print(group, shown)
    rows = []
    for question, row in zip(questions, report.rows, strict=True):
        body = responses[question.question]
        rank = next(
            (
                i
                for i, c in enumerate(body["contexts"])
                if holds_evidence(c["text"], question.evidence)
            ),
            None,
        )
        rows.append(
            {
                "id": question.id,
                "type": question.type,
                "facts": question.facts,
                "missing": row.missing_facts,
                "first_statement_holds": row.first_statement_holds,
                "answered": row.answered,
                "evidence_context_rank": rank,
                "answer": body["answer"],
                "contexts": [c["labels"] for c in body["contexts"][:5]],
            }
        )
    args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
