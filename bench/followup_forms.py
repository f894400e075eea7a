"""Follow-ups asked with the history in the two forms chat clients send it.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/followup_forms.py [--outside FILE] [--out FILE]

Every labelled question with a history (own gold, the training files, the outside set's
follow-ups) is answered twice by the in-process /ask service over the built index (run
``planqa index`` first): with the history as written (the user turns and the answers as
plain text, with their 【labels】 where the writer gave them) and with the user turns only
(a client that sends no answers back). Printed per set and form: n, fact coverage, first
statement holds every fact, citation precision and recall, median answer length.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common.report import machine  # noqa: E402

from answer.schemas import AskRequest  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.answers import run_answer_eval  # noqa: E402
from eval.gold import load_gold  # noqa: E402
from planqa.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--outside", type=Path, default=ROOT.parent / "shared" / "eval" / "outside-questions.jsonl"
    )
    parser.add_argument("--out", type=Path, help="also write the table here")
    args = parser.parse_args()
    service = build_service(Settings())

    async def as_written(question: str, history: list) -> dict:
        request = AskRequest(question=question, history=history, top_k=10)
        return (await service.answer(request)).model_dump()

    async def users_only(question: str, history: list) -> dict:
        turns = [t for t in history if (getattr(t, "role", None) or t["role"]) == "user"]
        return await as_written(question, turns)

    training = sorted(glob.glob(str(ROOT / "eval" / "gold" / "train" / "*.jsonl")))
    sets = {
        "own gold": [q for q in load_gold() if q.history],
        "training": [q for f in training for q in load_gold(Path(f)) if q.history],
        "outside": [q for q in load_gold(args.outside) if q.history]
        if args.outside.is_file()
        else [],
    }
    started = time.perf_counter()
    lines = [
        f"Machine: {machine()}. Command: `{' '.join(sys.argv)}`.",
        "",
        "| set | history | n | F | 1st | P | R | median len |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, questions in sets.items():
        for form, ask in (("as written", as_written), ("user turns only", users_only)):
            if not questions:
                continue
            figures = asyncio.run(run_answer_eval(questions, ask, warm_up=False)).by_type()["all"]
            cells = [
                f"{figures[key]:.3f}" if figures.get(key) is not None else "—"
                for key in (
                    "fact_coverage",
                    "first_statement",
                    "citation_precision",
                    "citation_recall",
                )
            ]
            length = figures.get("median_answer_chars")
            lines.append(
                f"| {name} | {form} | {len(questions)} | {' | '.join(cells)} | {length:.0f} |"
            )
    lines.append("")
    lines.append(f"Wall time {time.perf_counter() - started:.0f} s.")
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
