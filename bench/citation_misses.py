"""Why answered questions cite pages that do not hold the evidence, by category.

Each answerable labelled question is answered in process; every cited label that the eval
counts wrong (not a gold label, and no context carrying it holds the evidence:
eval/answer_metrics.citation_precision) is put in one category by the statement that cites
it: the first statement's passage lacks the evidence (and whether any context has it); a
further statement from another passage (whether the first statement's passage holds the
evidence); a statement the trace added for the other side. Prints counts of labels and of
questions per category, never the questions.

    .venv/bin/python bench/citation_misses.py [--outside PATH] [--hand-set]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import answer.compose as compose_stage  # noqa: E402
from answer.schemas import AskRequest  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.answer_metrics import _chunks_by_label, chunk_texts, holds_evidence  # noqa: E402
from eval.gold import OUTSIDE_SET, GoldQuestion, load_gold  # noqa: E402
from eval.labels import is_plan_page, matchable  # noqa: E402
from planqa.settings import Settings  # noqa: E402


def categories(service, question: GoldQuestion, seen: dict) -> set[tuple[str, int]]:
    """(category, wrong labels) of one answered question; empty when all are right."""
    seen.clear()
    request = AskRequest(question=question.question, history=question.history_messages(), top_k=10)
    response = asyncio.run(service.answer(request)).model_dump()
    if not response["answered"] or "final" not in seen:
        return set()
    gold = {matchable(label) for label in question.labels}
    texts, owners = chunk_texts(response), _chunks_by_label(response)

    def correct(label: str) -> bool:
        key = matchable(label)
        if key in gold or not is_plan_page(label):
            return True
        return any(
            holds_evidence(texts.get(chunk, ""), question.evidence) for chunk in owners.get(key, ())
        )

    picked, final = seen["picked"], seen["final"]
    anywhere = any(holds_evidence(c["text"], question.evidence) for c in response["contexts"])
    lead_holds = holds_evidence(picked[0].chunk.text, question.evidence)
    found: Counter[str] = Counter()
    for index, item in enumerate(final):
        for label in item.chunk.labels:
            if correct(label):
                continue
            if index >= len(picked):
                found["a statement the trace added for the other side"] += 1
            elif index == 0:
                found[
                    "first statement's passage lacks the evidence"
                    + ("" if anywhere else ", no context has it")
                ] += 1
            else:
                found[
                    "further statement, another passage; the first "
                    + ("holds the evidence" if lead_holds else "lacks it too")
                ] += 1
    return set(found.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET)
    parser.add_argument("--hand-set", action="store_true", help="no fitted admission or cut")
    args = parser.parse_args()
    service = build_service(Settings())
    if args.hand_set:
        service.selection.admission = None
        service.selection.clause_cut = None
    seen: dict = {}
    complete = compose_stage.complete_sides

    def spy(analysis, picked, *rest, **options):
        final = complete(analysis, picked, *rest, **options)
        seen["picked"], seen["final"] = list(picked), list(final)
        return final

    compose_stage.complete_sides = spy
    own = load_gold()
    sets = {
        "own dev": [q for q in own if q.split == "dev"],
        "fresh test": [q for q in own if q.split == "test"],
        "outside": load_gold(args.outside),
    }
    for name, questions in sets.items():
        labels: Counter[str] = Counter()
        asked: Counter[str] = Counter()
        for question in (q for q in questions if q.answerable):
            for category, count in categories(service, question, seen):
                labels[category] += count
                asked[category] += 1
        print(f"{name}:")
        for category, count in labels.most_common():
            print(f"  {count:3d} labels in {asked[category]:3d} questions: {category}")


if __name__ == "__main__":
    main()
